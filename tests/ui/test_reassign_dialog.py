"""The "Changer de référent…" button and its dialog, over a real encrypted store: shown to team
leads only, the chosen member becomes the referent."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from mediadesk.domain.enums import Role
from mediadesk.services.reassign import ReferentChoice, reassign_service
from mediadesk.services.workspace import Workspace, unlock_workspace
from mediadesk.store.models import Household, User
from mediadesk.ui.reassign_dialog import ReassignButton, ReassignDialog
from mediadesk.ui.tasks import TaskRunner
from tests.services.roles import set_role
from tests.ui.helpers import UI_PASSPHRASE


@pytest.fixture
def workspace(ui_store: Path) -> Iterator[Workspace]:
    workspace = unlock_workspace(ui_store, UI_PASSPHRASE)
    yield workspace
    workspace.close()


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.shutdown()


def colleague(workspace: Workspace) -> uuid.UUID:
    """Another member of the team (as a sync would have brought her)."""
    with workspace.opened.sessions.begin() as session:
        me = session.get(User, workspace.actor.user_id)
        assert me is not None
        other = User(display_name="Inès Moreau", role=Role.MEDIATOR, languages=["fr"],
                     scope_id=me.scope_id)
        session.add(other)
        session.flush()
        return other.id


def martin(workspace: Workspace) -> uuid.UUID:
    with workspace.opened.sessions() as session:
        household = session.query(Household).filter_by(name="Famille Martin").one()
        return household.id


def test_a_team_lead_picks_the_new_referent_in_the_dialog(
    qtbot: QtBot, workspace: Workspace, runner: TaskRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_role(workspace, Role.TEAM_LEAD)
    ines, household = colleague(workspace), martin(workspace)
    asked: list[ReferentChoice] = []

    def choose(_parent: object, choice: ReferentChoice) -> uuid.UUID:
        asked.append(choice)
        return ines

    monkeypatch.setattr(ReassignDialog, "ask", choose)
    button = ReassignButton()
    qtbot.addWidget(button)
    button.set_service(reassign_service(workspace), runner)
    qtbot.waitUntil(lambda: not button.isHidden(), timeout=20_000)
    button.show_for(household)
    with qtbot.waitSignal(button.reassigned, timeout=20_000) as done:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert done.args == [household]
    assert [m.name for m in asked[0].members] == ["Awa Diallo", "Inès Moreau"]
    with workspace.opened.sessions() as session:
        stored = session.get(Household, household)
        assert stored is not None and stored.referent_id == ines


def test_the_button_stays_hidden_for_a_mediator(
    qtbot: QtBot, workspace: Workspace, runner: TaskRunner
) -> None:
    button = ReassignButton()
    qtbot.addWidget(button)
    button.set_service(reassign_service(workspace), runner)
    qtbot.waitUntil(lambda: not runner.is_running("reassign-role"), timeout=20_000)
    assert button.isHidden()


def test_the_dialog_lists_the_team_and_starts_on_the_current_referent(
    qtbot: QtBot, workspace: Workspace
) -> None:
    set_role(workspace, Role.TEAM_LEAD)
    ines = colleague(workspace)
    service = reassign_service(workspace)
    service.reassign(martin(workspace), ines)
    choice = service.choices(martin(workspace))
    dialog = ReassignDialog(choice)
    qtbot.addWidget(dialog)
    assert dialog.current.text() == "Inès Moreau"
    assert [dialog.members.itemText(i) for i in range(dialog.members.count())] == [
        "Awa Diallo", "Inès Moreau"]
    assert dialog.chosen() == ines
    dialog.members.setCurrentIndex(0)
    assert dialog.chosen() == workspace.actor.user_id
