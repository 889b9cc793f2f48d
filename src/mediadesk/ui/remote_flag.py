"""The marker under a field that someone else changed while it was being typed in.

A sync may bring another person's value for a field open in an editor (the interview wizard,
the household editor). A field being typed in is never replaced under the mediator's fingers:
the typed text stays (and is saved as a normal edit, which may become a conflict to review), and
this flag says so — "Modifié à distance par Paul — votre saisie est conservée." — with buttons to
see the received value, take it instead, or dismiss the flag. A field not being edited simply
shows the received value, with a quieter "Mis à jour à distance par Paul." note.
Thread: GUI only.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import Enum
from typing import Any

from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mediadesk.i18n import _, format_day, format_money
from mediadesk.services.remote_edits import RemoteEdit

FLAG_COLOUR = "#a15c00"


def shown_value(value: Any, *, money: bool = False) -> str:
    """A received value as a person reads it (empty: "(vide)")."""
    if value is None or value == "" or value == ():
        return _("(vide)")
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, date):
        return format_day(value)
    if money and isinstance(value, int):
        return format_money(value)
    if isinstance(value, tuple | list):
        return ", ".join(shown_value(v) for v in value)
    return str(value)


class RemoteFlag(QFrame):
    """Kept-typing flag (``take`` takes the received value) or, with ``take`` None, a note that
    the field was updated. ``dismissed`` is called when the flag goes away."""

    def __init__(self, edit: RemoteEdit, take: Callable[[], None] | None,
                 parent: QWidget | None = None, *, money: bool = False) -> None:
        super().__init__(parent)
        self.edit = edit
        self._take = take
        self.dismissed = False
        self.setObjectName("remoteFlag")
        kept = take is not None
        self.setStyleSheet(
            f"#remoteFlag {{ border-left: 3px solid {FLAG_COLOUR}; background: #fff4e0; }}"
            if kept else "")
        if kept:
            text = _("Modifié à distance par {author} — votre saisie est conservée.")
        else:
            text = _("Mis à jour à distance par {author}.")
        self.message = QLabel(text.format(author=edit.author), self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {FLAG_COLOUR};" + (" font-weight: bold;" if kept
                                                                 else ""))
        self.received = QLabel(_("Valeur reçue : {value}").format(
            value=shown_value(edit.value, money=money)), self)
        self.received.setWordWrap(True)
        self.received.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 2, 2, 2)
        layout.setSpacing(2)
        layout.addWidget(self.message)
        layout.addWidget(self.received)
        self.see_button = QPushButton(_("Voir la valeur reçue"), self)
        self.take_button = QPushButton(_("Prendre la valeur reçue"), self)
        self.keep_button = QPushButton(_("Garder ma saisie"), self)
        if kept:
            buttons = QHBoxLayout()
            for button in (self.see_button, self.take_button, self.keep_button):
                button.setAutoDefault(False)
                buttons.addWidget(button)
            buttons.addStretch(1)
            layout.addLayout(buttons)
        else:
            for button in (self.see_button, self.take_button, self.keep_button):
                button.hide()
        self.see_button.clicked.connect(self._toggle)
        self.take_button.clicked.connect(self._take_received)
        self.keep_button.clicked.connect(self.dismiss)

    def keeps_typing(self) -> bool:
        return self._take is not None

    def _toggle(self) -> None:
        visible = not self.received.isVisible()
        self.received.setVisible(visible)
        self.see_button.setText(_("Masquer la valeur reçue") if visible
                                else _("Voir la valeur reçue"))

    def _take_received(self) -> None:
        take = self._take
        self.dismiss()
        if take is not None:
            take()

    def dismiss(self) -> None:
        self.dismissed = True
        self.hide()
        self.deleteLater()


def place_flag(anchor: QWidget, flag: RemoteFlag) -> None:
    """Put ``flag`` just under ``anchor`` in its parent's box layout (else after it)."""
    parent = anchor.parentWidget()
    layout = parent.layout() if parent is not None else None
    if isinstance(layout, QBoxLayout):
        index = layout.indexOf(anchor)
        layout.insertWidget(index + 1 if index >= 0 else layout.count(), flag)
    elif layout is not None:
        layout.addWidget(flag)
    flag.show()
