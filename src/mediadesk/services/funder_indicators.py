"""The funder report's indicators, each defined once: a code, a label, the definition printed in
the report's annex and a function listing the *facts* it counts in a `Period`.

A fact names what is counted once (a household, an interview, a collective action), the site and
the mediator it belongs to, and a value (1, or an amount in cents).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from mediadesk.domain.enums import InterventionRegister, PartnerKind
from mediadesk.i18n import N_
from mediadesk.interview import InterviewState, OptionCode
from mediadesk.services.funder_period import DoneInterview, HouseholdEvent, Period

REGISTER_LABELS = {
    InterventionRegister.LOCAL_PRESENCE: N_("1. Présence active de proximité"),
    InterventionRegister.LIFTING_MISUNDERSTANDINGS: N_("2. Lever les incompréhensions"),
    InterventionRegister.INFORMING: N_("3. Informer, sensibiliser, former"),
    InterventionRegister.CONFLICT_HANDLING: N_("4. Prévenir et gérer les conflits"),
    InterventionRegister.TERRITORY_WATCH: N_("5. Veille sociale et technique"),
    InterventionRegister.FACILITATING_DIALOGUE: N_("6. Faciliter le dialogue"),
    InterventionRegister.PUTTING_IN_TOUCH: N_("7. Mettre en relation avec un partenaire"),
    InterventionRegister.COLLECTIVE_PROJECTS: N_("8. Soutenir des projets collectifs"),
}
_VOUCHER = {OptionCode.ENERGY_VOUCHER_ATTESTATION, OptionCode.ENERGY_VOUCHER_CLAIM}


@dataclass(frozen=True)
class Fact:
    """One counted thing: ``key`` is counted once per total, site and mediator."""

    key: object
    site: str | None
    mediator: str | None
    value: int = 1


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str  # marked with N_, translated when printed
    definition: str  # idem
    facts: Callable[[Period], Iterable[Fact]]
    money: bool = False


def _households(rows: Iterable[DoneInterview | HouseholdEvent]) -> list[Fact]:
    return [Fact(row.household, row.site, row.mediator) for row in rows]


def _plan_amount(state: InterviewState) -> int:
    return (state.supplier.supplier_amount_cents or state.situation.declared_debt_cents or 0)


def _unreachable(period: Period) -> list[Fact]:
    # ``period.contacts`` holds only households with attempts, none reached, none met.
    return [Fact(row.household, row.site, row.mediator) for row in period.contacts]


def _register(register: InterventionRegister) -> Callable[[Period], list[Fact]]:
    def facts(period: Period) -> list[Fact]:
        return [Fact(row.id, row.site, row.mediator) for row in period.interviews
                if int(register) in row.registers]
    return facts


INDICATORS: tuple[Indicator, ...] = (
    Indicator("households_met", N_("Foyers accompagnés (au moins un entretien terminé)"),
              N_("Foyers distincts ayant eu au moins un entretien terminé commencé dans la "
                 "période."),
              lambda p: _households(p.interviews)),
    Indicator("interviews", N_("Entretiens terminés"),
              N_("Entretiens terminés commencés dans la période (un foyer reçu deux fois "
                 "compte deux entretiens)."),
              lambda p: [Fact(r.id, r.site, r.mediator) for r in p.interviews]),
    Indicator("supply_maintained", N_("Foyers dont la fourniture est maintenue"),
              N_("Foyers distincts pour lesquels un entretien de la période a obtenu un "
                 "échéancier conclu ou un délai du fournisseur."),
              lambda p: _households(r for r in p.interviews if r.state.supplier.plan_agreed
                                    or r.state.supplier.negotiated_delay_until)),
    Indicator("energy_saving", N_("Foyers sensibilisés aux économies d'énergie"),
              N_("Foyers distincts dont un entretien de la période a retenu la piste "
                 "« éco-gestes »."),
              lambda p: _households(r for r in p.interviews
                                    if OptionCode.ENERGY_SAVING in r.state.options.chosen)),
    Indicator("energy_voucher", N_("Foyers informés sur le chèque énergie"),
              N_("Foyers distincts dont un entretien de la période a retenu l'attestation ou "
                 "la réclamation du chèque énergie."),
              lambda p: _households(r for r in p.interviews
                                    if _VOUCHER & set(r.state.options.chosen))),
    Indicator("payment_plans", N_("Foyers avec un échéancier conclu"),
              N_("Foyers distincts dont un entretien de la période a conclu un échéancier "
                 "avec le fournisseur."),
              lambda p: _households(r for r in p.interviews if r.state.supplier.plan_agreed)),
    Indicator("payment_plan_amount", N_("Montant des dettes couvertes par un échéancier"),
              N_("Pour chaque foyer avec un échéancier conclu dans la période, la dette selon "
                 "le fournisseur (à défaut celle déclarée) du premier entretien qui l'a "
                 "conclu ; chaque foyer compte une fois."),
              lambda p: [Fact(r.household, r.site, r.mediator, _plan_amount(r.state))
                         for r in p.interviews if r.state.supplier.plan_agreed],
              money=True),
    Indicator("orientation_fsl", N_("Foyers orientés vers le FSL ou le CCAS"),
              N_("Foyers distincts ayant une orientation vers le FSL ou un CCAS datée de la "
                 "période."),
              lambda p: _households(r for r in p.orientations
                                    if r.kind in (PartnerKind.FSL.value, PartnerKind.CCAS.value))),
    Indicator("orientation_social", N_("Foyers orientés vers un travailleur social"),
              N_("Foyers distincts ayant une orientation vers un travailleur social datée de "
                 "la période."),
              lambda p: _households(r for r in p.orientations
                                    if r.kind == PartnerKind.SOCIAL_WORKER.value)),
    Indicator("unreachable", N_("Foyers injoignables (tentatives sans réponse, sans entretien)"),
              N_("Foyers distincts ayant des tentatives de contact dans la période, aucune "
                 "aboutie et aucun entretien terminé dans la période."),
              _unreachable),
    Indicator("incidents", N_("Incidents"),
              N_("Incidents (situations tendues ou agressives) consignés dans la période."),
              lambda p: [Fact(r.id, r.site, r.mediator) for r in p.incidents]),
    Indicator("collective_actions", N_("Actions collectives"),
              N_("Actions collectives (ateliers) tenues dans la période."),
              lambda p: [Fact(i, s, m) for i, s, _n, m in p.actions]),
    Indicator("collective_attendance", N_("Participants aux actions collectives"),
              N_("Somme des participants déclarés aux actions collectives de la période "
                 "(une personne venue à deux ateliers compte deux fois)."),
              lambda p: [Fact(i, s, m, n) for i, s, n, m in p.actions]),
    *(Indicator(f"register_{int(register)}", label,
                N_("Entretiens terminés de la période rattachés à ce registre "
                   "d'intervention (un entretien compte sous chacun de ses registres)."),
                _register(register))
      for register, label in REGISTER_LABELS.items()),
)
BY_CODE = {indicator.code: indicator for indicator in INDICATORS}
