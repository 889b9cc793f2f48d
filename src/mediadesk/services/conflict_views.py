"""Plain, frozen objects of the conflict review and the rejected-changes inbox. No ORM, no Qt.

Every value is already formatted for a person (French, through ``_()``): the UI shows the
strings as they are. Candidates name who wrote them, on which device and when, never "local" or
"remote".
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import datetime

from mediadesk.i18n import N_, _


class SyncBadge(enum.StrEnum):
    """Where a dossier stands with the team's server (see `ConflictService.dossier_badges`)."""

    LOCAL_ONLY = "local_only"  # never acknowledged by the server: only on this laptop
    PENDING = "pending"  # on the server, with changes made here not sent yet
    SYNCED = "synced"  # on the server, nothing waiting to be sent
    CONFLICT = "conflict"  # an open conflict to review


BADGE_TEXTS: dict[SyncBadge, str] = {
    SyncBadge.LOCAL_ONLY: N_("Uniquement sur cet ordinateur"),
    SyncBadge.PENDING: N_("Modifications à envoyer"),
    SyncBadge.SYNCED: N_("Synchronisé"),
    SyncBadge.CONFLICT: N_("Conflit à examiner"),
}
BADGE_HINTS: dict[SyncBadge, str] = {
    SyncBadge.LOCAL_ONLY: N_("Ce dossier n'a encore jamais été envoyé au serveur : il n'existe "
                             "que sur cet ordinateur."),
    SyncBadge.PENDING: N_("Ce dossier est sur le serveur ; des modifications faites ici "
                          "partiront à la prochaine synchronisation."),
    SyncBadge.SYNCED: N_("Ce dossier est à jour sur le serveur."),
    SyncBadge.CONFLICT: N_("Deux modifications de ce dossier se contredisent : une personne "
                           "doit choisir la bonne valeur."),
}


def badge_text(badge: SyncBadge) -> str:
    return _(BADGE_TEXTS[badge])


def badge_hint(badge: SyncBadge) -> str:
    return _(BADGE_HINTS[badge])


class ConflictKind(enum.StrEnum):
    FIELD = "field"  # two values of one field: pick one
    TEXT = "text"  # two texts: pick one, or keep both (the other copied into a note)
    DELETED = "deleted"  # deleted on one device while edited on another: restore or confirm


class BulkRule(enum.StrEnum):
    """How a team lead resolves several conflicts at once."""

    LATEST = "latest"  # the most recently written candidate of each conflict
    SHOWN = "shown"  # the value shown now (the provisional winner; restore a deleted dossier)


BULK_RULE_TEXTS: dict[BulkRule, str] = {
    BulkRule.LATEST: N_("La valeur la plus récente pour tous"),
    BulkRule.SHOWN: N_("La valeur affichée actuellement pour tous"),
}


@dataclass(frozen=True)
class CandidateView:
    """One value written by someone. ``index`` is what `resolve_pick` takes."""

    index: int
    value: str  # formatted for display ("(vide)" for no value)
    author: str  # the colleague's display name
    device: str  # "ce poste" or a short device name
    at: datetime  # timezone-aware UTC
    action: str  # "Modification", "Suppression", "Restauration" (French, for display)
    shown: bool  # the value the dossier shows now (provisional winner)
    deletes: bool  # a deletion of the whole record (DELETED conflicts)


@dataclass(frozen=True)
class ConflictView:
    id: str
    household_id: uuid.UUID | None
    dossier: str  # the household's name ("" when the record belongs to no dossier)
    entity_label: str  # "Foyer", "Membre du foyer"...
    field_label: str  # "Ville", "Observations"...
    kind: ConflictKind
    base: str  # the value everyone started from, formatted
    candidates: tuple[CandidateView, ...]
    held: bool  # the value stays at the base until someone decides (consent, closing)

    @property
    def latest(self) -> CandidateView:
        """The most recently written candidate."""
        return max(self.candidates, key=lambda c: (c.at, c.index))


@dataclass(frozen=True)
class Resolution:
    """What a resolution changed: the conflicts closed here and the note written, if any."""

    conflict_ids: tuple[str, ...]
    household_ids: tuple[uuid.UUID, ...]
    note_id: uuid.UUID | None = None


@dataclass(frozen=True)
class RejectedChange:
    """A change the server refused, kept visible until someone dismisses it (kept after)."""

    id: int
    at: datetime
    household_id: uuid.UUID | None
    dossier: str
    entity_label: str
    field_label: str
    value: str
    reason: str  # French, readable
    dismissed_at: datetime | None = None


@dataclass(frozen=True)
class DeletedElsewhere:
    """A dossier deleted on another device while the current user edited it (see
    `conflict_deleted`): restore it (`ConflictService.restore_deleted`) or accept the
    deletion (`ConflictService.accept_deletion`), by ``conflict_id``."""

    conflict_id: str
    household_id: uuid.UUID
    dossier: str  # the household's name
    deleted_by: str  # the colleague's display name
    deleted_on: str  # the device, named as in the review
    deleted_at: datetime  # timezone-aware UTC
    edits: tuple[CandidateView, ...]  # the user's own edits that met the deletion

    @property
    def edit_summary(self) -> str:
        """The edits as one line ("Ville : Givors ; Rue : 3 rue des Lilas")."""
        return " ; ".join(edit.value for edit in self.edits)
