"""The funder activity report window: period, profile, background build with progress and
Cancel, then protected PDF and table exports."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import pyzipper
from pypdf import PdfReader
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from mediadesk.services.reports import ReportService
from mediadesk.services.workspace import Workspace
from mediadesk.ui import report_actions
from mediadesk.ui.activity_report import ActivityReportWindow, last_month
from mediadesk.ui.report_preview import ReportPreview
from mediadesk.ui.shell import Shell
from mediadesk.ui.tasks import TaskRunner
from tests.services.test_reports import NOW, closed_interview, new_household
from tests.ui.helpers import ShellFactory, unlock

PASSWORD = "noisetier du jardin 9"


@pytest.fixture
def runner(qtbot: QtBot) -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.shutdown()


@pytest.fixture
def reports(workspace: Workspace) -> ReportService:
    household = new_household(workspace)
    closed_interview(workspace, household, **{"supplier.plan_agreed": True,
                                              "supplier.proposed_monthly_cents": 4_500,
                                              "supplier.plan_start_on": date(2027, 2, 1),
                                              "supplier.supplier_amount_cents": 123_456})
    closed_interview(workspace, household)
    return ReportService(workspace.opened.sessions, clock=lambda: NOW)


@pytest.fixture
def window(qtbot: QtBot, reports: ReportService, runner: TaskRunner) -> ActivityReportWindow:
    window = ActivityReportWindow(reports, runner, today=lambda: date(2027, 2, 15))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.profile.count() > 0, timeout=20_000)
    return window


def _build(qtbot: QtBot, window: ActivityReportWindow) -> None:
    window.build_button.click()
    assert window.progress.isVisible() and window.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: window.built is not None, timeout=20_000)


def _totals(window: ActivityReportWindow) -> dict[str, str]:
    return {window.table.item(row, 0).text(): window.table.item(row, 1).text()
            for row in range(window.table.rowCount())}


def _save_to(monkeypatch: pytest.MonkeyPatch, target: Path) -> list[str]:
    asked: list[str] = []

    def chosen(_parent: object, _caption: str, suggested: str, _filter: str) -> tuple[str, str]:
        asked.append(suggested)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(chosen))
    monkeypatch.setattr(report_actions, "ask_export_password", lambda _parent: PASSWORD)
    return asked


def test_the_period_is_last_month_by_default() -> None:
    assert last_month(date(2027, 2, 15)) == (date(2027, 1, 1), date(2027, 1, 31))
    assert last_month(date(2027, 1, 3)) == (date(2026, 12, 1), date(2026, 12, 31))
    assert last_month(date(2024, 3, 31)) == (date(2024, 2, 1), date(2024, 2, 29))


def test_the_report_is_built_in_the_background_and_its_totals_shown(
        qtbot: QtBot, window: ActivityReportWindow) -> None:
    assert window.chosen_period() == (date(2027, 1, 1), date(2027, 1, 31))
    assert not window.save_button.isEnabled()
    _build(qtbot, window)
    assert not window.progress.isVisible() and not window.cancel_button.isEnabled()
    totals = _totals(window)
    assert totals["Entretiens terminés"] == "2"
    assert totals["Foyers accompagnés (au moins un entretien terminé)"] == "1"
    assert totals["Montant des dettes couvertes par un échéancier"].replace(
        "\u202f", " ").replace("\xa0", " ") == "1 234,56 €"
    assert window.built is not None
    assert "prêt" in window.status.text() and f"{window.built.pages} pages" in \
        window.status.text()
    assert all(b.isEnabled() for b in (window.preview_button, window.save_button,
                                       window.csv_button, window.xlsx_button))


def test_a_reversed_period_is_refused_in_words(window: ActivityReportWindow) -> None:
    window.start.setDate(QDate(2027, 2, 1))
    window.build_button.click()
    assert window.status.text() == "La date de début est après la date de fin."
    assert window.built is None and not window.progress.isVisible()


def test_cancel_stops_the_count(qtbot: QtBot, window: ActivityReportWindow,
                                reports: ReportService,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    gate = threading.Event()
    original = reports.funder_data

    def slow(*args: Any, progress: Any = None, cancel: Any = None, **kw: Any) -> Any:
        def held(done: int, total: int) -> None:
            gate.wait(5)
            progress(done, total)
        return original(*args, progress=held, cancel=cancel, **kw)

    monkeypatch.setattr(reports, "funder_data", slow)
    window.build_button.click()
    window.cancel_button.click()
    gate.set()
    assert window.status.text() == "Rapport annulé."
    assert window.build_button.isEnabled() and not window.progress.isVisible()
    qtbot.waitUntil(lambda: not window._runner.busy(), timeout=10_000)
    assert window.built is None and window.table.rowCount() == 0


def test_a_profile_prints_only_its_indicators_in_its_order(
        qtbot: QtBot, reports: ReportService, runner: TaskRunner) -> None:
    reports.save_report_profile("CAF", ["interviews", "households_met"])
    window = ActivityReportWindow(reports, runner, today=lambda: date(2027, 2, 15))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.profile.count() == 2, timeout=20_000)
    assert window.profile.itemText(0) == "Tous les indicateurs"
    window.profile.setCurrentIndex(1)
    assert window.chosen_profile() == "CAF"
    _build(qtbot, window)
    assert list(_totals(window)) == ["Entretiens terminés",
                                     "Foyers accompagnés (au moins un entretien terminé)"]


def test_the_saved_pdf_needs_the_password(qtbot: QtBot, window: ActivityReportWindow,
                                          tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    asked = _save_to(monkeypatch, tmp_path / "rapport")
    _build(qtbot, window)
    with qtbot.waitSignal(window.saver.saved, timeout=10_000):
        window.save_button.click()
    assert asked == [str(Path.home() / "rapport-activite-2027-01-01-2027-01-31.pdf")]
    reader = PdfReader(tmp_path / "rapport.pdf")
    assert reader.is_encrypted and reader.decrypt("mauvais") == 0
    assert reader.decrypt(PASSWORD) != 0
    assert window.built is not None and len(reader.pages) == window.built.pages
    assert "Rapport d'activité" in reader.pages[0].extract_text()
    assert window.saver.confirmation is not None
    assert "mot de passe" in window.saver.confirmation.informativeText()
    window.saver.confirmation.close()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_table_is_exported_in_an_encrypted_archive(
        qtbot: QtBot, window: ActivityReportWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    target = tmp_path / "tableau"
    asked = _save_to(monkeypatch, target)
    _build(qtbot, window)
    with qtbot.waitSignal(window.saver.saved, timeout=10_000):
        getattr(window, f"{kind}_button").click()
    assert asked[0].endswith(f"-{kind}.zip")
    written = target.with_name("tableau.zip")
    assert window.saver.last_written == written
    with pyzipper.AESZipFile(written) as archive:
        name = "rapport-activite-2027-01-01-2027-01-31." + kind
        assert archive.namelist() == [name]
        with pytest.raises(RuntimeError):
            archive.read(name)  # no password, no content
        archive.setpassword(PASSWORD.encode())
        content = archive.read(name)
    if kind == "csv":
        text = content.decode("utf-8-sig")
        assert "interviews;Entretiens terminés;ensemble" in text
    else:
        import openpyxl

        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        codes = [row[0] for row in sheet.iter_rows(min_row=4, values_only=True)]
        assert "interviews" in codes
    window.saver.confirmation.close()  # type: ignore[union-attr]


def test_the_preview_opens_on_the_built_report(qtbot: QtBot,
                                               window: ActivityReportWindow) -> None:
    _build(qtbot, window)
    window.preview_button.click()
    preview = window.preview
    assert isinstance(preview, ReportPreview)
    qtbot.waitUntil(lambda: preview.page_total > 0, timeout=10_000)
    assert window.built is not None and preview.shown_pages() == window.built.pages
    preview.close()


def test_the_main_menu_opens_the_window_hidden_while_locked(
        qtbot: QtBot, ui_store: Path, make_shell: ShellFactory) -> None:
    shell: Shell = make_shell(ui_store)
    assert not shell.activity_action.isEnabled()
    unlock(qtbot, shell)
    assert shell.activity_action.isEnabled()
    shell.activity_action.trigger()
    window = shell.findChild(ActivityReportWindow)
    assert window is not None and window.isVisible()
    shell.lock()
    assert not window.isVisible()


def test_profiles_edited_from_the_window_are_offered_at_once(
        qtbot: QtBot, window: ActivityReportWindow, reports: ReportService) -> None:
    from PySide6.QtCore import QTimer

    from mediadesk.ui.report_profiles import ReportProfilesDialog

    def edit() -> None:
        dialog = window.findChild(ReportProfilesDialog)
        assert dialog is not None
        qtbot.waitUntil(lambda: dialog.name.isEnabled(), timeout=20_000)
        dialog.name.setText("Ville de Lille")
        dialog.none_button.click()
        dialog.set_checked("incidents", True)
        with qtbot.waitSignal(dialog.saved, timeout=20_000):
            dialog.save_button.click()
        dialog.accept()

    QTimer.singleShot(0, edit)
    window.profiles_button.click()
    qtbot.waitUntil(lambda: window.profile.count() == 2, timeout=20_000)
    assert window.chosen_profile() == "Ville de Lille"
    assert [p.codes for p in reports.report_profiles()] == [("incidents",)]
