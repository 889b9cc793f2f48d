"""Step 3: the solutions to propose, derived from the situation and the energy-law rules.

``suggest_options`` never decides: it lists options with the reasons they came up, in a stable
order (OptionCode order); the mediator picks and adapts. ``rule_warnings`` lists the dated
warnings of the rules (truce, cut, chèque énergie, Médiateur windows).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from mediadesk.i18n import _, format_day, format_money, ngettext
from mediadesk.interview.codes import AngerTarget, Answer, ConflictReason, OptionCode, choice_title
from mediadesk.interview.payment_plan import reste_a_vivre
from mediadesk.interview.rules import (
    RULES,
    EnergyRules,
    WindowStatus,
    earliest_cut,
    energy_voucher_valid_until,
    fsl_aid_recent,
    minimum_power_regime_applies,
    ombudsman_window,
    power_limit_during_truce,
    truce_status,
    unpaid_notice_timeline,
)
from mediadesk.interview.state import InterviewState

LOW_RESTE_A_VIVRE_PER_PERSON_CENTS = 40_000
"""Below this monthly reste à vivre per person (about 13 € a day) an FSL aid is suggested.
A team heuristic, not a legal threshold: each département's FSL has its own ceilings."""
TRUCE_END_WARNING_DAYS = 30
VOUCHER_EXPIRY_WARNING_DAYS = 60


@dataclass(frozen=True)
class Suggestion:
    """An option with every reason it was suggested (French, translated), main reason first."""

    code: OptionCode
    reasons: tuple[str, ...]

    @property
    def title(self) -> str:
        return choice_title(self.code)

    @property
    def reason(self) -> str:
        return self.reasons[0]


class WarningCode(StrEnum):
    TRUCE_ENDING = "truce_ending"
    POWER_REDUCTION_IN_TRUCE = "power_reduction_in_truce"
    CUT_POSSIBLE = "cut_possible"
    MINIMUM_POWER_REGIME = "minimum_power_regime"
    NOT_MAIN_RESIDENCE = "not_main_residence"
    VOUCHER_EXPIRING = "voucher_expiring"
    OMBUDSMAN_TOO_EARLY = "ombudsman_too_early"
    OMBUDSMAN_EXPIRED = "ombudsman_expired"


@dataclass(frozen=True)
class RuleWarning:
    code: WarningCode
    message: str
    on: date | None = None


def debt_cents(state: InterviewState) -> int | None:
    """The debt to work with: the supplier's amount when known, else the household's."""
    if state.supplier.supplier_amount_cents is not None:
        return state.supplier.supplier_amount_cents
    return state.situation.declared_debt_cents


def monthly_margin_cents(state: InterviewState) -> int | None:
    """Reste à vivre of the month (income minus charges), None when either is unknown."""
    s = state.situation
    if s.monthly_income_cents is None or s.monthly_charges_cents is None:
        return None
    return s.monthly_income_cents - s.monthly_charges_cents


def _low_reste_a_vivre(state: InterviewState) -> bool:
    s = state.situation
    if s.monthly_income_cents is None or s.monthly_charges_cents is None:
        return False
    # An unknown household size counts as one person: the least alarming reading.
    rav = reste_a_vivre(s.monthly_income_cents, s.monthly_charges_cents, s.household_size or 1)
    return rav.per_person_cents < LOW_RESTE_A_VIVRE_PER_PERSON_CENTS


