"""The contact campaign window: the listed customers to reach, and recording an attempt
(channel, outcome, number called, next attempt). Wrong numbers are never offered.

Reads run on the parallel lane, the attempt on the writer lane; the list is read again after.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mediadesk.domain.enums import ContactChannel, ContactOutcome
from mediadesk.i18n import _
from mediadesk.services.campaign import CampaignService
from mediadesk.services.campaign_views import CampaignEntry
from mediadesk.services.errors import ValidationError
from mediadesk.ui.tasks import Lane, TaskRunner, TaskState

LOAD_KEY = "campaign-load"
RECORD_KEY = "campaign-record"


def channel_labels() -> dict[ContactChannel, str]:
    return {ContactChannel.PHONE: _("Téléphone"), ContactChannel.SMS: _("SMS"),
            ContactChannel.LETTER: _("Courrier"), ContactChannel.HOME_VISIT: _("Visite à domicile")}


def outcome_labels() -> dict[ContactOutcome, str]:
    return {ContactOutcome.REACHED: _("Joint"), ContactOutcome.NO_ANSWER: _("Pas de réponse"),
            ContactOutcome.WRONG_NUMBER: _("Faux numéro"), ContactOutcome.REFUSED: _("Refus"),
            ContactOutcome.MESSAGE_LEFT: _("Message laissé")}


class CampaignWindow(QWidget):
    """Signals: ``recorded(object)`` with the CampaignEntry after an attempt is saved."""

    recorded = Signal(object)
    loaded = Signal()

    def __init__(self, service: CampaignService, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)  # its own window, even with a parent
        self.setWindowTitle(_("Campagne d'appels"))
        self.resize(960, 560)
        self._service = service
        self._runner = runner
        self.entries: list[CampaignEntry] = []

        columns = [_("Référence"), _("Foyer"), _("Numéro à appeler"), _("Tentatives"),
                   _("Prochaine"), _("Attribué à"), _("Conseil")]
        self.table = QTableWidget(0, len(columns))
        self.table.setHorizontalHeaderLabels(columns)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.itemSelectionChanged.connect(self._selection_changed)

        self.channel_box = QComboBox()
        for channel, label in channel_labels().items():
            self.channel_box.addItem(label, channel.value)
        self.outcome_box = QComboBox()
        for outcome, label in outcome_labels().items():
            self.outcome_box.addItem(label, outcome.value)
        self.phone_box = QComboBox()
        self.next_check = QCheckBox(_("Prochaine tentative le"))
        self.next_date = QDateEdit(QDate.currentDate().addDays(2))
        self.next_date.setCalendarPopup(True)
        self.next_date.setMinimumDate(QDate.currentDate())
        next_row = QHBoxLayout()
        next_row.addWidget(self.next_check)
        next_row.addWidget(self.next_date)
        self.comment_edit = QLineEdit()
        self.record_button = QPushButton(_("Enregistrer la tentative"))
        self.record_button.setEnabled(False)
        self.record_button.clicked.connect(self.record)
        form = QFormLayout()
        form.addRow(_("Canal :"), self.channel_box)
        form.addRow(_("Numéro :"), self.phone_box)
        form.addRow(_("Résultat :"), self.outcome_box)
        form.addRow(next_row)
        form.addRow(_("Commentaire :"), self.comment_edit)
        form.addRow(self.record_button)
        self.status = QLabel()
        self.status.setWordWrap(True)
        refresh = QPushButton(_("Actualiser"))
        refresh.clicked.connect(self.reload)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(refresh)
        layout.addLayout(bottom)

    def set_locked(self, locked: bool) -> None:
        """Hidden while the application is locked."""
        if locked:
            self.hide()

    def reload(self) -> None:
        service = self._service

        def work(_state: TaskState) -> list[CampaignEntry]:
            return service.entries()

        self._runner.submit(LOAD_KEY, work, on_done=self._show, on_error=self._failed)

    def _show(self, entries: list[CampaignEntry]) -> None:
        self.entries = entries
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            cells = (entry.customer_ref or f"#{entry.line_no}", entry.household_name,
                     entry.next_phone.number if entry.next_phone else _("aucun numéro"),
                     str(len(entry.attempts)),
                     entry.next_attempt_on.strftime("%d/%m/%Y") if entry.next_attempt_on
                     else "", entry.assignee_name, entry.suggestion)
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.status.setText(_("{n} personne(s) à joindre.").format(n=len(entries)))
        self._selection_changed()
        self.loaded.emit()

    def current_entry(self) -> CampaignEntry | None:
        row = self.table.currentRow()
        return self.entries[row] if 0 <= row < len(self.entries) else None

    def _selection_changed(self) -> None:
        entry = self.current_entry()
        self.phone_box.clear()
        self.phone_box.addItem(_("(aucun)"), None)
        if entry is not None:
            for phone in entry.phones:  # never a wrong number
                self.phone_box.addItem(phone.number, phone.id)
            if entry.next_phone is not None:
                self.phone_box.setCurrentIndex(1)
        self.record_button.setEnabled(entry is not None)

    def record(self) -> None:
        entry = self.current_entry()
        if entry is None:
            return
        channel = str(self.channel_box.currentData())
        outcome = str(self.outcome_box.currentData())
        phone_id = self.phone_box.currentData()
        next_on: date | None = (self.next_date.date().toPython()  # type: ignore[assignment]
                                if self.next_check.isChecked() else None)
        comment = self.comment_edit.text()
        service = self._service

        def work(_state: TaskState) -> CampaignEntry:
            return service.record_attempt(entry.id, channel, outcome, phone_id=phone_id,
                                          next_attempt_on=next_on, comment=comment)

        self.record_button.setEnabled(False)
        self._runner.submit(RECORD_KEY, work, lane=Lane.WRITER, on_done=self._recorded,
                            on_error=self._failed)

    def _recorded(self, entry: CampaignEntry) -> None:
        self.comment_edit.clear()
        self.status.setText(_("Tentative enregistrée."))
        self.recorded.emit(entry)
        self.reload()

    def _failed(self, error: BaseException) -> None:
        self.record_button.setEnabled(self.current_entry() is not None)
        self.status.setText(error.message if isinstance(error, ValidationError)
                            else _("L'opération a échoué."))
