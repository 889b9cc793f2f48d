"""French titles of the domain choices shown in the wizard (who, where, which partner...).

The interview's own choices (answers, options, anger...) have theirs in
`mediadesk.interview.choice_title`; these are the domain enums the interview reuses.
Thread: any.
"""

from __future__ import annotations

from enum import Enum

from mediadesk.domain.enums import (
    Actor,
    ConsentKind,
    ContactChannel,
    ContactInitiator,
    InterventionRegister,
    InterviewPlace,
    PartnerKind,
)
from mediadesk.i18n import N_, _

INITIATORS: dict[Enum, str] = {
    ContactInitiator.SUPPLIER_LIST: N_("Liste du fournisseur"),
    ContactInitiator.WALK_IN: N_("Venue spontanée"),
    ContactInitiator.PARTNER: N_("Orientation par un partenaire"),
    ContactInitiator.HOUSEHOLD_CALL: N_("Appel du foyer"),
    ContactInitiator.MEDIATOR: N_("Démarche de la médiation"),
}
PARTNERS: dict[Enum, str] = {
    PartnerKind.SOCIAL_WORKER: N_("Travailleur social"),
    PartnerKind.CCAS: N_("CCAS"),
    PartnerKind.FSL: N_("FSL (fonds de solidarité logement)"),
    PartnerKind.TAX_OFFICE: N_("SIP (centre des impôts)"),
    PartnerKind.ENEDIS: N_("Enedis (distributeur)"),
    PartnerKind.ENERGY_OMBUDSMAN: N_("Médiateur national de l'énergie"),
    PartnerKind.ENERGY_VOUCHER_HELPLINE: N_("Numéro vert chèque énergie"),
    PartnerKind.SUPPLIER: N_("Fournisseur d'énergie"),
    PartnerKind.OTHER: N_("Autre partenaire"),
}
PLACES: dict[Enum, str] = {
    InterviewPlace.COUNTER: N_("Au guichet"),
    InterviewPlace.HOME: N_("À domicile"),
    InterviewPlace.PHONE: N_("Par téléphone"),
}
CHANNELS: dict[Enum, str] = {
    ContactChannel.PHONE: N_("Téléphone"),
    ContactChannel.SMS: N_("SMS"),
    ContactChannel.LETTER: N_("Courrier"),
    ContactChannel.HOME_VISIT: N_("Visite à domicile"),
    ContactChannel.EMAIL: N_("Courriel"),
    ContactChannel.COUNTER: N_("Accueil"),
}
ACTORS: dict[Enum, str] = {
    Actor.HOUSEHOLD: N_("Le foyer"),
    Actor.MEDIATOR: N_("La médiation"),
    Actor.PARTNER: N_("Un partenaire"),
}
CONSENTS: dict[ConsentKind, str] = {
    ConsentKind.MEDIATION: N_("Médiation"),
    ConsentKind.SUPPLIER_EXCHANGE: N_("Échange avec le fournisseur"),
    ConsentKind.SOCIAL_WORKER_SHARING: N_("Partage avec un travailleur social"),
    ConsentKind.STORAGE: N_("Conservation des informations"),
}
REGISTERS: dict[Enum, str] = {
    InterventionRegister.LOCAL_PRESENCE: N_("Assurer une présence active de proximité"),
    InterventionRegister.LIFTING_MISUNDERSTANDINGS: N_(
        "Lever les incompréhensions entre les personnes et les institutions"),
    InterventionRegister.INFORMING: N_("Informer, sensibiliser ou former"),
    InterventionRegister.CONFLICT_HANDLING: N_("Prévenir et gérer les situations conflictuelles"),
    InterventionRegister.TERRITORY_WATCH: N_("Participer à une veille sociale et technique"),
    InterventionRegister.FACILITATING_DIALOGUE: N_(
        "Faciliter la concertation entre habitants et institutions"),
    InterventionRegister.PUTTING_IN_TOUCH: N_("Mettre en relation avec un partenaire"),
    InterventionRegister.COLLECTIVE_PROJECTS: N_("Favoriser les projets collectifs"),
}


def titled(table: dict[Enum, str]) -> list[tuple[Enum, str]]:
    """The choices of ``table`` with their translated titles, in table order."""
    return [(value, _(source)) for value, source in table.items()]
