"""Sync in the window, against a real sync server running in process (SQLite): the status area,
manual and automatic syncs, failures that keep the last success, revocation, enrolment."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from mediadesk.services.sync_lock import ExchangeLock
from mediadesk.services.workspace import Workspace, unlock_workspace
from mediadesk.sync.client import SyncClient
from mediadesk.sync.errors import NetworkError
from mediadesk.sync.server import admin
from mediadesk.ui.shell import Shell, State
from mediadesk.ui.sync_dialogs import NoticeDialog
from mediadesk.ui.sync_panel import SyncPanel
from mediadesk.ui.sync_texts import SyncState
from mediadesk.ui.tasks import TaskRunner
from tests.sync.laptops import Laptop
from tests.sync.server.fixtures import Server, make_server
from tests.ui.helpers import UI_PASSPHRASE, ShellFactory, search_and_open, unlock

URL = "http://sync.test"
EMAIL = "awa@pimms.test"
NEVER_MS = 600_000  # automatic syncs out of the way unless a test wants them


class Connector:
    """The client factory given to the app: the in-process server, or a network failure."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.offline = False
        self.calls = 0

    def __call__(self, url: str) -> SyncClient:
        self.calls += 1
        if self.offline:
            raise NetworkError.unreachable(url)
        return self.server.client()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    srv = make_server(f"sqlite:///{tmp_path / 'server.sqlite3'}", postgres=False)
    srv.team("Lyon Est")
    srv.member(EMAIL, "Lyon Est")
    yield srv
    srv.close()


@pytest.fixture
def connector(server: Server) -> Connector:
    return Connector(server)


@pytest.fixture
def enrolled_store(ui_store: Path, server: Server) -> Path:
    """The three-household store, enrolled on the server (not synced yet)."""
    from mediadesk.services.sync import sync_service

    workspace = unlock_workspace(ui_store, UI_PASSPHRASE)
    try:
        sync_service(workspace, lambda _url: server.client()).enrol(URL, server.code(EMAIL))
    finally:
        workspace.close()
    return ui_store


def open_shell(
    qtbot: QtBot,
    make_shell: ShellFactory,
    path: Path,
    connector: Connector,
    *,
    start_delay_ms: int = NEVER_MS,
) -> Shell:
    shell = make_shell(path, sync_connect=connector)
    shell.sync_panel.start_delay_ms = start_delay_ms
    unlock(qtbot, shell)
    panel = shell.sync_panel
    qtbot.waitUntil(lambda: panel.status() is not None, timeout=20_000)
    return shell


def colleague_deletes_what_we_both_have(qtbot: QtBot, panel: SyncPanel, other: Laptop) -> None:
    """``other`` creates 24 dossiers, this laptop receives them, then ``other`` deletes them all
    and sends that: this laptop's next sync is a mass deletion."""
    rows = [other.new_household(f"Famille {n}") for n in range(24)]
    other.sync()
    sync_and_wait(qtbot, panel)
    for row in rows:
        other.delete(row)
    other.sync()


def sync_and_wait(qtbot: QtBot, panel: SyncPanel) -> None:
    with qtbot.waitSignal(panel.synced, timeout=10_000):
        qtbot.mouseClick(panel.sync_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: (
            (status := panel.status()) is not None
            and status.pending == 0
            and status.last_success_ms is not None
        ),
        timeout=20_000,
    )


