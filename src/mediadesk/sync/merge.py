"""Pure merge of field-level ops into register states that form join-semilattices.

A :class:`FieldState` keeps every candidate it has seen (its history; compaction is the server's
later concern), so ``join`` is a set union: commutative, associative, idempotent for every policy,
and applying ops in any order, with duplicates, converges. Everything shown to people (value,
provisional winner, conflicts) is *derived* from that history, deterministically:

- registers (LWW_SILENT, FLAGGED, HELD, NARRATIVE): an op made from base version ``b`` produces
  version ``b + 1``; entries at the top version are the concurrent heads. The winner is the highest
  (version, HLC, device) entry: versions decide causality, the clock only breaks ties. Heads with
  distinct values are a conflict for FLAGGED / NARRATIVE (provisional winner shown) and HELD (the
  value stays at the base until someone decides); equal values never conflict. A later op whose
  base is the conflicting version resolves it.
- APPEND_ONLY: a grow-only set ordered by HLC; never conflicts.
- SET_CAUSAL_LENGTH: each element's causal length is the max seen; odd means present.
- rows: soft delete / undelete as a causal length on :data:`ROW_FIELD`; a delete that did not see
  an edit (its ``seen`` progress is behind) opens an "edited while deleted" conflict.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cached_property

from mediadesk.sync.ops import (
    ALLOWED_KINDS,
    CONFLICTING_POLICIES,
    Candidate,
    Conflict,
    ConflictStatus,
    FieldPolicy,
    JsonValue,
    Op,
    OpKind,
    conflict_id,
    decode_value,
    encode_value,
)

_REGISTERS = frozenset(
    {FieldPolicy.LWW_SILENT, FieldPolicy.FLAGGED, FieldPolicy.HELD, FieldPolicy.NARRATIVE}
)


class MergeError(ValueError):
    """An op or a state that cannot be merged here (wrong register, kind not allowed)."""


def _produced_version(kind: OpKind, base: int) -> int:
    """Version (or causal length) an op of ``kind`` made from ``base`` produces."""
    if base < 0:
        raise MergeError(f"negative base version {base}")
    if kind is OpKind.SET:
        return base + 1
    if kind is OpKind.APPEND:
        return 0
    wants_odd = kind in (OpKind.SET_ADD, OpKind.DELETE)
    # Already in the wanted state: a no-op that keeps the same causal length.
    return base if (base % 2 == 1) == wants_odd else base + 1


def candidate_of(op: Op) -> Candidate:
    return Candidate(
        version=_produced_version(op.kind, op.base_version),
        hlc=op.hlc,
        device=op.device,
        author=op.author,
        op_id=op.op_id,
        kind=op.kind,
        value_json=encode_value(op.value),
    )


@dataclass(frozen=True)
class FieldState:
    """Everything known about one field of one row; all views are derived."""

    entity: str
    row_id: str
    field: str
    policy: FieldPolicy
    entries: frozenset[Candidate] = frozenset()

    # -- registers ------------------------------------------------------------------------
    @property
    def is_register(self) -> bool:
        """A single-value field (versions, heads, winner); else append-only or a set."""
        return self.policy in _REGISTERS

    @cached_property
    def version(self) -> int:
        """Registers: top version. Others: a monotonic progress measure (see ``progress``)."""
        if self.policy in _REGISTERS:
            return max((e.version for e in self.entries), default=0)
        return self.progress

    @cached_property
    def heads(self) -> tuple[Candidate, ...]:
        top = self.version
        return tuple(sorted(e for e in self.entries if e.version == top))

    @cached_property
    def winner(self) -> Candidate | None:
        """Last writer by (version, HLC, device): the provisional winner of a conflict."""
        if self.policy in _REGISTERS:
            return self.heads[-1] if self.heads else None
        return max(self.entries, default=None)

    @cached_property
    def history(self) -> tuple[Candidate, ...]:
        """Registers: every candidate but the winner (superseded ones and concurrent losers),
        in last-writer-wins order. Append-only and sets: every entry."""
        if not self.is_register:
            return tuple(sorted(self.entries))
        return tuple(sorted(e for e in self.entries if e != self.winner))

    def _base_below(self, version: int) -> Candidate | None:
        below = [e for e in self.entries if e.version < version]
        if not below:
            return None
        top = max(e.version for e in below)
        return max(e for e in below if e.version == top)

    # -- the value shown --------------------------------------------------------------------
    @cached_property
    def value(self) -> JsonValue:
        if self.policy is FieldPolicy.APPEND_ONLY:
            return [e.value for e in sorted(self.entries, key=lambda e: (e.hlc, e.device, e.op_id))]
        if self.policy is FieldPolicy.SET_CAUSAL_LENGTH:
            return [decode_value(k) for k, cl in sorted(self.lengths.items()) if cl % 2 == 1]
        if self.winner is None:
            return None
        if self.policy is FieldPolicy.HELD and self.open_conflict is not None:
            base = self._base_below(self.version)
            return None if base is None else base.value
        return self.winner.value

    # -- causal-length sets -----------------------------------------------------------------
    @cached_property
    def lengths(self) -> Mapping[str, int]:
        """Element (canonical JSON) -> causal length; odd = present."""
        result: dict[str, int] = {}
        for e in self.entries:
            result[e.value_json] = max(result.get(e.value_json, 0), e.version)
        return result

    @cached_property
    def progress(self) -> int:
        """Grows with every new information; compared with a delete's ``seen`` map."""
        if self.policy in _REGISTERS:
            return self.version
        if self.policy is FieldPolicy.APPEND_ONLY:
            return len(self.entries)
        return sum(self.lengths.values())

    # -- conflicts --------------------------------------------------------------------------
    @cached_property
    def conflicts(self) -> tuple[Conflict, ...]:
        """Every conflict this field ever had, open or resolved, by version."""
        if self.policy not in CONFLICTING_POLICIES:
            return ()
        by_version: dict[int, list[Candidate]] = {}
        for e in self.entries:
            by_version.setdefault(e.version, []).append(e)
        found: list[Conflict] = []
        for version in sorted(by_version):
            level = sorted(by_version[version])
            if len({e.value_json for e in level}) < 2:
                continue  # equal concurrent values never conflict
            later = [v for v in by_version if v > version]
            resolution = max(by_version[min(later)]) if later else None
            base = self._base_below(version)
            found.append(
                Conflict(
                    id=conflict_id(self.entity, self.row_id, self.field, version),
                    entity=self.entity,
                    row_id=self.row_id,
                    field=self.field,
                    version=version,
                    policy=self.policy,
                    base_value=None if base is None else base.value,
                    candidates=tuple(level),
                    provisional=None if self.policy is FieldPolicy.HELD else level[-1],
                    status=ConflictStatus.RESOLVED if later else ConflictStatus.OPEN,
                    resolution=resolution,
                )
            )
        return tuple(found)

    @cached_property
    def open_conflict(self) -> Conflict | None:
        last = self.conflicts[-1] if self.conflicts else None
        return last if last is not None and last.status is ConflictStatus.OPEN else None


