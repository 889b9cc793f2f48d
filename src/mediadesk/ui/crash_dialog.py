"""Unexpected errors: caught, reported (`services.crash_report`) and told in plain French.

`CrashHandler.install` replaces `sys.excepthook` (the GUI thread, and the exceptions PySide6
passes on from slots and worker threads) and `threading.excepthook` (Python threads);
`CrashHandler.watch` takes the failures of a `TaskRunner`'s tasks submitted without
``on_error`` (those with one already show their own message: they are not reported twice).

Each error is recorded at once, on the thread where it happened (a scrubbed report file and a log
entry); the dialog follows on the GUI thread through a queued signal. One dialog at a time: errors
arriving while it is open are counted on it, and the repeats of a burst after it was closed
(`CrashRecorder`) show nothing. The dialog does not block (tests drive it), except when no event
loop runs any more (an error escaping the start-up or `app.exec()`): it then waits for an answer
before the process ends.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

import PySide6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, QUrl, Signal, Slot, qVersion
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from mediadesk import __version__
from mediadesk.i18n import _, ngettext
from mediadesk.services.crash_report import (
    Crash,
    CrashRecorder,
    CrashReports,
    Environment,
    default_report_dir,
)
from mediadesk.ui.dialogs import ModalDialog
from mediadesk.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]
ThreadHook = Callable[[threading.ExceptHookArgs], object]


def open_folder(path: Path) -> None:
    """Show ``path`` in the system's file manager (created first if missing)."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        log.warning("crash report folder not created: %s", type(error).__name__)
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        log.warning("the file manager did not open the crash report folder")


def quit_application() -> None:
    """Close every window (the shell stops its work and closes the store) and leave."""
    QApplication.closeAllWindows()
    QCoreApplication.exit(1)


class CrashDialog(ModalDialog):
    """Tells the mediator an unexpected error happened; offers the report, to go on or quit."""

    def __init__(self, crash: Crash, report_dir: Path, parent: QWidget | None = None, *,
                 open_folder: Callable[[Path], None] = open_folder,
                 quit_app: Callable[[], None] = quit_application) -> None:
        super().__init__(parent)
        self.crash = crash
        self.others = 0
        self._report_dir = report_dir
        self._open_folder = open_folder
        self._quit_app = quit_app
        self.setWindowTitle(_("Erreur inattendue"))
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint)

        icon = QLabel(self)
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize)
        icon.setPixmap(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(size, size))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.headline = QLabel(_("MediaDesk a rencontré une erreur inattendue."), self)
        font = self.headline.font()
        font.setBold(True)
        self.headline.setFont(font)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setText(_(
            "Vos saisies déjà enregistrées ne sont pas perdues. Vous pouvez continuer à "
            "travailler. Si l'erreur se répète, quittez MediaDesk puis rouvrez-le, et "
            "transmettez le rapport à votre responsable."))
        self.report_info = QLabel(self)
        self.report_info.setWordWrap(True)
        self.report_info.setTextFormat(Qt.TextFormat.PlainText)
        self.report_info.setText(self._report_text())
        self.others_info = QLabel(self)
        self.others_info.setWordWrap(True)
        self.others_info.hide()
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.hide()

        self.copy_button = QPushButton(_("Copier le rapport"), self)
        self.folder_button = QPushButton(_("Ouvrir le dossier des rapports"), self)
        self.quit_button = QPushButton(_("Quitter"), self)
        self.continue_button = QPushButton(_("Continuer"), self)
        self.continue_button.setDefault(True)
        self.copy_button.clicked.connect(self.copy_report)
        self.folder_button.clicked.connect(lambda: self._open_folder(self._report_dir))
        self.quit_button.clicked.connect(self._quit)
        self.continue_button.clicked.connect(self.accept)

        texts = QVBoxLayout()
        for label in (self.headline, self.message, self.report_info, self.others_info,
                      self.status):
            texts.addWidget(label)
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addLayout(texts, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.folder_button)
        buttons.addStretch(1)
        buttons.addWidget(self.quit_button)
        buttons.addWidget(self.continue_button)
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)  # grows with new lines
        layout.addLayout(top)
        layout.addLayout(buttons)
        self.message.setMinimumWidth(480)  # the minimum-size layout would squeeze the text

    def _report_text(self) -> str:
        if self.crash.path is None:
            return _("Le rapport n'a pas pu être enregistré sur ce poste : copiez-le pour le "
                     "transmettre. Il ne contient aucune donnée des foyers.")
        return _("Un rapport technique a été enregistré ({file}). Il ne contient aucune donnée "
                 "des foyers : ni nom, ni adresse, ni montant.").format(file=self.crash.path.name)

    def note_another(self) -> None:
        """Count one more error that happened while this dialog was open."""
        self.others += 1
        self.others_info.setText(ngettext(
            "Une autre erreur s'est produite depuis.",
            "{count} autres erreurs se sont produites depuis.", self.others,
        ).format(count=self.others))
        self.others_info.show()
        self.adjustSize()

    def copy_report(self) -> None:
        """Put the report on the clipboard (the shell's `ClipboardGuard` marks and clears it,
        as anything copied from MediaDesk; the report holds nothing personal anyway)."""
        QGuiApplication.clipboard().setText(self.crash.text)
        self.status.setText(_("Rapport copié : collez-le dans un message à votre responsable."))
        self.status.show()
        self.adjustSize()

    def _quit(self) -> None:
        self.reject()
        self._quit_app()


