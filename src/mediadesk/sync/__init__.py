"""Sync protocol and merge (pure), client, and server/. Filled by the sync engine issue.

The pure core: :mod:`.hlc` (hybrid logical clocks), :mod:`.ops` (ops, candidates, conflicts,
field policies), :mod:`.merge` (field registers as join-semilattices) and :mod:`.rows` (rows with
soft, reversible deletes). No SQL, no HTTP here: the outbox, client and server build on these.
"""

from mediadesk.sync.hlc import HybridClock, Timestamp, clamp
from mediadesk.sync.merge import FieldState, MergeError, join, merge
from mediadesk.sync.ops import (
    DEFAULT_POLICIES,
    ROW_FIELD,
    Candidate,
    Conflict,
    ConflictStatus,
    FieldPolicy,
    Op,
    OpKind,
    policy_for,
    resolution_op,
)
from mediadesk.sync.rows import RowState, join_rows, merge_row

__all__ = [
    "DEFAULT_POLICIES",
    "ROW_FIELD",
    "Candidate",
    "Conflict",
    "ConflictStatus",
    "FieldPolicy",
    "FieldState",
    "HybridClock",
    "MergeError",
    "Op",
    "OpKind",
    "RowState",
    "Timestamp",
    "clamp",
    "join",
    "join_rows",
    "merge",
    "merge_row",
    "policy_for",
    "resolution_op",
]
