"""Editing the partner profiles: which indicators, in which order."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from mediadesk.services.reports import ReportService
from mediadesk.services.workspace import Workspace
from mediadesk.ui.report_profiles import ReportProfilesDialog
from mediadesk.ui.tasks import TaskRunner


@pytest.fixture
def runner(qtbot: QtBot) -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.shutdown()


@pytest.fixture
def reports(workspace: Workspace) -> ReportService:
    return ReportService(workspace.opened.sessions)


def _open(qtbot: QtBot, reports: ReportService, runner: TaskRunner,
          current: str | None = None) -> ReportProfilesDialog:
    dialog = ReportProfilesDialog(reports, runner, current=current)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.loaded, timeout=20_000):
        dialog.show_modal()
    return dialog


def _shown_codes(dialog: ReportProfilesDialog) -> list[str]:
    return [dialog.indicators.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(dialog.indicators.count())]


def test_a_new_profile_keeps_the_checked_indicators_in_the_order_shown(
        qtbot: QtBot, reports: ReportService, runner: TaskRunner) -> None:
    dialog = _open(qtbot, reports, runner)
    assert dialog.status.text() == "Aucun profil : créez le premier."
    assert dialog.chosen_codes() == [c.code for c in reports.indicator_choices()]
    dialog.none_button.click()
    assert dialog.chosen_codes() == []
    dialog.set_checked("households_met", True)
    dialog.set_checked("incidents", True)
    dialog.indicators.setCurrentRow(_shown_codes(dialog).index("incidents"))
    for _step in range(20):
        dialog.up_button.click()  # up to the top, then no further
    assert _shown_codes(dialog)[0] == "incidents"
    dialog.name.setText("Fondation Abbé Pierre")  # QTest types ASCII only
    with qtbot.waitSignal(dialog.saved, timeout=20_000):
        dialog.save_button.click()
    assert [(p.name, p.codes) for p in reports.report_profiles()] == [
        ("Fondation Abbé Pierre", ("incidents", "households_met"))]
    qtbot.waitUntil(lambda: dialog.profile_list.count() == 1, timeout=20_000)
    assert "enregistré" in dialog.status.text()


def test_a_stored_profile_shows_its_indicators_first_and_checked(
        qtbot: QtBot, reports: ReportService, runner: TaskRunner) -> None:
    reports.save_report_profile("CAF", ["unreachable", "interviews"])
    reports.save_report_profile("Ville", ["interviews"])
    dialog = _open(qtbot, reports, runner, current="CAF")
    assert dialog.current_name() == "CAF" and dialog.name.text() == "CAF"
    assert _shown_codes(dialog)[:2] == ["unreachable", "interviews"]
    assert dialog.chosen_codes() == ["unreachable", "interviews"]
    dialog.indicators.setCurrentRow(0)
    dialog.down_button.click()
    with qtbot.waitSignal(dialog.saved, timeout=20_000):
        dialog.save_button.click()
    assert dict((p.name, p.codes) for p in reports.report_profiles())["CAF"] == (
        "interviews", "unreachable")


def test_a_profile_needs_a_name_and_an_indicator(qtbot: QtBot, reports: ReportService,
                                                 runner: TaskRunner) -> None:
    dialog = _open(qtbot, reports, runner)
    dialog.save_button.click()
    assert dialog.status.text() == "Donnez un nom au profil (celui du partenaire)."
    qtbot.keyClicks(dialog.name, "CAF")
    dialog.none_button.click()
    dialog.save_button.click()
    assert dialog.status.text() == "Cochez au moins un indicateur."
    assert reports.report_profiles() == ()


def test_deleting_a_profile_asks_first(qtbot: QtBot, reports: ReportService,
                                       runner: TaskRunner,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    reports.save_report_profile("CAF", ["interviews"])
    dialog = _open(qtbot, reports, runner)
    answers = [False, True]
    monkeypatch.setattr(dialog, "confirm_delete", lambda _name: answers.pop(0))
    dialog.delete_button.click()
    assert [p.name for p in reports.report_profiles()] == ["CAF"]
    with qtbot.waitSignal(dialog.loaded, timeout=20_000):
        dialog.delete_button.click()
    assert reports.report_profiles() == ()
    assert dialog.profile_list.count() == 0
