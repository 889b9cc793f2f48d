"""Editors of the answers that are records: a consent, and lists of records (contacts with the
supplier, next steps, orientations) with add, remove and, for next steps, move up and down.

They follow the field surface of `fields` (``value``, ``set_value``, ``edited``,
``focus_widgets``). A list is saved whole under its one answer key; each record keeps the
attributes a newer version added (``extra``).
Thread: GUI only.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Generic, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mediadesk.i18n import _
from mediadesk.interview import Consent, ConsentMethod, choice_title
from mediadesk.ui.interview.fields import DATE_WIDTH, ChoiceCombo, DateField
from mediadesk.ui.interview.parse import InputError
from mediadesk.ui.widgets import ErrorLabel, muted

R = TypeVar("R")
DATE_COLUMN = DATE_WIDTH
UP, DOWN = "↑", "↓"
ARROW_WIDTH = 40
ROW_SPACING = 6
STRESS_STYLE = "QFrame#stressed { background: #fff4d6; border: 1px solid #e0b44c; }"


CONSENT_COLUMNS = (215, 150)  # title, status: the header of the consents lines up on them
METHOD_WIDTH = 125


class ConsentEditor(QWidget):
    """One consent on one line: what, its status, given on, withdrawn on, how collected."""

    edited = Signal(bool)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._extra: Consent = Consent()
        self.title = QLabel(title, self)
        self.title.setFixedWidth(CONSENT_COLUMNS[0])
        self.title.setWordWrap(True)
        self.status = QLabel(self)
        self.status.setFixedWidth(CONSENT_COLUMNS[1])
        self.given = DateField(self)
        self.given.setAccessibleName(_("{consent} : donné le").format(consent=title))
        self.today = QPushButton(_("Aujourd'hui"), self)
        self.today.setAccessibleName(_("{consent} : donné aujourd'hui").format(consent=title))
        self.today.setToolTip(_("Noter le consentement à la date du jour"))
        self.withdrawn = DateField(self)
        self.withdrawn.setAccessibleName(_("{consent} : retiré le").format(consent=title))
        self.method = ChoiceCombo([(m, choice_title(m)) for m in ConsentMethod], self,
                                  empty=_("—"))
        self.method.setFixedWidth(METHOD_WIDTH)
        self.method.setAccessibleName(_("{consent} : recueilli").format(consent=title))
        self._today_text = ""
        self.today.clicked.connect(self._give)
        self.given.edited.connect(self.edited)
        self.withdrawn.edited.connect(self.edited)
        self.method.edited.connect(self.edited)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 1, 0, 1)
        layout.setSpacing(ROW_SPACING)
        for widget in (self.title, self.status, self.given, self.today, self.withdrawn,
                       self.method):
            layout.addWidget(widget)
        layout.addStretch(1)

    @classmethod
    def header(cls, parent: QWidget) -> QWidget:
        """Captions over the lines of consents."""
        header = QWidget(parent)
        layout = QHBoxLayout(header)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(ROW_SPACING)
        layout.addSpacing(sum(CONSENT_COLUMNS) + ROW_SPACING)
        given = QLabel(_("Donné le"), header)
        given.setFixedWidth(DATE_WIDTH + QPushButton(_("Aujourd'hui")).sizeHint().width()
                           + ROW_SPACING)
        withdrawn = QLabel(_("Retiré le"), header)
        withdrawn.setFixedWidth(DATE_WIDTH)
        method = QLabel(_("Recueilli"), header)
        method.setFixedWidth(METHOD_WIDTH)
        for widget in (given, withdrawn, method):
            layout.addWidget(widget)
        layout.addStretch(1)
        return header

    def set_today(self, text: str) -> None:
        """What the "Aujourd'hui" button writes (the caller's today, as typed)."""
        self._today_text = text

    def _give(self) -> None:
        self.given.setText(self._today_text)
        self.edited.emit(True)

    def value(self) -> Consent:
        return replace(self._extra, given_on=self.given.value(),
                       withdrawn_on=self.withdrawn.value(), method=self.method.value())

    def set_value(self, value: Consent) -> None:
        self._extra = value
        self.given.set_value(value.given_on)
        self.withdrawn.set_value(value.withdrawn_on)
        self.method.set_value(value.method)

    def set_status(self, text: str, colour: str) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {colour};")

    def focus_widgets(self) -> Sequence[QWidget]:
        return (self.given, self.today, self.withdrawn, self.method)


@dataclass
class _Row(Generic[R]):
    frame: QFrame
    number: QLabel
    inputs: list[QWidget]
    buttons: list[QPushButton]
    record: R
    widgets: list[QWidget] = field(default_factory=list)  # inputs, then buttons: tab order


class RecordRows(QWidget, Generic[R]):
    """A list of records, one row of inputs each. Subclasses give the inputs of a record and
    read a record back from them."""

    edited = Signal(bool)

    def __init__(self, columns: Sequence[tuple[str, int]], add_text: str, empty_text: str,
                 parent: QWidget | None = None, *, movable: bool = False) -> None:
        super().__init__(parent)
        self._movable = movable
        self._rows: list[_Row[R]] = []
        self._loading = False
        self.header = QWidget(self)
        header = QHBoxLayout(self.header)
        header.setContentsMargins(6, 0, 6, 0)
        header.setSpacing(ROW_SPACING)
        header.addSpacing(22)
        for text, width in columns:
            caption = QLabel(text, self.header)
            if width > 0:
                caption.setFixedWidth(width)
                header.addWidget(caption)
            else:
                header.addWidget(caption, 1)
        # the row buttons' width, so the captions stand over their inputs
        texts = [UP, DOWN] if movable else []
        self._button_widths = [ARROW_WIDTH] * len(texts) + [
            QPushButton(_("Retirer")).sizeHint().width()]
        header.addSpacing(sum(width + ROW_SPACING for width in self._button_widths))
        self.body = QWidget(self)
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(0, 0, 0, 0)
        self.body_layout.setSpacing(2)
        self.empty = muted(empty_text, self)
        self.error = ErrorLabel(self)
        self.add = QPushButton(add_text, self)
        self.add.clicked.connect(self.add_row)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.header)
        layout.addWidget(self.body)
        layout.addWidget(self.empty)
        layout.addWidget(self.add, 0, Qt.AlignmentFlag.AlignLeft)
        self._update()

    # --- for subclasses -----------------------------------------------------------------

    def _inputs(self, record: R, parent: QWidget) -> list[QWidget]:
        raise NotImplementedError

    def _read(self, inputs: list[QWidget], record: R) -> R:
        """The record shown by ``inputs`` (``record``: as loaded, for its ``extra``)."""
        raise NotImplementedError

    def _blank(self) -> R:
        raise NotImplementedError

    # --- the field surface --------------------------------------------------------------

    def value(self) -> tuple[R, ...]:
        records = []
        for index, row in enumerate(self._rows):
            try:
                records.append(self._read(row.inputs, row.record))
            except InputError as error:
                raise InputError(_("Ligne {row} : {message}").format(
                    row=index + 1, message=error.message)) from None
        return tuple(records)

    def set_value(self, value: Sequence[R]) -> None:
        if len(value) != len(self._rows):
            self._rebuild(value)
            return
        self._loading = True
        try:
            for row, record in zip(self._rows, value, strict=True):
                row.record = record
                self._write(row.inputs, record)
        finally:
            self._loading = False

    def focus_widgets(self) -> Sequence[QWidget]:
        return [widget for row in self._rows for widget in row.widgets] + [self.add]

    # --- rows -----------------------------------------------------------------------------

    def row_count(self) -> int:
        return len(self._rows)

    def row_inputs(self, index: int) -> list[QWidget]:
        return list(self._rows[index].inputs)

    def focus_row(self, index: int | None) -> None:
        if index is not None and 0 <= index < len(self._rows):
            self._rows[index].inputs[0].setFocus(Qt.FocusReason.OtherFocusReason)
        elif self._rows:
            self._rows[0].inputs[0].setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.add.setFocus(Qt.FocusReason.OtherFocusReason)

    def add_row(self) -> None:
        records = self._current()
        self._rebuild([*records, self._blank()])
        self._rows[-1].inputs[0].setFocus(Qt.FocusReason.OtherFocusReason)
        self.edited.emit(True)

    def _current(self) -> list[R]:
        """The records as shown, unreadable inputs kept as last loaded."""
        records = []
        for row in self._rows:
            try:
                records.append(self._read(row.inputs, row.record))
            except InputError:
                records.append(row.record)
        return records

    def _remove(self, row: _Row[R]) -> None:
        index = self._rows.index(row)
        records = self._current()
        del records[index]
        self._rebuild(records)
        self.focus_row(min(index, len(self._rows) - 1) if self._rows else None)
        self.edited.emit(True)

    def _move(self, row: _Row[R], by: int) -> None:
        index = self._rows.index(row)
        target = index + by
        if not 0 <= target < len(self._rows):
            return
        records = self._current()
        records[index], records[target] = records[target], records[index]
        self.set_value(records)
        self._update()
        button = 0 if by < 0 else 1
        moved = self._rows[target].buttons[button]
        (moved if moved.isEnabled() else self._rows[target].inputs[0]).setFocus(
            Qt.FocusReason.OtherFocusReason)
        self.edited.emit(True)

    def _write(self, inputs: list[QWidget], record: R) -> None:
        raise NotImplementedError

    def _rebuild(self, records: Sequence[R]) -> None:
        self._loading = True
        try:
            for old in self._rows:
                old.frame.hide()
                old.frame.setParent(None)  # out of the focus chain now, not later
                old.frame.deleteLater()
            self._rows = [self._make_row(record) for record in records]
        finally:
            self._loading = False
        self._chain_tab_order()
        self._update()

    def _make_row(self, record: R) -> _Row[R]:
        frame = QFrame(self.body)
        layout = QHBoxLayout(frame)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.setSpacing(ROW_SPACING)
        number = QLabel(frame)
        number.setFixedWidth(22)
        layout.addWidget(number)
        inputs = self._inputs(record, frame)
        for widget in inputs:
            layout.addWidget(widget, 1 if isinstance(widget, QLineEdit) and
                             widget.maximumWidth() > 10_000 else 0)
        self._write(inputs, record)
        row = _Row(frame, number, inputs, [], record)
        if self._movable:
            up = QPushButton(UP, frame)
            up.setToolTip(_("Monter : faire ce pas plus tôt"))
            down = QPushButton(DOWN, frame)
            down.setToolTip(_("Descendre : faire ce pas plus tard"))
            up.clicked.connect(lambda: self._move(row, -1))
            down.clicked.connect(lambda: self._move(row, 1))
            row.buttons += [up, down]
        remove = QPushButton(_("Retirer"), frame)
        remove.clicked.connect(lambda: self._remove(row))
        row.buttons.append(remove)
        for button, width in zip(row.buttons, self._button_widths, strict=True):
            button.setFixedWidth(width)
            layout.addWidget(button)
        for widget in inputs:
            if isinstance(widget, QLineEdit):
                widget.textEdited.connect(self._typed)
            elif isinstance(widget, QComboBox):
                widget.currentIndexChanged.connect(self._chosen)
        row.widgets = [*inputs, *row.buttons]
        self.body_layout.addWidget(frame)
        frame.show()
        return row

    def _typed(self) -> None:
        if not self._loading:
            self.edited.emit(False)

    def _chosen(self) -> None:
        if not self._loading:
            self.edited.emit(True)

    def _chain_tab_order(self) -> None:
        """Rows in display order between the widget before this list and its add button."""
        before = self.add.previousInFocusChain()
        while before is not None and before is not self.add and (
                self.body.isAncestorOf(before)
                or not before.focusPolicy() & Qt.FocusPolicy.TabFocus):
            before = before.previousInFocusChain()
        widgets = [w for row in self._rows for w in row.widgets]
        head = [before] if before is not None and before is not self.add else []
        for first, second in itertools.pairwise([*head, *widgets, self.add]):
            QWidget.setTabOrder(first, second)

    def _update(self) -> None:
        self.empty.setVisible(not self._rows)
        self.header.setVisible(bool(self._rows))
        for index, row in enumerate(self._rows):
            row.number.setText(f"{index + 1}.")
            names = [_("Monter"), _("Descendre")] if self._movable else []
            for button, name in zip(row.buttons, [*names, _("Retirer")], strict=True):
                button.setAccessibleName(_("{action}, ligne {row}").format(
                    action=name, row=index + 1))
            if self._movable:
                row.buttons[0].setEnabled(index > 0)
                row.buttons[1].setEnabled(index < len(self._rows) - 1)
        self._stress()

    def _stress(self) -> None:
        """Subclasses may mark rows (the first next step)."""


def combo_value(widget: QWidget) -> Any:
    assert isinstance(widget, ChoiceCombo)
    return widget.value()


def set_combo(widget: QWidget, value: Any) -> None:
    assert isinstance(widget, ChoiceCombo)
    widget.set_value(value)


def line_text(widget: QWidget) -> str:
    assert isinstance(widget, QLineEdit)
    return widget.text()


def day_of(widget: QWidget) -> Any:
    assert isinstance(widget, DateField)
    return widget.value()
