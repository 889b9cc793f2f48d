"""The journal side of a dossier: the team flag banner, the "Énergie" panel and the buttons
that add a note, report an incident, close or reopen the dossier (dialogs: journal_dialogs);
it also revises a note opened from the dossier's history (`JournalPanel.ask_revise_note`).

`JournalPanel` reads the household's `JournalOverview` on the parallel lane whenever a dossier is
shown, and runs every write on the writer lane; after a write it emits ``changed(household_id)``
so the owner reloads the dossier (its history). Widgets never touch the store themselves.
Thread: GUI only (service calls run through the `TaskRunner`).
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Sequence
from datetime import date
from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mediadesk.i18n import N_, _, format_day, ngettext
from mediadesk.interview import AutonomyPoint, level_title
from mediadesk.interview.rules import event_title
from mediadesk.services.journal_views import (
    ColleagueView,
    EnergySituation,
    JournalOverview,
    NoteRevisionView,
    TeamFlag,
)
from mediadesk.services.views import Dossier, TimelineItem
from mediadesk.ui.dialogs import ConfirmDialog
from mediadesk.ui.errors import message_for
from mediadesk.ui.journal_dialogs import (
    OUTCOMES,
    CloseDossierDialog,
    IncidentDialog,
    NoteDialog,
    NoteEditDialog,
    NoteHistory,
)
from mediadesk.ui.labels import ENERGIES, HOUSEHOLD_STATUSES, label, yes_no
from mediadesk.ui.tasks import Lane, TaskRunner, TaskState
from mediadesk.ui.widgets import ErrorLabel

if TYPE_CHECKING:
    from mediadesk.services.journal import JournalService

FLAGS = {TeamFlag.VISIT_IN_PAIRS: N_("Visite à deux"),
         TeamFlag.HANDED_OVER: N_("Relais passé à un responsable")}
_WRITES = itertools.count(1)
_NOTE_HISTORY = "journal-note-history"
_BANNER = "border-radius: 4px; padding: 6px; font-weight: bold;"
ALERT_STYLE = f"background-color: #fdecea; color: #8c1d18; border: 1px solid #e8a29c; {_BANNER}"
WARNING_STYLE = f"background-color: #fff4e0; color: #6b4100; border: 1px solid #f0c36d; {_BANNER}"


def status_text(overview: JournalOverview) -> str:
    """"Dossier clos · motif : Échéancier accepté par le fournisseur"."""
    status = label(HOUSEHOLD_STATUSES, overview.status)
    if overview.outcome is None:
        return status
    return _("{status} · motif : {outcome}").format(status=status,
                                                    outcome=_(OUTCOMES[overview.outcome]))


def banner_text(overview: JournalOverview) -> str:
    """"⚠ Visite à deux · Incident signalé le 24 nov. 2026 · Relais passé à un responsable"."""
    parts = [_(FLAGS[flag]) for flag in overview.flags if flag is TeamFlag.VISIT_IN_PAIRS]
    if overview.incidents:
        parts.append(ngettext("Incident signalé le {day}",
                              "{count} incidents, le dernier le {day}",
                              len(overview.incidents)).format(
            count=len(overview.incidents),
            day=format_day(overview.incidents[0].at.astimezone().date())))
    parts += [_(FLAGS[flag]) for flag in overview.flags if flag is TeamFlag.HANDED_OVER]
    return "⚠ " + " · ".join(parts)


# --- the energy panel ---------------------------------------------------------------------


def truce_text(energy: EnergySituation) -> str:
    """The winter truce in plain words."""
    truce = energy.truce
    if truce.in_truce and truce.days_remaining is not None:
        days = truce.days_remaining
        return ngettext("Trêve hivernale jusqu'au {day} (encore {days} jour) : pas de coupure "
                        "pour impayé.",
                        "Trêve hivernale jusqu'au {day} (encore {days} jours) : pas de coupure "
                        "pour impayé.", days).format(day=format_day(truce.last_day), days=days)
    days = truce.days_until_start or 0
    return ngettext("Hors trêve hivernale : une coupure pour impayé est possible. La trêve "
                    "commence le {day} (dans {days} jour).",
                    "Hors trêve hivernale : une coupure pour impayé est possible. La trêve "
                    "commence le {day} (dans {days} jours).", days).format(
        day=format_day(truce.first_day), days=days)


def autonomy_text(points: Sequence[AutonomyPoint]) -> str:
    """"faible (3 sept. 2026) → partielle (5 nov. 2026)" over the last four interviews."""
    titles = [_("{level} ({day})").format(
        level=level_title(p.level) if p.level is not None else _("non évaluée"),
        day=format_day(p.on)) for p in points[-4:]]
    return (" → ".join(titles) if len(points) <= 4 else "… → " + " → ".join(titles)) or _(
        "Pas encore d'entretien terminé")


def _notice_summary(energy: EnergySituation) -> str:
    """Where the unpaid-bill procedure stands today, in one sentence."""
    upcoming = energy.next_notice_event()
    if upcoming is not None:
        return _("Prochaine étape le {day} : {step}.").format(
            day=format_day(upcoming.on), step=event_title(upcoming.event))
    cut = energy.notice_timeline[-1].on
    if energy.truce.in_truce:
        return _("Délais échus : coupure possible dès la fin de la trêve, le {day}.").format(
            day=format_day(energy.truce.first_day_after))
    return _("Délais échus : coupure possible depuis le {day}.").format(day=format_day(cut))


def _notice_html(energy: EnergySituation) -> str:
    if energy.unpaid_bill_on is None:
        return escape(_("Aucune date de facture impayée connue."))
    bill = _("Facture impayée du {day}.").format(day=format_day(energy.unpaid_bill_on))
    lines = [escape(bill), f"<b>{escape(_notice_summary(energy))}</b>"]
    for step in energy.notice_timeline:
        text = escape(f"{format_day(step.on)} : {event_title(step.event)}")
        if step.on < energy.today:
            text = f"<span style='color:#5f6368'>{text}</span>"
        lines.append(text)
    if energy.minimum_power_regime:
        lines.append(escape(_("Régime des 60 jours à 1 kVA (chèque énergie ou FSL, Linky).")))
    return "<br>".join(lines)


def _voucher_text(energy: EnergySituation) -> str:
    parts = [_("Chèque {year}, valable jusqu'au {day}.").format(
        year=energy.energy_voucher_year, day=format_day(energy.energy_voucher_valid_until))
        if energy.energy_voucher_year and energy.energy_voucher_valid_until
        else _("Aucun chèque énergie noté.")]
    for contract in energy.contracts:
        # The energy tells apart two contracts with one supplier (Engie gas and electricity).
        supplier = _("{supplier} ({energy})").format(
            supplier=contract.supplier, energy=label(ENERGIES, contract.energy).lower())
        if contract.energy_voucher_attestation_sent:
            parts.append(_("{supplier} : attestation envoyée.").format(supplier=supplier))
        elif contract.truce_power_limit_kva is not None:
            parts.append(_("{supplier} : attestation non envoyée (pendant la trêve, puissance "
                           "réductible à {kva} kVA).").format(supplier=supplier,
                                                                kva=contract.truce_power_limit_kva))
        else:
            parts.append(_("{supplier} : attestation non envoyée.").format(supplier=supplier))
    return "\n".join(parts)


def _fsl_text(energy: EnergySituation) -> str:
    if energy.fsl_last_aid_on is None:
        return _("Aucune aide FSL notée.")
    day = format_day(energy.fsl_last_aid_on)
    if energy.fsl_aid_recent:
        return _("Dernière aide le {day}, il y a moins de 12 mois : une nouvelle aide est "
                 "souvent refusée.").format(day=day)
    return _("Dernière aide le {day}.").format(day=day)


class EnergyPanel(QWidget):
    """The "Énergie" panel: truce, notice dates, chèque énergie, Linky, FSL, autonomy."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.truce, self.notice, self.voucher = QLabel(self), QLabel(self), QLabel(self)
        self.linky, self.fsl, self.autonomy = QLabel(self), QLabel(self), QLabel(self)
        self.notice.setTextFormat(Qt.TextFormat.RichText)
        form = QFormLayout(self)
        for caption, field in ((_("Trêve :"), self.truce), (_("Impayé :"), self.notice),
                               (_("Chèque énergie :"), self.voucher), (_("Linky :"), self.linky),
                               (_("FSL :"), self.fsl), (_("Autonomie :"), self.autonomy)):
            field.setWordWrap(True)
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(caption, field)

    def show_situation(self, energy: EnergySituation) -> None:
        self.truce.setText(truce_text(energy))
        self.notice.setText(_notice_html(energy))
        self.voucher.setText(_voucher_text(energy))
        self.linky.setText(yes_no(energy.linky))
        self.fsl.setText(_fsl_text(energy))
        self.autonomy.setText(autonomy_text(energy.autonomy))


