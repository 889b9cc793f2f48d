"""Rows: their fields' states plus a soft, reversible delete state (a causal length).

A delete op addresses :data:`ROW_FIELD` with ``value={"seen": {field: progress}}``: how far each
field had progressed when the author deleted. If any field has progressed further while the row
is deleted, the edit was concurrent with the delete: an "edited while deleted" conflict opens,
nothing is lost, and it is resolved by an undelete (keep the edits) or by a new delete that has
seen them (confirm). ``join_rows`` is a union of histories, hence a semilattice like ``join``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property

from mediadesk.sync.merge import FieldState, MergeError, candidate_of, empty_field, join, merge
from mediadesk.sync.ops import (
    DEFAULT_POLICIES,
    ROW_FIELD,
    Candidate,
    Conflict,
    ConflictStatus,
    FieldPolicy,
    Op,
    OpKind,
    conflict_id,
    policy_for,
)

PolicyTable = Mapping[tuple[str, str], FieldPolicy]


@dataclass(frozen=True)
class RowState:
    entity: str
    row_id: str
    fields: Mapping[str, FieldState] = field(default_factory=dict)
    deletion: frozenset[Candidate] = frozenset()

    @cached_property
    def causal_length(self) -> int:
        return max((e.version for e in self.deletion), default=0)

    @property
    def deleted(self) -> bool:
        return self.causal_length % 2 == 1

    @cached_property
    def tombstones(self) -> tuple[Candidate, ...]:
        """The delete (or undelete) candidates of the current causal length: who, when, where."""
        top = self.causal_length
        return tuple(sorted(e for e in self.deletion if e.version == top))

    @cached_property
    def seen(self) -> Mapping[str, int]:
        """Per field, the furthest progress any current deleter had seen."""
        result: dict[str, int] = {}
        for e in self.tombstones:
            for name, progress in _seen_of(e).items():
                result[name] = max(result.get(name, 0), progress)
        return result

    @cached_property
    def edited_while_deleted(self) -> Conflict | None:
        if not self.deleted:
            return None
        edits: list[Candidate] = []
        for name, state in sorted(self.fields.items()):
            seen = self.seen.get(name, 0)
            if state.progress <= seen:
                continue
            if state.is_register:  # a register: the unseen versions, exactly
                edits += [e for e in state.entries if e.version > seen]
            elif state.winner is not None:  # append / set: the latest entry stands for them
                edits.append(state.winner)
        if not edits:
            return None
        return Conflict(
            id=conflict_id(self.entity, self.row_id, ROW_FIELD, self.causal_length),
            entity=self.entity,
            row_id=self.row_id,
            field=ROW_FIELD,
            version=self.causal_length,
            policy=None,
            base_value=None,
            candidates=(*self.tombstones, *sorted(edits)),
            provisional=self.tombstones[-1],
            status=ConflictStatus.OPEN,
        )

    @property
    def progress(self) -> dict[str, int]:
        """Per field progress: the ``seen`` value of a delete made now (or confirming one)."""
        return {name: state.progress for name, state in sorted(self.fields.items())}

    @property
    def open_conflicts(self) -> tuple[Conflict, ...]:
        found = [s.open_conflict for _, s in sorted(self.fields.items())]
        found.append(self.edited_while_deleted)
        return tuple(c for c in found if c is not None)


def _seen_of(entry: Candidate) -> dict[str, int]:
    value = entry.value
    seen = value.get("seen") if isinstance(value, dict) else None
    if not isinstance(seen, dict):
        return {}
    return {k: v for k, v in seen.items() if isinstance(v, int) and not isinstance(v, bool)}


def empty_row(entity: str, row_id: str) -> RowState:
    return RowState(entity, row_id)


def join_rows(a: RowState, b: RowState) -> RowState:
    if (a.entity, a.row_id) != (b.entity, b.row_id):
        raise MergeError("join of different rows")
    fields = dict(a.fields)
    for name, state in b.fields.items():
        fields[name] = join(fields[name], state) if name in fields else state
    return RowState(a.entity, a.row_id, fields, a.deletion | b.deletion)


def merge_row(
    row: RowState, op: Op, policies: PolicyTable = DEFAULT_POLICIES
) -> tuple[RowState, Conflict | None]:
    """Apply one op to a row; return the new row and the conflict it opened, if any."""
    if (op.entity, op.row_id) != (row.entity, row.row_id):
        raise MergeError(f"op {op.op_id} is not for row {row.row_id}")
    before = row.edited_while_deleted
    if op.field == ROW_FIELD:
        if op.kind not in (OpKind.DELETE, OpKind.UNDELETE):
            raise MergeError(f"{op.kind} is not allowed on the row itself")
        after = replace(row, deletion=row.deletion | {candidate_of(op)})
        field_conflict = None
    else:
        if op.kind in (OpKind.DELETE, OpKind.UNDELETE):
            raise MergeError("delete and undelete address the row, not a field")
        current = row.fields.get(op.field) or empty_field(
            op.entity, op.row_id, op.field, policy_for(op.entity, op.field, policies)
        )
        state, field_conflict = merge(current, op)
        after = replace(row, fields={**row.fields, op.field: state})
    row_conflict = after.edited_while_deleted
    if row_conflict is not None and row_conflict != before:
        return after, row_conflict
    return after, field_conflict


def merge_rows(
    row: RowState, ops: Iterable[Op], policies: PolicyTable = DEFAULT_POLICIES
) -> RowState:
    for op in ops:
        row, _ = merge_row(row, op, policies)
    return row
