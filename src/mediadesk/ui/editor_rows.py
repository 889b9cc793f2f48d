"""Repeating rows of the household editor: phone numbers and household members.

Each row is a few plain input widgets; the list of rows gives drafts in display order, so the
index in a ValidationError field name (``phones.2``) is the row index.
Thread: GUI only.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from mediadesk.i18n import _
from mediadesk.services.views import MemberDraft, MemberView, PhoneDraft, PhoneView
from mediadesk.ui.labels import MEMBER_ROLES, PHONE_STATUSES, label
from mediadesk.ui.widgets import ERROR_COLOUR, ErrorLabel, muted

_NO_YEAR = 1899  # the spin box's "not given" value, shown as "—"


def _combo(table: dict[str, str], value: str, parent: QWidget) -> QComboBox:
    combo = QComboBox(parent)
    for key in table:
        combo.addItem(label(table, key), key)
    if value not in table:
        combo.addItem(value, value)
    combo.setCurrentIndex(combo.findData(value))
    return combo


class _Rows(QWidget):
    """A grid of rows, each ending with a remove button, and an add button below."""

    def __init__(self, headers: Sequence[str], add_text: str, empty_text: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[list[QWidget]] = []
        self._grid = QGridLayout()
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._headers = [QLabel(text, self) for text in headers]
        for column, header in enumerate(self._headers):
            self._grid.addWidget(header, 0, column)
        self.empty = muted(empty_text, self)
        self.add = QPushButton(add_text, self)
        self.add.clicked.connect(self.add_row_and_focus)
        self.error = ErrorLabel(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._grid)
        layout.addWidget(self.empty)
        layout.addWidget(self.error)
        layout.addWidget(self.add, 0, Qt.AlignmentFlag.AlignLeft)
        self._update_empty()

    def _make_row(self) -> list[QWidget]:
        raise NotImplementedError

    def _append(self, widgets: list[QWidget]) -> None:
        remove = QPushButton(_("Retirer"), self)
        remove.setToolTip(_("Retirer cette ligne"))
        row_widgets = [*widgets, remove]
        remove.clicked.connect(lambda: self._remove(row_widgets))
        row = len(self._rows) + 1
        for column, widget in enumerate(row_widgets):
            self._grid.addWidget(widget, row, column)
            widget.show()  # now, not at the next event loop turn: the row can take focus
        # Tab goes through the rows in display order, then to the add button.
        before = self._rows[-1][-1] if self._rows else self._focusable_before_add()
        chain = [widget for widget in (before, *row_widgets, self.add) if widget is not None]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        self._rows.append(row_widgets)
        self._update_empty()

    def _focusable_before_add(self) -> QWidget | None:
        widget = self.add.previousInFocusChain()
        while widget is not None and widget is not self.add:
            if widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
                return widget
            widget = widget.previousInFocusChain()
        return None

    def add_row_and_focus(self) -> None:
        self._append(self._make_row())
        self._rows[-1][0].setFocus()

    def _remove(self, row_widgets: list[QWidget]) -> None:
        index = self._rows.index(row_widgets)
        for widget in row_widgets:
            self._grid.removeWidget(widget)
            widget.deleteLater()
        del self._rows[index]
        # Re-pack the grid so row indexes (and error field names) stay in display order.
        for new_row, widgets in enumerate(self._rows[index:], start=index + 1):
            for column, widget in enumerate(widgets):
                self._grid.addWidget(widget, new_row, column)
        self._update_empty()

    def _update_empty(self) -> None:
        self.empty.setVisible(not self._rows)
        for header in self._headers:
            header.setVisible(bool(self._rows))

    def row_count(self) -> int:
        return len(self._rows)

    def show_error(self, row: int | None, message: str) -> None:
        """Show ``message`` under the rows and mark the first field of ``row``."""
        self.clear_error()
        self.error.show_message(message)
        if row is not None and 0 <= row < len(self._rows):
            first = self._rows[row][0]
            first.setStyleSheet(f"border: 1px solid {ERROR_COLOUR};")
            first.setFocus()

    def clear_error(self) -> None:
        self.error.clear_message()
        for widgets in self._rows:
            widgets[0].setStyleSheet("")


class PhoneRows(_Rows):
    """Phone numbers, each with its status."""

    def __init__(self, phones: Sequence[PhoneView], parent: QWidget | None = None) -> None:
        super().__init__([_("Numéro"), _("État")], _("Ajouter un numéro"),
                         _("Aucun numéro."), parent)
        self._grid.setColumnStretch(3, 1)  # spare width right of the rows, not inside them
        for phone in phones:
            self._append(self._widgets(phone.number, phone.status))

    def _widgets(self, number: str, status: str) -> list[QWidget]:
        field = QLineEdit(number, self)
        field.setMinimumWidth(220)
        field.setPlaceholderText(_("06 12 34 56 78"))
        field.setAccessibleName(_("Numéro de téléphone"))
        return [field, _combo(PHONE_STATUSES, status, self)]

    def _make_row(self) -> list[QWidget]:
        return self._widgets("", "unverified")

    def drafts(self) -> tuple[PhoneDraft, ...]:
        result = []
        for widgets in self._rows:
            field, combo = widgets[0], widgets[1]
            assert isinstance(field, QLineEdit) and isinstance(combo, QComboBox)
            result.append(PhoneDraft(field.text(), str(combo.currentData())))
        return tuple(result)


class MemberRows(_Rows):
    """People of the household: first and last name, role, birth year."""

    def __init__(self, members: Sequence[MemberView], parent: QWidget | None = None) -> None:
        super().__init__([_("Prénom"), _("Nom"), _("Rôle"), _("Année de naissance")],
                         _("Ajouter une personne"), _("Aucune personne."), parent)
        for member in members:
            self._append(self._widgets(member.first_name, member.last_name, member.role,
                                       member.birth_year))

    def _widgets(self, first: str, last: str, role: str, year: int | None) -> list[QWidget]:
        first_name = QLineEdit(first, self)
        first_name.setAccessibleName(_("Prénom"))
        last_name = QLineEdit(last, self)
        last_name.setAccessibleName(_("Nom"))
        birth = QSpinBox(self)
        birth.setRange(_NO_YEAR, date.today().year)
        birth.setSpecialValueText(_("—"))
        birth.setValue(year if year is not None else _NO_YEAR)
        birth.setAccessibleName(_("Année de naissance"))
        return [first_name, last_name, _combo(MEMBER_ROLES, role, self), birth]

    def _make_row(self) -> list[QWidget]:
        return self._widgets("", "", "holder" if not self._rows else "other", None)

    def drafts(self) -> tuple[MemberDraft, ...]:
        result = []
        for widgets in self._rows:
            first, last, role, birth = widgets[:4]
            assert isinstance(first, QLineEdit) and isinstance(last, QLineEdit)
            assert isinstance(role, QComboBox) and isinstance(birth, QSpinBox)
            year = birth.value() if birth.value() != _NO_YEAR else None
            result.append(MemberDraft(first.text(), last.text(), str(role.currentData()), year))
        return tuple(result)
