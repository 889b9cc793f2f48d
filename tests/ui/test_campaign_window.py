"""The campaign window's assignment, call sheet and partner return, on a real store, real task
lanes and real files read back (the file and password dialogs are monkeypatched)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
import pyzipper
from pypdf import PdfReader
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from mediadesk.services.campaign import campaign_service
from mediadesk.services.listing import listing_service
from mediadesk.services.workspace import Workspace
from mediadesk.store.models import HouseholdLanguage, ReferralEntry, User
from mediadesk.ui import report_actions
from mediadesk.ui.campaign import CampaignWindow
from mediadesk.ui.tasks import TaskRunner
from tests.services.listing.files import csv_bytes, people
from tests.ui.test_listing_campaign import cell

PASSWORD = "campagne-de-novembre"


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.shutdown()


@pytest.fixture
def window(qtbot: QtBot, workspace: Workspace, runner: TaskRunner) -> CampaignWindow:
    listing = listing_service(workspace)
    listing.commit(listing.preview(csv_bytes(people(3, seed=5)), source_name="l.csv"))
    with workspace.opened.sessions.begin() as session:
        session.add(User(display_name="Yasmina Benali", languages=["fr", "ar"],
                         scope_id=workspace.actor.team_id))
        first = session.query(ReferralEntry).order_by(ReferralEntry.line_no).first()
        assert first is not None and first.household_id is not None
        session.add(HouseholdLanguage(household_id=first.household_id, language="ar"))
    shown = CampaignWindow(campaign_service(workspace), runner)
    qtbot.addWidget(shown)
    with qtbot.waitSignal(shown.loaded, timeout=10_000):
        shown.reload()
    assert shown.table.rowCount() == 3
    return shown


def _choose(monkeypatch: pytest.MonkeyPatch, target: Path, password: str | None = PASSWORD
            ) -> list[str]:
    suggested: list[str] = []

    def chosen(_parent: object, _caption: str, name: str, _filter: str) -> tuple[str, str]:
        suggested.append(name)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(chosen))
    monkeypatch.setattr(report_actions, "ask_export_password", lambda _parent: password)
    return suggested


def test_the_mediator_speaking_the_language_is_suggested_and_assigned(
        qtbot: QtBot, window: CampaignWindow) -> None:
    window.table.selectRow(0)
    qtbot.waitUntil(lambda: "Yasmina Benali" in window.suggestion_label.text(), timeout=10_000)
    assert "ar" in window.suggestion_label.text()
    assert window.assignee_box.currentText() == "Yasmina Benali"
    selection = window.table.selectionModel()
    selection.select(window.table.model().index(2, 0),
                     QItemSelectionModel.SelectionFlag.Select
                     | QItemSelectionModel.SelectionFlag.Rows)
    assert [e.line_no for e in window.selected_entries()] == [2, 4]
    with qtbot.waitSignal(window.assigned, timeout=10_000) as signal, \
            qtbot.waitSignal(window.loaded, timeout=10_000):
        window.assign_button.click()
    assert signal.args == [2]
    assert [cell(window.table, row, 5) for row in range(3)] == [
        "Yasmina Benali", "", "Yasmina Benali"]
    assert "2 personnes attribuées" in window.status.text()


def test_the_call_sheet_is_built_then_saved_encrypted_without_wrong_numbers(
        qtbot: QtBot, window: CampaignWindow, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    target = tmp_path / "feuille"  # no suffix: ".pdf" is added
    suggested = _choose(monkeypatch, target)
    window.table.selectRow(1)
    wrong = window.entries[1].next_phone
    assert wrong is not None
    window.outcome_box.setCurrentIndex(window.outcome_box.findData("wrong_number"))
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        window.record()
    window.table.selectRow(0)
    with qtbot.waitSignal(window.saver.saved, timeout=20_000) as signal:
        window.sheet_button.click()
    assert signal.args[0] == tmp_path / "feuille.pdf"
    assert suggested[0].endswith("feuille-appels-edf.pdf")
    reader = PdfReader(signal.args[0])
    assert reader.is_encrypted
    reader.decrypt(PASSWORD)
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    for entry in window.entries:
        assert entry.household_name in text
    assert wrong.number not in text
    assert window.entries[0].next_phone is not None
    assert window.entries[0].next_phone.number in text
    assert "CONFIDENTIEL" in text


def test_the_partner_return_is_saved_in_an_encrypted_archive(
        qtbot: QtBot, window: CampaignWindow, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    target = tmp_path / "retour.zip"
    _choose(monkeypatch, target)
    window.table.selectRow(0)
    with qtbot.waitSignal(window.saver.saved, timeout=20_000):
        window.return_button.click()
    with pyzipper.AESZipFile(target) as archive:
        [name] = archive.namelist()
        archive.setpassword(PASSWORD.encode())
        rows = list(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig")),
                               delimiter=";"))
    assert name.startswith("retour-edf-")
    assert [r[:2] for r in rows] == [["reference_client", "resultat"],
                                     ["CR40000000", "pending"], ["CR40000001", "pending"],
                                     ["CR40000002", "pending"]]


def test_nothing_is_written_when_the_password_is_cancelled(
        qtbot: QtBot, window: CampaignWindow, runner: TaskRunner,
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    out = tmp_path / "sorties"
    out.mkdir()
    target = out / "feuille.pdf"
    _choose(monkeypatch, target, password=None)
    window.table.selectRow(0)
    window.sheet_button.click()
    qtbot.waitUntil(lambda: "prête" in window.status.text(), timeout=20_000)
    window.return_button.click()
    # whatever the click started has finished (not a guessed pause): nothing was written
    qtbot.waitUntil(lambda: not runner.busy(), timeout=20_000)
    assert list(out.iterdir()) == []  # not even a temporary file
    assert window.saver.last_written is None
