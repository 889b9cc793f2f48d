"""Each merge rule's behaviour, table-driven where the rule has cases."""

from __future__ import annotations

from dataclasses import replace

import pytest

from mediadesk.sync.hlc import Timestamp, clamp
from mediadesk.sync.merge import MergeError, candidate_of, merge, merge_all
from mediadesk.sync.ops import (
    DEFAULT_POLICIES,
    FALLBACK_POLICY,
    ConflictStatus,
    FieldPolicy,
    Op,
    OpKind,
    conflict_id,
    policy_for,
    resolution_op,
)
from tests.sync.builders import ENTITY, ROW, field_state, op

REGISTERS = [FieldPolicy.LWW_SILENT, FieldPolicy.FLAGGED, FieldPolicy.HELD, FieldPolicy.NARRATIVE]


@pytest.mark.parametrize(
    ("a", "b", "winner"),
    [
        (op("Diallo", wall=1, device="a"), op("Dialo", wall=2, device="a"), "Dialo"),  # later HLC
        (op("Diallo", wall=2, device="b"), op("Dialo", wall=2, device="a"), "Diallo"),  # device
        (op("Diallo", base=1, wall=1), op("Dialo", base=0, wall=9), "Diallo"),  # version first
    ],
)
def test_last_writer_wins_silently_by_version_then_clock_then_device(
    a: Op, b: Op, winner: str
) -> None:
    for order in ([a, b], [b, a]):
        state = field_state(FieldPolicy.LWW_SILENT)
        conflicts = []
        for o in order:
            state, conflict = merge(state, o)
            conflicts.append(conflict)
        assert state.value == winner
        assert conflicts == [None, None]
        assert state.conflicts == ()
        loser = "Dialo" if winner == "Diallo" else "Diallo"
        assert loser in [c.value for c in state.history]


def test_a_flagged_field_opens_a_conflict_with_both_candidates_and_a_provisional_winner() -> None:
    state = field_state(FieldPolicy.FLAGGED, field="street")
    state, first = merge(state, op("old street", field="street", wall=1, base=0))
    assert first is None
    amina = op("3 rue des Lilas", field="street", base=1, wall=10, device="a", author="amina")
    yves = op("3 rue des Lilas bis", field="street", base=1, wall=20, device="b", author="yves")
    state, none_yet = merge(state, amina)
    state, conflict = merge(state, yves)
    assert none_yet is None
    assert conflict is not None and conflict == state.open_conflict
    assert conflict.status is ConflictStatus.OPEN
    assert conflict.base_value == "old street"
    assert [(c.value, c.author, c.device) for c in conflict.candidates] == [
        ("3 rue des Lilas", "amina", "a"),
        ("3 rue des Lilas bis", "yves", "b"),
    ]
    assert conflict.provisional is not None and conflict.provisional.author == "yves"
    assert state.value == "3 rue des Lilas bis"
    assert conflict.id == conflict_id(ENTITY, ROW, "street", 2)


def test_a_held_decision_keeps_the_base_value_until_a_person_decides() -> None:
    state = field_state(FieldPolicy.HELD, field="given")
    state = merge_all(
        state,
        [
            op(False, field="given", base=0, wall=1),
            op(True, field="given", base=1, wall=5, device="a"),
            op(False, field="given", base=1, wall=6, device="b", op_id="withdraw"),
        ],
    )
    conflict = state.open_conflict
    assert conflict is not None
    assert state.value is False  # the base: nothing decided yet
    assert conflict.provisional is None
    assert {c.value for c in conflict.candidates} == {True, False}
    decided, after = merge(state, op(True, field="given", base=2, wall=3, device="lead"))
    assert after is None and decided.open_conflict is None
    assert decided.value is True
    resolved = decided.conflicts[-1]
    assert resolved.status is ConflictStatus.RESOLVED
    assert resolved.resolution is not None and resolved.resolution.device == "lead"


def test_narrative_text_is_never_auto_merged() -> None:
    state = field_state(FieldPolicy.NARRATIVE, field="summary")
    first = op("Le ménage a reçu la facture.", field="summary", base=0, wall=1, device="a")
    second = op("Facture reçue, contestée.", field="summary", base=0, wall=2, device="b")
    state = merge_all(state, [first, second])
    conflict = state.open_conflict
    assert conflict is not None
    assert state.value == "Facture reçue, contestée."  # one whole text, never a splice
    assert [c.value for c in conflict.candidates] == [first.value, second.value]


@pytest.mark.parametrize("policy", REGISTERS)
def test_equal_concurrent_values_never_conflict(policy: FieldPolicy) -> None:
    state = merge_all(
        field_state(policy),
        [op("same", wall=1, device="a"), op("same", wall=2, device="b", author="yves")],
    )
    assert state.conflicts == ()
    assert state.value == "same"


