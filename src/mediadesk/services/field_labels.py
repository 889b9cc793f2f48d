"""French labels of the stored entities and fields, and of the enum values they hold.

Used wherever a stored field is named to a person outside its own form (the conflict review, the
rejected-changes inbox). Sources are French msgids marked with ``N_``: translate when shown
(:func:`entity_label`, :func:`field_label`, :func:`value_label` do it). A field unknown here is
shown by its column name, so a newer store never breaks an older UI.
Thread: any.
"""

from __future__ import annotations

from mediadesk.i18n import N_, _

HOUSEHOLD_STATUSES: dict[str, str] = {
    "open": N_("Dossier ouvert"),
    "dormant": N_("Dossier en sommeil"),
    "closed": N_("Dossier clos"),
}
PHONE_STATUSES: dict[str, str] = {
    "valid": N_("Valide"),
    "unverified": N_("À vérifier"),
    "wrong_number": N_("Faux numéro"),
    "no_answer": N_("Ne répond pas"),
}
MEMBER_ROLES: dict[str, str] = {
    "holder": N_("Titulaire du contrat"),
    "spouse": N_("Conjoint ou conjointe"),
    "child": N_("Enfant"),
    "relative": N_("Autre parent"),
    "other": N_("Autre personne"),
}
ENERGIES: dict[str, str] = {
    "electricity": N_("Électricité"),
    "gas": N_("Gaz"),
    "water": N_("Eau"),
    "other": N_("Autre"),
}
OUTCOMES: dict[str, str] = {
    "supply_maintained": N_("Fourniture maintenue"),
    "plan_agreed": N_("Plan d'apurement accepté"),
    "handed_over": N_("Passage de relais"),
    "consent_withdrawn": N_("Consentement retiré"),
    "unreachable": N_("Foyer injoignable"),
    "resolved": N_("Situation résolue"),
    "other": N_("Autre motif"),
}

ENTITIES: dict[str, str] = {
    "household": N_("Foyer"),
    "person": N_("Membre du foyer"),
    "phone": N_("Téléphone"),
    "household_language": N_("Langue parlée"),
    "energy_contract": N_("Contrat d'énergie"),
    "debt": N_("Dette"),
    "payment_plan": N_("Plan d'apurement"),
    "instalment": N_("Échéance"),
    "interview": N_("Entretien"),
    "interview_answer": N_("Réponse d'entretien"),
    "action": N_("Prochain pas"),
    "orientation": N_("Orientation"),
    "follow_up": N_("Suivi"),
    "contact_attempt": N_("Prise de contact"),
    "note": N_("Note"),
    "note_revision": N_("Note"),
    "incident": N_("Incident"),
    "consent": N_("Consentement"),
    "referral_entry": N_("Ligne de listing"),
    "referral_list": N_("Listing"),
    "collective_action": N_("Action collective"),
    "partner": N_("Partenaire"),
    "site": N_("Lieu d'accueil"),
    "team": N_("Équipe"),
    "user_account": N_("Compte"),
}

