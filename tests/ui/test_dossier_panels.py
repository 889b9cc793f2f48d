"""The journal side of the dossier: notes, incidents and their banner, closing, the energy tab."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from mediadesk.domain.enums import OutcomeCode
from mediadesk.i18n import format_moment
from mediadesk.services.journal import JournalService
from mediadesk.services.journal_views import ColleagueView, IncidentSeverity
from mediadesk.ui.dialogs import ConfirmDialog
from mediadesk.ui.dossier_view import DossierView
from mediadesk.ui.journal_dialogs import (
    CNIL_REMINDER,
    CloseDossierDialog,
    IncidentDialog,
    IncidentDraft,
    NoteDialog,
    NoteEditDialog,
    NoteHistory,
)
from mediadesk.ui.shell import Shell
from tests.ui.helpers import ShellFactory, search_and_open, unlock

TODAY = date(2026, 11, 29)


@pytest.fixture
def shell(qtbot: QtBot, ui_store: Path, make_shell: ShellFactory) -> Shell:
    shell = make_shell(ui_store)
    unlock(qtbot, shell)
    workspace = shell.workspace()
    assert workspace is not None
    shell.workspace_page.dossier_view.set_journal(
        JournalService(workspace.opened.sessions), shell.runner, today=lambda: TODAY)
    search_and_open(qtbot, shell, "martin")
    view = shell.workspace_page.dossier_view
    qtbot.waitUntil(lambda: view.journal.overview() is not None, timeout=20_000)
    return shell


def _view(shell: Shell) -> DossierView:
    return shell.workspace_page.dossier_view


def test_a_note_written_in_the_dialog_shows_in_the_history(
        qtbot: QtBot, shell: Shell, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[NoteDialog] = []

    def ask(parent: QWidget | None) -> str | None:
        dialog = NoteDialog(parent)
        qtbot.addWidget(dialog)
        seen.append(dialog)
        dialog.show_modal()
        assert not dialog.save_button.isEnabled()
        qtbot.keyClicks(dialog.body, "Facture recue, rappel jeudi.")  # keyClicks: ASCII only
        assert dialog.save_button.isEnabled()
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        return dialog.text() if not dialog.is_waiting() else None

    monkeypatch.setattr(NoteDialog, "ask", ask)
    view = _view(shell)
    qtbot.mouseClick(view.journal.add_note, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(item.detail == "Facture recue, rappel jeudi."
                                for item in view.timeline_model.rows()), timeout=20_000)
    assert seen[0].reminder.text() == CNIL_REMINDER
    assert view.timeline.isVisible()


def _note_row(view: DossierView, text: str) -> int:
    [row] = [r for r, item in enumerate(view.timeline_model.rows())
             if item.kind == "note" and item.detail == text]
    return row


def test_revising_a_note_updates_the_history_and_keeps_the_old_text(
        qtbot: QtBot, shell: Shell, monkeypatch: pytest.MonkeyPatch) -> None:
    view = _view(shell)
    monkeypatch.setattr(NoteDialog, "ask", lambda _parent: "Facture recue.")
    qtbot.mouseClick(view.journal.add_note, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(item.detail == "Facture recue."
                                for item in view.timeline_model.rows()), timeout=20_000)
    assert not view.edit_note.isEnabled()  # nothing selected yet
    view.timeline.selectRow(_note_row(view, "Facture recue."))
    assert view.edit_note.isEnabled()
    note_id = view.timeline_model.rows()[_note_row(view, "Facture recue.")].id

    def revise(parent: QWidget | None, body: str, history: NoteHistory) -> str | None:
        dialog = NoteEditDialog(body, history, parent)
        qtbot.addWidget(dialog)
        dialog.show_modal()
        assert dialog.reminder.text() == CNIL_REMINDER
        assert dialog.body.toPlainText() == "Facture recue."
        assert not dialog.save_button.isEnabled()  # unchanged text
        qtbot.waitUntil(lambda: history.revisions is not None, timeout=20_000)
        assert dialog.history_status.text() == "Cette note n'a jamais été modifiée."
        assert dialog.history_texts() == []
        dialog.body.clear()
        qtbot.keyClicks(dialog.body, "Facture recue le 3, rappel jeudi.")
        assert dialog.save_button.isEnabled()
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        return dialog.text() if not dialog.is_waiting() else None

    monkeypatch.setattr(NoteEditDialog, "ask", revise)
    qtbot.mouseClick(view.edit_note, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(item.detail == "Facture recue le 3, rappel jeudi."
                                for item in view.timeline_model.rows()), timeout=20_000)
    assert not any(item.detail == "Facture recue." for item in view.timeline_model.rows())
    selected = view.selected_note()
    assert selected is not None and selected.id == note_id  # still selected after the reload
    workspace = shell.workspace()
    assert workspace is not None
    history = JournalService(workspace.opened.sessions).note_history(note_id)
    assert [revision.body for revision in history] == [
        "Facture recue.", "Facture recue le 3, rappel jeudi."]

    shown: list[list[str]] = []

    def look(parent: QWidget | None, body: str, history: NoteHistory) -> str | None:
        dialog = NoteEditDialog(body, history, parent)
        qtbot.addWidget(dialog)
        assert dialog.body.toPlainText() == "Facture recue le 3, rappel jeudi."
        qtbot.waitUntil(lambda: history.revisions is not None, timeout=20_000)
        shown.append(dialog.history_texts())
        return None  # cancelled: nothing is written

    monkeypatch.setattr(NoteEditDialog, "ask", look)
    calls: list[object] = []
    monkeypatch.setattr(JournalService, "revise_note", lambda *args: calls.append(args))
    qtbot.keyClick(view.timeline, Qt.Key.Key_Return)
    # The earlier text stays readable, dated and signed, in the history.
    assert shown.pop() == [f"{format_moment(history[0].at)} · Awa Diallo\nFacture recue."]
    row = _note_row(view, "Facture recue le 3, rappel jeudi.")
    rect = view.timeline.visualRect(view.timeline_model.index(row, 2))
    # Qt 6 takes a double-click on a row only after a press on it.
    qtbot.mouseClick(view.timeline.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.timeline.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert len(shown.pop()) == 1
    qtbot.waitUntil(lambda: not shell.runner.busy(), timeout=20_000)
    assert calls == []


def test_an_incident_asking_for_visits_in_pairs_shows_the_banner(
        qtbot: QtBot, shell: Shell, monkeypatch: pytest.MonkeyPatch) -> None:
    offered: list[list[str]] = []

    def ask(parent: QWidget | None, colleagues: list[ColleagueView]) -> IncidentDraft | None:
        dialog = IncidentDialog(colleagues, parent)
        qtbot.addWidget(dialog)
        offered.append([dialog.handed_over.itemText(i) for i in range(dialog.handed_over.count())])
        dialog.severity.setCurrentIndex(dialog.severity.findData(IncidentSeverity.AGGRESSIVE))
        assert dialog.visit_in_pairs.isChecked()  # suggested beyond mere tension
        dialog.handed_over.setCurrentIndex(1)
        dialog.description.insertPlainText("Propos menaçants à l'accueil.")
        return dialog.draft()

    monkeypatch.setattr(IncidentDialog, "ask", ask)
    view = _view(shell)
    assert view.journal.banner.isHidden()
    qtbot.mouseClick(view.journal.report, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.journal.banner.isVisible(), timeout=20_000)
    assert offered == [["Personne pour l'instant", "Awa Diallo"]]
    assert "Visite à deux" in view.journal.banner.text()
    assert "Relais passé à un responsable" in view.journal.banner.text()
    qtbot.waitUntil(lambda: any(item.kind == "incident" for item in view.timeline_model.rows()),
                    timeout=20_000)


def test_an_incident_without_facts_is_not_sent(qtbot: QtBot, shell: Shell) -> None:
    dialog = IncidentDialog([], _view(shell))
    qtbot.addWidget(dialog)
    dialog.show_modal()
    dialog.buttons.accepted.emit()
    assert dialog.is_waiting() and dialog.error.isVisible()


def test_closing_asks_for_an_outcome_and_reopening_clears_it(
        qtbot: QtBot, shell: Shell, monkeypatch: pytest.MonkeyPatch) -> None:
    def ask(parent: QWidget | None, household: str) -> OutcomeCode | None:
        dialog = CloseDossierDialog(household, parent)
        qtbot.addWidget(dialog)
        assert not dialog.close_button.isEnabled()  # no outcome chosen yet
        [plan] = [b for b in dialog.choices.buttons() if b.property("outcome") == "plan_agreed"]
        plan.click()
        assert dialog.close_button.isEnabled()
        return dialog.outcome()

    monkeypatch.setattr(CloseDossierDialog, "ask", ask)
    view = _view(shell)
    assert view.journal.close_or_reopen.text() == "Clore le dossier…"
    qtbot.mouseClick(view.journal.close_or_reopen, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.status.text() == (
        "Dossier clos · motif : Échéancier accepté par le fournisseur"), timeout=20_000)
    assert view.journal.close_or_reopen.text() == "Rouvrir le dossier…"

    monkeypatch.setattr(ConfirmDialog, "ask", lambda *_args: True)
    qtbot.mouseClick(view.journal.close_or_reopen, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.status.text() == "Dossier ouvert", timeout=20_000)
    assert view.journal.close_or_reopen.text() == "Clore le dossier…"


def test_a_cancelled_closing_changes_nothing(qtbot: QtBot, shell: Shell,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    monkeypatch.setattr(JournalService, "close_dossier", lambda *args: calls.append(args))
    monkeypatch.setattr(CloseDossierDialog, "ask", lambda *_args: None)
    view = _view(shell)
    qtbot.mouseClick(view.journal.close_or_reopen, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not shell.runner.busy(), timeout=20_000)
    assert calls == [] and view.status.text() == "Dossier ouvert"


def test_the_energy_tab_says_where_the_truce_stands(shell: Shell) -> None:
    panel = _view(shell).energy_panel
    assert panel.truce.text() == ("Trêve hivernale jusqu'au 31 mars 2027 (encore 123 jours) : "
                                  "pas de coupure pour impayé.")
    assert panel.notice.text() == "Aucune date de facture impayée connue."
    assert panel.autonomy.text() == "Pas encore d'entretien terminé"
