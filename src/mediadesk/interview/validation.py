"""What is missing or inconsistent in each step, and what blocks closing the interview.

Contract: ``validate(step, state, today)`` returns issues in screen order; an issue names the
answer key the UI should focus (and ``index`` for an item of a list field). BLOCKING issues
prevent closing; WARNINGs are shown but never block. All dates are judged against ``today``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from mediadesk.domain.enums import Actor, ConsentKind, ContactInitiator, PartnerKind
from mediadesk.i18n import _, format_money, ngettext
from mediadesk.interview.autonomy import MIN_ASKED, QUESTIONS, autonomy_score
from mediadesk.interview.codes import AngerTarget, Answer, ConflictReason
from mediadesk.interview.sections import SupplierLiaison
from mediadesk.interview.state import FIELDS, InterviewState
from mediadesk.interview.steps import Step


class Severity(StrEnum):
    BLOCKING = "blocking"
    WARNING = "warning"


@dataclass(frozen=True)
class Issue:
    """One problem found by ``validate(step, ...)``: ``step`` is that step (the key to focus may
    belong to another one, e.g. the supplier-exchange consent of step 1 checked in step 4)."""

    step: Step
    key: str
    message: str
    severity: Severity
    index: int | None = None

    @property
    def blocking(self) -> bool:
        return self.severity is Severity.BLOCKING


def consent_active(state: InterviewState, kind: ConsentKind, at: date) -> bool:
    """Whether consent ``kind`` holds on day ``at``.

    True when it was given on or before ``at`` and not withdrawn between that giving and ``at``
    (both inclusive: a consent withdrawn on the day it was given does not hold that day). A
    consent given again after a withdrawal holds from the new giving day.
    """
    consent = state.reception.consent(kind)
    if consent.given_on is None or consent.given_on > at:
        return False
    withdrawn = consent.withdrawn_on
    return not (withdrawn is not None and consent.given_on <= withdrawn <= at)


_SHARING_PARTNERS = {PartnerKind.SOCIAL_WORKER, PartnerKind.CCAS, PartnerKind.FSL}

_Found = tuple[str, str, Severity, int | None]
IssueSink = Iterator[_Found]


def _block(key: str, message: str, index: int | None = None) -> _Found:
    return key, message, Severity.BLOCKING, index


def _warn(key: str, message: str, index: int | None = None) -> _Found:
    return key, message, Severity.WARNING, index


def _future(key: str, day: date | None, today: date, index: int | None = None) -> IssueSink:
    if day is not None and day > today:
        yield _block(key, _("Cette date est dans le futur."), index)


def _reception(state: InterviewState, today: date) -> IssueSink:
    r = state.reception
    if r.initiated_by is None:
        yield _block("reception.initiated_by",
                     _("Indiquer à l'initiative de qui a lieu le contact."))
    elif r.initiated_by is ContactInitiator.PARTNER and r.referred_by is None:
        yield _warn("reception.referred_by", _("Préciser le partenaire qui a orienté la personne."))
    if r.place is None:
        yield _block("reception.place", _("Indiquer le lieu de l'entretien."))
    if not r.languages:
        yield _warn("reception.languages", _("Indiquer les langues parlées par la personne."))
    if not r.presentation_script_read:
        yield _block("reception.presentation_script_read", _(
            "Présenter la médiation : un tiers neutre, ni le fournisseur ni les services sociaux."))
    for kind in ConsentKind:
        key = f"reception.consent.{kind.value}"
        consent = r.consent(kind)
        if consent.withdrawn_on is not None and consent.given_on is None:
            yield _block(key, _("Un retrait de consentement est noté sans date de consentement."))
        yield from _future(key, consent.given_on, today)
        yield from _future(key, consent.withdrawn_on, today)
    mediation = r.consent(ConsentKind.MEDIATION)
    if mediation.given_on is None:
        yield _block("reception.consent.mediation",
                     _("Recueillir le consentement de la personne à la médiation."))
    elif not consent_active(state, ConsentKind.MEDIATION, today):
        yield _warn("reception.consent.mediation", _(
            "La personne a retiré son consentement : arrêter la médiation et ne rien partager."))
    if r.consent(ConsentKind.STORAGE).given_on is None:
        yield _warn("reception.consent.storage",
                    _("Le consentement à la conservation des informations n'est pas noté."))


def _situation(state: InterviewState, today: date) -> IssueSink:
    s = state.situation
    score = autonomy_score(state)
    if score.asked < MIN_ASKED:
        yield _warn(QUESTIONS[0].key, ngettext(
            "Niveau d'autonomie non calculable : {asked} question abordée, il en faut {minimum}.",
            "Niveau d'autonomie non calculable : {asked} questions abordées, il en faut {minimum}.",
            score.asked).format(asked=score.asked, minimum=MIN_ASKED))
    if s.knows_debt_amount is Answer.YES and s.declared_debt_cents is None:
        yield _warn("situation.declared_debt_cents",
                    _("Noter le montant de la dette annoncé par la personne."))
    if s.had_fsl_aid is Answer.NO and s.fsl_last_aid_on is not None:
        yield _block("situation.fsl_last_aid_on",
                     _("Une date d'aide FSL est notée alors que la personne n'en a jamais eu."))
    elif s.had_fsl_aid is Answer.YES and s.fsl_last_aid_on is None:
        yield _warn("situation.fsl_last_aid_on", _("Noter la date de la dernière aide FSL."))
    yield from _future("situation.fsl_last_aid_on", s.fsl_last_aid_on, today)
    yield from _future("situation.last_payment_on", s.last_payment_on, today)
    if s.received_energy_voucher is Answer.NO and s.energy_voucher_attestation_sent:
        yield _block("situation.energy_voucher_attestation_sent", _(
            "Attestation chèque énergie envoyée alors que la personne n'a pas reçu de chèque."))
    elif s.received_energy_voucher is Answer.YES and s.energy_voucher_attestation_sent is None:
        yield _warn("situation.energy_voucher_attestation_sent",
                    _("Demander si l'attestation chèque énergie a été envoyée au fournisseur."))
    if (s.monthly_income_cents is None) != (s.monthly_charges_cents is None):
        yield _warn("situation.monthly_charges_cents",
                    _("Le reste à vivre demande les ressources et les charges du mois."))
    if s.monthly_income_cents is not None and s.household_size is None:
        yield _warn("situation.household_size", _("Indiquer le nombre de personnes du foyer."))
    if s.main_residence is None:
        yield _warn("situation.main_residence", _(
            "Préciser s'il s'agit de la résidence principale (protection de la trêve hivernale)."))
    if s.anger_target is AngerTarget.NAMED_PERSON and s.tension_persists:
        yield _warn("situation.anger_target", _(
            "Colère dirigée contre une personne : passer le relais ; un signalement peut être "
            "justifié."))


def _options(state: InterviewState, today: date) -> IssueSink:
    if not state.options.chosen:
        yield _block("options.chosen", _("Choisir au moins une solution proposée à la personne."))


def _supplier(state: InterviewState, today: date) -> IssueSink:
    sup, sit = state.supplier, state.situation
    consent_key = "reception.consent.supplier_exchange"
    consent = state.reception.consent(ConsentKind.SUPPLIER_EXCHANGE)
    active = consent_active(state, ConsentKind.SUPPLIER_EXCHANGE, today)
    if sup == SupplierLiaison():
        if active:
            yield _warn("supplier.contacts", _("Aucun échange avec le fournisseur n'est noté."))
        return
    if consent.given_on is None:
        yield _block(consent_key, _(
            "Échanger avec le fournisseur demande le consentement de la personne."))
    elif not active:
        yield _warn(consent_key, _(
            "Consentement retiré : plus aucun échange avec le fournisseur."))
    for index, contact in enumerate(sup.contacts):
        if contact.on is None:
            yield _block("supplier.contacts", _("Dater chaque échange avec le fournisseur."), index)
        elif contact.on > today:
            yield _block("supplier.contacts", _("Cette date est dans le futur."), index)
        elif consent.given_on is not None and not consent_active(
                state, ConsentKind.SUPPLIER_EXCHANGE, contact.on):
            yield _block("supplier.contacts", _(
                "Cet échange a eu lieu sans consentement actif de la personne."), index)
    theirs, ours = sup.supplier_amount_cents, sit.declared_debt_cents
    if theirs is not None and ours is not None and theirs != ours and not sup.discrepancies:
        yield _warn("supplier.discrepancies", _(
            "Le fournisseur annonce {theirs}, la personne {ours} : noter l'écart.").format(
            theirs=format_money(theirs), ours=format_money(ours)))
    if (sup.last_payment_on is not None and sit.last_payment_on is not None
            and sup.last_payment_on != sit.last_payment_on and not sup.discrepancies):
        yield _warn("supplier.discrepancies", _(
            "Les dates du dernier versement diffèrent : noter l'écart."))
    if sup.plan_agreed:
        if sup.proposed_monthly_cents is None and sup.supplier_monthly_cents is None:
            yield _block("supplier.proposed_monthly_cents",
                         _("Noter le montant mensuel de l'échéancier convenu."))
        if sup.plan_start_on is None:
            yield _block("supplier.plan_start_on",
                         _("Noter la date de la première échéance convenue."))
    if ConflictReason.LINKY_METER in sit.conflict_reasons and not sup.redirected_to_enedis:
        yield _warn("supplier.redirected_to_enedis", _(
            "Un litige sur le compteur Linky relève d'Enedis, pas du fournisseur."))
    yield from _future("supplier.written_complaint_on", sup.written_complaint_on, today)
    yield from _future("supplier.last_payment_on", sup.last_payment_on, today)


def _next_step(state: InterviewState, today: date) -> IssueSink:
    steps = state.next_step.steps
    if not steps:
        yield _block("next_step.steps", _("Convenir avec la personne d'au moins un prochain pas."))
    elif steps[0].due_on is None:
        yield _block("next_step.steps", _("Le premier pas doit avoir une date."), 0)
    previous: date | None = None
    for index, step in enumerate(steps):
        if not step.description.strip():
            yield _block("next_step.steps", _("Décrire ce qu'il faut faire."), index)
        if step.actor is Actor.PARTNER and step.partner_kind is None:
            yield _warn("next_step.steps", _("Préciser quel partenaire doit agir."), index)
        if step.due_on is not None:
            if step.due_on < today:
                yield _warn("next_step.steps", _("Cette date est passée."), index)
            if previous is not None and step.due_on < previous:
                yield _warn("next_step.steps",
                            _("Ce pas est daté avant le pas précédent."), index)
            previous = step.due_on
    sharing = consent_active(state, ConsentKind.SOCIAL_WORKER_SHARING, today)
    for index, orientation in enumerate(state.next_step.orientations):
        if orientation.partner_kind is None:
            yield _block("next_step.orientations", _("Choisir le partenaire."), index)
        elif orientation.partner_kind in _SHARING_PARTNERS and not sharing:
            yield _warn("next_step.orientations", _(
                "Sans consentement au partage, ne transmettre aucune information au partenaire."),
                index)
        if orientation.check_on is None:
            yield _block("next_step.orientations", _(
                "Fixer la date à laquelle vérifier que la mise en relation a eu lieu."), index)
        elif orientation.check_on < today:
            yield _warn("next_step.orientations", _("Cette date est passée."), index)


def _follow_up(state: InterviewState, today: date) -> IssueSink:
    f = state.follow_up
    if f.due_on is None:
        yield _block("follow_up.due_on", _("Fixer la date du suivi."))
    elif f.due_on < today:
        yield _block("follow_up.due_on", _("La date du suivi est passée."))
    if f.channel is None:
        yield _block("follow_up.channel", _("Indiquer comment le suivi sera fait."))
    if not state.closing.registers:
        yield _block("closing.registers",
                     _("Cocher au moins un registre d'intervention de l'entretien."))


_CHECKS: dict[Step, Callable[[InterviewState, date], IssueSink]] = {
    Step.RECEPTION: _reception,
    Step.SITUATION: _situation,
    Step.OPTIONS: _options,
    Step.SUPPLIER_LIAISON: _supplier,
    Step.NEXT_STEP: _next_step,
    Step.FOLLOW_UP: _follow_up,
}


def validate(step: Step, state: InterviewState, today: date) -> list[Issue]:
    """The issues of one step, judged on ``today``; also flags unreadable stored values."""
    found = list(_CHECKS[step](state, today))
    for key in state.unreadable_keys():
        if FIELDS[key].step is step:
            found.append(_warn(key, _(
                "Cette réponse n'a pas pu être lue (enregistrée par une version plus récente ?).")))
    return [Issue(step, key, message, severity, index) for key, message, severity, index in found]


def closing_issues(state: InterviewState, today: date) -> list[Issue]:
    """Every blocking issue of every step, in step order: empty means the interview can close."""
    return [issue for step in Step for issue in validate(step, state, today) if issue.blocking]
