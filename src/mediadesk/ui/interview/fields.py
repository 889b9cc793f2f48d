"""The input widgets of the wizard.

Each one shows one answer's value and has the same small surface: ``value()`` (raises
`InputError` when what was typed cannot be read), ``set_value(value)`` (no ``edited`` signal),
``edited(immediate)`` (the person changed it; ``immediate`` for clicks and choices, False for
typing, which is debounced) and ``focus_widgets()`` (where the focus goes, and whose focus-out
saves at once).
Thread: GUI only.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from datetime import date
from enum import Enum
from functools import partial
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QFocusEvent, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from mediadesk.i18n import _
from mediadesk.ui.interview.parse import (
    read_cents,
    read_day,
    show_cents,
    show_day,
)
from mediadesk.ui.models import LanguagesModel
from mediadesk.ui.widgets import muted

DATE_WIDTH = 110
MONEY_WIDTH = 110


class TextField(QLineEdit):
    edited = Signal(bool)

    def __init__(self, parent: QWidget | None = None, *, placeholder: str = "") -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.textEdited.connect(lambda _text: self.edited.emit(False))

    def value(self) -> str:
        return self.text()

    def set_value(self, value: str) -> None:
        self.setText(value)
        self.setCursorPosition(0)  # show the beginning of a long text

    def focus_widgets(self) -> Sequence[QWidget]:
        return (self,)


class DateField(TextField):
    """A day typed as jj/mm/aaaa; empty means not known."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, placeholder=_("jj/mm/aaaa"))
        self.setFixedWidth(DATE_WIDTH)

    def value(self) -> date | None:  # type: ignore[override]
        return read_day(self.text())

    def set_value(self, value: date | None) -> None:  # type: ignore[override]
        super().set_value(show_day(value))


class MoneyField(TextField):
    """An amount in euros, kept in cents; empty means not known."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, placeholder=_("en euros"))
        self.setFixedWidth(MONEY_WIDTH)
        self.setAlignment(Qt.AlignmentFlag.AlignRight)

    def value(self) -> int | None:  # type: ignore[override]
        return read_cents(self.text())

    def set_value(self, value: int | None) -> None:  # type: ignore[override]
        super().set_value(show_cents(value))


class FreeText(QWidget):
    """Several lines of free text, with the reminder that the household may read them."""

    edited = Signal(bool)

    def __init__(self, parent: QWidget | None = None, *, lines: int = 3) -> None:
        super().__init__(parent)
        self.edit = QPlainTextEdit(self)
        self.edit.setTabChangesFocus(True)  # Tab leaves the field: keyboard-only use
        self.edit.setFixedHeight(self.edit.fontMetrics().lineSpacing() * lines + 14)
        self.edit.textChanged.connect(lambda: self.edited.emit(False))
        self.hint = muted(_("Le foyer peut demander à lire ce qui est écrit ici : "
                            "restez factuel."), self)
        font = QFont(self.hint.font())
        font.setPointSizeF(font.pointSizeF() * 0.85)
        self.hint.setFont(font)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(self.edit)
        layout.addWidget(self.hint)

    def value(self) -> str:
        return self.edit.toPlainText()

    def set_value(self, value: str) -> None:
        with QSignalBlocker(self.edit):
            self.edit.setPlainText(value)

    def focus_widgets(self) -> Sequence[QWidget]:
        return (self.edit,)

    def setAccessibleName(self, name: str) -> None:
        self.edit.setAccessibleName(name)


class NumberField(QSpinBox):
    """A whole number or "—" (not known, the value just below ``minimum``)."""

    edited = Signal(bool)

    def __init__(self, minimum: int, maximum: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(minimum - 1, maximum)
        self.setSpecialValueText(_("—"))
        self.setFixedWidth(90)
        self.valueChanged.connect(lambda _value: self.edited.emit(False))

    def value(self) -> int | None:  # type: ignore[override]
        number = super().value()
        return None if number == self.minimum() else number

    def set_value(self, value: int | None) -> None:
        with QSignalBlocker(self):
            self.setValue(self.minimum() if value is None else value)

    def focus_widgets(self) -> Sequence[QWidget]:
        return (self,)


class ChoiceCombo(QComboBox):
    """One choice among ``choices`` (value, title); with ``optional`` a first "—" item (None).

    The values stay Python objects (enum members): Qt would turn them into plain strings.
    """

    edited = Signal(bool)

    def __init__(self, choices: Iterable[tuple[Any, str]], parent: QWidget | None = None, *,
                 optional: bool = True, empty: str | None = None) -> None:
        super().__init__(parent)
        self._values: list[Any] = []
        if optional:
            self._add(empty or _("— à préciser —"), None)
        for value, title in choices:
            self._add(title, value)
        self.currentIndexChanged.connect(lambda _index: self.edited.emit(True))

    def _add(self, title: str, value: Any) -> None:
        self.addItem(title)
        self._values.append(value)

    def value(self) -> Any:
        index = self.currentIndex()
        return self._values[index] if 0 <= index < len(self._values) else None

    def set_value(self, value: Any) -> None:
        if value not in self._values:  # from a newer version: show it as it is
            self._add(str(getattr(value, "value", value)), value)
        with QSignalBlocker(self):
            self.setCurrentIndex(self._values.index(value))

    def focus_widgets(self) -> Sequence[QWidget]:
        return (self,)


class YesNoCombo(ChoiceCombo):
    """Yes, no, or not known (None)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__([(True, _("Oui")), (False, _("Non"))], parent, empty=_("—"))
        self.setFixedWidth(90)


