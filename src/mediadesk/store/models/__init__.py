"""All mapped classes, imported here so `Base.metadata` knows every table."""

from mediadesk.store.models.audit import AuditEvent
from mediadesk.store.models.dossier import (
    Action,
    FollowUp,
    Interview,
    InterviewAnswer,
    Orientation,
)
from mediadesk.store.models.energy import Debt, EnergyContract, Instalment, PaymentPlan
from mediadesk.store.models.household import Household, HouseholdLanguage, Person, Phone
from mediadesk.store.models.journal import Consent, ContactAttempt, Incident, Note, NoteRevision
from mediadesk.store.models.local import LocalSetting
from mediadesk.store.models.network import CollectiveAction, Partner
from mediadesk.store.models.organisation import Device, Organisation, Site, Team, User
from mediadesk.store.models.referral import ReferralEntry, ReferralList
from mediadesk.store.models.sync import (
    SyncChangeset,
    SyncConflict,
    SyncFieldVersion,
    SyncGuard,
    SyncHistory,
    SyncOutbox,
    SyncPending,
    SyncRejected,
    SyncScope,
)

__all__ = [
    "Action",
    "AuditEvent",
    "CollectiveAction",
    "Consent",
    "ContactAttempt",
    "Debt",
    "Device",
    "EnergyContract",
    "FollowUp",
    "Household",
    "HouseholdLanguage",
    "Incident",
    "Instalment",
    "Interview",
    "InterviewAnswer",
    "LocalSetting",
    "Note",
    "NoteRevision",
    "Organisation",
    "Orientation",
    "Partner",
    "PaymentPlan",
    "Person",
    "Phone",
    "ReferralEntry",
    "ReferralList",
    "Site",
    "SyncChangeset",
    "SyncConflict",
    "SyncFieldVersion",
    "SyncGuard",
    "SyncHistory",
    "SyncOutbox",
    "SyncPending",
    "SyncRejected",
    "SyncScope",
    "Team",
    "User",
]
