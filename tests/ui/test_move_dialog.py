"""The "Changer d'équipe…" button and its dialog: a team lead of two teams moves a dossier through
the real server code (in process), sees each step and the result; errors are shown in French."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from mediadesk.domain.enums import Role
from mediadesk.services.dossier_move import (
    DossierMoved,
    DossierMoveService,
    MoveChoice,
    Progress,
    TeamChoice,
    dossier_move_service,
)
from mediadesk.services.workspace import Workspace, unlock_workspace
from mediadesk.store.models import Household
from mediadesk.sync.client import SyncClient
from mediadesk.ui.dossier_view import DossierView
from mediadesk.ui.move_dialog import MoveButton, MoveDialog
from mediadesk.ui.tasks import TaskRunner
from tests.services.roles import set_role
from tests.sync.laptops import Laptop
from tests.sync.server.fixtures import Server, make_server
from tests.ui.helpers import UI_PASSPHRASE

LEAD = "chef@pimms.test"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    srv = make_server(f"sqlite:///{tmp_path / 'server.sqlite3'}", postgres=False)
    for team in ("Lyon Est", "Lyon Ouest"):
        srv.team(team)
        srv.member(LEAD, team, "team_lead")
    yield srv
    srv.close()


@pytest.fixture
def lead(server: Server, tmp_path: Path) -> Iterator[Laptop]:
    laptop = Laptop.enrolled(server, tmp_path, "chef", LEAD)
    laptop.sync()
    yield laptop
    laptop.close()


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.shutdown()


def _dossier(lead: Laptop) -> uuid.UUID:
    household = lead.new_household("Famille Fakeroux")
    lead.sync()
    return uuid.UUID(hex=household)


def _team_of(laptop: Laptop, household: uuid.UUID) -> str:
    with laptop.workspace.opened.sessions() as session:
        found = session.get(Household, household)
        assert found is not None and found.scope_id is not None
        return found.scope_id.hex


def _offline(_url: str) -> SyncClient:
    return SyncClient("http://127.0.0.1:9", retries=0, timeout=2)  # nothing listens there


def test_the_dialog_names_the_dossier_and_both_teams_then_moves_it(
    qtbot: QtBot, server: Server, lead: Laptop, runner: TaskRunner
) -> None:
    household = _dossier(lead)
    service = dossier_move_service(lead.workspace, lambda _url: server.client())
    choice = service.teams_for_move(household)
    [target] = choice.targets
    dialog = MoveDialog(choice, service, runner)
    qtbot.addWidget(dialog)
    dialog.show_modal()

    assert [dialog.teams.itemText(i) for i in range(dialog.teams.count())] == [target.name]
    sentence = dialog.confirmation.text()
    assert "« Famille Fakeroux »" in sentence
    assert f"« {choice.current.name} »" in sentence and f"« {target.name} »" in sentence
    qtbot.mouseClick(dialog.move_button, Qt.MouseButton.LeftButton)
    assert dialog.is_running() and not dialog.move_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.moved is not None, timeout=15_000)

    assert dialog.outcome.text() == (
        f"Le dossier « Famille Fakeroux » fait désormais partie de l'équipe « {target.name} ».")
    assert dialog.move_button.isHidden() and dialog.close_button.text() == "Fermer"
    assert _team_of(lead, household) == target.id
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and not dialog.is_waiting()


def test_offline_the_dialog_says_why_and_the_dossier_keeps_its_team(
    qtbot: QtBot, lead: Laptop, runner: TaskRunner
) -> None:
    household = _dossier(lead)
    before = _team_of(lead, household)
    service = dossier_move_service(lead.workspace, _offline)
    dialog = MoveDialog(service.teams_for_move(household), service, runner)
    qtbot.addWidget(dialog)
    dialog.show_modal()

    qtbot.mouseClick(dialog.move_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.outcome.isVisible(), timeout=15_000)

    assert "injoignable" in dialog.outcome.text()
    assert "n'a pas changé d'équipe" in dialog.outcome.text()
    assert dialog.moved is None and dialog.move_button.isEnabled()  # may try again
    assert dialog.progress.isHidden()
    assert _team_of(lead, household) == before


class _Waiting(DossierMoveService):
    """A move that waits for the test to let the server answer."""

    def __init__(self, answer: threading.Event) -> None:
        super().__init__(None, None, None)  # type: ignore[arg-type]
        self.answer = answer

    def move(self, household_id: uuid.UUID, to_team: str, *,
             progress: Progress | None = None) -> DossierMoved:
        if progress is not None:
            progress(1, 3)
        self.answer.wait(60)  # until the test lets the server answer
        return DossierMoved(household_id, "Famille Fakeroux", TeamChoice("a" * 32, "Nord"),
                            TeamChoice(to_team, "Sud"), 4, False)


def test_the_dialog_shows_each_step_and_stays_open_until_the_server_answers(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    answer = threading.Event()
    choice = MoveChoice(uuid.uuid4(), "Famille Fakeroux", TeamChoice("a" * 32, "Nord"),
                        (TeamChoice("b" * 32, "Sud"),))
    dialog = MoveDialog(choice, _Waiting(answer), runner)
    qtbot.addWidget(dialog)
    dialog.show_modal()
    qtbot.mouseClick(dialog.move_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.progress.value() == 1, timeout=20_000)

    assert dialog.step.text() == "Changement d'équipe sur le serveur…"
    dialog.reject()  # Échap, or the window's close button
    dialog.close()
    assert dialog.isVisible() and not dialog.close_button.isEnabled()
    answer.set()
    qtbot.waitUntil(lambda: dialog.moved is not None, timeout=20_000)
    assert "à la prochaine synchronisation" in dialog.outcome.text()  # not here yet
    dialog.reject()
    assert not dialog.isVisible()


def test_a_dialog_closed_by_the_shell_while_the_server_is_asked_drops_the_answer(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    answer = threading.Event()
    choice = MoveChoice(uuid.uuid4(), "Famille Fakeroux", TeamChoice("a" * 32, "Nord"),
                        (TeamChoice("b" * 32, "Sud"),))
    dialog = MoveDialog(choice, _Waiting(answer), runner)
    dialog.show_modal()
    qtbot.mouseClick(dialog.move_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.progress.value() == 1, timeout=20_000)
    gone: list[bool] = []
    dialog.destroyed.connect(lambda: gone.append(True))
    dialog.deleteLater()  # what the shell does to its windows when the workspace goes
    qtbot.waitUntil(lambda: bool(gone), timeout=20_000)
    answer.set()
    qtbot.waitUntil(lambda: not runner.busy(), timeout=20_000)  # no call into a deleted widget


def test_a_lead_s_dossier_view_offers_the_move_and_reloads_the_dossier_after_it(
    qtbot: QtBot, server: Server, lead: Laptop, runner: TaskRunner,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    household = _dossier(lead)
    asked: list[MoveChoice] = []

    def confirm(_parent: object, choice: MoveChoice, service: DossierMoveService,
                _runner: TaskRunner) -> DossierMoved:
        asked.append(choice)
        return service.move(choice.household_id, choice.targets[0].id)

    monkeypatch.setattr(MoveDialog, "ask", confirm)
    view = DossierView()
    qtbot.addWidget(view)
    service = dossier_move_service(lead.workspace, lambda _url: server.client())
    view.change_team.set_service(service, runner)
    view.show_dossier(lead.workspace.dossiers.open_dossier(household))
    view.show()
    qtbot.waitUntil(lambda: view.change_team.isVisible(), timeout=20_000)

    assert view.change_team.isEnabled() and view.change_team.text() == "Changer d'équipe…"
    # A lead's action sits with the dossier's management ("Clore le dossier…"), not among the
    # everyday buttons of the title row.
    row = view.journal.close_or_reopen.mapTo(view, QPoint(0, 0)).y()
    assert view.change_team.mapTo(view, QPoint(0, 0)).y() == row
    assert view.edit.mapTo(view, QPoint(0, 0)).y() < row
    with qtbot.waitSignal(view.journal_changed, timeout=15_000) as reload:
        qtbot.mouseClick(view.change_team, Qt.MouseButton.LeftButton)
    assert reload.args == [household]
    assert asked[0].household_name == "Famille Fakeroux"
    assert _team_of(lead, household) == asked[0].targets[0].id


@pytest.fixture
def workspace(ui_store: Path) -> Iterator[Workspace]:
    workspace = unlock_workspace(ui_store, UI_PASSPHRASE)
    yield workspace
    workspace.close()


def test_the_button_is_hidden_from_a_mediator_and_disabled_before_enrolment(
    qtbot: QtBot, workspace: Workspace, runner: TaskRunner
) -> None:
    button = MoveButton()
    qtbot.addWidget(button)
    button.set_service(dossier_move_service(workspace), runner)
    qtbot.waitUntil(lambda: not runner.is_running("move-access"), timeout=20_000)
    assert button.isHidden()  # a mediator (the answer came: the button stayed hidden)

    set_role(workspace, Role.TEAM_LEAD)
    button.set_service(dossier_move_service(workspace), runner)
    qtbot.waitUntil(lambda: not button.isHidden(), timeout=20_000)
    assert not button.isEnabled()  # this laptop is not enrolled
    assert "inscrit" in button.toolTip()