def suggest_options(
    state: InterviewState, today: date, rules: EnergyRules = RULES
) -> list[Suggestion]:
    """The options worth proposing, each with its reasons, in OptionCode order."""
    s, sup = state.situation, state.supplier
    found: dict[OptionCode, list[str]] = {}

    def add(code: OptionCode, reason: str) -> None:
        found.setdefault(code, []).append(reason)

    debt = debt_cents(state)
    if s.understands_debt is Answer.NO:
        add(OptionCode.BILL_EXPLANATION, _("La personne n'a pas compris sa dette."))
    if s.knows_debt_amount is Answer.NO:
        add(OptionCode.BILL_EXPLANATION, _("La personne ne connaît pas le montant de sa dette."))
    if s.bills_estimated:
        add(OptionCode.BILL_EXPLANATION, _("Les factures sont établies sur estimation."))
    if ConflictReason.UNEXPECTED_BILL in s.conflict_reasons:
        add(OptionCode.BILL_EXPLANATION, _("Une facture inattendue très élevée."))
    if ConflictReason.PAYS_TOO_MUCH in s.conflict_reasons:
        add(OptionCode.BILL_EXPLANATION, _("La personne a le sentiment de payer trop cher."))
        add(OptionCode.ENERGY_SAVING, _("La personne a le sentiment de payer trop cher."))

    margin = monthly_margin_cents(state)
    if debt is not None and debt > 0:
        if margin is None:
            add(OptionCode.PAYMENT_PLAN, _(
                "Dette de {debt} ; capacité de paiement à évaluer.").format(
                debt=format_money(debt)))
        elif margin > 0:
            add(OptionCode.PAYMENT_PLAN, _(
                "Dette de {debt} et reste à vivre de {margin} par mois.").format(
                debt=format_money(debt), margin=format_money(margin)))
        if _low_reste_a_vivre(state):
            add(OptionCode.ENERGY_SAVING, _("Le reste à vivre est faible."))

    if s.received_energy_voucher is Answer.YES and not s.energy_voucher_attestation_sent:
        add(OptionCode.ENERGY_VOUCHER_ATTESTATION, _(
            "Chèque énergie reçu mais attestation non envoyée au fournisseur : elle protège "
            "d'une réduction de puissance pendant la trêve."))
    if s.received_energy_voucher is Answer.NO:
        add(OptionCode.ENERGY_VOUCHER_CLAIM, _(
            "Pas de chèque énergie reçu : vérifier la déclaration de revenus au SIP, ou appeler "
            "le {phone}.").format(phone=rules.energy_voucher_helpline))

    fsl_recent = s.fsl_last_aid_on is not None and fsl_aid_recent(s.fsl_last_aid_on, today, rules)
    if debt is not None and debt > 0 and not fsl_recent and (
            _low_reste_a_vivre(state) or (margin is not None and margin <= 0)):
        if s.followed_by_social_worker is Answer.YES:
            add(OptionCode.FSL_SOCIAL_WORKER, _(
                "Reste à vivre trop faible, pas d'aide FSL depuis 12 mois : à demander par "
                "le travailleur social qui suit la personne."))
        else:
            add(OptionCode.FSL_SOCIAL_WORKER, _(
                "Reste à vivre trop faible, pas d'aide FSL depuis 12 mois : prendre rendez-vous "
                "avec un travailleur social (CCAS, service social départemental)."))

    if ConflictReason.LINKY_METER in s.conflict_reasons:
        add(OptionCode.ENEDIS_LINKY, _(
            "Le compteur Linky relève du distributeur Enedis, pas du fournisseur."))
    if s.bills_estimated and s.has_linky:
        add(OptionCode.ENEDIS_LINKY, _(
            "Factures estimées malgré un compteur Linky : le compteur ne transmet peut-être "
            "plus ses relevés."))

    disputed = {ConflictReason.UNEXPECTED_BILL, ConflictReason.PAYS_TOO_MUCH}
    if disputed & set(s.conflict_reasons) and sup.written_complaint_on is None:
        add(OptionCode.WRITTEN_COMPLAINT, _(
            "Facture contestée : une réclamation écrite au fournisseur ouvre, après 2 mois, "
            "l'accès au Médiateur national de l'énergie."))
    if sup.written_complaint_on is not None and sup.complaint_answer_satisfactory is not True:
        window = ombudsman_window(sup.written_complaint_on, rules)
        if window.status(today) is WindowStatus.OPEN:
            add(OptionCode.ENERGY_OMBUDSMAN, _(
                "Réclamation écrite du {complaint} sans réponse satisfaisante : saisine "
                "possible jusqu'au {latest}.").format(
                complaint=format_day(window.complaint_on), latest=format_day(window.latest)))

    if s.anger_target is AngerTarget.NAMED_PERSON and s.tension_persists:
        add(OptionCode.HAND_OVER, _(
            "La colère vise une personne identifiée et ne retombe pas."))

    return [Suggestion(code, tuple(found[code])) for code in OptionCode if code in found]


