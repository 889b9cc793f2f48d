"""Plain, frozen objects of the dossier journal: notes and their revisions, incidents, team flags,
the dossier's status and the household's energy situation. No ORM, no Qt.

The codes of incidents (severity, whom the anger targets) and of team flags are stable strings:
they are stored (``Incident.severity``, ``Incident.anger_target``) and sent over sync. Values
unknown to this version (older rows, demo data) are shown as they are.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from mediadesk.domain.enums import OutcomeCode
from mediadesk.interview import AutonomyPoint, TimelineEvent, TruceStatus


class IncidentSeverity(StrEnum):
    """How far a situation went (seed 004, points of vigilance)."""

    TENSE = "tense"
    AGGRESSIVE = "aggressive"
    THREATS = "threats"


class IncidentTarget(StrEnum):
    """Whom the anger targets (seed 004): it decides whether to hand over and report."""

    SUPPLIER = "supplier"
    MEDIATOR = "mediator"
    INSTITUTION = "institution"
    GENERAL = "general"
    OTHER = "other"


class TeamFlag(StrEnum):
    """What every colleague must see before contacting the household."""

    VISIT_IN_PAIRS = "visit_in_pairs"
    """An incident asked that nobody visits the household alone."""
    HANDED_OVER = "handed_over"
    """An incident was handed over to a colleague (a team lead)."""
    INCIDENT_REPORTED = "incident_reported"
    """At least one incident is on record."""


@dataclass(frozen=True)
class NoteView:
    """A note as it reads now: its latest revision."""

    id: uuid.UUID
    household_id: uuid.UUID
    at: datetime  # when the note was first written (UTC)
    body: str
    revised_at: datetime | None  # when the latest revision was written, None when never edited
    revisions: int  # 1 for a note never edited


@dataclass(frozen=True)
class NoteRevisionView:
    """One version of a note, oldest first in a history."""

    id: uuid.UUID
    note_id: uuid.UUID
    body: str
    at: datetime
    author_id: uuid.UUID | None


@dataclass(frozen=True)
class IncidentView:
    id: uuid.UUID
    household_id: uuid.UUID
    at: datetime
    severity: str  # an IncidentSeverity value (older rows may hold other text)
    anger_target: str | None  # an IncidentTarget value (older rows may hold other text)
    description: str
    handed_over_to: uuid.UUID | None
    visit_in_pairs: bool


@dataclass(frozen=True)
class ColleagueView:
    """Someone of the team an incident can be handed over to."""

    id: uuid.UUID
    name: str
    role: str  # a Role value: team leads come first in lists


@dataclass(frozen=True)
class DossierStatus:
    """What `close_dossier` / `reopen_dossier` changed."""

    household_id: uuid.UUID
    status: str  # a HouseholdStatus value
    outcome: OutcomeCode | None


@dataclass(frozen=True)
class ContractEnergy:
    """One energy contract as the energy panel needs it."""

    id: uuid.UUID
    supplier: str
    energy: str
    linky: bool | None
    energy_voucher_attestation_sent: bool
    subscribed_kva: int | None
    # Power the supplier may reduce the household to during the truce (None: no reduction
    # allowed, or the subscribed power is unknown).
    truce_power_limit_kva: int | None


@dataclass(frozen=True)
class EnergySituation:
    """Where the household stands on ``today`` against the energy-law rules (shared/domain.md).

    Facts come from the dossier (contracts, debts) and from the interviews: for each answer
    the latest interview that gave it wins (a date noted two interviews ago still counts).
    """

    today: date
    truce: TruceStatus
    contracts: tuple[ContractEnergy, ...]
    linky: bool | None  # True when any contract or interview says so
    unpaid_bill_on: date | None
    minimum_power_regime: bool  # décret 2023-133 applies to the latest unpaid bill
    notice_timeline: tuple[TimelineEvent, ...]  # empty without an unpaid bill date
    energy_voucher_year: int | None
    energy_voucher_valid_until: date | None
    fsl_last_aid_on: date | None
    fsl_aid_recent: bool  # an FSL aid less than 12 months ago (often one per 12 months)
    autonomy: tuple[AutonomyPoint, ...]  # finished interviews, oldest first

    @property
    def attestation_sent_everywhere(self) -> bool | None:
        """Whether every contract's supplier got the chèque énergie attestation (None: no
        contract)."""
        if not self.contracts:
            return None
        return all(c.energy_voucher_attestation_sent for c in self.contracts)

    def next_notice_event(self) -> TimelineEvent | None:
        """The first step of the notice timeline on or after ``today``, if any."""
        return next((e for e in self.notice_timeline if e.on >= self.today), None)


@dataclass(frozen=True)
class JournalOverview:
    """Everything the dossier panels show besides the dossier itself, read in one go."""

    household_id: uuid.UUID
    status: str  # a HouseholdStatus value
    outcome: OutcomeCode | None
    flags: tuple[TeamFlag, ...]
    incidents: tuple[IncidentView, ...]  # newest first
    energy: EnergySituation