def empty_field(entity: str, row_id: str, field: str, policy: FieldPolicy) -> FieldState:
    return FieldState(entity, row_id, field, policy)


def join(a: FieldState, b: FieldState) -> FieldState:
    """Least upper bound of two states of the same field (raises :class:`MergeError` if not)."""
    if (a.entity, a.row_id, a.field, a.policy) != (b.entity, b.row_id, b.field, b.policy):
        raise MergeError("join of states of different fields")
    if b.entries <= a.entries:
        return a
    return replace(a, entries=a.entries | b.entries)


def merge(state: FieldState, op: Op) -> tuple[FieldState, Conflict | None]:
    """Apply one op; return the new state and the conflict it opened or extended, if any."""
    if (op.entity, op.row_id, op.field) != (state.entity, state.row_id, state.field):
        raise MergeError(f"op {op.op_id} is not for {state.entity}.{state.field}")
    if op.kind not in ALLOWED_KINDS[state.policy]:
        raise MergeError(f"{op.kind} is not allowed on a {state.policy} field")
    before = state.open_conflict
    after = join(state, replace(state, entries=frozenset({candidate_of(op)})))
    opened = after.open_conflict
    return after, (opened if opened is not None and opened != before else None)


def merge_all(state: FieldState, ops: Iterable[Op]) -> FieldState:
    for op in ops:
        state, _ = merge(state, op)
    return state