class CheckField(QCheckBox):
    edited = Signal(bool)

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.toggled.connect(lambda _checked: self.edited.emit(True))

    def value(self) -> bool:
        return self.isChecked()

    def set_value(self, value: bool) -> None:
        with QSignalBlocker(self):
            self.setChecked(value)

    def focus_widgets(self) -> Sequence[QWidget]:
        return (self,)


class RadioChoice(QWidget):
    """Radio buttons, one per choice; arrows move between them. None: none checked."""

    edited = Signal(bool)

    def __init__(self, choices: Iterable[tuple[Enum, str]], parent: QWidget | None = None, *,
                 name: str = "", spacing: int = 12, width: int | None = None) -> None:
        super().__init__(parent)
        self.group = QButtonGroup(self)
        self.buttons: dict[Enum, QRadioButton] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(spacing)
        for value, title in choices:
            button = QRadioButton(title, self)
            if width is not None:
                button.setFixedWidth(width)
            button.setAccessibleName(_("{field} : {choice}").format(field=name, choice=title)
                                     if name else title)
            self.group.addButton(button)
            button.installEventFilter(self)
            self.buttons[value] = button
            layout.addWidget(button)
        layout.addStretch(1)
        self.group.buttonToggled.connect(
            lambda _button, checked: self.edited.emit(True) if checked else None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Tab into the group lands on the checked answer, as the arrows expect."""
        if (event.type() == QEvent.Type.FocusIn and isinstance(event, QFocusEvent)
                and event.reason() in (Qt.FocusReason.TabFocusReason,
                                       Qt.FocusReason.BacktabFocusReason)):
            checked = self.group.checkedButton()
            if checked is not None and checked is not watched:
                checked.setFocus(event.reason())
        return False

    def value(self) -> Enum | None:
        return next((value for value, button in self.buttons.items() if button.isChecked()),
                    None)

    def set_value(self, value: Enum | None) -> None:
        with QSignalBlocker(self.group):
            self.group.setExclusive(False)
            for choice, button in self.buttons.items():
                button.setChecked(choice == value)
            self.group.setExclusive(True)

    def focus_widgets(self) -> Sequence[QWidget]:
        return tuple(self.buttons.values())


class MultiCheck(QWidget):
    """Check boxes, one per choice. The value lists the checked ones in choice order, or in
    the order they were checked when ``ordered``."""

    edited = Signal(bool)

    def __init__(self, choices: Iterable[tuple[Enum, str]], parent: QWidget | None = None, *,
                 ordered: bool = False) -> None:
        super().__init__(parent)
        self._ordered = ordered
        self._order: list[Enum] = []
        self._extras: list[QWidget] = []
        self.display_order: list[Enum] = []
        self.boxes: dict[Enum, QCheckBox] = {}
        self.notes: dict[Enum, QLabel] = {}
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        for value, title in choices:
            box = QCheckBox(title, self)
            box.setAccessibleName(title)
            box.toggled.connect(partial(self._toggled, value))
            self.boxes[value] = box
            self.display_order.append(value)
            self._layout.addWidget(box)
            note = muted("", self)
            note.setContentsMargins(24, 0, 0, 4)
            note.hide()
            self.notes[value] = note
            self._layout.addWidget(note)

    def _toggled(self, value: Enum, checked: bool) -> None:
        if checked and value not in self._order:
            self._order.append(value)
        elif not checked and value in self._order:
            self._order.remove(value)
        self.edited.emit(True)

    def value(self) -> tuple[Enum, ...]:
        if self._ordered:
            return tuple(self._order)
        return tuple(value for value, box in self.boxes.items() if box.isChecked())

    def set_value(self, value: Iterable[Enum]) -> None:
        self._order = [choice for choice in value if choice in self.boxes]
        for choice, box in self.boxes.items():
            with QSignalBlocker(box):
                box.setChecked(choice in self._order)

    def arrange(self, sections: Sequence[tuple[str, Sequence[tuple[Enum, str]]]]) -> None:
        """Show the boxes by sections: (title, [(choice, note under its box)]), in order."""
        while self._layout.count():
            self._layout.takeAt(0)
        for old in self._extras:
            old.deleteLater()
        self._extras = []
        shown: list[QCheckBox] = []
        for title, rows in sections:
            if not rows:
                continue
            header = QLabel(f"<b>{title}</b>", self)
            self._extras.append(header)
            self._layout.addWidget(header)
            for choice, note in rows:
                self._layout.addWidget(self.boxes[choice])
                shown.append(self.boxes[choice])
                self.notes[choice].setText(note)
                self.notes[choice].setVisible(bool(note))
                self._layout.addWidget(self.notes[choice])
        self.display_order = [choice for _title, rows in sections for choice, _note in rows]
        for first, second in itertools.pairwise(shown):
            QWidget.setTabOrder(first, second)

    def focus_widgets(self) -> Sequence[QWidget]:
        return tuple(self.boxes.values())


class LanguageField(QListView):
    """Checkable languages (codes); space or a click checks one."""

    edited = Signal(bool)

    def __init__(self, codes: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._codes = tuple(codes)
        self.languages = LanguagesModel(codes, (), self)
        self.setModel(self.languages)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setFixedHeight(110)
        self._loading = False
        self.languages.dataChanged.connect(self._changed)

    def _changed(self) -> None:
        if not self._loading:
            self.edited.emit(True)

    def value(self) -> tuple[str, ...]:
        return self.languages.checked_codes()

    def set_value(self, value: Sequence[str]) -> None:
        self._loading = True
        try:
            for code in {*self._codes, *self.languages.checked_codes(), *value}:
                self.languages.set_checked(code, code in value)
        finally:
            self._loading = False

    def focus_widgets(self) -> Sequence[QWidget]:
        return (self,)
