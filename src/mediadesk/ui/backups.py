"""Backups in the app: the "Sauvegardes…" window, the restore confirmation, and the automatic
backup taken when the service says one is due.

The window lists the store's encrypted backups (date, kind, size), takes a manual one and asks
to restore the one selected: `RestoreDialog` explains that the current state is backed up first
and asks for the backup's passphrase; the window then emits ``restore_requested`` and the shell
does the restore (it must let go of the workspace and open the restored one).
`AutoBackup` asks the backup service every minute whether 30 minutes of activity have passed and
takes the backup on the writer lane (never on the GUI thread).
Thread: GUI only.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mediadesk.i18n import N_, _, format_moment
from mediadesk.services.backups import MANUAL, BackupInfo, BackupService, format_size, kind_label
from mediadesk.ui.dialogs import ModalDialog, ok_cancel_buttons
from mediadesk.ui.errors import message_for
from mediadesk.ui.models import Column, ObjectTableModel
from mediadesk.ui.tasks import Lane, TaskRunner, TaskState

log = logging.getLogger(__name__)
LIST_KEY, CREATE_KEY, AUTO_KEY = "backups-list", "backups-create", "backups-auto"
CHECK_INTERVAL_MS = 60_000


def backups_model(parent: QObject | None = None) -> ObjectTableModel[BackupInfo]:
    return ObjectTableModel([
        Column(N_("Date"), lambda b: format_moment(b.created_at)),
        Column(N_("Type"), lambda b: kind_label(b.kind)),
        Column(N_("Taille"), lambda b: format_size(b.size), align_right=True),
    ], parent)


class RestoreDialog(ModalDialog):
    """Confirms a restore and asks for the passphrase that opens the backup."""

    def __init__(self, backup: BackupInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Restaurer une sauvegarde"))
        explanation = QLabel(_(
            "Restaurer la sauvegarde du {moment} ({kind}) ?\n\n"
            "L'état actuel du dossier est d'abord sauvegardé (sauvegarde « avant "
            "restauration », que vous pourrez restaurer à son tour si besoin), puis le dossier "
            "est remplacé par cette sauvegarde et rouvert. Ce qui a été saisi depuis la "
            "sauvegarde n'apparaîtra plus."
        ).format(moment=format_moment(backup.created_at), kind=kind_label(backup.kind)), self)
        explanation.setWordWrap(True)
        self.passphrase = QLineEdit(self)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(_("Phrase de passe de la sauvegarde :"), self.passphrase)
        self.buttons = ok_cancel_buttons(self, _("Sauvegarder l'état actuel et restaurer"))
        self.ok = next(button for button in self.buttons.buttons() if self.buttons.buttonRole(
            button) is QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setEnabled(False)
        self.passphrase.textChanged.connect(lambda text: self.ok.setEnabled(bool(text)))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)
        self.passphrase.setFocus()

    @classmethod
    def ask(cls, parent: QWidget | None, backup: BackupInfo) -> str | None:
        """The passphrase typed to confirm, or None when cancelled."""
        dialog = cls(backup, parent)
        try:
            return dialog.passphrase.text() if dialog.run() else None
        finally:
            dialog.passphrase.clear()
            dialog.deleteLater()


class BackupsWindow(QWidget):
    """Signals: ``restore_requested(path, passphrase)`` once a restore is confirmed;
    ``loaded()`` after the list is read."""

    restore_requested = Signal(object, str)
    loaded = Signal()

    def __init__(self, service: BackupService, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)  # its own window, even with a parent
        self.setWindowTitle(_("Sauvegardes"))
        self.resize(620, 420)
        self._service = service
        self._runner = runner
        explanation = QLabel(_(
            "Sauvegardes chiffrées de ce dossier, sur ce poste. Une sauvegarde automatique est "
            "faite toutes les 30 minutes d'activité et avant chaque mise à jour, anonymisation "
            "ou restauration ; les plus anciennes sont supprimées au fil de l'eau (les 8 "
            "dernières et une par jour sur une semaine sont gardées). Les sauvegardes "
            "manuelles ne sont jamais supprimées."), self)
        explanation.setWordWrap(True)
        self.model = backups_model(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _index: self.restore_selected())
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        self.create_button = QPushButton(_("Sauvegarder maintenant"), self)
        self.create_button.clicked.connect(self.create_now)
        self.restore_button = QPushButton(_("Restaurer…"), self)
        self.restore_button.clicked.connect(self.restore_selected)
        close = QPushButton(_("Fermer"), self)
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.create_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self._update_buttons()

    def set_locked(self, locked: bool) -> None:
        """Hidden while the application is locked."""
        if locked:
            self.hide()

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_object(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    def reload(self) -> None:
        """Read the list again (on the parallel lane)."""
        service = self._service

        def work(_state: TaskState) -> list[BackupInfo]:
            return service.backups()

        self._runner.submit(LIST_KEY, work, on_done=self._show, on_error=self._failed)

    def _show(self, backups: list[BackupInfo]) -> None:
        self.model.set_rows(backups)
        if backups:
            self.table.selectRow(0)
        else:
            self.status.setText(_("Aucune sauvegarde pour l'instant."))
        self._update_buttons()
        self.loaded.emit()

    def _failed(self, error: BaseException) -> None:
        self.create_button.setEnabled(True)
        self.status.setText(message_for(error))

    def create_now(self) -> None:
        """Take a manual backup (writer lane), then show the list again."""
        service = self._service
        self.create_button.setEnabled(False)
        self.status.setText(_("Sauvegarde en cours…"))

        def done(info: BackupInfo) -> None:
            self.create_button.setEnabled(True)
            self.status.setText(_("Sauvegarde manuelle faite ({size}).").format(
                size=format_size(info.size)))
            self.reload()

        self._runner.submit(CREATE_KEY, lambda _s: service.create(MANUAL), lane=Lane.WRITER,
                            on_done=done, on_error=self._failed)

    def restore_selected(self) -> None:
        backup = self.selected()
        if backup is None:
            return
        passphrase = RestoreDialog.ask(self, backup)
        if passphrase:
            self.status.setText(_("Restauration en cours…"))
            self.restore_requested.emit(backup.path, passphrase)


class AutoBackup(QObject):
    """Takes the automatic backup when due. Signals: ``taken(info)``, ``failed(message)``."""

    taken = Signal(object)
    failed = Signal(str)

    def __init__(self, runner: TaskRunner, parent: QObject | None = None, *,
                 interval_ms: int = CHECK_INTERVAL_MS) -> None:
        super().__init__(parent)
        self._runner = runner
        self._service: BackupService | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)

    def start(self, service: BackupService) -> None:
        """Watch this (newly opened) store's service."""
        self._service = service
        self._timer.start()

    def stop(self) -> None:
        """The store is closing: no more automatic backups of it."""
        self._timer.stop()
        self._service = None
        self._runner.cancel(AUTO_KEY)

    def check(self) -> bool:
        """Start the automatic backup if one is due; whether it was started."""
        service = self._service
        if service is None or self._runner.is_running(AUTO_KEY) or not service.backup_due():
            return False

        def failed(error: BaseException) -> None:
            log.error("automatic backup failed: %s", type(error).__name__)
            self.failed.emit(_("La sauvegarde automatique a échoué : {reason}").format(
                reason=message_for(error)))

        self._runner.submit(AUTO_KEY, lambda _s: service.create_automatic(), lane=Lane.WRITER,
                            on_done=self.taken.emit, on_error=failed)
        return True

