"""Crash reports: types and frames for the administrator, never the personal data an error
message may carry; the last 20 kept; one report per burst of identical errors."""

from __future__ import annotations

import logging
import os
import re
import stat
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from mediadesk.services.crash_report import (
    KEEP,
    CrashRecorder,
    CrashReports,
    Environment,
    format_report,
    short_path,
)
from tests.services.dossier_builder import PERSONAL

NAME = PERSONAL["household.name"]
DEBT = PERSONAL["debt.description"]
FIRST_NAME = PERSONAL["person.first_name"]
ENVIRONMENT = Environment("9.8.7", "3.11.7 (CPython)", "6.11.3 (PySide6 6.11.3)", "Linux-x86_64")
MOMENT = datetime(2026, 12, 2, 11, 50, 24, tzinfo=UTC)


class DebtError(Exception):
    """An error of the kind that quotes what was stored."""


def _save_debt(household: str, description: str) -> None:
    amount_owed = f"{household} : {description}, 1 234,56 €"  # a local holding personal data
    raise DebtError(amount_owed)


def _open_dossier(household: str) -> None:
    try:
        _save_debt(household, DEBT)
    except DebtError as error:
        raise RuntimeError(f"dossier de {FIRST_NAME} illisible") from error


def _caught() -> BaseException:
    try:
        _open_dossier(NAME)
    except RuntimeError as error:
        return error
    raise AssertionError("no error raised")


def _report(error: BaseException) -> str:
    return format_report(error, environment=ENVIRONMENT, when=MOMENT, where="GUI thread",
                         thread="MainThread")


def _assert_nothing_personal(text: str) -> None:
    for value in (NAME, DEBT, FIRST_NAME, "Quennehen", "1 234,56", "illisible", "amount_owed"):
        assert value not in text


def test_the_report_names_every_type_and_frame_of_the_chain_but_no_message() -> None:
    text = _report(_caught())
    assert "exception: RuntimeError" in text
    assert f"caused by: {__name__}.DebtError" in text
    for function in ("_caught", "_open_dossier", "_save_debt"):
        assert re.search(rf"^  tests/services/test_crash_report\.py:\d+ in {function}$", text,
                         re.MULTILINE), function
    _assert_nothing_personal(text)


def test_the_report_states_the_time_the_versions_and_where_it_happened() -> None:
    text = _report(_caught())
    for line in ("time: 2026-12-02T11:50:24+00:00", "app: 9.8.7", "python: 3.11.7 (CPython)",
                 "qt: 6.11.3 (PySide6 6.11.3)", "os: Linux-x86_64", "where: GUI thread",
                 "thread: MainThread"):
        assert line in text.splitlines()


def test_exception_groups_list_their_members_types_without_messages() -> None:
    try:
        raise ExceptionGroup(NAME, [KeyError(FIRST_NAME), DebtError(DEBT)])
    except ExceptionGroup as group:
        text = _report(group)
    assert "KeyError" in text
    assert "DebtError" in text
    _assert_nothing_personal(text)


def test_paths_are_shortened_so_the_home_directory_stays_out() -> None:
    roots = ["/home/yasmina.quennehen/.venv/lib/python3.11/site-packages"]
    inside = roots[0] + "/mediadesk/ui/shell.py"
    assert short_path(inside, roots) == "mediadesk/ui/shell.py"
    assert short_path("/home/yasmina.quennehen/scratch/tool.py", roots) == "…/tool.py"
    assert short_path("<frozen runpy>", roots) == "<frozen runpy>"


def test_a_written_report_holds_no_message_and_only_its_owner_reads_it(tmp_path: Path) -> None:
    recorder = CrashRecorder(CrashReports(tmp_path / "log"), lambda: ENVIRONMENT)
    crash = recorder.record(_caught(), where="Python thread", thread="Thread-3")
    assert crash.path is not None
    content = crash.path.read_text(encoding="utf-8")
    assert content == crash.text
    assert "caused by: " in content
    _assert_nothing_personal(content)
    if os.name == "posix":
        assert stat.S_IMODE(crash.path.stat().st_mode) == 0o600


def test_the_report_is_logged_at_error_scrubbed_too(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    recorder = CrashRecorder(CrashReports(tmp_path), lambda: ENVIRONMENT)
    with caplog.at_level(logging.ERROR, logger="mediadesk.services.crash_report"):
        crash = recorder.record(_caught(), where="GUI thread", thread="MainThread")
    logged = caplog.text
    assert crash.text in logged
    _assert_nothing_personal(logged)


def test_only_the_last_twenty_reports_are_kept(tmp_path: Path) -> None:
    reports = CrashReports(tmp_path)
    written = [reports.write(f"report {number}\n", MOMENT + timedelta(minutes=number))
               for number in range(KEEP + 5)]
    kept = reports.reports()
    assert len(kept) == KEEP == 20
    assert kept == written[5:]
    (tmp_path / "notes.txt").write_text("someone else's file")
    reports.write("one more\n", MOMENT + timedelta(days=1))
    assert len(reports.reports()) == KEEP
    assert (tmp_path / "notes.txt").exists()


def test_two_reports_in_the_same_microsecond_both_survive(tmp_path: Path) -> None:
    reports = CrashReports(tmp_path)
    first = reports.write("a\n", MOMENT)
    second = reports.write("b\n", MOMENT)
    assert first != second
    assert first.read_text() == "a\n" and second.read_text() == "b\n"


def test_a_burst_of_the_same_error_writes_one_report(tmp_path: Path) -> None:
    now = [100.0]
    recorder = CrashRecorder(CrashReports(tmp_path), lambda: ENVIRONMENT, burst_window_s=30,
                             clock=lambda: now[0])
    crashes = []
    for _ in range(5):
        crashes.append(recorder.record(_caught(), where="GUI thread", thread="MainThread"))
        now[0] += 1
    assert len(recorder.reports.reports()) == 1
    assert [crash.repeats for crash in crashes] == [0, 1, 2, 3, 4]
    assert len({crash.path for crash in crashes}) == 1

    try:
        raise KeyError(FIRST_NAME)
    except KeyError as other:
        different = recorder.record(other, where="GUI thread", thread="MainThread")
    assert different.repeats == 0
    assert len(recorder.reports.reports()) == 2

    now[0] += 31  # quiet for longer than the window: a new burst, a new report
    again = recorder.record(_caught(), where="GUI thread", thread="MainThread")
    assert again.repeats == 0
    assert len(recorder.reports.reports()) == 3


def test_a_report_that_cannot_be_written_is_still_returned_and_logged(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    blocked = tmp_path / "log"
    blocked.write_text("a file where the directory should be")
    recorder = CrashRecorder(CrashReports(blocked), lambda: ENVIRONMENT)
    with caplog.at_level(logging.ERROR, logger="mediadesk.services.crash_report"):
        crash = recorder.record(_caught(), where="GUI thread", thread="MainThread")
    assert crash.path is None
    assert "exception: RuntimeError" in crash.text
    assert "crash report not written" in caplog.text
    _assert_nothing_personal(caplog.text)


def test_the_default_environment_names_this_python() -> None:
    environment = Environment.current("1.2.3")
    assert environment.app == "1.2.3"
    assert environment.python.startswith(".".join(map(str, sys.version_info[:2])))
