"""A field someone else changed while it is being typed in is not overwritten under the
mediator's fingers: a real sync (in-process server, two real encrypted stores) brings Paul's
value, the typed text stays, is saved here, and the field is flagged; a field nobody is typing
in shows the received value."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from mediadesk.services.remote_edits import ANSWER, HOUSEHOLD, RemoteEdit, keeps_typing
from mediadesk.services.sync import sync_service
from mediadesk.services.workspace import unlock_workspace
from mediadesk.ui.household_editor import HouseholdEditor
from mediadesk.ui.interview.wizard import InterviewWizard
from mediadesk.ui.shell import Shell
from mediadesk.ui.tasks import TaskRunner
from tests.sync.laptops import Laptop
from tests.sync.server.fixtures import Server, make_server
from tests.ui.helpers import UI_PASSPHRASE, ShellFactory, search_and_open, unlock
from tests.ui.interview.helpers import saved_state, start_interview
from tests.ui.test_sync_panel import URL, Connector

EMAIL, PAUL = "awa@pimms.test", "paul@pimms.test"
TYPING = "reception.person_met"
UNTOUCHED = "reception.presentation_script_read"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    srv = make_server(f"sqlite:///{tmp_path / 'server.sqlite3'}", postgres=False)
    srv.team("Lyon Est")
    srv.member(EMAIL, "Lyon Est")
    srv.member(PAUL, "Lyon Est")
    yield srv
    srv.close()


@pytest.fixture
def shell(qtbot: QtBot, make_shell: ShellFactory, ui_store: Path, server: Server) -> Shell:
    workspace = unlock_workspace(ui_store, UI_PASSPHRASE)
    try:
        sync_service(workspace, lambda _url: server.client()).enrol(URL, server.code(EMAIL))
    finally:
        workspace.close()
    # typing is debounced for long: the value typed is still waiting when the sync lands
    shell = make_shell(ui_store, sync_connect=Connector(server), save_debounce_ms=60_000)
    shell.sync_panel.start_delay_ms = 600_000
    unlock(qtbot, shell)
    qtbot.waitUntil(lambda: shell.sync_panel.status() is not None, timeout=20_000)
    return shell


@pytest.fixture
def paul(server: Server, tmp_path: Path) -> Iterator[Laptop]:
    laptop = Laptop.enrolled(server, tmp_path, "Paul", PAUL)
    yield laptop
    laptop.close()


def sync(qtbot: QtBot, shell: Shell) -> None:
    with qtbot.waitSignal(shell.sync_panel.synced, timeout=15_000):
        shell.sync_action.trigger()


def deliver_remote_edits(shell: Shell) -> None:
    """What the shell's hook does (patch shell-remote-edits.diff): the panel's remote edits
    go to the wizard shown and to open household editors."""
    page = shell.workspace_page

    def deliver(edits: list[RemoteEdit]) -> None:
        if page.interview_shown():
            page.wizard.apply_remote_edits(edits)
        for editor in shell.findChildren(HouseholdEditor):
            editor.apply_remote_edits(edits)

    shell.sync_panel.remote_edits.connect(deliver)


def test_a_field_being_typed_keeps_the_typing_and_is_flagged_when_a_sync_changes_it(
    qtbot: QtBot, shell: Shell, paul: Laptop
) -> None:
    deliver_remote_edits(shell)
    search_and_open(qtbot, shell, "martin")
    wizard: InterviewWizard = start_interview(qtbot, shell)
    view = wizard.view()
    assert view is not None
    binding = wizard.form[TYPING]
    binding.focus()
    qtbot.keyClicks(binding.field, "Mme Martin")
    binding.field.clearFocus()  # saved at once on leaving the field
    saved_state(qtbot, shell)
    sync(qtbot, shell)

    paul.sync()
    paul.workspace.interviews.save_answer(view.id, TYPING, "M. Martin, le fils")
    paul.workspace.interviews.save_answer(view.id, UNTOUCHED, True)
    paul.sync()

    binding.focus()
    qtbot.keyClicks(binding.field, " (tante)")  # still typing: waits for the debounce
    assert wizard.saver.is_pending(TYPING)
    sync(qtbot, shell)

    typed = "Mme Martin (tante)"
    assert binding.field.value() == typed  # not replaced under the fingers
    flag = binding.shown_flag()
    assert flag is not None and flag.isVisible() and flag.keeps_typing()
    assert flag.message.text() == "Modifié à distance par Paul — votre saisie est conservée."
    qtbot.mouseClick(flag.see_button, Qt.MouseButton.LeftButton)
    assert flag.received.text() == "Valeur reçue : M. Martin, le fils"
    assert saved_state(qtbot, shell).answer(TYPING) == typed  # the typing wins here
    # the field nobody was typing in shows Paul's value
    script = wizard.form[UNTOUCHED]
    assert script.field.value() is True and wizard.state.answer(UNTOUCHED) is True
    note = script.shown_flag()
    assert note is not None and note.message.text() == "Mis à jour à distance par Paul."

    # the typing then syncs as an ordinary edit: Paul receives it
    sync(qtbot, shell)
    paul.sync()
    assert paul.workspace.interviews.open(view.id).state.answer(TYPING) == typed

    qtbot.mouseClick(flag.take_button, Qt.MouseButton.LeftButton)
    assert binding.field.value() == "M. Martin, le fils" and binding.shown_flag() is None
    assert saved_state(qtbot, shell).answer(TYPING) == "M. Martin, le fils"


def test_the_household_editor_keeps_what_is_typed_and_shows_the_other_changes(
    qtbot: QtBot, shell: Shell, paul: Laptop
) -> None:
    search_and_open(qtbot, shell, "martin")
    dossier = shell.workspace_page.current_dossier()
    assert dossier is not None
    sync(qtbot, shell)
    paul.sync()
    household = dossier.household.id
    paul.edit(household.hex, city="Montreuil", email="martin@example.org")
    paul.sync()

    runner = TaskRunner()
    editor = HouseholdEditor(runner, lambda draft: dossier, dossier, shell)
    qtbot.addWidget(editor)
    editor.show()
    city = editor.fields["city"]
    city.setFocus()
    city.clear()
    qtbot.keyClicks(city, "Bagnolet")
    deliver_remote_edits(shell)
    sync(qtbot, shell)
    qtbot.waitUntil(lambda: editor.fields["email"].text() == "martin@example.org",
                    timeout=20_000)
    assert city.text() == "Bagnolet"
    flag = editor.flags["city"]
    assert flag.keeps_typing() and "Paul" in flag.message.text()
    assert editor.draft().email == "martin@example.org" and editor.draft().city == "Bagnolet"
    qtbot.mouseClick(flag.take_button, Qt.MouseButton.LeftButton)
    assert city.text() == "Montreuil"
    runner.shutdown()


@pytest.mark.parametrize(("typed", "received", "editing", "kept"), [
    ("Mme Martin", "M. Martin", True, True),
    ("Mme Martin", "M. Martin", False, False),
    ("Mme Martin", "Mme Martin", True, False),  # the same value: nothing to flag
])
def test_only_a_field_being_edited_with_another_value_keeps_its_typing(
    typed: str, received: str, editing: bool, kept: bool
) -> None:
    assert keeps_typing(typed=typed, received=received, editing=editing) is kept


def test_a_remote_edit_concerns_only_its_own_interview_or_household() -> None:
    owner = uuid.uuid4()
    edit = RemoteEdit(ANSWER, owner, TYPING, "x", "Paul")
    assert edit.concerns(ANSWER, owner)
    assert not edit.concerns(HOUSEHOLD, owner)
    assert not edit.concerns(ANSWER, uuid.uuid4()) and not edit.concerns(ANSWER, None)


def test_a_sync_reports_what_others_changed_with_their_name_never_its_own(
    server: Server, tmp_path: Path
) -> None:
    awa = Laptop.enrolled(server, tmp_path, "Awa", EMAIL)
    paul = Laptop.enrolled(server, tmp_path, "Paul", PAUL)
    try:
        rows = [awa.new_household(f"Famille {n}") for n in range(510)]  # more than a batch
        assert awa.sync().remote_edits == []
        paul.sync()
        for row in rows:
            paul.edit(row, city="Vénissieux")
        assert paul.sync().remote_edits == []  # its own edits come back, not reported
        edits = awa.sync(confirm_mass_change=True).remote_edits  # every dossier: it asks
        assert len(edits) == 510
        assert {(e.entity, e.field, e.value, e.author) for e in edits} == {
            (HOUSEHOLD, "city", "Vénissieux", "Paul")}
        assert {e.owner.hex for e in edits} == set(rows)
    finally:
        awa.close()
        paul.close()
