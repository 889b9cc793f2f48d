"""The main window: first start, unlock, the workspace, and the idle lock around them.

One stack of screens: `FirstStartPage` (no store at the path), `UnlockPage` (at start-up and when
locked) and `WorkspacePage`. Locking only switches the stack to the unlock page and hides open
dialogs: nothing is destroyed, so search text, open dossier and half-typed forms are all there
again after the passphrase is verified (off the GUI thread). The slow work (key derivation,
demo data, store writes) goes through the `TaskRunner`; `closeEvent` shuts it all down.

Collaborators, each given the shell: `shell_menus` (actions and menus), `shell_windows` (the
secondary windows), `shell_lifecycle.WorkspaceLifecycle` (creating, unlocking, restoring and
replacing the workspace), `shell_lock.ScreenLock` (locking, resuming, the auto-lock delay),
`shell_households.HouseholdCommands` (new or edited household, new interview, search),
`shell_sync.SyncFollowUp` (badges, conflicts, refreshes after a sync).
Thread: GUI only.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from mediadesk.i18n import _
from mediadesk.services.locations import store_exists
from mediadesk.ui.clipboard import ClipboardGuard
from mediadesk.ui.dialogs import ModalDialog
from mediadesk.ui.first_start import FirstStartPage
from mediadesk.ui.idle import IdleWatcher
from mediadesk.ui.interview.autosave import SAVE_DEBOUNCE_MS
from mediadesk.ui.search_panel import SEARCH_DEBOUNCE_MS
from mediadesk.ui.shell_households import HouseholdCommands
from mediadesk.ui.shell_lifecycle import (
    DEMO_HOUSEHOLDS,
    Creator,
    Opened,
    Unlocker,
    Verifier,
    WorkspaceLifecycle,
    warm_up,
)
from mediadesk.ui.shell_lock import ScreenLock
from mediadesk.ui.shell_menus import build_menus
from mediadesk.ui.shell_sync import SyncFollowUp
from mediadesk.ui.sync_panel import SyncPanel
from mediadesk.ui.tasks import TaskRunner
from mediadesk.ui.unlock import UnlockPage
from mediadesk.ui.workspace_page import WorkspacePage

if TYPE_CHECKING:
    from mediadesk.services.sync import ClientFactory
    from mediadesk.services.workspace import Workspace
    from mediadesk.ui.backups import AutoBackup

log = logging.getLogger(__name__)
WARM_UP_DELAY_MS = 300  # after the first paint; a person needs longer to type a passphrase
__all__ = ["DEMO_HOUSEHOLDS", "Creator", "Shell", "State", "Unlocker", "Verifier"]


class State(enum.Enum):
    FIRST_START = "first_start"
    UNLOCK = "unlock"
    OPEN = "open"
    LOCKED = "locked"


class Shell(QMainWindow):
    """The MediaDesk window. Signals: ``opened()`` once a workspace is shown,
    ``locked_changed(locked)``, ``household_saved(dossier)``.

    ``idle_timeout_ms`` overrides the stored auto-lock delay (tests); ``create``, ``unlock`` and
    ``verify`` default to the services' functions (tests pass cheap key derivation).
    """

    opened = Signal()
    locked_changed = Signal(bool)
    household_saved = Signal(object)

    # Created by `shell_menus.build_menus`.
    new_action: QAction
    edit_action: QAction
    interview_action: QAction
    find_action: QAction
    worklist_action: QAction
    listing_action: QAction
    campaign_action: QAction
    activity_action: QAction
    backups_action: QAction
    sync_action: QAction
    enrol_action: QAction
    conflicts_action: QAction
    rejected_action: QAction
    deleted_elsewhere_action: QAction
    lock_action: QAction
    quit_action: QAction
    auto_lock_action: QAction

    def __init__(self, store_path: Path, *, create: Creator | None = None,
                 unlock: Unlocker | None = None, verify: Verifier | None = None,
                 idle_timeout_ms: int | None = None, demo_households: int = DEMO_HOUSEHOLDS,
                 debounce_ms: int = SEARCH_DEBOUNCE_MS, save_debounce_ms: int = SAVE_DEBOUNCE_MS,
                 today: Callable[[], date] = date.today,
                 sync_connect: ClientFactory | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store_path = store_path
        self.today = today  # the day the windows judge late / today / to come against
        self._workspace: Workspace | None = None
        self.auto_lock_minutes = 10
        self._closing = False
        self._auto_backup: AutoBackup | None = None
        self.state = State.FIRST_START
        self.runner = TaskRunner(self)
        self.idle = IdleWatcher(self)
        self.clipboard_guard = ClipboardGuard(self)
        self.screen_lock = ScreenLock(self, idle_timeout_ms)
        self.idle.idle.connect(self.lock)
        self.lifecycle = WorkspaceLifecycle(self, create=create, unlock=unlock, verify=verify,
                                            demo_households=demo_households)
        self.sync_follow_up = SyncFollowUp(self)
        self.households = HouseholdCommands(self)

        self.first_start = FirstStartPage(store_path, self)
        self.unlock_page = UnlockPage(self)
        self.workspace_page = WorkspacePage(self.runner, self, debounce_ms=debounce_ms,
                                            save_debounce_ms=save_debounce_ms, today=today)
        self.stack = QStackedWidget(self)
        for page in (self.first_start, self.unlock_page, self.workspace_page):
            self.stack.addWidget(page)
        self.setCentralWidget(self.stack)
        self.lock_info = QLabel(self)
        self.statusBar().addPermanentWidget(self.lock_info)
        self._sync_connect = sync_connect  # the move of a dossier talks to the server too
        self.sync_panel = SyncPanel(self.runner, self, connect=sync_connect)
        self.sync_bar = QToolBar(_("Synchronisation"), self)  # a line of its own, always seen
        self.sync_bar.setMovable(False)
        self.sync_bar.setFloatable(False)
        self.sync_bar.toggleViewAction().setEnabled(False)
        self.sync_bar.addWidget(self.sync_panel)
        self.addToolBar(Qt.ToolBarArea.BottomToolBarArea, self.sync_bar)
        self.sync_panel.status_message.connect(self.show_status)
        self.sync_panel.synced.connect(self.sync_follow_up.after_sync)
        self.sync_panel.remote_edits.connect(self.sync_follow_up.remote_edits)
        self.sync_panel.revoked.connect(self.lifecycle.device_revoked)
        self.workspace_page.dossier_view.reassign.failed.connect(self.show_status)
        self.workspace_page.dossier_view.change_team.failed.connect(self.show_status)
        self.sync_panel.enrolled.connect(self.lifecycle.reopen_after_enrolment)
        self.household_saved.connect(lambda _dossier: self.sync_panel.note_edit())
        self.locked_changed.connect(self.sync_panel.set_locked)
        build_menus(self)
        self.update_actions()

        self.first_start.create_requested.connect(self.lifecycle.create_store)
        self.first_start.open_requested.connect(self.use_store)
        self.unlock_page.unlock_requested.connect(self.lifecycle.unlock_requested)
        self.unlock_page.other_file_requested.connect(self._choose_other_file)
        self.workspace_page.status_message.connect(self.show_status)
        self.workspace_page.dossier_shown.connect(lambda _dossier: self.update_actions())
        self.workspace_page.dossier_view.edit_requested.connect(self.households.edit_household)
        self.workspace_page.dossier_view.conflicts_requested.connect(
            self.sync_follow_up.show_conflicts)
        self.workspace_page.dossier_view.journal_changed.connect(
            lambda _household: self.sync_panel.note_edit())
        self.resize(1180, 760)
        self.use_store(store_path)
        QTimer.singleShot(WARM_UP_DELAY_MS, self._start_warm_up)

    def _start_warm_up(self) -> None:
        if not self._closing:
            self.runner.submit("warm-up", warm_up)

    def update_actions(self) -> None:
        """Enable the actions that make sense in the current state."""
        is_open = self.state is State.OPEN
        for item in (self.new_action, self.find_action, self.lock_action,
                     self.auto_lock_action, self.worklist_action, self.listing_action,
                     self.campaign_action):
            item.setEnabled(is_open)
        self.activity_action.setEnabled(is_open)
        self.backups_action.setEnabled(is_open)
        self.sync_action.setEnabled(is_open)
        self.enrol_action.setEnabled(is_open)
        self.conflicts_action.setEnabled(is_open)
        self.rejected_action.setEnabled(is_open)
        self.deleted_elsewhere_action.setEnabled(is_open)
        self.sync_bar.setVisible(self.state in (State.OPEN, State.LOCKED))
        has_dossier = self.workspace_page.current_dossier() is not None
        self.edit_action.setEnabled(is_open and has_dossier)
        self.interview_action.setEnabled(is_open and has_dossier)

    def set_state(self, state: State) -> None:
        self.state = state
        self.update_actions()

    def show_status(self, message: str) -> None:
        """A transient status-bar message; dropped while locked (it may name a household)."""
        if self.state is not State.LOCKED:
            self.statusBar().showMessage(message, 8000)

    # --- the store and its workspace (the slow work: ui/shell_lifecycle.py) ----------------

    def use_store(self, path: Path) -> None:
        """Show the unlock page for the store at ``path``, or the first start if there is none."""
        self.store_path = path
        self.setWindowTitle(path.name)
        if store_exists(path):
            self.show_unlock_page()
            self.unlock_page.focus_passphrase()
        else:
            self.first_start.set_location(path)
            self.stack.setCurrentWidget(self.first_start)
            self.set_state(State.FIRST_START)
            self.first_start.show_choice()

    def show_unlock_page(self) -> None:
        """The unlock page for the store (not a relock): nothing open behind it."""
        self.unlock_page.prepare(self.store_path, relock=False)
        self.stack.setCurrentWidget(self.unlock_page)
        self.set_state(State.UNLOCK)

    def _choose_other_file(self) -> None:
        path = FirstStartPage.choose_store_file(self)
        if path is not None:
            self.use_store(path)

    def hold_workspace(self, workspace: Workspace) -> None:
        """A workspace being filled before it is shown: closed with the window meanwhile."""
        self._workspace = workspace

    def enter(self, opened: Opened) -> None:
        """A workspace is unlocked: show the main content."""
        if self._closing:
            opened.workspace.close()
            return
        self._workspace = opened.workspace
        self.auto_lock_minutes = opened.auto_lock_minutes
        self.workspace_page.set_dossiers(opened.workspace.dossiers)
        self.workspace_page.set_interviews(opened.workspace.interviews)
        self.workspace_page.dossier_view.set_journal(opened.workspace.journal, self.runner)
        from mediadesk.services.reports import ReportService  # reportlab: loaded when needed

        self.workspace_page.dossier_view.set_reports(
            ReportService(opened.workspace.opened.sessions), self.runner)
        from mediadesk.services.reassign import reassign_service

        self.workspace_page.dossier_view.reassign.set_service(
            reassign_service(opened.workspace), self.runner)
        from mediadesk.services.dossier_move import dossier_move_service

        self.workspace_page.dossier_view.change_team.set_service(
            dossier_move_service(opened.workspace, self._sync_connect), self.runner)
        self.sync_follow_up.set_workspace(opened.workspace)
        self.stack.setCurrentWidget(self.workspace_page)
        self.set_state(State.OPEN)
        self.screen_lock.arm_idle()
        self._start_auto_backup(opened.workspace)
        self.sync_panel.start(opened.workspace)
        self.workspace_page.focus_search()
        self.show_status(_("Dossier chiffré ouvert : {path}").format(path=self.store_path))
        self.opened.emit()

    def _start_auto_backup(self, workspace: Workspace) -> None:
        from mediadesk.ui.backups import AutoBackup

        if self._auto_backup is None:
            self._auto_backup = AutoBackup(self.runner, self)
            self._auto_backup.failed.connect(self.show_status)
        self._auto_backup.start(workspace.backups)

    def restore_backup(self, backup: Path, passphrase: str) -> None:
        """Replace the store by ``backup`` (see `WorkspaceLifecycle.restore_backup`)."""
        self.lifecycle.restore_backup(backup, passphrase)

    def let_go_of_workspace(self) -> None:
        """Before the workspace is replaced: no screen, window or timer uses it any more."""
        self.idle.stop()
        if self._auto_backup is not None:
            self._auto_backup.stop()
        self.sync_panel.stop()
        self._workspace = None
        self.sync_follow_up.set_workspace(None)
        for child in self.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
            if child.isWindow() and not isinstance(child, QMenu):
                child.close()
                child.deleteLater()
        page = self.workspace_page
        page.set_dossiers(None)
        page.set_interviews(None)
        page.dossier_view.set_journal(None, None)
        page.dossier_view.set_reports(None, None)
        page.dossier_view.reassign.set_service(None, None)
        page.dossier_view.change_team.set_service(None, None)
        page.dossier_view.clear()
        if page.interview_shown():
            page.show_browse()
        page.search.field.clear()

    # --- locking (ui/shell_lock.py) -------------------------------------------------------

    def lock(self) -> None:
        """Hide everything behind the unlock page; keep every widget and its contents."""
        self.screen_lock.lock()

    def set_idle_timeout(self, timeout_ms: int | None) -> None:
        """Override the stored auto-lock delay (None: back to the stored minutes)."""
        self.screen_lock.set_idle_timeout(timeout_ms)

    def is_locked(self) -> bool:
        return self.state is State.LOCKED

    def is_open(self) -> bool:
        """Whether the workspace is shown (unlocked, not locked)."""
        return self.state is State.OPEN

    def workspace(self) -> Workspace | None:
        """The unlocked workspace (None before unlocking and once closed)."""
        return self._workspace

    def is_closing(self) -> bool:
        """Whether the window is closing (work finishing now must not show anything)."""
        return self._closing

    # --- shutting down --------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        """Stop background work, close dialogs and the store, then let the window close."""
        self._closing = True
        self.idle.stop()
        self.clipboard_guard.stop()
        if self._auto_backup is not None:
            self._auto_backup.stop()
        self.sync_panel.stop()
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, ModalDialog) and widget.is_waiting():
                widget.abandon()
        if self.workspace_page.flush_interview():
            self.runner.wait_for_writes()  # the last answers typed, before the store closes
        self.runner.shutdown()
        if self._workspace is not None:
            self._workspace.close()
            self._workspace = None
            self.workspace_page.set_dossiers(None)
            self.workspace_page.set_interviews(None)
            self.workspace_page.dossier_view.set_journal(None, None)
            self.workspace_page.dossier_view.set_reports(None, None)
            self.sync_follow_up.set_workspace(None)
        event.accept()
