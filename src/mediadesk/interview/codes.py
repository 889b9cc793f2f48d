"""Enumerations of the interview's answers and their French titles.

Values are stable strings stored in the interview's JSON answers and sent over sync: renaming a
member is fine, changing a value needs a data migration.
"""

from __future__ import annotations

from enum import StrEnum

from mediadesk.i18n import N_, _


class Answer(StrEnum):
    """The answer to one of the nine autonomy questions (seed 004)."""

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"
    """Asked, but the person could not tell (counts as asked, not as a yes)."""
    NOT_ASKED = "not_asked"
    """The mediator let the person talk and the point never came up."""


class ConsentMethod(StrEnum):
    """How a consent was collected."""

    ORAL = "oral"
    WRITTEN = "written"


class ConflictReason(StrEnum):
    """Why the person is in conflict with the supplier (seed 004, "Le contexte")."""

    PAYS_TOO_MUCH = "pays_too_much"
    UNEXPECTED_BILL = "unexpected_bill"
    LINKY_METER = "linky_meter"
    OTHER = "other"


class AngerTarget(StrEnum):
    """Whom the anger targets (seed 004, "Les points de vigilance")."""

    NONE = "none"
    GENERAL = "general"
    SUPPLIER = "supplier"
    BEING_CONTACTED = "being_contacted"
    NAMED_PERSON = "named_person"


class OptionCode(StrEnum):
    """The solutions the mediator can propose (step 3)."""

    BILL_EXPLANATION = "bill_explanation"
    PAYMENT_PLAN = "payment_plan"
    ENERGY_VOUCHER_ATTESTATION = "energy_voucher_attestation"
    ENERGY_VOUCHER_CLAIM = "energy_voucher_claim"
    FSL_SOCIAL_WORKER = "fsl_social_worker"
    ENERGY_SAVING = "energy_saving"
    ENEDIS_LINKY = "enedis_linky"
    WRITTEN_COMPLAINT = "written_complaint"
    ENERGY_OMBUDSMAN = "energy_ombudsman"
    HAND_OVER = "hand_over"


_TITLES: dict[StrEnum, str] = {
    Answer.YES: N_("Oui"),
    Answer.NO: N_("Non"),
    Answer.UNKNOWN: N_("Ne sait pas"),
    Answer.NOT_ASKED: N_("Non abordé"),
    ConsentMethod.ORAL: N_("Oral"),
    ConsentMethod.WRITTEN: N_("Écrit"),
    ConflictReason.PAYS_TOO_MUCH: N_("Sentiment de payer trop cher"),
    ConflictReason.UNEXPECTED_BILL: N_("Facture inattendue très élevée"),
    ConflictReason.LINKY_METER: N_("Rejet ou refus de la pose du compteur Linky"),
    ConflictReason.OTHER: N_("Autre motif"),
    AngerTarget.NONE: N_("Pas de colère"),
    AngerTarget.GENERAL: N_("Colère d'ordre général"),
    AngerTarget.SUPPLIER: N_("Colère contre le fournisseur"),
    AngerTarget.BEING_CONTACTED: N_("Colère d'être contacté"),
    AngerTarget.NAMED_PERSON: N_("Colère contre une personne identifiée"),
    OptionCode.BILL_EXPLANATION: N_("Explication de facture"),
    OptionCode.PAYMENT_PLAN: N_("Échéancier à négocier avec le fournisseur"),
    OptionCode.ENERGY_VOUCHER_ATTESTATION: N_("Attestation chèque énergie à envoyer"),
    OptionCode.ENERGY_VOUCHER_CLAIM: N_("Chèque énergie à réclamer"),
    OptionCode.FSL_SOCIAL_WORKER: N_("Aide FSL par un travailleur social"),
    OptionCode.ENERGY_SAVING: N_("Éco-gestes"),
    OptionCode.ENEDIS_LINKY: N_("Orientation vers Enedis (compteur Linky)"),
    OptionCode.WRITTEN_COMPLAINT: N_("Réclamation écrite au fournisseur"),
    OptionCode.ENERGY_OMBUDSMAN: N_("Saisine du Médiateur national de l'énergie"),
    OptionCode.HAND_OVER: N_("Passer le relais (responsable, signalement)"),
}


def choice_title(value: Answer | ConsentMethod | ConflictReason | AngerTarget | OptionCode) -> str:
    """The French title of a choice, translated into the active language."""
    return _(_TITLES[value])
