"""The main window: first start, unlock, the workspace, and the idle lock around them.

One stack of screens: `FirstStartPage` (no store at the path), `UnlockPage` (at start-up and when
locked) and `WorkspacePage`. Locking only switches the stack to the unlock page and hides open
dialogs: nothing is destroyed, so search text, open dossier and half-typed forms are all there
again after the passphrase is verified (off the GUI thread). The slow work (key derivation,
demo data, store writes) goes through the `TaskRunner`; `closeEvent` shuts it all down.
Thread: GUI only.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from mediadesk.i18n import _, format_moment, ngettext
from mediadesk.services.locations import store_exists
from mediadesk.services.views import Dossier
from mediadesk.ui.dialogs import AutoLockDialog, ModalDialog
from mediadesk.ui.errors import message_for
from mediadesk.ui.first_start import FirstStartPage
from mediadesk.ui.idle import IdleWatcher
from mediadesk.ui.interview.autosave import SAVE_DEBOUNCE_MS
from mediadesk.ui.search_panel import SEARCH_DEBOUNCE_MS
from mediadesk.ui.sync_panel import NoticeDialog, SyncPanel
from mediadesk.ui.tasks import Lane, TaskRunner, TaskState
from mediadesk.ui.unlock import UnlockPage
from mediadesk.ui.workspace_page import WorkspacePage

if TYPE_CHECKING:
    from mediadesk.services.backups import RestoreResult
    from mediadesk.services.sync import ClientFactory, Enrolment, SyncReport
    from mediadesk.services.workspace import Workspace
    from mediadesk.ui.backups import AutoBackup
    from mediadesk.ui.household_editor import HouseholdEditor

log = logging.getLogger(__name__)
DEMO_HOUSEHOLDS = 200
WARM_UP_DELAY_MS = 300  # after the first paint; a person needs longer to type a passphrase
Creator = Callable[..., "Workspace"]  # create_workspace(path, passphrase, user_name=...)
Unlocker = Callable[[Path, str], "Workspace"]
Verifier = Callable[[Path, str], None]


# The store and its libraries (SQLAlchemy, Alembic, SQLCipher) load on first use, in a worker
# thread, so the window shows at once; `Shell` warms them up right after it is shown.
def _create_workspace(path: Path, passphrase: str, **options: Any) -> Workspace:
    from mediadesk.services.workspace import create_workspace

    return create_workspace(path, passphrase, **options)


def _unlock_workspace(path: Path, passphrase: str) -> Workspace:
    from mediadesk.services.workspace import unlock_workspace

    return unlock_workspace(path, passphrase)


def _verify_passphrase(path: Path, passphrase: str) -> None:
    from mediadesk.services.workspace import verify_passphrase

    verify_passphrase(path, passphrase)


def _household_editor() -> type[HouseholdEditor]:
    from mediadesk.ui.household_editor import HouseholdEditor  # loaded when first needed

    return HouseholdEditor


def _warm_up(_state: TaskState) -> None:
    import mediadesk.interview
    import mediadesk.services.workspace  # noqa: F401


class State(enum.Enum):
    FIRST_START = "first_start"
    UNLOCK = "unlock"
    OPEN = "open"
    LOCKED = "locked"


@dataclass(frozen=True)
class _Opened:
    workspace: Workspace
    auto_lock_minutes: int


class Shell(QMainWindow):
    """The MediaDesk window. Signals: ``opened()`` once a workspace is shown,
    ``locked_changed(locked)``, ``household_saved(dossier)``.

    ``idle_timeout_ms`` overrides the stored auto-lock delay (tests); ``create``, ``unlock`` and
    ``verify`` default to the services' functions (tests pass cheap key derivation).
    """

    opened = Signal()
    locked_changed = Signal(bool)
    household_saved = Signal(object)

    def __init__(self, store_path: Path, *, create: Creator | None = None,
                 unlock: Unlocker | None = None, verify: Verifier | None = None,
                 idle_timeout_ms: int | None = None, demo_households: int = DEMO_HOUSEHOLDS,
                 debounce_ms: int = SEARCH_DEBOUNCE_MS, save_debounce_ms: int = SAVE_DEBOUNCE_MS,
                 today: Callable[[], date] = date.today,
                 sync_connect: ClientFactory | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store_path = store_path
        self._create = create or _create_workspace
        self._unlock = unlock or _unlock_workspace
        self._verify = verify or _verify_passphrase
        self._idle_override = idle_timeout_ms
        self._demo_households = demo_households
        self._workspace: Workspace | None = None
        self._auto_lock_minutes = 10
        self._hidden_dialogs: list[ModalDialog] = []
        self._focus_before_lock: QWidget | None = None
        self._closing = False
        self._auto_backup: AutoBackup | None = None
        self.state = State.FIRST_START
        self.runner = TaskRunner(self)
        self.idle = IdleWatcher(self)
        self.idle.idle.connect(self.lock)

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
        self.sync_panel = SyncPanel(self.runner, self, connect=sync_connect)
        self.sync_bar = QToolBar(_("Synchronisation"), self)  # a line of its own, always seen
        self.sync_bar.setMovable(False)
        self.sync_bar.setFloatable(False)
        self.sync_bar.toggleViewAction().setEnabled(False)
        self.sync_bar.addWidget(self.sync_panel)
        self.addToolBar(Qt.ToolBarArea.BottomToolBarArea, self.sync_bar)
        self.sync_panel.status_message.connect(self.show_status)
        self.sync_panel.synced.connect(self._after_sync)
        self.sync_panel.revoked.connect(self._device_revoked)
        self.sync_panel.enrolled.connect(self._reopen_after_enrolment)
        self.household_saved.connect(lambda _dossier: self.sync_panel.note_edit())
        self.locked_changed.connect(self.sync_panel.set_locked)
        self._build_menus()

        self.first_start.create_requested.connect(self._create_store)
        self.first_start.open_requested.connect(self._use_store)
        self.unlock_page.unlock_requested.connect(self._unlock_requested)
        self.unlock_page.other_file_requested.connect(self._choose_other_file)
        self.workspace_page.status_message.connect(self.show_status)
        self.workspace_page.dossier_shown.connect(lambda _dossier: self._update_actions())
        self.workspace_page.dossier_view.edit_requested.connect(self.edit_household)
        self.workspace_page.dossier_view.journal_changed.connect(
            lambda _household: self.sync_panel.note_edit())
        self.resize(1180, 760)
        self._use_store(store_path)
        QTimer.singleShot(WARM_UP_DELAY_MS, self._start_warm_up)

    def _start_warm_up(self) -> None:
        if not self._closing:
            self.runner.submit("warm-up", _warm_up)

    def _build_menus(self) -> None:
        def action(text: str, shortcut: str, slot: Callable[[], object]) -> QAction:
            item = QAction(text, self)
            item.setShortcut(QKeySequence(shortcut))
            item.triggered.connect(slot)
            self.addAction(item)
            return item

        self.new_action = action(_("Nouveau foyer…"), "Ctrl+N", self.new_household)
        self.edit_action = action(_("Modifier le foyer…"), "Ctrl+E", self.edit_household)
        self.interview_action = action(_("Nouvel entretien"), "Ctrl+I", self.new_interview)
        self.find_action = action(_("Rechercher un foyer"), "Ctrl+F", self._focus_search)
        self.worklist_action = action(_("Suivis à faire…"), "Ctrl+T", self.show_worklist)
        self.listing_action = action(_("Importer un listing…"), "", self.import_listing)
        self.campaign_action = action(_("Campagne d'appels…"), "", self.show_campaign)
        self.activity_action = action(_("Rapport d'activité…"), "", self.show_activity_report)
        self.backups_action = action(_("Sauvegardes…"), "", self.show_backups)
        self.sync_action = action(_("Synchroniser"), "Ctrl+Shift+S",
                                  lambda: self.sync_panel.sync_now())
        self.enrol_action = action(_("Inscrire ce poste…"), "", self.sync_panel.open_enrolment)
        self.lock_action = action(_("Verrouiller"), "Ctrl+L", self.lock)
        self.quit_action = action(_("Quitter"), "Ctrl+Q", self.close)
        self.auto_lock_action = action(_("Verrouillage automatique…"), "",
                                       self.choose_auto_lock)
        file_menu = self.menuBar().addMenu(_("&Fichier"))
        file_menu.addAction(self.new_action)
        file_menu.addAction(self.edit_action)
        file_menu.addAction(self.interview_action)
        file_menu.addAction(self.find_action)
        file_menu.addAction(self.worklist_action)
        file_menu.addAction(self.listing_action)
        file_menu.addAction(self.campaign_action)
        file_menu.addAction(self.activity_action)
        file_menu.addAction(self.backups_action)
        file_menu.addSeparator()
        file_menu.addAction(self.lock_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        sync_menu = self.menuBar().addMenu(_("&Synchronisation"))
        sync_menu.addAction(self.sync_action)
        sync_menu.addAction(self.enrol_action)
        settings_menu = self.menuBar().addMenu(_("&Réglages"))
        settings_menu.addAction(self.auto_lock_action)
        self._update_actions()

    def _update_actions(self) -> None:
        is_open = self.state is State.OPEN
        for item in (self.new_action, self.find_action, self.lock_action,
                     self.auto_lock_action, self.worklist_action, self.listing_action,
                     self.campaign_action):
            item.setEnabled(is_open)
        self.activity_action.setEnabled(is_open)
        self.backups_action.setEnabled(is_open)
        self.sync_action.setEnabled(is_open)
        self.enrol_action.setEnabled(is_open)
        self.sync_bar.setVisible(self.state in (State.OPEN, State.LOCKED))
        has_dossier = self.workspace_page.current_dossier() is not None
        self.edit_action.setEnabled(is_open and has_dossier)
        self.interview_action.setEnabled(is_open and has_dossier)

    def _set_state(self, state: State) -> None:
        self.state = state
        self._update_actions()

    def show_status(self, message: str) -> None:
        """A transient status-bar message; dropped while locked (it may name a household)."""
        if self.state is not State.LOCKED:
            self.statusBar().showMessage(message, 8000)

    # --- start-up: create or unlock -------------------------------------------------------

    def _use_store(self, path: Path) -> None:
        self._store_path = path
        self.setWindowTitle(path.name)
        if store_exists(path):
            self.unlock_page.prepare(path, relock=False)
            self.stack.setCurrentWidget(self.unlock_page)
            self._set_state(State.UNLOCK)
            self.unlock_page.focus_passphrase()
        else:
            self.first_start.set_location(path)
            self.stack.setCurrentWidget(self.first_start)
            self._set_state(State.FIRST_START)
            self.first_start.show_choice()

    def _choose_other_file(self) -> None:
        path = FirstStartPage.choose_store_file(self)
        if path is not None:
            self._use_store(path)

    def _create_store(self, user_name: str, passphrase: str, with_demo: bool) -> None:
        path, create = self._store_path, self._create
        self.first_start.set_busy(_("Création du dossier chiffré… (quelques secondes)"))

        def work(_state: TaskState) -> _Opened:
            workspace = create(path, passphrase, user_name=user_name)
            return _Opened(workspace, workspace.settings.auto_lock_minutes())

        done = self._fill_with_demo if with_demo else self._enter
        self.runner.submit("open", work, lane=Lane.WRITER, on_done=done,
                           on_error=self._create_failed)

    def _create_failed(self, error: BaseException) -> None:
        self.first_start.show_error(message_for(error))

    def _fill_with_demo(self, opened: _Opened) -> None:
        count = self._demo_households
        self._workspace = opened.workspace
        self.first_start.set_progress(_("Création des foyers de démonstration…"), 0, count)

        def work(state: TaskState) -> int:
            from mediadesk.services.demo import populate_demo  # optional feature: lazy

            return populate_demo(opened.workspace, count, progress=state.progress,
                                 cancel=state.cancelled).households

        def progress(done: int, total: int) -> None:
            self.first_start.set_progress(
                _("Création des foyers de démonstration : {done} sur {total}").format(
                    done=done, total=total), done, total)

        def failed(error: BaseException) -> None:
            self._enter(opened)
            self.show_status(_("Les données de démonstration n'ont pas pu être créées : "
                               "{reason}").format(reason=message_for(error)))

        def done(households: int) -> None:
            self._enter(opened)
            self.show_status(ngettext("{count} foyer de démonstration créé.",
                                      "{count} foyers de démonstration créés.",
                                      households).format(count=households))

        self.runner.submit("demo", work, lane=Lane.WRITER, on_done=done,
                           on_progress=progress, on_error=failed)

    def _unlock_requested(self, passphrase: str) -> None:
        path = self._store_path
        self.unlock_page.set_busy(True)
        if self.state is State.LOCKED:
            verify = self._verify
            self.runner.submit("unlock", lambda _s: verify(path, passphrase),
                               on_done=lambda _r: self._restore(), on_error=self._unlock_failed)
            return
        unlock = self._unlock

        def work(_state: TaskState) -> _Opened:
            workspace = unlock(path, passphrase)
            return _Opened(workspace, workspace.settings.auto_lock_minutes())

        self.runner.submit("unlock", work, on_done=self._enter, on_error=self._unlock_failed)

    def _unlock_failed(self, error: BaseException) -> None:
        self.unlock_page.show_error(message_for(error))

    def _enter(self, opened: _Opened) -> None:
        """A workspace is unlocked: show the main content."""
        if self._closing:
            opened.workspace.close()
            return
        self._workspace = opened.workspace
        self._auto_lock_minutes = opened.auto_lock_minutes
        self.workspace_page.set_dossiers(opened.workspace.dossiers)
        self.workspace_page.set_interviews(opened.workspace.interviews)
        self.workspace_page.dossier_view.set_journal(opened.workspace.journal, self.runner)
        from mediadesk.services.reports import ReportService  # reportlab: loaded when needed

        self.workspace_page.dossier_view.set_reports(
            ReportService(opened.workspace.opened.sessions), self.runner)
        self.stack.setCurrentWidget(self.workspace_page)
        self._set_state(State.OPEN)
        self._arm_idle()
        self._start_auto_backup(opened.workspace)
        self.sync_panel.start(opened.workspace)
        self.workspace_page.focus_search()
        self.show_status(_("Dossier chiffré ouvert : {path}").format(path=self._store_path))
        self.opened.emit()

    # --- locking --------------------------------------------------------------------------

    def _idle_timeout_ms(self) -> int:
        if self._idle_override is not None:
            return self._idle_override
        return self._auto_lock_minutes * 60_000

    def set_idle_timeout(self, timeout_ms: int | None) -> None:
        """Override the stored auto-lock delay (None: back to the stored minutes)."""
        self._idle_override = timeout_ms
        if self.state is State.OPEN:
            self._arm_idle()

    def _arm_idle(self) -> None:
        self.lock_info.setText(_("Verrouillage automatique après {minutes} min").format(
            minutes=self._auto_lock_minutes))
        self.idle.start(self._idle_timeout_ms())

    def lock(self) -> None:
        """Hide everything behind the unlock page; keep every widget and its contents."""
        if self.state is not State.OPEN:
            return
        self.idle.stop()
        popup = QApplication.activePopupWidget()
        if popup is not None:
            popup.close()
        focus = QApplication.focusWidget()
        self._focus_before_lock = focus if focus is not None and self.isAncestorOf(focus) \
            else None
        self._hidden_dialogs = [
            widget for widget in QApplication.topLevelWidgets()
            if isinstance(widget, ModalDialog) and widget.isVisible()
        ]
        for dialog in self._hidden_dialogs:
            dialog.hide()
        self.statusBar().clearMessage()  # it may name a household
        self.unlock_page.prepare(self._store_path, relock=True)
        self.stack.setCurrentWidget(self.unlock_page)
        self._set_state(State.LOCKED)
        self.activateWindow()
        self.unlock_page.focus_passphrase()
        self.locked_changed.emit(True)

    def _restore(self) -> None:
        """The passphrase was verified: show everything again as it was."""
        self.unlock_page.prepare(self._store_path, relock=True)
        self.stack.setCurrentWidget(self.workspace_page)
        self._set_state(State.OPEN)
        self._arm_idle()
        focus = self._focus_before_lock
        if focus is not None and shiboken6.isValid(focus):
            focus.setFocus()
        else:
            self.workspace_page.focus_search()
        dialogs, self._hidden_dialogs = self._hidden_dialogs, []
        for dialog in dialogs:
            if shiboken6.isValid(dialog) and dialog.is_waiting():
                dialog.show_modal()
        self.locked_changed.emit(False)

    def is_locked(self) -> bool:
        return self.state is State.LOCKED

    def workspace(self) -> Workspace | None:
        """The unlocked workspace (None before unlocking and once closed)."""
        return self._workspace

    # --- households -----------------------------------------------------------------------

    def _focus_search(self) -> None:
        if self.state is State.OPEN:
            self.workspace_page.focus_search()

    def new_household(self) -> None:
        if self.state is State.OPEN and self._workspace is not None:
            self._after_edit(_household_editor().ask(
                self, self.runner, self._workspace.dossiers.create_household), created=True)

    def new_interview(self) -> None:
        """Start an interview with the household shown (Ctrl+I)."""
        if self.state is State.OPEN:
            self.workspace_page.start_interview()

    def edit_household(self) -> None:
        dossier = self.workspace_page.current_dossier()
        if self.state is not State.OPEN or self._workspace is None:
            return
        if dossier is None:
            self.show_status(_("Ouvrez d'abord un foyer pour le modifier."))
            return
        save = partial(self._workspace.dossiers.update_household, dossier.household.id)
        self._after_edit(_household_editor().ask(self, self.runner, save, dossier),
                         created=False)

    def _after_edit(self, saved: Dossier | None, *, created: bool) -> None:
        if saved is None or self._closing:
            return
        self.workspace_page.household_saved(saved)
        self._update_actions()
        name = saved.household.name
        self.show_status(_("Foyer « {name} » créé.").format(name=name) if created
                         else _("Foyer « {name} » enregistré.").format(name=name))
        self.household_saved.emit(saved)

    def show_worklist(self) -> None:
        """The team's follow-up worklist (Ctrl+T): a window of its own, read again when shown;
        a household opened from it is shown here."""
        workspace = self._workspace
        if self.state is not State.OPEN or workspace is None:
            return
        from mediadesk.ui.worklist import WorklistWindow  # loaded when first needed

        window = self.findChild(WorklistWindow)
        if window is None:
            window = WorklistWindow(self.runner, self)
            window.open_requested.connect(self._open_from_worklist)
            self.locked_changed.connect(window.set_locked)
        window.show_worklist(workspace.worklist)

    def import_listing(self) -> None:
        """The supplier listing import dialog (its own window; work on the task lanes)."""
        if self.state is not State.OPEN or self._workspace is None:
            return
        from mediadesk.services.listing import listing_service
        from mediadesk.ui.listing_import import ListingImportDialog

        dialog = self.findChild(ListingImportDialog)
        if dialog is None:
            dialog = ListingImportDialog(listing_service(self._workspace), self.runner, self)
            self.locked_changed.connect(dialog.set_locked)
        dialog.show()

    def show_campaign(self) -> None:
        """The contact campaign window over the imported listings, read again when shown."""
        if self.state is not State.OPEN or self._workspace is None:
            return
        from mediadesk.services.campaign import campaign_service
        from mediadesk.ui.campaign import CampaignWindow

        window = self.findChild(CampaignWindow)
        if window is None:
            window = CampaignWindow(campaign_service(self._workspace), self.runner, self)
            self.locked_changed.connect(window.set_locked)
        window.show()
        window.reload()

    def show_activity_report(self) -> None:
        """The funder activity report window (period, partner profile, print, exports)."""
        if self.state is not State.OPEN or self._workspace is None:
            return
        from mediadesk.services.reports import ReportService
        from mediadesk.ui.activity_report import ActivityReportWindow

        window = self.findChild(ActivityReportWindow)
        if window is None:
            window = ActivityReportWindow(ReportService(self._workspace.opened.sessions),
                                          self.runner, self)
            self.locked_changed.connect(window.set_locked)
        window.show()
        window.raise_()

    # --- backups ----------------------------------------------------------------------------

    def _start_auto_backup(self, workspace: Workspace) -> None:
        from mediadesk.ui.backups import AutoBackup

        if self._auto_backup is None:
            self._auto_backup = AutoBackup(self.runner, self)
            self._auto_backup.failed.connect(self.show_status)
        self._auto_backup.start(workspace.backups)

    def show_backups(self) -> None:
        """The backups window: the list, a backup now, restoring one (ui/backups.py)."""
        if self.state is not State.OPEN or self._workspace is None:
            return
        from mediadesk.ui.backups import BackupsWindow

        window = self.findChild(BackupsWindow)
        if window is None:
            window = BackupsWindow(self._workspace.backups, self.runner, self)
            window.restore_requested.connect(self.restore_backup)
            self.locked_changed.connect(window.set_locked)
        window.show()
        window.raise_()
        window.reload()

    def restore_backup(self, backup: Path, passphrase: str) -> None:
        """Replace the store by ``backup`` and open the restored one, with the passphrase that
        opens it. Every screen lets go of the workspace first (secondary windows close, the
        dossier and search are cleared); the service backs up the current state, closes the
        workspace and restores, on the writer lane after the answers still being saved. If the
        backup cannot be opened, nothing changed and the workspace comes back as it was."""
        workspace = self._workspace
        if self.state is not State.OPEN or workspace is None:
            return
        self.workspace_page.flush_interview()
        self._let_go_of_workspace()
        self.unlock_page.prepare(self._store_path, relock=False)
        self.stack.setCurrentWidget(self.unlock_page)
        self._set_state(State.UNLOCK)
        self.unlock_page.set_busy(True)
        self.unlock_page.status.setText(_("Restauration de la sauvegarde…"))
        path, unlock, minutes = self._store_path, self._unlock, self._auto_lock_minutes
        closed: list[bool] = []

        def close() -> None:
            closed.append(True)
            workspace.close()

        def work(_state: TaskState) -> tuple[RestoreResult, _Opened]:
            result = workspace.backups.restore(backup, passphrase, close)
            reopened = unlock(path, passphrase)
            return result, _Opened(reopened, reopened.settings.auto_lock_minutes())

        def done(outcome: tuple[RestoreResult, _Opened]) -> None:
            result, opened = outcome
            self.unlock_page.set_busy(False)
            self._enter(opened)
            self.show_status(_("Sauvegarde du {moment} restaurée ; l'état d'avant a été "
                               "sauvegardé (« avant restauration »).").format(
                moment=format_moment(result.restored.created_at)))

        def failed(error: BaseException) -> None:
            self.unlock_page.set_busy(False)
            if not closed:  # the backup did not open: nothing changed
                self._enter(_Opened(workspace, minutes))
                self.show_status(_("Rien n'a été restauré : {reason}").format(
                    reason=message_for(error)))
                return
            self.unlock_page.show_error(message_for(error))
            self.unlock_page.focus_passphrase()

        self.runner.submit("restore", work, lane=Lane.WRITER, on_done=done, on_error=failed)

    def _let_go_of_workspace(self) -> None:
        """Before the workspace is replaced: no screen, window or timer uses it any more."""
        self.idle.stop()
        if self._auto_backup is not None:
            self._auto_backup.stop()
        self.sync_panel.stop()
        self._workspace = None
        for child in self.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
            if child.isWindow() and not isinstance(child, QMenu):
                child.close()
                child.deleteLater()
        page = self.workspace_page
        page.set_dossiers(None)
        page.set_interviews(None)
        page.dossier_view.set_journal(None, None)
        page.dossier_view.set_reports(None, None)
        page.dossier_view.clear()
        if page.interview_shown():
            page.show_browse()
        page.search.field.clear()

    # --- sync (ui/sync_panel.py) ----------------------------------------------------------

    def _after_sync(self, report: SyncReport) -> None:
        """Received changes: refresh the search and the dossier shown (not an open interview,
        which keeps what is being typed; going back to the dossier reads it again)."""
        if self.state is not State.OPEN or not (report.received or report.teams_removed):
            return
        page = self.workspace_page
        page.search.refresh()
        dossier = page.current_dossier()
        if dossier is not None and not page.interview_shown():
            page.open_household(dossier.household.id)

    def _device_revoked(self, explanation: str) -> None:
        """The service has wiped this revoked device: back to the first start, saying why."""
        workspace = self._workspace
        self._let_go_of_workspace()
        if workspace is not None:
            workspace.close()
        self._use_store(self._store_path)
        NoticeDialog.notify(self, _("Poste retiré"), explanation)

    def _reopen_after_enrolment(self, enrolment: Enrolment) -> None:
        """Enrolled: the dossiers now belong to the server's user and team, so the workspace
        is closed (after the writes still queued) and unlocked again with the passphrase."""
        workspace = self._workspace
        if self.state is not State.OPEN or workspace is None:
            return
        self.workspace_page.flush_interview()
        self._let_go_of_workspace()
        self.runner.submit("close-for-enrolment", lambda _s: workspace.close(),
                           lane=Lane.WRITER)
        self.unlock_page.prepare(self._store_path, relock=False)
        self.unlock_page.explanation.setText(_(
            "Ce poste est inscrit ({email}, équipe {teams}). Saisissez à nouveau votre phrase "
            "de passe pour ouvrir le dossier chiffré avec ce compte ; la synchronisation "
            "démarrera ensuite d'elle-même.").format(email=enrolment.user_email,
                                                     teams=", ".join(enrolment.teams)))
        self.stack.setCurrentWidget(self.unlock_page)
        self._set_state(State.UNLOCK)
        self.unlock_page.focus_passphrase()

    def _open_from_worklist(self, household_id: Any) -> None:
        if self.workspace_page.interview_shown():
            self.workspace_page.show_browse()  # the interview stays as it was, to resume
        self.workspace_page.open_household(household_id)
        self.raise_()
        self.activateWindow()

    def choose_auto_lock(self) -> None:
        workspace = self._workspace
        if self.state is not State.OPEN or workspace is None:
            return
        minutes = AutoLockDialog.ask(self, self._auto_lock_minutes)
        if minutes is None or self._closing:
            return

        def saved(_result: object) -> None:
            self._auto_lock_minutes = minutes
            if self.state is State.OPEN:
                self._arm_idle()
            self.show_status(_("Verrouillage automatique après {minutes} min").format(
                minutes=minutes))

        self.runner.submit("settings", lambda _s: workspace.settings.set_auto_lock_minutes(
            minutes), lane=Lane.WRITER, on_done=saved,
            on_error=lambda error: self.show_status(message_for(error)))

    # --- shutting down --------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        """Stop background work, close dialogs and the store, then let the window close."""
        self._closing = True
        self.idle.stop()
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
        event.accept()