@pytest.mark.parametrize("policy", [FieldPolicy.FLAGGED, FieldPolicy.NARRATIVE, FieldPolicy.HELD])
def test_a_resolution_op_closes_the_conflict(policy: FieldPolicy) -> None:
    state = merge_all(field_state(policy), [op("x", device="a"), op("y", device="b")])
    assert state.open_conflict is not None
    conflict = state.open_conflict
    closing = resolution_op(
        conflict,
        "x and y, checked by phone",
        op_id="lead:1",
        hlc=Timestamp(2, 0, "lead"),
        author="lead",
        device="lead",
    )
    assert closing.base_version == conflict.version == 1
    state, opened = merge(state, closing)
    assert opened is None and state.open_conflict is None
    assert state.value == "x and y, checked by phone"
    assert [c.status for c in state.conflicts] == [ConflictStatus.RESOLVED]
    assert state.conflicts[0].resolution == candidate_of(closing)


def test_append_only_never_conflicts_and_orders_by_clock() -> None:
    state = field_state(FieldPolicy.APPEND_ONLY, field="revisions")
    ops = [
        op("second", field="revisions", kind=OpKind.APPEND, wall=2, device="b"),
        op("first", field="revisions", kind=OpKind.APPEND, wall=1, device="a"),
        op("first", field="revisions", kind=OpKind.APPEND, wall=3, device="c"),
    ]
    for o in ops:
        state, conflict = merge(state, o)
        assert conflict is None
    assert state.value == ["first", "second", "first"]


@pytest.mark.parametrize(
    ("ops", "expected"),
    [
        ([("fr", OpKind.SET_ADD, 0), ("ar", OpKind.SET_ADD, 0)], ["ar", "fr"]),
        ([("fr", OpKind.SET_ADD, 0), ("fr", OpKind.SET_REMOVE, 1)], []),
        # concurrent remove (from length 1) and re-add after removal (from length 2): re-add wins
        (
            [("fr", OpKind.SET_ADD, 0), ("fr", OpKind.SET_REMOVE, 1), ("fr", OpKind.SET_ADD, 2)],
            ["fr"],
        ),
        # two devices remove concurrently: still removed, once
        (
            [("fr", OpKind.SET_ADD, 0), ("fr", OpKind.SET_REMOVE, 1), ("fr", OpKind.SET_REMOVE, 1)],
            [],
        ),
        # concurrent add on both sides of an unseen element: present
        ([("tr", OpKind.SET_ADD, 0), ("tr", OpKind.SET_ADD, 0)], ["tr"]),
        # an add of an element already present is a no-op
        ([("fr", OpKind.SET_ADD, 0), ("fr", OpKind.SET_ADD, 1), ("fr", OpKind.SET_REMOVE, 1)], []),
    ],
)
def test_sets_merge_by_causal_length(
    ops: list[tuple[str, OpKind, int]], expected: list[str]
) -> None:
    state = field_state(FieldPolicy.SET_CAUSAL_LENGTH, field="languages")
    built = [
        op(v, field="languages", kind=k, base=b, device=f"d{i}") for i, (v, k, b) in enumerate(ops)
    ]
    for order in (built, built[::-1]):
        final = merge_all(state, order)
        assert final.value == expected
        assert final.conflicts == ()


def test_a_clamped_future_clock_still_merges() -> None:
    future = op("from the future", wall=10**13, device="broken")
    clamped = clamp(future.hlc, now_ms=5_000, horizon_ms=1_000)
    state = merge_all(field_state(FieldPolicy.LWW_SILENT), [replace(future, hlc=clamped)])
    state, _ = merge(state, op("later, after seeing it", base=1, wall=4_000, device="ok"))
    assert state.value == "later, after seeing it"
    assert clamped.wall_ms == 6_000


@pytest.mark.parametrize(
    ("policy", "kind"),
    [
        (FieldPolicy.APPEND_ONLY, OpKind.SET),
        (FieldPolicy.FLAGGED, OpKind.APPEND),
        (FieldPolicy.SET_CAUSAL_LENGTH, OpKind.SET),
        (FieldPolicy.LWW_SILENT, OpKind.DELETE),
    ],
)
def test_an_op_kind_the_policy_does_not_allow_is_refused(policy: FieldPolicy, kind: OpKind) -> None:
    with pytest.raises(MergeError):
        merge(field_state(policy), op("x", kind=kind))


def test_an_op_for_another_field_is_refused() -> None:
    with pytest.raises(MergeError):
        merge(field_state(FieldPolicy.FLAGGED), op("x", field="city"))


@pytest.mark.parametrize(
    ("entity", "field", "policy"),
    [
        ("household", "street", FieldPolicy.FLAGGED),
        ("phone", "number", FieldPolicy.FLAGGED),
        ("household", "outcome", FieldPolicy.HELD),
        ("consent", "withdrawn_at", FieldPolicy.HELD),
        ("interview", "summary", FieldPolicy.NARRATIVE),
        ("contact_attempt", "outcome", FieldPolicy.LWW_SILENT),
        ("debt", "created_by", FieldPolicy.LWW_SILENT),
        ("household", "interpreter_needed", FieldPolicy.LWW_SILENT),
        ("unknown", "field", FALLBACK_POLICY),
    ],
)
def test_the_default_policy_table(entity: str, field: str, policy: FieldPolicy) -> None:
    assert policy_for(entity, field) is policy
    assert policy_for(entity, field, {**DEFAULT_POLICIES, (entity, field): FieldPolicy.HELD}) is (
        FieldPolicy.HELD
    )
