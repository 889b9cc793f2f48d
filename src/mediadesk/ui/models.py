"""Qt item models over plain frozen objects returned by the services.

`ObjectTableModel` is a read-only table over a list of objects, its columns described by
`Column` (a French header marked with `N_` and a function giving the cell text). Each list of the
UI has its own instance (search hits, members, phones, contracts, debts, timeline).
`LanguagesModel` is the checkable list of languages of the household editor.
Thread: GUI only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from mediadesk.i18n import _, language_name

T = TypeVar("T")
AnyIndex = QModelIndex | QPersistentModelIndex
#: Role giving the plain object behind a row.
OBJECT_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class Column(Generic[T]):
    """One column: ``header`` is French source text (marked with N_), translated when shown."""

    header: str
    text: Callable[[T], str]
    align_right: bool = False
    tooltip: Callable[[T], str] | None = None  # the cell text when None


class ObjectTableModel(QAbstractTableModel, Generic[T]):
    """A read-only table over ``rows`` (plain objects). Replace them all with `set_rows`."""

    def __init__(self, columns: Sequence[Column[T]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = tuple(columns)
        self._rows: list[T] = []

    def set_rows(self, rows: Iterable[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> tuple[T, ...]:
        return tuple(self._rows)

    def row_object(self, row: int) -> T | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(self._columns):
            return None
        row = self._rows[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return (column.tooltip or column.text)(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == OBJECT_ROLE:
            return row
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(self._columns)):
            return _(self._columns[section].header)
        return None

    def retranslate(self) -> None:
        """Headers follow the UI language: call after it changed."""
        if self._columns:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self._columns) - 1)


class LanguagesModel(QAbstractListModel):
    """Checkable languages (ISO 639 codes shown by name in the UI language)."""

    def __init__(self, codes: Iterable[str], checked: Iterable[str] = (),
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        wanted = list(dict.fromkeys(checked))
        self._codes = list(dict.fromkeys([*codes, *wanted]))
        self._checked = set(wanted)

    def checked_codes(self) -> tuple[str, ...]:
        """Checked languages, in the order of the list."""
        return tuple(code for code in self._codes if code in self._checked)

    def set_checked(self, code: str, checked: bool) -> None:
        if code not in self._codes:
            self.beginInsertRows(QModelIndex(), len(self._codes), len(self._codes))
            self._codes.append(code)
            self.endInsertRows()
        if checked:
            self._checked.add(code)
        else:
            self._checked.discard(code)
        row = self._codes.index(code)
        self.dataChanged.emit(self.index(row), self.index(row),
                              [Qt.ItemDataRole.CheckStateRole])

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._codes)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._codes):
            return None
        code = self._codes[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return language_name(code)
        if role == Qt.ItemDataRole.CheckStateRole:
            return (Qt.CheckState.Checked if code in self._checked
                    else Qt.CheckState.Unchecked)
        if role == OBJECT_ROLE:
            return code
        return None

    def setData(self, index: AnyIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid():
            return False
        code = self._codes[index.row()]
        checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value)
        if checked:
            self._checked.add(code)
        else:
            self._checked.discard(code)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsUserCheckable)