FIELDS: dict[tuple[str, str], str] = {
    ("household", "name"): N_("Nom du foyer"),
    ("household", "street"): N_("Adresse"),
    ("household", "address_extra"): N_("Complément d'adresse"),
    ("household", "postal_code"): N_("Code postal"),
    ("household", "city"): N_("Ville"),
    ("household", "email"): N_("Courriel"),
    ("household", "referent_id"): N_("Référent"),
    ("household", "vulnerability_flags"): N_("Fragilités"),
    ("household", "status"): N_("État du dossier"),
    ("household", "outcome"): N_("Motif de clôture"),
    ("household", "interpreter_needed"): N_("Interprète"),
    ("person", "first_name"): N_("Prénom"),
    ("person", "last_name"): N_("Nom"),
    ("person", "birth_year"): N_("Année de naissance"),
    ("person", "notes"): N_("Observations"),
    ("person", "role"): N_("Rôle"),
    ("phone", "number"): N_("Numéro"),
    ("phone", "status"): N_("État du numéro"),
    ("energy_contract", "supplier"): N_("Fournisseur"),
    ("energy_contract", "energy"): N_("Énergie"),
    ("energy_contract", "customer_ref"): N_("Référence client"),
    ("energy_contract", "meter_point"): N_("PDL / PCE"),
    ("energy_contract", "linky"): N_("Linky"),
    ("energy_contract", "subscribed_kva"): N_("Puissance souscrite"),
    ("energy_contract", "energy_voucher_attestation_sent"): N_("Attestation chèque énergie"),
    ("energy_contract", "main_residence"): N_("Résidence principale"),
    ("debt", "amount_cents"): N_("Montant"),
    ("debt", "supplier_amount_cents"): N_("Montant réclamé par le fournisseur"),
    ("debt", "household_amount_cents"): N_("Montant selon le foyer"),
    ("debt", "period_start"): N_("Début de période"),
    ("debt", "period_end"): N_("Fin de période"),
    ("debt", "bill_date"): N_("Date de facture"),
    ("debt", "contested"): N_("Contestée"),
    ("debt", "description"): N_("Description"),
    ("interview", "summary"): N_("Synthèse de l'entretien"),
    ("interview", "status"): N_("État de l'entretien"),
    ("action", "description"): N_("Description"),
    ("action", "due_on"): N_("Échéance"),
    ("action", "status"): N_("État"),
    ("action", "done_on"): N_("Fait le"),
    ("orientation", "reason"): N_("Motif"),
    ("orientation", "check_outcome"): N_("Résultat de la vérification"),
    ("follow_up", "due_on"): N_("Date prévue"),
    ("follow_up", "reason"): N_("Motif"),
    ("follow_up", "assigned_to"): N_("Confié à"),
    ("incident", "description"): N_("Description"),
    ("incident", "severity"): N_("Gravité"),
    ("consent", "given_at"): N_("Consentement donné le"),
    ("consent", "withdrawn_at"): N_("Consentement retiré le"),
    ("consent", "comment"): N_("Commentaire"),
}
"""(entity, column) -> label. Fields that appear in several entities with the same meaning
fall back to :data:`COMMON_FIELDS`."""

COMMON_FIELDS: dict[str, str] = {
    "status": N_("État"),
    "description": N_("Description"),
    "reason": N_("Motif"),
    "due_on": N_("Échéance"),
    "amount_cents": N_("Montant"),
    "name": N_("Nom"),
    "email": N_("Courriel"),
    "phone": N_("Téléphone"),
    "_row": N_("Fiche entière (supprimée pendant une modification)"),
}

VALUE_TABLES: dict[tuple[str, str], dict[str, str]] = {
    ("household", "status"): HOUSEHOLD_STATUSES,
    ("household", "outcome"): OUTCOMES,
    ("phone", "status"): PHONE_STATUSES,
    ("person", "role"): MEMBER_ROLES,
    ("energy_contract", "energy"): ENERGIES,
}
"""Fields holding an enum value shown through a label table."""

USER_FIELDS = frozenset({"referent_id", "assigned_to", "handed_over_to", "mediator_id"})
"""Columns holding a user id: shown by the colleague's name."""


def entity_label(entity: str) -> str:
    source = ENTITIES.get(entity)
    return _(source) if source is not None else entity


def field_label(entity: str, field: str) -> str:
    """The field's French label ("Ville" for household.city); the column name when unknown."""
    source = FIELDS.get((entity, field)) or COMMON_FIELDS.get(field)
    return _(source) if source is not None else field.replace("_", " ")


def value_label(entity: str, field: str, value: str) -> str | None:
    """The label of an enum value of ``entity.field``, or None when the field has no table."""
    table = VALUE_TABLES.get((entity, field))
    if table is None:
        return None
    source = table.get(value)
    return _(source) if source is not None else value
