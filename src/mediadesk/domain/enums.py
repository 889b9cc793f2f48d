"""Enumerations of the domain (glossary names from shared/domain.md).

Values are stable strings: they are stored in the database and sent over sync, so renaming a
member is fine but changing a value needs a migration.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum


class Role(StrEnum):
    MEDIATOR = "mediator"
    TEAM_LEAD = "team_lead"
    ADMIN = "admin"


class HouseholdStatus(StrEnum):
    OPEN = "open"
    DORMANT = "dormant"
    CLOSED = "closed"


class OutcomeCode(StrEnum):
    """Why a dossier was closed."""

    SUPPLY_MAINTAINED = "supply_maintained"
    PLAN_AGREED = "plan_agreed"
    HANDED_OVER = "handed_over"
    CONSENT_WITHDRAWN = "consent_withdrawn"
    UNREACHABLE = "unreachable"
    RESOLVED = "resolved"
    OTHER = "other"


class PhoneStatus(StrEnum):
    VALID = "valid"
    UNVERIFIED = "unverified"
    WRONG_NUMBER = "wrong_number"
    NO_ANSWER = "no_answer"


class MemberRole(StrEnum):
    HOLDER = "holder"
    SPOUSE = "spouse"
    CHILD = "child"
    RELATIVE = "relative"
    OTHER = "other"


class Energy(StrEnum):
    ELECTRICITY = "electricity"
    GAS = "gas"
    WATER = "water"
    OTHER = "other"


class ContactChannel(StrEnum):
    PHONE = "phone"
    SMS = "sms"
    LETTER = "letter"
    HOME_VISIT = "home_visit"
    EMAIL = "email"
    COUNTER = "counter"


class ContactOutcome(StrEnum):
    REACHED = "reached"
    NO_ANSWER = "no_answer"
    WRONG_NUMBER = "wrong_number"
    REFUSED = "refused"
    MESSAGE_LEFT = "message_left"


class InterviewPlace(StrEnum):
    COUNTER = "counter"
    HOME = "home"
    PHONE = "phone"


class InterviewStatus(StrEnum):
    DRAFT = "draft"
    DONE = "done"


class ContactInitiator(StrEnum):
    SUPPLIER_LIST = "supplier_list"
    WALK_IN = "walk_in"
    PARTNER = "partner"
    HOUSEHOLD_CALL = "household_call"
    MEDIATOR = "mediator"


class Actor(StrEnum):
    """Who must carry out a next step."""

    HOUSEHOLD = "household"
    MEDIATOR = "mediator"
    PARTNER = "partner"


class ActionStatus(StrEnum):
    PLANNED = "planned"
    DONE = "done"
    CANCELLED = "cancelled"


class PartnerKind(StrEnum):
    SOCIAL_WORKER = "social_worker"
    CCAS = "ccas"
    FSL = "fsl"
    TAX_OFFICE = "tax_office"
    ENEDIS = "enedis"
    ENERGY_OMBUDSMAN = "energy_ombudsman"
    ENERGY_VOUCHER_HELPLINE = "energy_voucher_helpline"
    SUPPLIER = "supplier"
    OTHER = "other"


class ConsentKind(StrEnum):
    MEDIATION = "mediation"
    SUPPLIER_EXCHANGE = "supplier_exchange"
    SOCIAL_WORKER_SHARING = "social_worker_sharing"
    STORAGE = "storage"


class PaymentPlanStatus(StrEnum):
    PROPOSED = "proposed"
    AGREED = "agreed"
    ONGOING = "ongoing"
    COMPLETED = "completed"
    BROKEN = "broken"


class InterventionRegister(IntEnum):
    """The eight intervention registers of social mediation (seed 002, NF X60-600)."""

    LOCAL_PRESENCE = 1
    LIFTING_MISUNDERSTANDINGS = 2
    INFORMING = 3
    CONFLICT_HANDLING = 4
    TERRITORY_WATCH = 5
    FACILITATING_DIALOGUE = 6
    PUTTING_IN_TOUCH = 7
    COLLECTIVE_PROJECTS = 8


DEFAULT_SUPPLIERS: tuple[str, ...] = (
    "EDF",
    "Engie",
    "TotalEnergies",
    "SEMEA",
    "Eni",
    "Ekwateur",
    "Mint Énergie",
    "Veolia Eau",
    "Suez Eau",
)