def test_the_status_shows_never_then_the_sync_time_with_nothing_left_to_send(
    qtbot: QtBot, make_shell: ShellFactory, enrolled_store: Path, connector: Connector
) -> None:
    shell = open_shell(qtbot, make_shell, enrolled_store, connector)
    panel = shell.sync_panel
    status = panel.status()
    assert status is not None and status.enrolled and status.last_success_ms is None
    assert status.pending > 0
    assert panel.last_label.text() == "Dernière synchronisation : jamais"
    assert panel.pending_label.text() == f"{status.pending} modifications à envoyer"
    assert panel.sync_button.text() == "Synchroniser" and panel.sync_button.isEnabled()
    assert panel.isVisible() and panel.last_label.isVisible()

    with qtbot.waitSignal(panel.synced, timeout=10_000) as synced:
        qtbot.mouseClick(panel.sync_button, Qt.MouseButton.LeftButton)
        assert panel.state is SyncState.SYNCING and panel.cancel_button.isVisible()
        assert not panel.sync_now()  # never two syncs at once
    assert synced.args[0].sent >= status.pending and synced.args[0].rejected == 0
    qtbot.waitUntil(
        lambda: (
            (now := panel.status()) is not None
            and now.pending == 0
            and now.last_success_ms is not None
        ),
        timeout=20_000,
    )
    assert "jamais" not in panel.last_label.text()
    assert panel.pending_label.text() == "Rien à envoyer"
    assert panel.state_label.text() == "Synchronisé"
    assert not panel.cancel_button.isVisible() and not panel.reminder.isVisible()
    assert "Synchronisation terminée" in shell.statusBar().currentMessage()
    # what was sent really is on the server: a second device of the same team pulls it
    pulled = connector.server.device(EMAIL).pull()
    names = {
        op.v for page in pulled.pages for op in page.ops if op.e == "household" and op.f == "name"
    }
    assert {"Famille Martin", "Famille Benali", "Famille Nguyen"} <= names


def test_the_shortcut_syncs_and_a_sync_starts_by_itself_after_unlocking(
    qtbot: QtBot, make_shell: ShellFactory, enrolled_store: Path, connector: Connector
) -> None:
    shell = make_shell(enrolled_store, sync_connect=connector)
    shell.sync_panel.start_delay_ms = 0
    with qtbot.waitSignal(shell.sync_panel.synced, timeout=15_000):
        unlock(qtbot, shell)
    assert shell.sync_action.shortcut().toString() == "Ctrl+Shift+S"
    with qtbot.waitSignal(shell.sync_panel.synced, timeout=10_000):
        shell.sync_action.trigger()


def test_a_failed_sync_keeps_the_last_success_and_says_why(
    qtbot: QtBot, make_shell: ShellFactory, enrolled_store: Path, connector: Connector
) -> None:
    shell = open_shell(qtbot, make_shell, enrolled_store, connector)
    panel = shell.sync_panel
    sync_and_wait(qtbot, panel)
    status = panel.status()
    assert status is not None
    last, shown = status.last_success_ms, panel.last_label.text()

    connector.offline = True
    qtbot.mouseClick(panel.sync_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.state is SyncState.OFFLINE, timeout=10_000)
    assert panel.state_label.text() == "Hors ligne"
    assert panel.detail.full_text() == (
        f"Serveur de synchronisation injoignable ({URL}) : vérifiez la connexion."
    )
    assert panel.detail.toolTip() == panel.detail.full_text() and panel.detail.isVisible()
    qtbot.waitUntil(lambda: not shell.runner.is_running("sync-status"), timeout=20_000)
    after = panel.status()
    assert after is not None and after.last_success_ms == last
    assert panel.last_label.text() == shown
    assert panel.sync_button.isEnabled() and not panel.is_syncing()
    assert not [
        w for w in QApplication.topLevelWidgets() if isinstance(w, NoticeDialog) and w.isVisible()
    ]  # no modal dialog

    connector.offline = False
    sync_and_wait(qtbot, panel)
    assert panel.state is SyncState.IDLE and panel.state_label.text() == "Synchronisé"


def test_a_revoked_laptop_is_wiped_and_says_why(
    qtbot: QtBot, make_shell: ShellFactory, enrolled_store: Path, connector: Connector
) -> None:
    shell = open_shell(qtbot, make_shell, enrolled_store, connector)
    server = connector.server
    for device in admin.list_devices(server.engine):
        admin.revoke(server.engine, device.id, server.clock())

    qtbot.mouseClick(shell.sync_panel.sync_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: shell.state is State.FIRST_START, timeout=10_000)
    assert not enrolled_store.exists()
    assert not enrolled_store.with_name(enrolled_store.name + ".keys").exists()
    assert list(enrolled_store.parent.glob(enrolled_store.name + "*")) == []
    assert shell.workspace() is None
    assert shell.stack.currentWidget() is shell.first_start
    notices = [
        w for w in QApplication.topLevelWidgets() if isinstance(w, NoticeDialog) and w.isVisible()
    ]
    assert len(notices) == 1
    assert "retiré de la synchronisation" in notices[0].text.text()
    assert "effacées" in notices[0].text.text()
    assert not shell.sync_action.isEnabled()


