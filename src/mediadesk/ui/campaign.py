"""The contact campaign window: the listed customers to reach, and recording an attempt
(channel, outcome, number called, next attempt). Wrong numbers are never offered.

The selected entries can be assigned to a mediator (the one who speaks the household's language
is suggested, as the service reckons it); the call sheet of the current entry's list is built
off the GUI thread then saved, and the partner's return file exported: both carry personal data,
so they are saved through `ExportSaver` (file dialog, export password asked twice, AES-256).
Reads run on the parallel lane, writes on the writer lane; the list is read again after.
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
from mediadesk.i18n import _, ngettext
from mediadesk.services.campaign import CampaignService
from mediadesk.services.campaign_views import CampaignEntry, MediatorChoice
from mediadesk.services.errors import NotFound, ValidationError
from mediadesk.ui.errors import log_unexpected
from mediadesk.ui.report_actions import ExportSaver
from mediadesk.ui.tasks import Lane, TaskRunner, TaskState

LOAD_KEY = "campaign-load"
RECORD_KEY = "campaign-record"
ASSIGN_KEY = "campaign-assign"
SUGGEST_KEY = "campaign-suggest"
SHEET_KEY = "campaign-sheet"


def channel_labels() -> dict[ContactChannel, str]:
    return {ContactChannel.PHONE: _("Téléphone"), ContactChannel.SMS: _("SMS"),
            ContactChannel.LETTER: _("Courrier"), ContactChannel.HOME_VISIT: _("Visite à domicile")}


def outcome_labels() -> dict[ContactOutcome, str]:
    return {ContactOutcome.REACHED: _("Joint"), ContactOutcome.NO_ANSWER: _("Pas de réponse"),
            ContactOutcome.WRONG_NUMBER: _("Faux numéro"), ContactOutcome.REFUSED: _("Refus"),
            ContactOutcome.MESSAGE_LEFT: _("Message laissé")}


class CampaignWindow(QWidget):
    """Signals: ``recorded(object)`` with the CampaignEntry after an attempt is saved,
    ``loaded()`` after each read, ``assigned(int)`` with how many entries were assigned."""

    recorded = Signal(object)
    loaded = Signal()
    assigned = Signal(int)

    def __init__(self, service: CampaignService, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)  # its own window, even with a parent
        self.setWindowTitle(_("Campagne d'appels"))
        self.resize(960, 560)
        self._service = service
        self._runner = runner
        self.entries: list[CampaignEntry] = []
        self.mediators: list[MediatorChoice] = []
        self._notice = ""  # shown before the count after the next reload
        self.saver = ExportSaver(self, runner)

        columns = [_("Référence"), _("Foyer"), _("Numéro à appeler"), _("Tentatives"),
                   _("Prochaine"), _("Attribué à"), _("Conseil")]
        self.table = QTableWidget(0, len(columns))
        self.table.setHorizontalHeaderLabels(columns)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.ExtendedSelection)
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
        self.assignee_box = QComboBox()
        self.assign_button = QPushButton(_("Attribuer la sélection"))
        self.assign_button.setEnabled(False)
        self.assign_button.clicked.connect(self.assign_selected)
        self.suggestion_label = QLabel()
        assign_row = QHBoxLayout()
        assign_row.addWidget(QLabel(_("Médiateur :")))
        assign_row.addWidget(self.assignee_box, 1)
        assign_row.addWidget(self.assign_button)
        assign_row.addWidget(self.suggestion_label, 2)
        self.sheet_mine = QCheckBox(_("Seulement les personnes du médiateur choisi"))
        self.sheet_button = QPushButton(_("Feuille d'appels…"))
        self.sheet_button.clicked.connect(self.print_call_sheet)
        self.return_button = QPushButton(_("Retour au partenaire…"))
        self.return_button.clicked.connect(self.export_return)
        export_row = QHBoxLayout()
        export_row.addWidget(self.sheet_mine)
        export_row.addStretch(1)
        export_row.addWidget(self.sheet_button)
        export_row.addWidget(self.return_button)
        self.status = QLabel()
        self.status.setWordWrap(True)
        refresh = QPushButton(_("Actualiser"))
        refresh.clicked.connect(self.reload)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(assign_row)
        layout.addLayout(form)
        layout.addLayout(export_row)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(refresh)
        layout.addLayout(bottom)
        self._selection_changed()

    def set_locked(self, locked: bool) -> None:
        """Hidden while the application is locked."""
        if locked:
            self.hide()

    def reload(self) -> None:
        service = self._service

        def work(_state: TaskState) -> tuple[list[CampaignEntry], list[MediatorChoice]]:
            return service.entries(), service.mediators()

        self._runner.submit(LOAD_KEY, work, on_done=self._show, on_error=self._failed)

    def _show(self, loaded: tuple[list[CampaignEntry], list[MediatorChoice]]) -> None:
        entries, mediators = loaded
        self.entries = entries
        if [m.id for m in mediators] != [m.id for m in self.mediators]:
            self.mediators = mediators
            chosen = self.assignee_box.currentData()
            self.assignee_box.clear()
            self.assignee_box.addItem(_("(l'équipe)"), None)
            for mediator in mediators:
                self.assignee_box.addItem(mediator.name, mediator.id)
            self.assignee_box.setCurrentIndex(max(0, _index_of(self.assignee_box, chosen)))
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
        counted = _("{n} personne(s) à joindre.").format(n=len(entries))
        # What was just done stays in front of the count the reload brings.
        self.status.setText(f"{self._notice} {counted}" if self._notice else counted)
        self._notice = ""
        self._selection_changed()
        self.loaded.emit()

    def current_entry(self) -> CampaignEntry | None:
        row = self.table.currentRow()
        return self.entries[row] if 0 <= row < len(self.entries) else None

    def selected_entries(self) -> list[CampaignEntry]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.entries[row] for row in rows if 0 <= row < len(self.entries)]

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
        self.assign_button.setEnabled(bool(self.selected_entries()))
        self.sheet_button.setEnabled(entry is not None)
        self.return_button.setEnabled(entry is not None)
        self.suggestion_label.clear()
        if entry is not None:
            self._suggest(entry)

    def _suggest(self, entry: CampaignEntry) -> None:
        """Preselect the mediator the service suggests for this entry (its language)."""
        service = self._service

        def work(_state: TaskState) -> MediatorChoice | None:
            return service.suggest_assignee(entry.id)

        def done(choice: MediatorChoice | None) -> None:
            if choice is None or self.current_entry() != entry:
                return
            index = _index_of(self.assignee_box, choice.id)
            if index >= 0:
                self.assignee_box.setCurrentIndex(index)
            self.suggestion_label.setText(_("Suggéré : {name}, {reason}").format(
                name=choice.name, reason=choice.reason))

        self._runner.submit(SUGGEST_KEY, work, on_done=done, on_error=self._failed)

    def assign_selected(self) -> None:
        """Assign the selected entries to the mediator chosen in the box (writer lane)."""
        entries = self.selected_entries()
        if not entries:
            return
        user_id = self.assignee_box.currentData()
        name = self.assignee_box.currentText()
        service = self._service

        def work(_state: TaskState) -> int:
            return service.assign_many([e.id for e in entries], user_id)

        def done(count: int) -> None:
            self._notice = ngettext("{n} personne attribuée à {name}.",
                                    "{n} personnes attribuées à {name}.",
                                    count).format(n=count, name=name)
            self.status.setText(self._notice)
            self.assigned.emit(count)
            self.reload()

        self.assign_button.setEnabled(False)
        self._runner.submit(ASSIGN_KEY, work, lane=Lane.WRITER, on_done=done,
                            on_error=self._failed)

    def print_call_sheet(self) -> None:
        """Build the call sheet of the current entry's list off the GUI thread, then save it
        (file dialog, export password, AES-256 PDF)."""
        entry = self.current_entry()
        if entry is None:
            return
        assignee = self.assignee_box.currentData() if self.sheet_mine.isChecked() else None
        service = self._service
        list_id = entry.list_id

        def work(_state: TaskState) -> bytes:
            return service.render_call_sheet(list_id, assignee=assignee)

        def done(content: bytes) -> None:
            self.sheet_button.setEnabled(self.current_entry() is not None)
            self.status.setText(_("Feuille d'appels prête."))
            self.saver.save_pdf(content, f"feuille-appels-{_slug(entry.partner)}.pdf",
                                _("Feuille d'appels"))

        self.sheet_button.setEnabled(False)
        self.status.setText(_("Préparation de la feuille d'appels…"))
        self._runner.submit(SHEET_KEY, work, on_done=done, on_error=self._failed)

    def export_return(self) -> None:
        """Save the partner's return file of the current entry's list (AES-256 ZIP)."""
        entry = self.current_entry()
        if entry is None:
            return
        service = self._service
        list_id = entry.list_id

        def make() -> dict[str, bytes]:  # called on the worker
            return {service.partner_return_name(list_id): service.partner_return_csv(list_id)}

        self.saver.save_files(make, f"retour-{_slug(entry.partner)}.zip",
                              _("Retour au partenaire"))

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
        self._notice = _("Tentative enregistrée.")
        self.status.setText(self._notice)
        self.recorded.emit(entry)
        self.reload()

    def _failed(self, error: BaseException) -> None:
        entry = self.current_entry()
        for button in (self.record_button, self.sheet_button, self.return_button):
            button.setEnabled(entry is not None)
        self.assign_button.setEnabled(bool(self.selected_entries()))
        if isinstance(error, ValidationError):
            self.status.setText(error.message)
        elif isinstance(error, NotFound):
            self.status.setText(_("Cette personne ou cette liste n'existe plus : actualisez."))
        else:
            log_unexpected(error, "campaign operation failed")
            self.status.setText(_("L'opération a échoué."))


def _index_of(box: QComboBox, value: object) -> int:
    """The index of the item holding ``value`` (findData compares Python objects by identity)."""
    return next((i for i in range(box.count()) if box.itemData(i) == value), -1)


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text).strip("-").lower() or "liste"