def rule_warnings(
    state: InterviewState, today: date, rules: EnergyRules = RULES
) -> list[RuleWarning]:
    """Dated warnings from the energy-law rules for this situation, most urgent first."""
    s, sup = state.situation, state.supplier
    warnings: list[RuleWarning] = []
    debt = debt_cents(state)
    in_debt = debt is not None and debt > 0
    main_residence = s.main_residence is not False
    truce = truce_status(today, rules)

    if in_debt and s.main_residence is False:
        warnings.append(RuleWarning(WarningCode.NOT_MAIN_RESIDENCE, _(
            "La trêve hivernale ne protège que la résidence principale.")))
    if in_debt and main_residence and truce.in_truce:
        remaining = truce.days_remaining or 0
        if remaining <= TRUCE_END_WARNING_DAYS:
            warnings.append(RuleWarning(WarningCode.TRUCE_ENDING, ngettext(
                "La trêve hivernale se termine dans {days} jour (le {last}).",
                "La trêve hivernale se termine dans {days} jours (le {last}).",
                remaining).format(days=remaining, last=format_day(truce.last_day)),
                truce.last_day))
        if sup.subscribed_kva is not None:
            limit = power_limit_during_truce(
                sup.subscribed_kva, bool(s.energy_voucher_attestation_sent), rules)
            if limit is not None and limit < sup.subscribed_kva:
                warnings.append(RuleWarning(WarningCode.POWER_REDUCTION_IN_TRUCE, _(
                    "Pendant la trêve, la puissance peut être réduite à {kva} kVA (sauf si "
                    "l'attestation chèque énergie a été envoyée).").format(kva=limit)))

    had_aid = Answer.YES in (s.received_energy_voucher, s.had_fsl_aid)
    regime = minimum_power_regime_applies(
        had_voucher_or_fsl=had_aid, has_linky=bool(s.has_linky), day=today, rules=rules)
    if in_debt and regime:
        warnings.append(RuleWarning(WarningCode.MINIMUM_POWER_REGIME, _(
            "Chèque énergie ou FSL et compteur Linky : au moins 60 jours à 1 kVA avant toute "
            "coupure.")))
    if in_debt and sup.unpaid_bill_on is not None:
        cut = earliest_cut(unpaid_notice_timeline(
            sup.unpaid_bill_on, minimum_power_regime=regime, main_residence=main_residence,
            rules=rules))
        message = (_("Une coupure est possible dès maintenant (depuis le {day}).") if cut <= today
                   else _("Une coupure est possible à partir du {day}."))
        warnings.append(RuleWarning(WarningCode.CUT_POSSIBLE,
                                    message.format(day=format_day(cut)), cut))

    if s.received_energy_voucher is Answer.YES and s.energy_voucher_year is not None:
        until = energy_voucher_valid_until(s.energy_voucher_year, rules)
        if today <= until and (until - today).days <= VOUCHER_EXPIRY_WARNING_DAYS:
            warnings.append(RuleWarning(WarningCode.VOUCHER_EXPIRING, _(
                "Le chèque énergie n'est valable que jusqu'au {day}.").format(
                day=format_day(until)), until))

    if sup.written_complaint_on is not None and sup.complaint_answer_satisfactory is not True:
        window = ombudsman_window(sup.written_complaint_on, rules)
        status = window.status(today)
        if status is WindowStatus.TOO_EARLY:
            warnings.append(RuleWarning(WarningCode.OMBUDSMAN_TOO_EARLY, _(
                "Le Médiateur national de l'énergie pourra être saisi à partir du {day}.").format(
                day=format_day(window.earliest)), window.earliest))
        elif status is WindowStatus.EXPIRED:
            warnings.append(RuleWarning(WarningCode.OMBUDSMAN_EXPIRED, _(
                "Le délai pour saisir le Médiateur national de l'énergie a expiré le {day}."
                ).format(day=format_day(window.latest)), window.latest))

    return sorted(warnings, key=lambda w: (w.on is None, w.on or today))
