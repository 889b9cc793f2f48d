"""Binding the wizard's inputs to answer keys.

A `Binding` ties one answer key to one input (see `fields`) and its inline error label. The
`Form` holds every binding of the wizard: it loads a state into the inputs, and tells the wizard
when an answer was edited (``edited(key, value, immediate)``), could not be read
(``invalid(key)``) or lost the focus (``left(key)``, to save it at once).
Thread: GUI only.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from mediadesk.interview import InterviewState
from mediadesk.ui.interview.fields import (
    CheckField,
    ChoiceCombo,
    FreeText,
    LanguageField,
    MultiCheck,
    NumberField,
    RadioChoice,
    TextField,
)
from mediadesk.ui.interview.parse import InputError
from mediadesk.ui.interview.records import ConsentEditor, RecordRows
from mediadesk.ui.remote_flag import RemoteFlag, place_flag
from mediadesk.ui.widgets import ErrorLabel

Field = (TextField | FreeText | NumberField | ChoiceCombo | CheckField | RadioChoice
         | MultiCheck | LanguageField | ConsentEditor | RecordRows[Any])
"""Every kind of input a binding can hold (DateField, MoneyField, YesNoCombo included)."""


def plain(text: str) -> str:
    """A caption without its mnemonic marker and colon: the input's accessible name."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip(" :")


class Binding(QObject):
    """One answer key, one input, one error label, and at most one `RemoteFlag` under them
    (someone else changed this answer while it was being typed in)."""

    edited = Signal(str, bool)
    left = Signal(str)

    def __init__(self, key: str, field: Field, error: ErrorLabel,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.field = field
        self.error = error
        self.flag: RemoteFlag | None = None  # dismissed flags are deleted later
        field.edited.connect(lambda immediate: self.edited.emit(self.key, immediate))
        for widget in field.focus_widgets():
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            self.left.emit(self.key)
        return False

    def read(self) -> Any:
        """The value shown; raises InputError."""
        return self.field.value()

    def write(self, value: Any) -> None:
        self.field.set_value(value)

    def show_error(self, message: str) -> None:
        self.error.show_message(message)

    def has_focus(self) -> bool:
        return any(widget.hasFocus() for widget in self.field.focus_widgets())

    def shown_flag(self) -> RemoteFlag | None:
        """The flag under the input, unless dismissed."""
        flag = self.flag
        return flag if flag is not None and not flag.dismissed else None

    def show_flag(self, flag: RemoteFlag) -> None:
        """Show ``flag`` under the input (replacing an earlier one)."""
        self.clear_flag()
        self.flag = flag
        place_flag(self.error, flag)

    def clear_flag(self) -> None:
        flag, self.flag = self.shown_flag(), None
        if flag is not None:
            flag.dismiss()

    def clear_error(self) -> None:
        if self.error.text():
            self.error.clear_message()

    def focus(self, index: int | None = None) -> None:
        if isinstance(self.field, RecordRows):
            self.field.focus_row(index)
            return
        widgets = self.field.focus_widgets()
        if isinstance(self.field, RadioChoice):
            checked = [w for w in widgets if w.isEnabled() and w.property("checked")]
            widgets = checked or widgets
        if widgets:
            widgets[0].setFocus(Qt.FocusReason.OtherFocusReason)

    def set_enabled(self, enabled: bool) -> None:
        self.field.setEnabled(enabled)


class Form(QObject):
    """Every binding of the wizard, by answer key.

    Signals: ``edited(key, value, immediate)`` with the value read, ``invalid(key)`` when what
    was typed cannot be read (its message is already shown), ``left(key)``.
    """

    edited = Signal(str, object, bool)
    invalid = Signal(str)
    left = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bindings: dict[str, Binding] = {}
        self._loading = False

    def bind(self, key: str, field: Field, error: ErrorLabel | None = None) -> Binding:
        """Bind ``field`` to ``key``; its error label is ``error`` or the field's own one."""
        if key in self._bindings:
            raise ValueError(f"{key} is bound twice")
        if error is None:
            own = getattr(field, "error", None)
            error = own if isinstance(own, ErrorLabel) else ErrorLabel(field.parentWidget())
        binding = Binding(key, field, error, self)
        binding.edited.connect(self._edited)
        binding.left.connect(self.left)
        self._bindings[key] = binding
        return binding

    def row(self, layout: QFormLayout, caption: str, key: str, field: Field,
            *, name: str | None = None, beside: QWidget | None = None) -> Binding:
        """Add ``caption`` (with its & mnemonic) and ``field`` with its error label under it
        (and ``beside`` it, a widget such as the other party's version)."""
        box = QWidget(layout.parentWidget())
        box_layout = QVBoxLayout(box)
        box_layout.setContentsMargins(0, 0, 0, 0)
        box_layout.setSpacing(1)
        field.setParent(box)
        if beside is None:
            box_layout.addWidget(field)
        else:
            line = QHBoxLayout()
            line.addWidget(field)
            beside.setParent(box)
            line.addWidget(beside, 1)
            box_layout.addLayout(line)
        error = ErrorLabel(box)
        box_layout.addWidget(error)
        if caption:
            label = QLabel(caption, layout.parentWidget())
            label.setBuddy(field.focus_widgets()[0])
            layout.addRow(label, box)
        else:  # a check box carries its own text: the whole width
            layout.addRow(box)
        field.setAccessibleName(name or plain(caption))
        return self.bind(key, field, error)

    def __getitem__(self, key: str) -> Binding:
        return self._bindings[key]

    def __contains__(self, key: object) -> bool:
        return key in self._bindings

    def __iter__(self) -> Iterator[Binding]:
        return iter(self._bindings.values())

    def load(self, state: InterviewState) -> None:
        """Show ``state`` in every input, without any ``edited`` signal; clears the errors."""
        self._loading = True
        try:
            for binding in self._bindings.values():
                binding.write(state.answer(binding.key))
                binding.clear_error()
        finally:
            self._loading = False

    def write(self, key: str, value: Any) -> None:
        """Show ``value`` in the input of ``key``, without any ``edited`` signal."""
        self._loading = True
        try:
            self._bindings[key].write(value)
        finally:
            self._loading = False

    def clear_flags(self) -> None:
        for binding in self._bindings.values():
            binding.clear_flag()

    def _edited(self, key: str, immediate: bool) -> None:
        if self._loading:
            return
        binding = self._bindings[key]
        try:
            value = binding.read()
        except InputError as error:
            binding.show_error(error.message)
            self.invalid.emit(key)
            return
        self.edited.emit(key, value, immediate)

    def show_error(self, key: str, message: str) -> None:
        binding = self._bindings.get(key)
        if binding is not None:
            binding.show_error(message)

    def clear_error(self, key: str) -> None:
        binding = self._bindings.get(key)
        if binding is not None:
            binding.clear_error()

    def errors(self) -> dict[str, str]:
        """The messages shown next to inputs, by key."""
        return {key: b.error.text() for key, b in self._bindings.items() if b.error.text()}

