"""The view of one household dossier: identity, history, people, phones, energy.

Shows a `Dossier` (a plain frozen object); it never loads the dossier itself. Its journal panel
(`mediadesk.ui.dossier_panels`: team flags, the "Énergie" tab, notes, incidents, closing) works
through the `JournalService` given by `set_journal` and asks for a reload with
``journal_changed(household_id)`` after each write. A note of the history opens for revision on
Enter, a double-click or "Modifier la note…". Its header shows the dossier's sync badge, read
on the parallel lane from the source given by `set_badge_source` (none: no badge); with an open
conflict, "Examiner les conflits…" asks for the review with ``conflicts_requested(household_id)``.
A team lead's "Changer de référent…" and "Changer d'équipe…" (``reassign``, ``change_team``:
the shell gives them their services) ask for a reload with ``journal_changed`` once done.
Thread: GUI only.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mediadesk.i18n import N_, _, format_day, format_moment, format_money
from mediadesk.services.views import (
    ContractView,
    DebtView,
    Dossier,
    InterviewSummary,
    MemberView,
    PhoneView,
    TimelineItem,
)
from mediadesk.ui.dossier_panels import EnergyPanel, JournalPanel, status_text
from mediadesk.ui.labels import (
    ENERGIES,
    HOUSEHOLD_STATUSES,
    MEMBER_ROLES,
    PHONE_STATUSES,
    TIMELINE_KINDS,
    label,
    language_list,
    yes_no,
)
from mediadesk.ui.models import Column, ObjectTableModel
from mediadesk.ui.move_dialog import MoveButton
from mediadesk.ui.reassign_dialog import ReassignButton
from mediadesk.ui.report_actions import ReportActions
from mediadesk.ui.sync_badges import BadgeSource, DossierBadge
from mediadesk.ui.widgets import heading, muted, read_only_table

if TYPE_CHECKING:
    from mediadesk.services.journal import JournalService
    from mediadesk.services.reports import ReportService
    from mediadesk.ui.tasks import TaskRunner


def _period(debt: DebtView) -> str:
    def day(value: date | None) -> str:
        return format_day(value) if value is not None else "…"

    if debt.period_start is None and debt.period_end is None:
        return _("Non renseignée")
    return _("du {start} au {end}").format(start=day(debt.period_start),
                                           end=day(debt.period_end))


def _table(model: QAbstractItemModel, parent: QWidget) -> QTableView:
    view = read_only_table(model, parent)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return view


class DossierView(QWidget):
    """Signals: ``edit_requested()`` (the "Modifier" button), ``new_interview_requested()``,
    ``resume_interview_requested(interview_id)``, ``journal_changed(household_id)`` (a note,
    an incident, a closing was saved: reload the dossier), ``conflicts_requested(household_id)``
    (review the dossier's sync conflicts)."""

    edit_requested = Signal()
    new_interview_requested = Signal()
    resume_interview_requested = Signal(object)
    journal_changed = Signal(object)
    conflicts_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dossier: Dossier | None = None

        self._latest_draft: InterviewSummary | None = None
        self.timeline_model = ObjectTableModel[TimelineItem]([
            Column(N_("Date"), lambda item: format_day(item.at.date()) if item.all_day
                   else format_moment(item.at)),
            Column(N_("Événement"), lambda item: item.title,
                   tooltip=lambda item: label(TIMELINE_KINDS, item.kind)),
            Column(N_("Détail"), lambda item: item.detail),
        ], self)
        self.members_model = ObjectTableModel[MemberView]([
            Column(N_("Prénom"), lambda m: m.first_name),
            Column(N_("Nom"), lambda m: m.last_name),
            Column(N_("Rôle"), lambda m: label(MEMBER_ROLES, m.role)),
            Column(N_("Année de naissance"), lambda m: str(m.birth_year) if m.birth_year else ""),
        ], self)
        self.phones_model = ObjectTableModel[PhoneView]([
            Column(N_("Numéro"), lambda p: p.number),
            Column(N_("État"), lambda p: label(PHONE_STATUSES, p.status)),
        ], self)
        self.contracts_model = ObjectTableModel[ContractView]([
            Column(N_("Fournisseur"), lambda c: c.supplier),
            Column(N_("Énergie"), lambda c: label(ENERGIES, c.energy)),
            Column(N_("Référence client"), lambda c: c.customer_ref or ""),
            Column(N_("PDL / PCE"), lambda c: c.meter_point or ""),
            Column(N_("Linky"), lambda c: yes_no(c.linky)),
            Column(N_("Attestation chèque énergie"),
                   lambda c: yes_no(c.energy_voucher_attestation_sent)),
        ], self)
        self.debts_model = ObjectTableModel[DebtView]([
            Column(N_("Montant"), lambda d: format_money(d.amount_cents), align_right=True),
            Column(N_("Période"), _period),
            Column(N_("Contestée"), lambda d: yes_no(d.contested)),
        ], self)

        self.pages = QStackedWidget(self)
        self.empty = muted(_(
            "Aucun dossier ouvert.\n\nCherchez un foyer dans la liste de gauche puis appuyez "
            "sur Entrée, ou créez un nouveau foyer (Ctrl+N)."), self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages.addWidget(self.empty)
        self.pages.addWidget(self._build_content())
        self.documents = ReportActions(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

    def _build_content(self) -> QWidget:
        page = QWidget(self)
        self.name = heading("", parent=page)
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = muted(parent=page)
        self.sync_badge = DossierBadge(page)
        self.sync_badge.review_requested.connect(self.conflicts_requested)
        self.edit = QPushButton(_("Modifier…"), page)
        self.edit.setToolTip(_("Modifier le foyer (Ctrl+E)"))
        self.edit.clicked.connect(self.edit_requested)
        self.reassign = ReassignButton(page)  # team leads only (ui/reassign_dialog.py)
        self.reassign.reassigned.connect(self.journal_changed)
        self.change_team = MoveButton(page)  # team leads, enrolled (ui/move_dialog.py)
        self.change_team.moved.connect(self.journal_changed)
        self.address = QLabel(page)
        self.phones = QLabel(page)
        self.email = QLabel(page)
        self.languages = QLabel(page)
        self.interpreter = QLabel(page)
        self.total_debt = QLabel(page)
        for field in (self.address, self.phones, self.email, self.languages, self.interpreter,
                      self.total_debt):
            field.setWordWrap(True)
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.resume = QPushButton(page)
        self.resume.setToolTip(_("Reprendre l'entretien en cours là où il a été laissé"))
        self.resume.clicked.connect(self._resume)
        self.resume.hide()
        self.new_interview = QPushButton(_("Nouvel entretien"), page)
        self.new_interview.setToolTip(_("Commencer un nouvel entretien (Ctrl+I)"))
        self.new_interview.clicked.connect(self.new_interview_requested)
        title_row = QHBoxLayout()
        title_row.addWidget(self.name, 1)
        title_row.addWidget(self.resume, 0, Qt.AlignmentFlag.AlignTop)
        title_row.addWidget(self.new_interview, 0, Qt.AlignmentFlag.AlignTop)
        title_row.addWidget(self.edit, 0, Qt.AlignmentFlag.AlignTop)
        self.print_sheet = QPushButton(_("Imprimer la fiche…"), page)
        self.print_sheet.clicked.connect(lambda: self.request_document("sheet"))
        self.print_summary = QPushButton(_("Résumé du dossier…"), page)
        self.print_summary.clicked.connect(lambda: self.request_document("dossier"))
        for button in (self.print_sheet, self.print_summary):
            button.setEnabled(False)
            title_row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        identity = QFormLayout()
        identity.addRow(_("Adresse :"), self.address)
        identity.addRow(_("Téléphones :"), self.phones)
        identity.addRow(_("Courriel :"), self.email)
        identity.addRow(_("Langues :"), self.languages)
        identity.addRow(_("Interprète :"), self.interpreter)
        identity.addRow(_("Dette totale :"), self.total_debt)

        self.tabs = QTabWidget(page)
        self.timeline = _table(self.timeline_model, page)
        # Whole notes, wrapped: a mediator reads the history, it must not end in "…".
        self.timeline.setWordWrap(True)
        self.timeline.horizontalHeader().setSectionResizeMode(
            2, QHeaderView.ResizeMode.Stretch)
        self.timeline.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.timeline.selectionModel().selectionChanged.connect(self._enable_edit_note)
        self.timeline.doubleClicked.connect(self._open_note_at)
        self.timeline.installEventFilter(self)
        self.timeline_empty = muted(_("Rien n'a encore été noté pour ce foyer."), page)
        self.edit_note = QPushButton(_("Modifier la note…"), page)
        self.edit_note.setToolTip(_("Modifier la note choisie dans l'historique (Entrée ou "
                                    "double-clic) ; les versions précédentes restent lisibles"))
        self.edit_note.clicked.connect(self.open_selected_note)
        self.edit_note.setEnabled(False)
        history = QWidget(page)
        history_layout = QVBoxLayout(history)
        history_layout.addWidget(self.timeline_empty)
        history_layout.addWidget(self.timeline)
        history_buttons = QHBoxLayout()
        history_buttons.addStretch(1)
        history_buttons.addWidget(self.edit_note)
        history_layout.addLayout(history_buttons)
        self.tabs.addTab(history, _("Historique"))
        self.energy_panel = EnergyPanel(page)
        energy_scroll = QScrollArea(page)
        energy_scroll.setWidgetResizable(True)
        energy_scroll.setWidget(self.energy_panel)
        self.tabs.addTab(energy_scroll, _("Énergie"))
        self.journal = JournalPanel(self.energy_panel, page)
        self.journal.changed.connect(self.journal_changed)
        self.journal.add_dossier_actions(self.reassign, self.change_team)
        self.journal.overview_shown.connect(
            lambda overview: self.status.setText(status_text(overview)))
        people = QWidget(page)
        people_layout = QVBoxLayout(people)
        people_layout.addWidget(QLabel(_("Membres du foyer"), people))
        people_layout.addWidget(_table(self.members_model, people))
        people_layout.addWidget(QLabel(_("Téléphones"), people))
        people_layout.addWidget(_table(self.phones_model, people))
        self.tabs.addTab(people, _("Personnes et téléphones"))
        energy = QWidget(page)
        energy_layout = QVBoxLayout(energy)
        energy_layout.addWidget(QLabel(_("Contrats d'énergie"), energy))
        energy_layout.addWidget(_table(self.contracts_model, energy))
        energy_layout.addWidget(QLabel(_("Dettes"), energy))
        energy_layout.addWidget(_table(self.debts_model, energy))
        self.tabs.addTab(energy, _("Contrats et dettes"))

        status_row = QHBoxLayout()
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.sync_badge, 0, Qt.AlignmentFlag.AlignVCenter)
        layout = QVBoxLayout(page)
        layout.addLayout(title_row)
        layout.addLayout(status_row)
        layout.addLayout(identity)
        layout.addWidget(self.journal)
        layout.addWidget(self.tabs, 1)
        return page

    def dossier(self) -> Dossier | None:
        """The dossier shown, or None."""
        return self._dossier

    def set_journal(self, journal: JournalService | None, runner: TaskRunner | None, *,
                    today: Callable[[], date] = date.today) -> None:
        """The journal service of the unlocked workspace and the runner its calls go through
        (None once closed); ``today`` dates the energy situation."""
        self.journal.set_journal(journal, runner, today=today)
        self._enable_edit_note()

    def set_reports(self, reports: ReportService | None, runner: TaskRunner | None) -> None:
        """The printed documents' service of the unlocked workspace (None once closed)."""
        self.documents.set_service(reports, runner)
        for button in (self.print_sheet, self.print_summary):
            button.setEnabled(self.documents.available())

    def set_badge_source(self, badges: BadgeSource | None, runner: TaskRunner | None) -> None:
        """Where the dossier's sync badge comes from (``ConflictService.dossier_badges``, run
        on ``runner``'s parallel lane); None: no badge."""
        self.sync_badge.set_source(badges, runner)

    def refresh_badge(self) -> None:
        """Read the badge of the dossier shown again (after a sync, an edit, a resolution)."""
        self.sync_badge.refresh()

    def request_document(self, kind: str) -> None:
        """Build the household's "sheet" or "dossier" PDF in the background, then offer it."""
        if self._dossier is not None:
            household = self._dossier.household
            self.documents.request(kind, household.id, household.name)

    def selected_note(self) -> TimelineItem | None:
        """The timeline row selected, when it is a note."""
        rows = self.timeline.selectionModel().selectedRows()
        item = self.timeline_model.row_object(rows[0].row()) if rows else None
        return item if item is not None and item.kind == "note" else None

    def open_selected_note(self) -> None:
        """Open the selected note for revision (through the journal panel)."""
        item = self.selected_note()
        if item is not None and self.journal.can_write():
            self.journal.ask_revise_note(item)

    def _open_note_at(self, index: QModelIndex) -> None:
        item = self.timeline_model.row_object(index.row())
        if item is not None and item.kind == "note" and self.journal.can_write():
            self.journal.ask_revise_note(item)

    def _enable_edit_note(self) -> None:
        self.edit_note.setEnabled(self.selected_note() is not None and self.journal.can_write())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.timeline and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and event.modifiers() == Qt.KeyboardModifier.NoModifier
                and self.selected_note() is not None):
            self.open_selected_note()
            return True
        return super().eventFilter(watched, event)

    def show_drafts(self, household_id: uuid.UUID, drafts: Sequence[InterviewSummary]) -> None:
        """Offer to resume the latest draft interview of the household shown, if any."""
        if self._dossier is None or self._dossier.household.id != household_id:
            return
        self._latest_draft = drafts[0] if drafts else None
        if self._latest_draft is not None:
            started = self._latest_draft.started_at.astimezone().date()
            self.resume.setText(_("Reprendre l'entretien du {day}").format(
                day=format_day(started)))
        self.resume.setVisible(self._latest_draft is not None)

    def latest_draft(self) -> InterviewSummary | None:
        return self._latest_draft

    def _resume(self) -> None:
        if self._latest_draft is not None:
            self.resume_interview_requested.emit(self._latest_draft.id)

    def show_dossier(self, dossier: Dossier) -> None:
        # After a revision the same dossier comes back: its note stays selected.
        kept: TimelineItem | None = None
        if self._dossier is None or self._dossier.household.id != dossier.household.id:
            self._latest_draft = None
            self.resume.hide()
        else:
            kept = self.selected_note()
        self._dossier = dossier
        household = dossier.household
        self.name.setText(household.name)
        self.status.setText(label(HOUSEHOLD_STATUSES, household.status))
        self.address.setText(household.address or _("Non renseignée"))
        self.phones.setText(", ".join(
            _("{number} ({status})").format(number=phone.number,
                                            status=label(PHONE_STATUSES, phone.status))
            for phone in dossier.phones) or _("Aucun"))
        self.email.setText(household.email or _("Non renseigné"))
        self.languages.setText(language_list(household.languages))
        self.interpreter.setText(_("Nécessaire") if household.interpreter_needed
                                 else _("Pas nécessaire"))
        self.total_debt.setText(format_money(dossier.total_debt_cents) if dossier.debts
                                else _("Aucune dette enregistrée"))
        self.timeline_model.set_rows(dossier.timeline)
        if kept is not None:
            row = next((r for r, item in enumerate(dossier.timeline) if item.id == kept.id), None)
            if row is not None:
                self.timeline.selectRow(row)
        self._enable_edit_note()
        self.timeline_empty.setVisible(not dossier.timeline)
        self.timeline.setVisible(bool(dossier.timeline))
        self.members_model.set_rows(dossier.members)
        self.phones_model.set_rows(dossier.phones)
        self.contracts_model.set_rows(dossier.contracts)
        self.debts_model.set_rows(dossier.debts)
        self.journal.show_dossier(dossier)
        self.pages.setCurrentIndex(1)
        self.sync_badge.show_for(household.id)
        self.reassign.show_for(household.id)
        self.change_team.show_for(household.id)

    def clear(self) -> None:
        self._dossier = None
        self.sync_badge.show_for(None)
        self.reassign.show_for(None)
        self.change_team.show_for(None)
        self.journal.clear()
        self._enable_edit_note()
        self.pages.setCurrentIndex(0)