def test_enrolling_from_the_app_reopens_the_workspace_with_the_new_identity(
    qtbot: QtBot, make_shell: ShellFactory, ui_store: Path, connector: Connector
) -> None:
    shell = open_shell(qtbot, make_shell, ui_store, connector)
    panel = shell.sync_panel
    status = panel.status()
    assert status is not None and not status.enrolled
    assert panel.state_label.text() == "Synchronisation : poste non inscrit"
    assert panel.sync_button.text() == "Inscrire ce poste…"

    qtbot.mouseClick(panel.sync_button, Qt.MouseButton.LeftButton)
    dialog = panel.enrol_dialog
    assert dialog is not None and dialog.isVisible()
    ok = dialog.buttons.buttons()[0]
    qtbot.keyClicks(dialog.server, URL)
    qtbot.keyClicks(dialog.code, "MAUVAIS-CODE")
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=10_000)
    assert "refuse cet appareil" in dialog.error.text()
    assert dialog.isVisible() and ok.isEnabled()

    dialog.code.clear()
    qtbot.keyClicks(dialog.code, connector.server.code(EMAIL))
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: shell.state is State.UNLOCK, timeout=10_000)
    assert not shiboken6.isValid(dialog) or not dialog.isVisible()
    assert EMAIL in shell.unlock_page.explanation.text()
    assert "Lyon Est" in shell.unlock_page.explanation.text()

    unlock(qtbot, shell)
    qtbot.waitUntil(lambda: (now := panel.status()) is not None and now.enrolled, timeout=20_000)
    sync_and_wait(qtbot, panel)


def test_the_enrolment_dialog_checks_the_address_first(
    qtbot: QtBot, make_shell: ShellFactory, ui_store: Path, connector: Connector
) -> None:
    shell = open_shell(qtbot, make_shell, ui_store, connector)
    dialog = shell.sync_panel.open_enrolment()
    assert dialog is not None
    qtbot.keyClicks(dialog.server, "sync.test")
    qtbot.keyClicks(dialog.code, "ABC")
    qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)
    assert dialog.error.text().startswith("Indiquez l'adresse complète du serveur")
    assert connector.calls == 0


def test_a_reminder_shows_after_three_days_without_a_successful_sync(
    qtbot: QtBot, enrolled_store: Path, connector: Connector
) -> None:
    clock = {"now": 0}
    runner = TaskRunner()
    panel = SyncPanel(
        runner, connect=connector, now_ms=lambda: clock["now"], start_delay_ms=NEVER_MS
    )
    qtbot.addWidget(panel)
    workspace = unlock_workspace(enrolled_store, UI_PASSPHRASE)
    try:
        panel.start(workspace)
        qtbot.waitUntil(lambda: panel.status() is not None, timeout=20_000)
        sync_and_wait(qtbot, panel)
        status = panel.status()
        assert status is not None and status.last_success_ms is not None
        clock["now"] = status.last_success_ms + 2 * 86_400_000
        panel.refresh_status()
        qtbot.waitUntil(lambda: not runner.is_running("sync-status"), timeout=20_000)
        assert panel.reminder.isHidden()
        clock["now"] = status.last_success_ms + 4 * 86_400_000 + 60_000
        panel.refresh_status()
        qtbot.waitUntil(lambda: not panel.reminder.isHidden(), timeout=20_000)
        assert panel.reminder.text() == "Aucune synchronisation réussie depuis 4 jours"
    finally:
        panel.stop()
        runner.shutdown()
        workspace.close()


