"""The question after a sync stopped before a mass change (`MassChangeRefused`): do these
deletions or overwrites really belong on this device? Asked once at a time, in a window-modal
dialog; kept for after unlocking while the window is locked (nothing shows over the lock
screen). Thread: GUI only.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from mediadesk.i18n import _
from mediadesk.services.sync import MassChangeRefused
from mediadesk.ui.dialogs import ConfirmDialog


class MassChangeQuestion(QObject):
    """Asks over ``owner``'s window. Signal ``confirmed()``: the person confirmed the change
    (sync again, confirming it). ``dialog`` is the question on screen, if any."""

    confirmed = Signal()

    def __init__(self, owner: QWidget) -> None:
        super().__init__(owner)
        self._owner = owner
        self.dialog: ConfirmDialog | None = None
        self._locked = False
        self._deferred: MassChangeRefused | None = None  # a question kept for after the lock

    def unanswered(self) -> bool:
        """Whether a question is on screen or kept for after the lock (no sync meanwhile)."""
        return self.dialog is not None or self._deferred is not None

    def set_locked(self, locked: bool) -> None:
        """While the window is locked nothing is asked; a question kept meanwhile is asked
        on unlocking."""
        self._locked = locked
        deferred, self._deferred = self._deferred, None
        if not locked and deferred is not None:
            self.ask(deferred)

    def forget(self) -> None:
        """The workspace closes: a question kept for after the lock no longer matters."""
        self._deferred = None

    def ask(self, error: MassChangeRefused) -> None:
        """Show the question (not waiting for the answer), or keep it while locked."""
        if self._locked:
            self._deferred = error
            return
        if self.dialog is not None:  # already asked, still waiting for an answer
            return
        if error.overwritten:
            title = _("Modification de nombreux dossiers")
            question = _("{reason}\n\nConfirmez-vous que ces modifications doivent remplacer "
                         "les informations de ce poste ?")
        else:
            title = _("Suppression de nombreux dossiers")
            question = _("{reason}\n\nConfirmez-vous que ces dossiers doivent être retirés "
                         "de ce poste ?")
        dialog = ConfirmDialog(title, question.format(reason=str(error)),
                               _("Confirmer et synchroniser"), self._owner.window())
        dialog.accepted.connect(self.confirmed)
        dialog.finished.connect(self._closed)
        self.dialog = dialog
        dialog.show_modal()

    def _closed(self, _result: int) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.deleteLater()
