"""Step 4, rétablir la relation avec le fournisseur: the supplier's version against the
household's, the discrepancies, what was negotiated (delay, payment plan with a preview), the
written complaint and the log of exchanges with the supplier.

Nothing here can be filled in until the household's consent to the exchange with the supplier
is active; a withdrawn consent closes the page again from its withdrawal day.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtWidgets import (
    QCompleter,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mediadesk.domain.enums import DEFAULT_SUPPLIERS, ConsentKind
from mediadesk.i18n import N_, _, format_day, format_money, ngettext
from mediadesk.interview import (
    ConflictReason,
    InterviewState,
    Step,
    SupplierContact,
    compare_with_supplier,
    consent_active,
    propose_plan,
)
from mediadesk.interview.options import debt_cents
from mediadesk.ui.interview.choices import CHANNELS, titled
from mediadesk.ui.interview.fields import (
    CheckField,
    ChoiceCombo,
    DateField,
    FreeText,
    MoneyField,
    NumberField,
    TextField,
    YesNoCombo,
)
from mediadesk.ui.interview.pages.base import (
    INFO_STYLE,
    WARNING_STYLE,
    StepPage,
    box_label,
    form_group,
)
from mediadesk.ui.interview.parse import show_day
from mediadesk.ui.interview.records import (
    DATE_COLUMN,
    RecordRows,
    combo_value,
    day_of,
    line_text,
    set_combo,
)
from mediadesk.ui.widgets import ERROR_COLOUR, MUTED_COLOUR

CONSENT_KEY = "reception.consent.supplier_exchange"
CHANNEL_WIDTH = 150


class ContactRows(RecordRows[SupplierContact]):
    """The exchanges with the supplier: day, channel, what was said."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__([(_("Date"), DATE_COLUMN), (_("Canal"), CHANNEL_WIDTH),
                          (_("Ce qui a été dit"), 0)], _("Ajouter un échan&ge"),
                         _("Aucun échange noté."), parent)
        self.today: date | None = None

    def _inputs(self, record: SupplierContact, parent: QWidget) -> list[QWidget]:
        on = DateField(parent)
        on.setAccessibleName(_("Date de l'échange"))
        channel = ChoiceCombo(titled(CHANNELS), parent)
        channel.setFixedWidth(CHANNEL_WIDTH)
        channel.setAccessibleName(_("Canal de l'échange"))
        summary = TextField(parent, placeholder=_("Restez factuel : le foyer peut le lire"))
        summary.setAccessibleName(_("Ce qui a été dit"))
        return [on, channel, summary]

    def _write(self, inputs: list[QWidget], record: SupplierContact) -> None:
        on, channel, summary = inputs
        assert isinstance(on, DateField) and isinstance(summary, TextField)
        on.set_value(record.on)
        set_combo(channel, record.channel)
        summary.set_value(record.summary)

    def _read(self, inputs: list[QWidget], record: SupplierContact) -> SupplierContact:
        on, channel, summary = inputs
        return replace(record, on=day_of(on), channel=combo_value(channel),
                       summary=line_text(summary))

    def _blank(self) -> SupplierContact:
        return SupplierContact(on=self.today)


