"""Unhandled errors: caught on the GUI thread, in Python threads and in background tasks; one
French dialog per burst, a scrubbed report on disk."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from mediadesk.services.crash_report import CrashRecorder, CrashReports, Environment
from mediadesk.ui.crash_dialog import CrashDialog, CrashHandler
from mediadesk.ui.tasks import TaskRunner, TaskState
from tests.services.dossier_builder import PERSONAL

NAME = PERSONAL["household.name"]
ENVIRONMENT = Environment("9.8.7", "3.11.7 (CPython)", "6.11.3", "Linux-x86_64")


class Calls:
    def __init__(self) -> None:
        self.folders: list[Path] = []
        self.quits = 0

    def open_folder(self, path: Path) -> None:
        self.folders.append(path)

    def quit(self) -> None:
        self.quits += 1


@pytest.fixture
def calls() -> Calls:
    return Calls()


@pytest.fixture
def handler(tmp_path: Path, calls: Calls) -> Iterator[CrashHandler]:
    recorder = CrashRecorder(CrashReports(tmp_path / "log"), lambda: ENVIRONMENT)
    crash_handler = CrashHandler(recorder, open_folder=calls.open_folder, quit_app=calls.quit,
                                 wait_outside_loop=False)
    yield crash_handler
    crash_handler.uninstall()
    if crash_handler.dialog is not None:  # the earlier ones are deleted by the handler
        crash_handler.dialog.close()
        crash_handler.dialog.deleteLater()


@contextmanager
def installed(handler: CrashHandler) -> Iterator[None]:
    """The hooks for one test body (pytest-qt sets its own sys.excepthook for each phase)."""
    handler.install()
    try:
        yield
    finally:
        handler.uninstall()


def _fail() -> None:
    raise ValueError(f"Foyer {NAME} : dette de 842 €")


def _fail_otherwise() -> None:
    raise KeyError(NAME)


def _visible_dialogs() -> list[CrashDialog]:
    return [widget for widget in QApplication.topLevelWidgets()
            if isinstance(widget, CrashDialog) and widget.isVisible()]


def _dialog_text(dialog: CrashDialog) -> str:
    return "\n".join(label.text() for label in dialog.findChildren(QLabel))


def _reports(handler: CrashHandler) -> list[Path]:
    return handler.recorder.reports.reports()


def test_a_burst_of_errors_in_the_gui_thread_shows_one_dialog(
        qtbot: QtBot, handler: CrashHandler) -> None:
    with installed(handler):
        for _ in range(5):
            QTimer.singleShot(0, _fail)  # raised in a slot: PySide6 hands it to sys.excepthook
        qtbot.waitUntil(lambda: handler.dialog is not None and handler.dialog.others == 4,
                        timeout=10_000)
    assert handler.dialog is not None
    assert _visible_dialogs() == [handler.dialog]
    text = _dialog_text(handler.dialog)
    assert "MediaDesk a rencontré une erreur inattendue" in text
    assert "Vos saisies déjà enregistrées ne sont pas perdues" in text
    assert "4 autres erreurs se sont produites depuis." in text
    assert NAME not in text
    reports = _reports(handler)
    assert len(reports) == 1
    report = reports[0].read_text(encoding="utf-8")
    assert "where: GUI thread" in report
    assert "exception: ValueError" in report
    assert " in _fail" in report
    assert NAME not in report and "842" not in report


def test_the_same_error_again_after_continue_does_not_reopen_the_dialog(
        qtbot: QtBot, handler: CrashHandler) -> None:
    with installed(handler):
        QTimer.singleShot(0, _fail)
        qtbot.waitUntil(lambda: handler.dialog is not None, timeout=10_000)
        first = handler.dialog
        assert first is not None
        first.continue_button.click()
        assert not first.isVisible()
        QTimer.singleShot(0, _fail)
        QTimer.singleShot(0, _fail_otherwise)  # another error: a dialog of its own
        qtbot.waitUntil(lambda: handler.dialog is not first, timeout=10_000)
    assert _visible_dialogs() == [handler.dialog]
    assert handler.dialog is not None
    assert "exception: KeyError" in handler.dialog.crash.text
    assert handler.dialog.others == 0  # the repeat was not counted on it, nor shown
    assert len(_reports(handler)) == 2
    assert "exception: KeyError" in _reports(handler)[-1].read_text(encoding="utf-8")


def test_an_error_in_a_python_thread_is_reported_on_the_gui_thread(
        qtbot: QtBot, handler: CrashHandler) -> None:
    with installed(handler):
        worker = threading.Thread(target=_fail, name="import-worker")
        with qtbot.waitSignal(handler.dialog_shown, timeout=10_000):
            worker.start()
        worker.join(10)
    report = _reports(handler)[0].read_text(encoding="utf-8")
    assert "where: Python thread" in report
    assert "thread: import-worker" in report
    assert NAME not in report


def test_a_background_task_without_its_own_error_message_is_reported(
        qtbot: QtBot, handler: CrashHandler) -> None:
    runner = TaskRunner()
    handler.watch(runner)

    def work(_state: TaskState) -> None:
        _fail()

    with qtbot.waitSignal(handler.dialog_shown, timeout=10_000):
        runner.submit("recalcul", work)
    report = _reports(handler)[0].read_text(encoding="utf-8")
    assert "where: background task 'recalcul'" in report
    assert " in _fail" in report
    assert NAME not in report
    runner.shutdown()


def test_a_task_that_shows_its_own_error_is_not_reported_twice(
        qtbot: QtBot, handler: CrashHandler) -> None:
    runner = TaskRunner()
    handler.watch(runner)
    errors: list[BaseException] = []

    def work(_state: TaskState) -> None:
        _fail()

    runner.submit("enregistrement", work, on_error=errors.append)
    qtbot.waitUntil(lambda: len(errors) == 1, timeout=10_000)
    qtbot.waitUntil(lambda: not runner.busy(), timeout=10_000)
    assert handler.dialog is None
    assert _reports(handler) == []
    runner.shutdown()


def test_the_dialog_copies_the_report_opens_its_folder_and_quits(
        qtbot: QtBot, handler: CrashHandler, calls: Calls) -> None:
    with installed(handler):
        QTimer.singleShot(0, _fail)
        qtbot.waitUntil(lambda: handler.dialog is not None, timeout=10_000)
    dialog = handler.dialog
    assert dialog is not None
    assert dialog.crash.path is not None
    assert dialog.crash.path.name in _dialog_text(dialog)

    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == dialog.crash.text
    assert "Rapport copié" in dialog.status.text()
    dialog.folder_button.click()
    assert calls.folders == [handler.recorder.reports.directory]
    dialog.quit_button.click()
    assert calls.quits == 1
    assert not dialog.isVisible()
    QGuiApplication.clipboard().clear()


def test_with_no_event_loop_running_the_dialog_waits_for_an_answer(
        qtbot: QtBot, tmp_path: Path, calls: Calls) -> None:
    recorder = CrashRecorder(CrashReports(tmp_path), lambda: ENVIRONMENT)
    handler = CrashHandler(recorder, open_folder=calls.open_folder, quit_app=calls.quit)
    answered: list[bool] = []

    def answer(dialog: CrashDialog) -> None:
        def click() -> None:
            answered.append(dialog.isVisible())
            dialog.quit_button.click()
        QTimer.singleShot(0, click)

    handler.dialog_shown.connect(answer)
    try:
        _fail()
    except ValueError as error:
        handler.handle(error, "GUI thread")  # as after app.exec() or at start-up: no loop
    assert answered == [True]  # shown, and answered while handle() waited
    assert calls.quits == 1
    assert handler.dialog is not None and not handler.dialog.isVisible()
    handler.dialog.deleteLater()


def test_install_and_uninstall_give_the_hooks_back(handler: CrashHandler) -> None:
    before = (sys.excepthook, threading.excepthook)
    handler.install()
    assert sys.excepthook is not before[0]
    assert threading.excepthook is not before[1]
    handler.uninstall()
    assert (sys.excepthook, threading.excepthook) == before
