"""Sync badges in the search results and the dossier header, and the conflict review reached
from the dossier, end to end in the window against a real server process on loopback."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from mediadesk.services.conflict_views import SyncBadge
from mediadesk.services.sync import sync_service
from mediadesk.services.views import HouseholdDraft, HouseholdHit
from mediadesk.services.workspace import Workspace, create_workspace, unlock_workspace
from mediadesk.store.keyslots import TEST_KDF
from mediadesk.store.models import Household
from mediadesk.sync.client import SyncClient
from mediadesk.sync.server import admin, db
from mediadesk.ui.conflict_review import ConflictReviewWindow
from mediadesk.ui.search_panel import BADGE_COLUMN, HitsModel
from mediadesk.ui.shell import Shell
from mediadesk.ui.sync_badges import DossierBadge
from mediadesk.ui.tasks import TaskRunner
from tests.sync.server.processes import server_process
from tests.ui.helpers import UI_PASSPHRASE, ShellFactory, search_and_open, unlock


@dataclass
class LoopbackServer:
    url: str
    db_url: str

    def code(self, email: str) -> str:
        engine = db.make_engine(self.db_url)
        try:
            return admin.issue_enrolment(engine, email, _now_ms(), 3600)
        finally:
            engine.dispose()


def _now_ms() -> int:
    return int(time.time() * 1000)


@pytest.fixture(scope="module")
def loopback(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LoopbackServer]:
    folder = tmp_path_factory.mktemp("server")
    db_url = f"sqlite:///{folder / 'server.sqlite3'}"
    engine = db.make_engine(db_url)
    db.init(engine)
    admin.create_team(engine, "Lyon Est")
    admin.add_user(engine, "awa@pimms.test", "Lyon Est", "mediator")
    admin.add_user(engine, "paul@pimms.test", "Lyon Est", "team_lead")
    engine.dispose()
    with server_process(db_url, folder / "server.log") as url:
        yield LoopbackServer(url, db_url)


def connect(url: str) -> SyncClient:
    return SyncClient(url)


def enrolled(server: LoopbackServer, path: Path, name: str, email: str) -> Workspace:
    workspace = create_workspace(path, UI_PASSPHRASE, user_name=name, kdf=TEST_KDF)
    sync_service(workspace, connect).enrol(server.url, server.code(email))
    workspace.close()
    return unlock_workspace(path, UI_PASSPHRASE)


def sync(workspace: Workspace) -> None:
    sync_service(workspace, connect).sync()


def edit_city(workspace: Workspace, household: object, city: str) -> None:
    with workspace.opened.sessions.begin() as session:
        row = session.get(Household, household)
        assert row is not None
        row.city = city


def badge_of(shell: Shell, name: str) -> SyncBadge | None:
    model = shell.workspace_page.search.model
    for row, hit in enumerate(model.rows()):
        if hit.name == name:
            return model.badge(row)
    return None


def test_a_conflict_is_badged_reviewed_from_the_dossier_and_its_decision_synced(
        qtbot: QtBot, make_shell: ShellFactory, loopback: LoopbackServer,
        tmp_path: Path) -> None:
    awa = enrolled(loopback, tmp_path / "awa.mdk", "Awa Diallo", "awa@pimms.test")
    paul = enrolled(loopback, tmp_path / "paul.mdk", "Paul Lemoine", "paul@pimms.test")
    try:
        for workspace in (awa, paul, awa):
            sync(workspace)
        durand = awa.dossiers.create_household(HouseholdDraft(name="Famille Durand",
                                                              city="Lyon")).household.id
        sync(awa)
        sync(paul)
        edit_city(awa, durand, "Bron")
        edit_city(paul, durand, "Villeurbanne")
        for workspace in (awa, paul, awa):
            sync(workspace)
        awa.dossiers.create_household(HouseholdDraft(name="Famille Dufour", city="Lyon"))
        awa.close()

        shell = make_shell(tmp_path / "awa.mdk", sync_connect=connect)
        shell.sync_panel.start_delay_ms = 600_000
        unlock(qtbot, shell)
        search = shell.workspace_page.search
        qtbot.keyClicks(search.field, "Famille Du")
        qtbot.waitUntil(lambda: badge_of(shell, "Famille Dufour") is not None, timeout=10_000)
        assert badge_of(shell, "Famille Durand") is SyncBadge.CONFLICT
        assert badge_of(shell, "Famille Dufour") is SyncBadge.LOCAL_ONLY
        row = next(r for r, h in enumerate(search.model.rows()) if h.name == "Famille Durand")
        cell = search.model.index(row, BADGE_COLUMN)
        assert cell.data(Qt.ItemDataRole.AccessibleTextRole) == "Conflit à examiner"
        assert cell.data(Qt.ItemDataRole.DecorationRole) is not None
        search.field.clear()

        search_and_open(qtbot, shell, "Durand")
        header = shell.workspace_page.dossier_view.sync_badge
        qtbot.waitUntil(lambda: header.badge() is SyncBadge.CONFLICT, timeout=10_000)
        assert header.label.text() == "Conflit à examiner" and header.review.isVisible()
        qtbot.mouseClick(header.review, Qt.MouseButton.LeftButton)
        window = shell.findChild(ConflictReviewWindow)
        assert window is not None
        qtbot.waitUntil(lambda: window.candidates.rowCount() == 2, timeout=10_000)
        assert "Famille Durand" in window.windowTitle()
        values = [c.value for c in window.candidates.rows()]
        window.candidate_table.selectRow(values.index("Villeurbanne"))
        with qtbot.waitSignal(window.resolved, timeout=10_000):
            qtbot.mouseClick(window.pick_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: header.badge() is SyncBadge.PENDING, timeout=10_000)
        assert "Villeurbanne" in shell.workspace_page.dossier_view.address.text()

        with qtbot.waitSignal(shell.sync_panel.synced, timeout=20_000):
            shell.sync_panel.sync_now()
        qtbot.waitUntil(lambda: header.badge() is SyncBadge.SYNCED, timeout=10_000)
        sync(paul)
        with paul.opened.engine.connect() as conn:
            assert conn.execute(text("SELECT city FROM household WHERE id = :i"),
                                {"i": durand.hex}).scalar() == "Villeurbanne"
            assert conn.execute(text("SELECT count(*) FROM sync_conflict "
                                     "WHERE status = 'open'")).scalar() == 0
    finally:
        paul.close()


def test_a_store_that_never_synced_shows_no_badge(
        qtbot: QtBot, make_shell: ShellFactory, ui_store: Path) -> None:
    shell = make_shell(ui_store)
    unlock(qtbot, shell)
    search_and_open(qtbot, shell, "Martin")
    search = shell.workspace_page.search
    qtbot.waitUntil(lambda: not shell.runner.is_running("search-badges"), timeout=20_000)
    qtbot.waitUntil(lambda: not shell.runner.is_running("dossier-badge"), timeout=20_000)
    assert search.model.badge(0) is None
    assert search.model.index(0, BADGE_COLUMN).data(Qt.ItemDataRole.DecorationRole) is None
    header = shell.workspace_page.dossier_view.sync_badge
    assert header.badge() is None
    assert not header.label.isVisible() and not header.review.isVisible()


def test_the_hits_model_shows_each_badge_as_a_dot_with_its_text(
        qtmodeltester: ModelTester) -> None:
    model = HitsModel()
    hits = [HouseholdHit(uuid.uuid4(), name, "", (), "open")
            for name in ("Famille Martin", "Famille Benali", "Famille Nguyen")]
    model.set_rows(hits)
    model.set_badges({hits[0].id: SyncBadge.CONFLICT, hits[1].id: SyncBadge.LOCAL_ONLY})
    qtmodeltester.check(model)
    conflict = model.index(0, BADGE_COLUMN)
    assert conflict.data(Qt.ItemDataRole.AccessibleTextRole) == "Conflit à examiner"
    assert "choisir" in conflict.data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(1, BADGE_COLUMN).data(Qt.ItemDataRole.AccessibleTextRole) \
        == "Uniquement sur cet ordinateur"
    assert model.index(2, BADGE_COLUMN).data(Qt.ItemDataRole.DecorationRole) is None
    assert model.index(0, 0).data() == "Famille Martin"  # the other columns are unchanged


def test_the_dossier_badge_offers_the_review_only_for_a_conflict(qtbot: QtBot) -> None:
    household = uuid.uuid4()
    answers: dict[uuid.UUID, SyncBadge] = {household: SyncBadge.CONFLICT}
    runner = TaskRunner()
    widget = DossierBadge()
    qtbot.addWidget(widget)
    widget.show()
    try:
        widget.set_source(lambda ids: {i: answers[i] for i in ids if i in answers}, runner)
        widget.show_for(household)
        qtbot.waitUntil(lambda: widget.badge() is SyncBadge.CONFLICT, timeout=20_000)
        assert widget.label.text() == "Conflit à examiner" and widget.review.isVisible()
        with qtbot.waitSignal(widget.review_requested, timeout=2_000) as asked:
            qtbot.mouseClick(widget.review, Qt.MouseButton.LeftButton)
        assert asked.args == [household]
        answers[household] = SyncBadge.SYNCED
        widget.refresh()
        qtbot.waitUntil(lambda: widget.badge() is SyncBadge.SYNCED, timeout=20_000)
        assert widget.label.text() == "Synchronisé" and not widget.review.isVisible()
        del answers[household]  # never synced: no badge at all
        widget.refresh()
        qtbot.waitUntil(lambda: widget.badge() is None, timeout=20_000)
        assert not widget.label.isVisible()
    finally:
        runner.shutdown()