def test_a_sync_can_be_cancelled_while_the_window_stays_usable(
    qtbot: QtBot,
    make_shell: ShellFactory,
    enrolled_store: Path,
    connector: Connector,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shell = open_shell(qtbot, make_shell, enrolled_store, connector)
    panel = shell.sync_panel
    gate = threading.Event()
    real = connector.server.client

    def slow_client() -> SyncClient:
        gate.wait(60)  # the server is slow to answer (until the test opens the gate)
        return real()

    monkeypatch.setattr(connector.server, "client", slow_client)
    qtbot.mouseClick(panel.sync_button, Qt.MouseButton.LeftButton)
    assert panel.state is SyncState.SYNCING and panel.progress.isVisible()
    # the window answers while the sync waits: searching still works
    search = shell.workspace_page.search
    qtbot.keyClicks(search.field, "lyon")
    qtbot.waitUntil(lambda: search.model.rowCount() == 1, timeout=20_000)
    assert panel.state is SyncState.SYNCING

    qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    assert not panel.cancel_button.isEnabled()
    gate.set()
    qtbot.waitUntil(lambda: not panel.is_syncing(), timeout=10_000)
    assert panel.state is SyncState.IDLE
    assert shell.statusBar().currentMessage().startswith("Synchronisation interrompue")
    qtbot.waitUntil(lambda: not shell.runner.is_running("sync-status"), timeout=20_000)
    status = panel.status()
    assert status is not None and status.last_success_ms is None and status.pending > 0
    assert panel.last_label.text() == "Dernière synchronisation : jamais"


def test_a_mass_deletion_waits_for_the_person_to_confirm(
    qtbot: QtBot,
    make_shell: ShellFactory,
    enrolled_store: Path,
    connector: Connector,
    tmp_path: Path,
) -> None:
    shell = open_shell(qtbot, make_shell, enrolled_store, connector)
    panel = shell.sync_panel
    other = Laptop.enrolled(connector.server, tmp_path, "paul", EMAIL)
    try:
        colleague_deletes_what_we_both_have(qtbot, panel, other)

        qtbot.mouseClick(panel.sync_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(
            lambda: panel.mass_change.dialog is not None and panel.mass_change.dialog.isVisible(),
            timeout=10_000,
        )
        assert panel.state is SyncState.ERROR
        assert panel.detail.full_text().startswith("La synchronisation supprimerait 24 dossiers")
        dialog = panel.mass_change.dialog
        assert dialog is not None
        with qtbot.waitSignal(panel.synced, timeout=10_000) as synced:
            qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)
        assert synced.args[0].received > 0
        assert panel.state is SyncState.IDLE
    finally:
        other.close()


def test_a_colleague_overwriting_most_dossiers_waits_for_the_person_to_confirm(
    qtbot: QtBot,
    make_shell: ShellFactory,
    enrolled_store: Path,
    connector: Connector,
    tmp_path: Path,
) -> None:
    from mediadesk.store.models import Household

    shell = open_shell(qtbot, make_shell, enrolled_store, connector)
    panel = shell.sync_panel
    other = Laptop.enrolled(connector.server, tmp_path, "paul", EMAIL)
    try:
        with other.workspace.opened.sessions.begin() as session:
            rows = [Household(name=f"Famille Test {n}", city="Lyon") for n in range(100)]
            session.add_all(rows)
        other.sync()
        sync_and_wait(qtbot, panel)  # 100 new dossiers: no question
        with other.workspace.opened.sessions.begin() as session:
            for row in rows[:80]:
                session.merge(row).city = "Perpignan"
        other.sync()

        qtbot.mouseClick(panel.sync_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(
            lambda: panel.mass_change.dialog is not None and panel.mass_change.dialog.isVisible(),
            timeout=10_000,
        )
        dialog = panel.mass_change.dialog
        assert dialog is not None
        assert dialog.windowTitle() == "Modification de nombreux dossiers"
        text = dialog.findChild(QLabel).text()
        assert "des informations déjà connues de 80 dossiers" in text
        assert "remplacer les informations de ce poste" in text
        assert panel.state is SyncState.ERROR
        with qtbot.waitSignal(panel.synced, timeout=10_000) as synced:
            qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)
        assert synced.args[0].received >= 80
        assert panel.state is SyncState.IDLE
    finally:
        other.close()


def test_changes_received_refresh_the_open_dossier(
    qtbot: QtBot,
    make_shell: ShellFactory,
    enrolled_store: Path,
    connector: Connector,
    tmp_path: Path,
) -> None:
    shell = open_shell(qtbot, make_shell, enrolled_store, connector)
    panel = shell.sync_panel
    sync_and_wait(qtbot, panel)
    other = Laptop.enrolled(connector.server, tmp_path, "paul", EMAIL)
    try:
        other.sync()
        search_and_open(qtbot, shell, "martin")
        view = shell.workspace_page.dossier_view
        assert view.address.text() == "12 rue des Lilas, 75011 Paris"
        dossier = shell.workspace_page.current_dossier()
        assert dossier is not None
        other.edit(dossier.household.id.hex, city="Montreuil", postal_code="93100")
        other.sync()

        with qtbot.waitSignal(panel.synced, timeout=10_000) as synced:
            shell.sync_action.trigger()
        assert synced.args[0].received > 0
        qtbot.waitUntil(
            lambda: view.address.text() == "12 rue des Lilas, 93100 Montreuil", timeout=20_000
        )
    finally:
        other.close()


def test_a_mass_deletion_question_waits_while_the_window_is_locked(
    qtbot: QtBot,
    make_shell: ShellFactory,
    enrolled_store: Path,
    connector: Connector,
    tmp_path: Path,
) -> None:
    shell = open_shell(qtbot, make_shell, enrolled_store, connector)
    panel = shell.sync_panel
    other = Laptop.enrolled(connector.server, tmp_path, "paul", EMAIL)
    try:
        colleague_deletes_what_we_both_have(qtbot, panel, other)

        shell.lock()
        assert not panel.sync_button.isEnabled()
        assert panel.sync_now(automatic=True)  # the periodic sync goes on while locked
        qtbot.waitUntil(lambda: panel.state is SyncState.ERROR, timeout=10_000)
        assert panel.mass_change.dialog is None  # nothing shown over the lock screen

        qtbot.keyClicks(shell.unlock_page.passphrase, UI_PASSPHRASE)
        with qtbot.waitSignal(shell.locked_changed, timeout=10_000):
            qtbot.mouseClick(shell.unlock_page.unlock, Qt.MouseButton.LeftButton)
        dialog = panel.mass_change.dialog
        assert dialog is not None and dialog.isVisible()
        assert "24 dossiers" in dialog.findChild(QLabel).text()
        dialog.reject()
        assert panel.mass_change.dialog is None
        assert panel.state is SyncState.ERROR and not panel.is_syncing()
    finally:
        other.close()


# About four households (27 ops each) per page: the first page holds whole households
# however the team's first rows (accounts, team) fall, and 40 households need ten pages.
_PAGE_OPS = 120


def test_a_long_first_sync_shows_its_progress_and_stops_when_asked(
    qtbot: QtBot,
    enrolled_store: Path,
    connector: Connector,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    other = Laptop.enrolled(connector.server, tmp_path, "paul", EMAIL)
    try:
        for n in range(40):
            other.new_household(f"Famille {n}")
        other.sync()
    finally:
        other.close()
    gate = threading.Event()
    real = connector.server.client

    def slow_after_first_page() -> SyncClient:
        client = real()
        send, calls = client.sync, []

        def sync(token: str, request: object) -> object:
            if calls:
                gate.wait(60)  # the rest of the bootstrap waits for the test
            calls.append(1)
            return send(token, request)  # type: ignore[arg-type]

        monkeypatch.setattr(client, "sync", sync)
        return client

    monkeypatch.setattr(connector.server, "client", slow_after_first_page)
    runner = TaskRunner()
    panel = SyncPanel(runner, connect=connector, start_delay_ms=NEVER_MS, page_size=_PAGE_OPS)
    qtbot.addWidget(panel)
    panel.show()
    workspace = unlock_workspace(enrolled_store, UI_PASSPHRASE)
    try:
        panel.start(workspace)
        qtbot.waitUntil(lambda: panel.status() is not None, timeout=20_000)
        assert panel.sync_now()
        qtbot.waitUntil(lambda: " sur " in panel.detail.full_text(), timeout=10_000)
        assert panel.progress.isVisible() and panel.cancel_button.isVisible()
        assert 0 < panel.progress.value() < panel.progress.maximum()
        qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
        gate.set()
        qtbot.waitUntil(lambda: not panel.is_syncing(), timeout=10_000)
        assert panel.state is SyncState.IDLE and not panel.progress.isVisible()
        found = workspace.dossiers.find_households("Famille")
        assert 3 < len(found) < 43  # part of the bootstrap is here, the rest resumes
        qtbot.waitUntil(lambda: not runner.is_running("sync-status"), timeout=20_000)
        status = panel.status()
        assert status is not None and status.last_success_ms is None

        with qtbot.waitSignal(panel.synced, timeout=20_000):
            assert panel.sync_now()
        assert len(workspace.dossiers.find_households("Famille")) == 43
    finally:
        panel.stop()
        runner.shutdown()
        workspace.close()


def test_a_reminder_shows_when_no_sync_ever_succeeded_days_after_enrolment(
    qtbot: QtBot, enrolled_store: Path, connector: Connector
) -> None:
    clock = {"now": 0}
    runner = TaskRunner()
    panel = SyncPanel(
        runner, connect=connector, now_ms=lambda: clock["now"], start_delay_ms=NEVER_MS
    )
    qtbot.addWidget(panel)
    workspace = unlock_workspace(enrolled_store, UI_PASSPHRASE)
    try:
        panel.start(workspace)
        qtbot.waitUntil(lambda: panel.status() is not None, timeout=20_000)
        status = panel.status()
        assert status is not None and status.last_success_ms is None
        assert status.enrolled_ms is not None
        clock["now"] = status.enrolled_ms + 86_400_000
        panel.refresh_status()
        qtbot.waitUntil(lambda: not runner.is_running("sync-status"), timeout=20_000)
        assert panel.reminder.isHidden()
        clock["now"] = status.enrolled_ms + 5 * 86_400_000
        panel.refresh_status()
        qtbot.waitUntil(lambda: not panel.reminder.isHidden(), timeout=20_000)
        assert panel.reminder.text() == "Aucune synchronisation réussie depuis 5 jours"
    finally:
        panel.stop()
        runner.shutdown()
        workspace.close()


@pytest.mark.parametrize(("last", "enrolled", "now_days", "expected"), [
    (0, 0, 2, None),
    (0, 0, 4, "Aucune synchronisation réussie depuis 4 jours"),
    (None, 0, 5, "Aucune synchronisation réussie depuis 5 jours"),  # never since enrolment
    (None, None, 30, None),  # enrolled by an older version: no date to count from
    (3 * 86_400_000, 0, 4, None),  # a recent success, however old the enrolment
])
def test_the_reminder_counts_from_the_last_success_or_else_the_enrolment(
    last: int | None, enrolled: int | None, now_days: int, expected: str | None
) -> None:
    from mediadesk.services.sync import SyncStatus
    from mediadesk.ui.sync_texts import reminder_text

    status = SyncStatus(True, last, 0, None, None, enrolled)
    assert reminder_text(status, now_days * 86_400_000 + 1, 3 * 86_400_000) == expected


class HeldElsewhere:
    """Another thread of this window (a dossier's move, say) holding the store's exchange lock
    until `release`."""

    def __init__(self, lock: ExchangeLock) -> None:
        self._release = threading.Event()
        holding = threading.Event()

        def hold() -> None:
            with lock.held():
                holding.set()
                self._release.wait(60)

        self._thread = threading.Thread(target=hold, name="held-elsewhere")
        self._thread.start()
        assert holding.wait(30)

    def release(self) -> None:
        self._release.set()
        self._thread.join(30)


@pytest.fixture
def lone_panel(
    qtbot: QtBot, enrolled_store: Path, connector: Connector
) -> Iterator[tuple[SyncPanel, Workspace]]:
    """A panel on its own (no shell), its workspace unlocked and its status read; a sync after
    a busy store is tried again after one second."""
    runner = TaskRunner()
    panel = SyncPanel(runner, connect=connector, start_delay_ms=NEVER_MS, period_ms=NEVER_MS,
                      after_edit_ms=NEVER_MS, busy_retry_ms=1_000)
    qtbot.addWidget(panel)
    panel.show()
    workspace = unlock_workspace(enrolled_store, UI_PASSPHRASE)
    try:
        panel.start(workspace)
        qtbot.waitUntil(lambda: panel.status() is not None, timeout=20_000)
        yield panel, workspace
    finally:
        panel.stop()
        runner.shutdown()
        workspace.close()


def test_a_sync_waiting_for_a_move_says_so_then_shows_its_progress(
    qtbot: QtBot,
    lone_panel: tuple[SyncPanel, Workspace],
    connector: Connector,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    panel, workspace = lone_panel
    answer = threading.Event()
    real = connector.server.client

    def slow_client() -> SyncClient:
        answer.wait(60)  # once its turn came, the server is slow to answer (until the test says)
        return real()

    monkeypatch.setattr(connector.server, "client", slow_client)
    move = HeldElsewhere(workspace.sync_lock)
    try:
        assert panel.sync_now()
        qtbot.waitUntil(lambda: panel.state is SyncState.WAITING, timeout=20_000)
        assert panel.state_label.text() == "Synchronisation demandée"
        assert panel.detail.full_text() == (
            "En attente de la fin d'un transfert ou d'une autre synchronisation…"
        )
        assert not panel.progress.isVisible()  # no bar pretending to work
        assert panel.cancel_button.isVisible() and panel.cancel_button.isEnabled()
        assert not panel.sync_button.isEnabled() and not panel.sync_now()
        assert workspace.sync_lock.waiting() == 1
    finally:
        move.release()
    qtbot.waitUntil(lambda: panel.state is SyncState.SYNCING, timeout=20_000)
    assert panel.state_label.text() == "Synchronisation en cours…"
    assert panel.progress.isVisible() and panel.progress.maximum() == 0  # under way
    assert panel.detail.full_text() == ""
    with qtbot.waitSignal(panel.synced, timeout=20_000):
        answer.set()
    assert panel.state is SyncState.IDLE


def test_a_waiting_sync_can_be_cancelled(
    qtbot: QtBot, lone_panel: tuple[SyncPanel, Workspace]
) -> None:
    panel, workspace = lone_panel
    move = HeldElsewhere(workspace.sync_lock)
    try:
        assert panel.sync_now()
        qtbot.waitUntil(lambda: panel.state is SyncState.WAITING, timeout=20_000)
        qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
        assert panel.state_label.text() == "Arrêt de la synchronisation…"
        qtbot.waitUntil(lambda: not panel.is_syncing(), timeout=20_000)
        assert panel.state is SyncState.IDLE and panel.detail.full_text() == ""
        assert workspace.sync_lock.waiting() == 0
    finally:
        move.release()


def test_a_store_synced_by_another_window_is_a_notice_and_is_tried_again_soon(
    qtbot: QtBot, lone_panel: tuple[SyncPanel, Workspace], connector: Connector
) -> None:
    panel, workspace = lone_panel
    other_window = ExchangeLock(workspace.path)  # refused like another process
    with other_window.held():
        assert panel.sync_now()
        qtbot.waitUntil(lambda: panel.state is SyncState.BUSY, timeout=20_000)
        assert panel.state_label.text() == "Synchronisation reportée"
        assert panel.detail.full_text() == (
            "Nouvel essai dans un instant : une autre fenêtre de MediaDesk (ou la commande "
            "mediadesk sync) synchronise ce fichier."
        )
        assert "#b00020" not in panel.detail.styleSheet()  # not shown as an error
        assert panel.sync_button.isEnabled() and not panel.cancel_button.isVisible()
        assert connector.calls == 0  # the server was not even asked
    # no click and the period is ten minutes: only the retry after a busy store syncs now
    with qtbot.waitSignal(panel.synced, timeout=30_000):
        pass
    assert panel.state is SyncState.IDLE and panel.detail.full_text() == ""
    assert not panel.schedule.retry_pending()
