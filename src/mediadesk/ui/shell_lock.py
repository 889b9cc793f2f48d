"""Locking the main window: by hand (Ctrl+L) or after the idle delay (chosen in Settings).

Locking only switches the shell's stack to the unlock page and hides the open dialogs: nothing
is destroyed, so search text, open dossier and half-typed forms are all there again once the
passphrase is verified (off the GUI thread, `shell_lifecycle`), with the focus where it was and
the dialogs still waiting shown again. Thread: GUI only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtWidgets import QApplication, QWidget

from mediadesk.i18n import _
from mediadesk.ui.dialogs import AutoLockDialog, ModalDialog
from mediadesk.ui.errors import message_for
from mediadesk.ui.tasks import Lane

if TYPE_CHECKING:
    from mediadesk.ui.shell import Shell


class ScreenLock:
    """The lock of ``shell``; ``idle_timeout_ms`` overrides the stored auto-lock delay."""

    def __init__(self, shell: Shell, idle_timeout_ms: int | None = None) -> None:
        self.shell = shell
        self._idle_override = idle_timeout_ms
        self._hidden_dialogs: list[ModalDialog] = []
        self._focus_before_lock: QWidget | None = None

    def _idle_timeout_ms(self) -> int:
        if self._idle_override is not None:
            return self._idle_override
        return self.shell.auto_lock_minutes * 60_000

    def set_idle_timeout(self, timeout_ms: int | None) -> None:
        """Override the stored auto-lock delay (None: back to the stored minutes)."""
        self._idle_override = timeout_ms
        if self.shell.is_open():
            self.arm_idle()

    def arm_idle(self) -> None:
        """Show the delay and (re)start counting idle time."""
        shell = self.shell
        shell.lock_info.setText(_("Verrouillage automatique après {minutes} min").format(
            minutes=shell.auto_lock_minutes))
        shell.idle.start(self._idle_timeout_ms())

    def choose_auto_lock(self) -> None:
        """Ask for the auto-lock delay, store it (writer lane), then count idle time with it."""
        shell, workspace = self.shell, self.shell.workspace()
        if not shell.is_open() or workspace is None:
            return
        minutes = AutoLockDialog.ask(shell, shell.auto_lock_minutes)
        if minutes is None or shell.is_closing():
            return

        def saved(_result: object) -> None:
            shell.auto_lock_minutes = minutes
            if shell.is_open():
                self.arm_idle()
            shell.show_status(_("Verrouillage automatique après {minutes} min").format(
                minutes=minutes))

        shell.runner.submit("settings", lambda _s: workspace.settings.set_auto_lock_minutes(
            minutes), lane=Lane.WRITER, on_done=saved,
            on_error=lambda error: shell.show_status(message_for(error)))

    def lock(self) -> None:
        """Hide everything behind the unlock page; keep every widget and its contents."""
        from mediadesk.ui.shell import State

        shell = self.shell
        if not shell.is_open():
            return
        shell.idle.stop()
        shell.clipboard_guard.clear()
        popup = QApplication.activePopupWidget()
        if popup is not None:
            popup.close()
        focus = QApplication.focusWidget()
        self._focus_before_lock = focus if focus is not None and shell.isAncestorOf(focus) \
            else None
        self._hidden_dialogs = [
            widget for widget in QApplication.topLevelWidgets()
            if isinstance(widget, ModalDialog) and widget.isVisible()
        ]
        for dialog in self._hidden_dialogs:
            dialog.hide()
        shell.statusBar().clearMessage()  # it may name a household
        shell.unlock_page.prepare(shell.store_path, relock=True)
        shell.stack.setCurrentWidget(shell.unlock_page)
        shell.set_state(State.LOCKED)
        shell.activateWindow()
        shell.unlock_page.focus_passphrase()
        shell.locked_changed.emit(True)

    def resume(self) -> None:
        """The passphrase was verified: show everything again as it was."""
        from mediadesk.ui.shell import State

        shell = self.shell
        shell.unlock_page.prepare(shell.store_path, relock=True)
        shell.stack.setCurrentWidget(shell.workspace_page)
        shell.set_state(State.OPEN)
        self.arm_idle()
        focus = self._focus_before_lock
        if focus is not None and shiboken6.isValid(focus):
            focus.setFocus()
        else:
            shell.workspace_page.focus_search()
        dialogs, self._hidden_dialogs = self._hidden_dialogs, []
        for dialog in dialogs:
            if shiboken6.isValid(dialog) and dialog.is_waiting():
                dialog.show_modal()
        shell.locked_changed.emit(False)
