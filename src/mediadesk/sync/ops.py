"""Sync vocabulary: field-level operations, conflict candidates and records, field policies.

An :class:`Op` is what the transactional outbox stores and a push carries. Its ``base_version`` is
the version of the register the author saw (for sets and the row's deletion state: the element's
causal length), so concurrency is detected exactly without trusting clocks.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeAlias
from uuid import UUID, uuid5

from mediadesk.sync.hlc import Timestamp

JsonValue: TypeAlias = bool | int | float | str | list["JsonValue"] | dict[str, "JsonValue"] | None

ROW_FIELD = "_row"
"""Pseudo-field of a row's soft-delete state: delete / undelete ops address it."""

AUDIT_ENTITY = "audit_event"
ANONYMISE_ACTION = "anonymise"
"""The ``action`` of the audit event an anonymisation appends (``store.anonymise`` logs it): a
device that pulls it scrubs its copy of the dossier's history, the server that stores it purges
its log (``sync.server.purge``)."""

_CONFLICT_NAMESPACE = UUID("6f1d3c8e-3b8a-4c57-9d27-2f0e6f3a9b11")


def encode_value(value: JsonValue) -> str:
    """Canonical JSON: equal values give equal strings (sorted keys, no spaces)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def decode_value(text: str) -> JsonValue:
    result: JsonValue = json.loads(text)
    return result


class OpKind(enum.StrEnum):
    SET = "set"
    DELETE = "delete"
    UNDELETE = "undelete"
    APPEND = "append"
    SET_ADD = "set_add"
    SET_REMOVE = "set_remove"
    MOVE = "move"  # server-written only: the row left the team (value {"to": team id})


class FieldPolicy(enum.StrEnum):
    """How concurrent writes to one field merge (design.md section 5)."""

    LWW_SILENT = "lww_silent"  # last writer wins, loser kept in history, no conflict
    FLAGGED = "flagged"  # provisional winner + open conflict
    HELD = "held"  # value stays at the base until a person decides
    NARRATIVE = "narrative"  # free text: never auto-merged, provisional winner + open conflict
    APPEND_ONLY = "append_only"  # grow-only, never conflicts
    SET_CAUSAL_LENGTH = "set_causal_length"  # add/remove set, odd causal length = present


ALLOWED_KINDS: Mapping[FieldPolicy, frozenset[OpKind]] = {
    FieldPolicy.LWW_SILENT: frozenset({OpKind.SET}),
    FieldPolicy.FLAGGED: frozenset({OpKind.SET}),
    FieldPolicy.HELD: frozenset({OpKind.SET}),
    FieldPolicy.NARRATIVE: frozenset({OpKind.SET}),
    FieldPolicy.APPEND_ONLY: frozenset({OpKind.APPEND}),
    FieldPolicy.SET_CAUSAL_LENGTH: frozenset({OpKind.SET_ADD, OpKind.SET_REMOVE}),
}
CONFLICTING_POLICIES = frozenset({FieldPolicy.FLAGGED, FieldPolicy.HELD, FieldPolicy.NARRATIVE})

WILDCARD = "*"

_F, _L, _H, _N = (
    FieldPolicy.FLAGGED,
    FieldPolicy.LWW_SILENT,
    FieldPolicy.HELD,
    FieldPolicy.NARRATIVE,
)

DEFAULT_POLICIES: Mapping[tuple[str, str], FieldPolicy] = {
    # Who created a row: written once, never disputed.
    (WILDCARD, "created_at"): _L,
    (WILDCARD, "created_by"): _L,
    (WILDCARD, "created_on_device"): _L,
    # Household identity and contact: important, flagged; the closing outcome is held.
    ("household", "name"): _F,
    ("household", "street"): _F,
    ("household", "address_extra"): _F,
    ("household", "postal_code"): _F,
    ("household", "city"): _F,
    ("household", "email"): _F,
    ("household", "referent_id"): _F,
    ("household", "status"): _F,
    ("household", "outcome"): _H,
    ("household", "interpreter_needed"): _L,
    ("household", "site_id"): _L,
    ("household", "last_contact_on"): _L,
    ("person", "position"): _L,
    ("person", "role"): _L,
    ("person", "notes"): _N,
    ("phone", "position"): _L,
    # A language is a set element: its row id derives from (household, language) and its
    # presence is the row's deletion causal length.
    ("household_language", WILDCARD): _L,
    ("debt", "description"): _N,
    ("interview", "summary"): _N,
    ("interview", "current_step"): _L,
    ("interview", "autonomy_level"): _L,
    ("action", "position"): _L,
    ("action", "description"): _N,
    ("orientation", "reason"): _N,
    ("follow_up", "reason"): _N,
    ("incident", "description"): _N,
    ("consent", "given_at"): _H,
    ("consent", "withdrawn_at"): _H,
    ("consent", "comment"): _N,
    ("collective_action", "description"): _N,
    # Append-only records: each is its own row, written once by its author; never conflicts.
    ("note", WILDCARD): _L,
    ("note_revision", WILDCARD): _L,
    ("contact_attempt", WILDCARD): _L,
    ("audit_event", WILDCARD): _L,
    ("referral_entry", "fields"): _L,
    ("team", "name"): _L,
    ("user_account", "display_name"): _L,
    ("user_account", "languages"): _L,
}
"""The classification of the store's fields, as data (``tests/sync`` checks every key names a
real column). Lookup order: (entity, field), (entity, "*"), ("*", field), then
:data:`FALLBACK_POLICY`: any field not listed (amounts, dates, phone numbers, statuses...) is
important and flagged. APPEND_ONLY and SET_CAUSAL_LENGTH registers are for fields holding a log or
a set; the store models those as rows (one per note revision, attempt, language)."""

FALLBACK_POLICY = FieldPolicy.FLAGGED
"""Unclassified fields are treated as important: a visible conflict is never a lost value."""


def policy_for(
    entity: str, field: str, table: Mapping[tuple[str, str], FieldPolicy] = DEFAULT_POLICIES
) -> FieldPolicy:
    for key in ((entity, field), (entity, WILDCARD), (WILDCARD, field)):
        if key in table:
            return table[key]
    return FALLBACK_POLICY


@dataclass(frozen=True)
class Op:
    """One field-level change as captured by the outbox.

    ``op_id`` is unique per op (e.g. ``f"{device}:{client_seq}"``); ``value`` is JSON. For
    ``DELETE`` on :data:`ROW_FIELD` the value is ``{"seen": {field: version}}``: the field versions
    the deleter saw, which lets the merge detect an "edited while deleted" conflict exactly.
    """

    op_id: str
    entity: str
    row_id: str
    field: str
    kind: OpKind
    value: JsonValue
    base_version: int
    hlc: Timestamp
    author: str
    device: str


@dataclass(frozen=True, order=True)
class Candidate:
    """A value as written by someone: stored in history and shown in conflicts.

    ``version`` is the register version the op produced (causal length for sets and deletion).
    Ordered by (version, hlc, device, ...): the last-writer-wins order.
    """

    version: int
    hlc: Timestamp
    device: str
    author: str
    op_id: str
    kind: OpKind
    value_json: str

    @property
    def value(self) -> JsonValue:
        return decode_value(self.value_json)


class ConflictStatus(enum.StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


@dataclass(frozen=True)
class Conflict:
    """A synced conflict record. ``id`` is derived from (entity, row, field, version) so every
    device and the server name the same conflict identically without coordination."""

    id: UUID
    entity: str
    row_id: str
    field: str
    version: int  # the register version (row: causal length) whose candidates disagree
    policy: FieldPolicy | None  # None for an "edited while deleted" row conflict
    base_value: JsonValue
    candidates: tuple[Candidate, ...]
    provisional: Candidate | None
    status: ConflictStatus
    resolution: Candidate | None = None


def resolution_op(
    conflict: Conflict,
    value: JsonValue,
    *,
    op_id: str,
    hlc: Timestamp,
    author: str,
    device: str,
) -> Op:
    """The op that closes a field conflict with ``value`` (a candidate's or a new one).

    Its base is the conflicting version, so it supersedes every candidate on every replica.
    Row conflicts are closed with an undelete, or a delete whose ``seen`` is the row's progress.
    """
    if conflict.field == ROW_FIELD:
        raise ValueError("close a row conflict with an undelete or a confirming delete")
    return Op(
        op_id=op_id,
        entity=conflict.entity,
        row_id=conflict.row_id,
        field=conflict.field,
        kind=OpKind.SET,
        value=value,
        base_version=conflict.version,
        hlc=hlc,
        author=author,
        device=device,
    )


def conflict_id(entity: str, row_id: str, field: str, version: int) -> UUID:
    return uuid5(_CONFLICT_NAMESPACE, f"{entity}/{row_id}/{field}/{version}")