class CrashHandler(QObject):
    """Catches unhandled errors, records them and shows one `CrashDialog` at a time.

    Create and install on the GUI thread; `handle` may be called from any thread.
    ``wait_outside_loop`` False keeps the dialog non-blocking even with no event loop (tests).
    """

    crashed = Signal(object)
    """A `Crash` was recorded (emitted on the thread of the error, received on the GUI one)."""
    dialog_shown = Signal(object)

    def __init__(self, recorder: CrashRecorder, parent: QObject | None = None, *,
                 open_folder: Callable[[Path], None] = open_folder,
                 quit_app: Callable[[], None] = quit_application,
                 wait_outside_loop: bool = True) -> None:
        super().__init__(parent)
        self.recorder = recorder
        self.dialog: CrashDialog | None = None
        self._open_folder = open_folder
        self._quit_app = quit_app
        self._wait_outside_loop = wait_outside_loop
        self._previous: tuple[ExceptHook, ThreadHook] | None = None
        self.crashed.connect(self._present)

    @classmethod
    def for_app(cls, parent: QObject | None = None) -> CrashHandler:
        """The handler of the running app: reports in the user's log dir, current versions."""
        qt = f"{qVersion()} (PySide6 {PySide6.__version__})"
        recorder = CrashRecorder(CrashReports(default_report_dir()),
                                 lambda: Environment.current(__version__, qt))
        return cls(recorder, parent)

    def install(self) -> None:
        """Take over `sys.excepthook` and `threading.excepthook` (kept for `uninstall`)."""
        if self._previous is None:
            self._previous = (sys.excepthook, threading.excepthook)
        sys.excepthook = self._excepthook
        threading.excepthook = self._thread_hook

    def uninstall(self) -> None:
        """Give both hooks back to what they were before `install`."""
        if self._previous is not None:
            sys.excepthook, threading.excepthook = self._previous
            self._previous = None

    def watch(self, runner: TaskRunner) -> None:
        """Report the failures of ``runner``'s tasks that have no ``on_error`` of their own."""
        runner.unexpected_error.connect(self._task_failed)

    def handle(self, error: BaseException, where: str) -> None:
        """Record ``error`` and have the dialog shown. Thread: any. Never raises."""
        try:
            crash = self.recorder.record(error, where=where,
                                         thread=threading.current_thread().name)
            self.crashed.emit(crash)
        except Exception as failure:  # the handler must never be the next crash
            log.critical("crash handler failed (%s) on %s", type(failure).__name__,
                         type(error).__name__)

    def _excepthook(self, kind: type[BaseException], error: BaseException,
                    trace: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt) and self._previous is not None:
            self._previous[0](kind, error, trace)  # Ctrl+C in a terminal is no crash
            return
        if error.__traceback__ is None:
            error = error.with_traceback(trace)
        try:
            on_gui = QThread.currentThread() is self.thread()
        except RuntimeError:  # at exit, after the application (this handler's parent) went
            on_gui = False
        self.handle(error, "GUI thread" if on_gui else "Qt thread")

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            return  # threading's own hook ignores these too
        error = args.exc_value
        if error.__traceback__ is None:
            error = error.with_traceback(args.exc_traceback)
        self.handle(error, "Python thread")

    @Slot(str, object)
    def _task_failed(self, key: str, error: object) -> None:
        if isinstance(error, BaseException):
            self.handle(error, f"background task {key!r}")

    @Slot(object)
    def _present(self, crash: Crash) -> None:
        """Show the dialog, or count the error on the one already open. Thread: GUI."""
        if self.dialog is not None and self.dialog.is_waiting():
            self.dialog.note_another()
            return
        if crash.repeats:
            return  # the same error again, just after its dialog was closed
        if QApplication.instance() is None:
            return  # the application is gone (end of the process): the report is written
        if self.dialog is not None:
            self.dialog.deleteLater()
        # No parent: the window that failed may be the next one closed or deleted.
        self.dialog = CrashDialog(crash, self.recorder.reports.directory,
                                  open_folder=self._open_folder, quit_app=self._quit_app)
        self.dialog_shown.emit(self.dialog)
        if self._wait_outside_loop and QThread.currentThread().loopLevel() == 0:
            self.dialog.run()  # nothing else would keep the process alive to show it
        else:
            self.dialog.show_modal()