class SupplierPage(StepPage):
    step = Step.SUPPLIER_LIAISON
    help_text = N_("Confronter la version du fournisseur à celle du foyer, négocier, noter "
                   "chaque échange.")

    def build(self, body: QWidget) -> None:
        form = self.form
        self.gate = box_label("", WARNING_STYLE, body)
        self.gate_button = QPushButton(_("Aller aux &consentements"), body)
        self.gate_button.clicked.connect(lambda: self.focus_requested.emit(CONSENT_KEY, None))
        self.linky = box_label(_(
            "Litige sur le compteur Linky (pose, refus, relevés) : cela relève du distributeur "
            "Enedis, pas du fournisseur. Orientez la personne vers Enedis."), INFO_STYLE, body)
        self.content = QWidget(body)

        versions, versions_form = form_group(_("Versions du fournisseur et du foyer"),
                                             self.content)
        name = TextField(versions, placeholder=_("EDF, Engie…"))
        completer = QCompleter(list(DEFAULT_SUPPLIERS), name)
        name.setCompleter(completer)
        form.row(versions_form, _("&Fournisseur :"), "supplier.supplier_name", name)
        self.household_debt = QLabel(versions)
        form.row(versions_form, _("&Dette selon le fournisseur (€) :"),
                 "supplier.supplier_amount_cents", MoneyField(versions),
                 beside=self.household_debt)
        self.household_payment = QLabel(versions)
        form.row(versions_form, _("Dernier &versement le :"), "supplier.last_payment_on",
                 DateField(versions), beside=self.household_payment)
        form.row(versions_form, _("Facture &impayée du :"), "supplier.unpaid_bill_on",
                 DateField(versions))
        form.row(versions_form, _("Puissance souscrite (&kVA) :"), "supplier.subscribed_kva",
                 NumberField(1, 36, versions))
        self.gap = QLabel(versions)
        self.gap.setWordWrap(True)
        versions_form.addRow(self.gap)
        form.row(versions_form, _("É&carts constatés :"), "supplier.discrepancies",
                 FreeText(versions, lines=2))

        deal, deal_form = form_group(_("Ce qui a été négocié"), self.content)
        form.row(deal_form, _("Délai obtenu &jusqu'au :"), "supplier.negotiated_delay_until",
                 DateField(deal))
        form.row(deal_form, _("&Mensualité proposée (€) :"), "supplier.proposed_monthly_cents",
                 MoneyField(deal))
        form.row(deal_form, _("Mensualité du fournisseur (€) :"),
                 "supplier.supplier_monthly_cents", MoneyField(deal))
        form.row(deal_form, _("&Première échéance le :"), "supplier.plan_start_on",
                 DateField(deal))
        form.row(deal_form, "", "supplier.plan_agreed",
                 CheckField(_("Échéancier &accepté par le fournisseur"), deal),
                 name=_("Échéancier accepté par le fournisseur"))
        self.plan = box_label("", INFO_STYLE, deal)
        deal_form.addRow(self.plan)

        complaint, complaint_form = form_group(_("Réclamation et Enedis"), self.content)
        form.row(complaint_form, _("&Réclamation écrite le :"), "supplier.written_complaint_on",
                 DateField(complaint))
        form.row(complaint_form, _("Réponse &satisfaisante :"),
                 "supplier.complaint_answer_satisfactory", YesNoCombo(complaint))
        form.row(complaint_form, "", "supplier.redirected_to_enedis",
                 CheckField(_("Personne orientée vers &Enedis (compteur)"), complaint),
                 name=_("Personne orientée vers Enedis"))

        contacts, contacts_form = form_group(_("Échanges avec le fournisseur"), self.content)
        self.contacts = ContactRows(contacts)
        contacts_form.addRow(self.contacts)
        contacts_form.addRow(form.bind("supplier.contacts", self.contacts).error)

        left = QVBoxLayout()
        left.addWidget(versions)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(deal)
        right.addWidget(complaint)
        right.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        content = QVBoxLayout(self.content)
        content.setContentsMargins(0, 0, 0, 0)
        content.addLayout(columns)
        content.addWidget(contacts)  # full width: what was said must be readable
        gate_row = QHBoxLayout()
        gate_row.addWidget(self.gate, 1)
        gate_row.addWidget(self.gate_button)
        layout = QVBoxLayout(body)
        layout.addLayout(gate_row)
        layout.addWidget(self.linky)
        layout.addWidget(self.content)
        layout.addStretch(1)

    def refresh(self, state: InterviewState, today: date) -> None:
        self.contacts.today = today
        active = consent_active(state, ConsentKind.SUPPLIER_EXCHANGE, today)
        consent = state.reception.consent(ConsentKind.SUPPLIER_EXCHANGE)
        if active:
            message = ""
        elif consent.given_on is not None and consent.withdrawn_on is not None \
                and consent.withdrawn_on <= today:
            message = _("La personne a retiré son accord le {day} : plus aucun échange avec "
                        "le fournisseur.").format(day=format_day(consent.withdrawn_on))
        else:
            message = _("L'échange avec le fournisseur demande l'accord de la personne. "
                        "Notez-le d'abord à l'étape 1 (consentements).")
        self.gate.setText(message)
        self.gate.setVisible(not active)
        self.gate_button.setVisible(not active)
        self.content.setEnabled(active)
        linky = ConflictReason.LINKY_METER in state.situation.conflict_reasons
        self.linky.setStyleSheet(WARNING_STYLE if linky else INFO_STYLE)
        self._show_versions(state)
        self._show_plan(state, today)

    def _show_versions(self, state: InterviewState) -> None:
        sup, sit = state.supplier, state.situation
        self.household_debt.setText(_("Foyer : {amount}").format(
            amount=format_money(sit.declared_debt_cents))
            if sit.declared_debt_cents is not None else _("Foyer : non renseignée"))
        self.household_payment.setText(_("Foyer : {day}").format(
            day=show_day(sit.last_payment_on)) if sit.last_payment_on is not None
            else _("Foyer : non renseigné"))
        gaps = []
        theirs, ours = sup.supplier_amount_cents, sit.declared_debt_cents
        if theirs is not None and ours is not None and theirs != ours:
            gaps.append(_("Écart sur la dette : {gap} (fournisseur {theirs}, foyer "
                          "{ours}).").format(gap=format_money(abs(theirs - ours)),
                                             theirs=format_money(theirs),
                                             ours=format_money(ours)))
        if (sup.last_payment_on is not None and sit.last_payment_on is not None
                and sup.last_payment_on != sit.last_payment_on):
            gaps.append(_("Les dates du dernier versement diffèrent."))
        self.gap.setText("\n".join(gaps) or _("Pas d'écart relevé entre les deux versions."))
        self.gap.setStyleSheet(f"color: {ERROR_COLOUR if gaps else MUTED_COLOUR};")

    def _show_plan(self, state: InterviewState, today: date) -> None:
        sup = state.supplier
        debt = debt_cents(state)
        monthly = sup.proposed_monthly_cents
        if not debt or not monthly:
            self.plan.setText(_("Aperçu de l'échéancier : indiquez la dette et la mensualité "
                                "proposée."))
            return
        plan = propose_plan(debt, sup.plan_start_on or today, monthly)
        lines = [ngettext(
            "Une seule échéance de {last} le {day}.",
            "{months} mensualités de {monthly}, la dernière de {last} le {day}.",
            plan.months).format(
            months=plan.months, monthly=format_money(plan.monthly_cents),
            last=format_money(plan.instalments[-1].cents), day=format_day(plan.last_on))]
        if not plan.within_capacity:
            lines.append(_("Plus de 24 mois à ce rythme : réparti sur 24 mois, au-dessus de la "
                           "mensualité proposée."))
        if sup.supplier_monthly_cents:
            comparison = compare_with_supplier(plan, sup.supplier_monthly_cents)
            if comparison.supplier_exceeds_capacity:
                lines.append(_("Le fournisseur demande jusqu'à {excess} de plus par mois que "
                               "la mensualité proposée.").format(
                    excess=format_money(comparison.max_excess_cents)))
        self.plan.setText("\n".join(lines))

    def first_input(self) -> QWidget | None:
        return self.form["supplier.supplier_name"].field.focus_widgets()[0] \
            if self.content.isEnabled() else self.gate_button