# --- the panel: banner, buttons, wiring ---------------------------------------------------


class JournalPanel(QWidget):
    """The team flag banner and the journal buttons of the dossier shown.

    Signals: ``changed(household_id)`` after a write (reload the dossier),
    ``overview_shown(overview)`` once the household's `JournalOverview` is shown.
    """

    changed = Signal(object)
    overview_shown = Signal(object)

    def __init__(self, energy: EnergyPanel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.energy = energy
        self._journal: JournalService | None = None
        self._runner: TaskRunner | None = None
        self._today: Callable[[], date] = date.today
        self._dossier: Dossier | None = None
        self._overview: JournalOverview | None = None
        self.banner = QLabel(self)
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.add_note = QPushButton(_("Ajouter une note…"), self)
        self.add_note.clicked.connect(self.ask_note)
        self.report = QPushButton(_("Signaler un incident…"), self)
        self.report.clicked.connect(self.ask_incident)
        self.close_or_reopen = QPushButton(_("Clore le dossier…"), self)
        self.close_or_reopen.clicked.connect(self.ask_close_or_reopen)
        self.error = ErrorLabel(self)
        self._buttons = QHBoxLayout()
        self._buttons.setContentsMargins(0, 0, 0, 0)
        for button in (self.add_note, self.report):
            self._buttons.addWidget(button)
        self._buttons.addStretch(1)
        self._buttons.addWidget(self.close_or_reopen)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addLayout(self._buttons)
        layout.addWidget(self.error)
        self._enable()

    def set_journal(self, journal: JournalService | None, runner: TaskRunner | None, *,
                    today: Callable[[], date] = date.today) -> None:
        self._journal, self._runner, self._today = journal, runner, today
        self._enable()
        if self._dossier is not None:
            self.show_dossier(self._dossier)

    def overview(self) -> JournalOverview | None:
        return self._overview

    def add_dossier_actions(self, *widgets: QWidget) -> None:
        """Put the team lead's actions on the dossier (reassign, move) next to "Clore le
        dossier…", away from the everyday buttons of the title row."""
        for widget in widgets:
            self._buttons.insertWidget(self._buttons.indexOf(self.close_or_reopen), widget)

    def can_write(self) -> bool:
        """Whether a dossier is shown and the journal service is there to write to it."""
        return (self._journal is not None and self._runner is not None
                and self._dossier is not None)

    def _enable(self) -> None:
        for button in (self.add_note, self.report, self.close_or_reopen):
            button.setEnabled(self.can_write())

    def show_dossier(self, dossier: Dossier) -> None:
        if self._dossier is None or self._dossier.household.id != dossier.household.id:
            self._overview = None
            self.banner.hide()
        self._dossier = dossier
        self.error.clear_message()
        closed = dossier.household.status == "closed"
        self.close_or_reopen.setText(_("Rouvrir le dossier…") if closed
                                     else _("Clore le dossier…"))
        self._enable()
        journal, runner, household_id = self._journal, self._runner, dossier.household.id
        if journal is None or runner is None:
            return
        today = self._today()
        runner.submit("journal-overview", lambda _s: journal.overview(household_id, today),
                      on_done=self._show_overview, on_error=self._failed)

    def clear(self) -> None:
        self._dossier, self._overview = None, None
        self.banner.hide()
        self._enable()

    def _show_overview(self, overview: JournalOverview) -> None:
        if self._dossier is None or self._dossier.household.id != overview.household_id:
            return
        self._overview = overview
        self.banner.setText(banner_text(overview))
        pairs = TeamFlag.VISIT_IN_PAIRS in overview.flags
        self.banner.setStyleSheet(ALERT_STYLE if pairs else WARNING_STYLE)
        self.banner.setVisible(bool(overview.flags))
        self.energy.show_situation(overview.energy)
        self.overview_shown.emit(overview)

    # --- intents --------------------------------------------------------------------------

    def ask_note(self) -> None:
        if self._dossier is None or self._journal is None:
            return
        body = NoteDialog.ask(self.window())
        if body:
            journal, household_id = self._journal, self._dossier.household.id
            self._write(lambda: journal.add_note(household_id, body))

    def ask_revise_note(self, item: TimelineItem) -> None:
        """Open the note of a timeline row (kind "note") for revision, its history read on the
        parallel lane while the dialog is open; the revision is written on the writer lane."""
        journal, runner = self._journal, self._runner
        if self._dossier is None or journal is None or runner is None or item.kind != "note":
            return
        note_id = item.id
        history = NoteHistory()

        def load(_state: TaskState) -> tuple[list[NoteRevisionView], dict[uuid.UUID, str]]:
            revisions = journal.note_history(note_id)
            authors = {colleague.id: colleague.name for colleague in journal.colleagues()}
            return revisions, authors

        runner.submit(_NOTE_HISTORY, load,
                      on_done=lambda result: history.set_revisions(*result),
                      on_error=lambda error: history.set_error(message_for(error)))
        try:
            body = NoteEditDialog.ask(self.window(), item.detail, history)
        finally:
            runner.cancel(_NOTE_HISTORY)
        if body and body != item.detail.strip():
            self._write(lambda: journal.revise_note(note_id, body))

    def ask_incident(self) -> None:
        journal, runner = self._journal, self._runner
        if self._dossier is None or journal is None or runner is None:
            return
        runner.submit("journal-colleagues", lambda _s: journal.colleagues(),
                      on_done=self._incident_with, on_error=self._failed)

    def _incident_with(self, colleagues: list[ColleagueView]) -> None:
        if self._dossier is None or self._journal is None:
            return
        draft = IncidentDialog.ask(self.window(), colleagues)
        if draft is not None:
            journal, household_id = self._journal, self._dossier.household.id
            self._write(lambda: journal.record_incident(
                household_id, severity=draft.severity.value,
                anger_target=draft.anger_target.value, description=draft.description,
                handed_over_to=draft.handed_over_to, visit_in_pairs=draft.visit_in_pairs))

    def ask_close_or_reopen(self) -> None:
        if self._dossier is None or self._journal is None:
            return
        journal, household = self._journal, self._dossier.household
        if household.status == "closed":
            if ConfirmDialog.ask(self.window(), _("Rouvrir le dossier"), _(
                    "Rouvrir le dossier de {household} ? Le motif de clôture sera effacé."
                    ).format(household=household.name), _("Rouvrir")):
                self._write(lambda: journal.reopen_dossier(household.id))
            return
        outcome = CloseDossierDialog.ask(self.window(), household.name)
        if outcome is not None:
            self._write(lambda: journal.close_dossier(household.id, outcome))

    def _write(self, work: Callable[[], Any]) -> None:
        runner, dossier = self._runner, self._dossier
        if runner is None or dossier is None:
            return
        household_id = dossier.household.id

        def task(_state: TaskState) -> Any:
            return work()

        # One key per write: a write must never supersede (and drop) a queued one.
        runner.submit(f"journal-write-{next(_WRITES)}", task, lane=Lane.WRITER,
                      on_error=self._failed,
                      on_done=lambda _result: self.changed.emit(household_id))

    def _failed(self, error: BaseException) -> None:
        self.error.show_message(message_for(error))
