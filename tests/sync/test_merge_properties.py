"""Properties of the merge, for every policy: join is a semilattice (commutative, associative,
idempotent), applying any permutation of the ops with duplicates converges, and no committed
value is lost."""

from __future__ import annotations

from functools import reduce

from hypothesis import given, settings
from hypothesis import strategies as st

from mediadesk.sync.hlc import Timestamp
from mediadesk.sync.merge import FieldState, candidate_of, join, merge, merge_all
from mediadesk.sync.ops import (
    ALLOWED_KINDS,
    CONFLICTING_POLICIES,
    FieldPolicy,
    JsonValue,
    Op,
    OpKind,
    encode_value,
    resolution_op,
)
from mediadesk.sync.rows import RowState, empty_row, join_rows, merge_rows
from tests.sync.builders import ENTITY, ROW, field_state, op

POLICIES = list(FieldPolicy)
NESTED: JsonValue = {"k": [1, "x"]}
VALUES: st.SearchStrategy[JsonValue] = st.one_of(
    st.sampled_from(["a", "b", "c"]), st.integers(0, 2), st.none(), st.just(NESTED)
)


@st.composite
def ops_for(draw: st.DrawFn, policy: FieldPolicy, field: str = "name") -> Op:
    return op(
        draw(VALUES),
        base=draw(st.integers(0, 3)),
        wall=draw(st.integers(0, 4)),
        counter=draw(st.integers(0, 1)),
        device=draw(st.sampled_from(["a", "b", "c"])),
        author=draw(st.sampled_from(["amina", "yves"])),
        field=field,
        kind=draw(st.sampled_from(sorted(ALLOWED_KINDS[policy]))),
    )


@st.composite
def policy_and_states(draw: st.DrawFn, count: int) -> tuple[FieldPolicy, list[FieldState]]:
    policy = draw(st.sampled_from(POLICIES))
    states = [
        merge_all(field_state(policy), draw(st.lists(ops_for(policy), max_size=6)))
        for _ in range(count)
    ]
    return policy, states


@st.composite
def policy_and_ops(draw: st.DrawFn) -> tuple[FieldPolicy, list[Op]]:
    policy = draw(st.sampled_from(POLICIES))
    return policy, draw(st.lists(ops_for(policy), min_size=1, max_size=8))


@given(policy_and_states(2))
def test_join_is_commutative(case: tuple[FieldPolicy, list[FieldState]]) -> None:
    _, (a, b) = case
    assert join(a, b) == join(b, a)


@given(policy_and_states(3))
def test_join_is_associative(case: tuple[FieldPolicy, list[FieldState]]) -> None:
    _, (a, b, c) = case
    assert join(join(a, b), c) == join(a, join(b, c))


@given(policy_and_states(1))
def test_join_is_idempotent(case: tuple[FieldPolicy, list[FieldState]]) -> None:
    _, (a,) = case
    assert join(a, a) == a


@given(policy_and_states(1), st.data())
def test_merge_is_joining_the_op_as_a_state(
    case: tuple[FieldPolicy, list[FieldState]], data: st.DataObject
) -> None:
    policy, (state,) = case
    one = data.draw(ops_for(policy))
    merged, _ = merge(state, one)
    assert merged == join(state, merge_all(field_state(policy), [one]))


@given(policy_and_ops(), st.data())
def test_any_order_with_duplicates_converges(
    case: tuple[FieldPolicy, list[Op]], data: st.DataObject
) -> None:
    policy, ops = case
    duplicated = ops + data.draw(st.lists(st.sampled_from(ops), max_size=4))
    shuffled = data.draw(st.permutations(duplicated))
    a = merge_all(field_state(policy), ops)
    b = merge_all(field_state(policy), shuffled)
    assert a == b
    assert (a.value, a.conflicts, a.winner) == (b.value, b.conflicts, b.winner)


@given(policy_and_ops())
def test_no_committed_value_is_lost(case: tuple[FieldPolicy, list[Op]]) -> None:
    policy, ops = case
    state = merge_all(field_state(policy), ops)
    in_conflicts = {c for conflict in state.conflicts for c in conflict.candidates}
    for one in ops:
        entry = candidate_of(one)
        assert entry in state.entries
        if policy is FieldPolicy.APPEND_ONLY:
            assert one.value in state.value  # type: ignore[operator]
        elif policy is FieldPolicy.SET_CAUSAL_LENGTH:
            present = state.lengths[entry.value_json] % 2 == 1
            assert present == (encode_value(one.value) in map(encode_value, state.value))  # type: ignore[arg-type]
        elif entry in state.heads:
            # A current head is the value shown, or equal to it, or a candidate of the open
            # conflict (or, for HELD, the value stays at the base while the conflict is open).
            if entry.value_json != encode_value(state.value) or policy is FieldPolicy.HELD:
                if policy in CONFLICTING_POLICIES and len({h.value_json for h in state.heads}) > 1:
                    assert state.open_conflict is not None
                    assert entry in state.open_conflict.candidates
                elif policy is FieldPolicy.LWW_SILENT:
                    assert entry in state.history
        else:
            assert entry in state.history or entry in in_conflicts


@given(policy_and_ops())
def test_equal_concurrent_values_never_conflict(case: tuple[FieldPolicy, list[Op]]) -> None:
    policy, ops = case
    state = merge_all(field_state(policy), ops)
    for conflict in state.conflicts:
        assert len({c.value_json for c in conflict.candidates}) > 1
    if policy not in CONFLICTING_POLICIES:
        assert state.conflicts == ()


# -- rows: fields of several policies plus deletes and undeletes -------------------------------

ROW_FIELDS = {
    "name": FieldPolicy.FLAGGED,
    "interpreter_needed": FieldPolicy.LWW_SILENT,
    "closed": FieldPolicy.HELD,
    "languages": FieldPolicy.SET_CAUSAL_LENGTH,
}
TABLE = {(ENTITY, name): policy for name, policy in ROW_FIELDS.items()}


@st.composite
def row_ops(draw: st.DrawFn) -> Op:
    if draw(st.integers(0, 4)) == 0:
        kind = draw(st.sampled_from([OpKind.DELETE, OpKind.UNDELETE]))
        seen = draw(st.dictionaries(st.sampled_from(sorted(ROW_FIELDS)), st.integers(0, 3)))
        return op(
            {"seen": dict(seen)} if kind is OpKind.DELETE else None,
            field="_row",
            kind=kind,
            base=draw(st.integers(0, 3)),
            wall=draw(st.integers(0, 4)),
            device=draw(st.sampled_from(["a", "b"])),
        )
    name = draw(st.sampled_from(sorted(ROW_FIELDS)))
    return draw(ops_for(ROW_FIELDS[name], field=name))


def _row(ops: list[Op]) -> RowState:
    return merge_rows(empty_row(ENTITY, ROW), ops, TABLE)


@settings(max_examples=150)
@given(st.lists(st.lists(row_ops(), max_size=6), min_size=3, max_size=3))
def test_rows_join_is_a_semilattice(batches: list[list[Op]]) -> None:
    a, b, c = (_row(batch) for batch in batches)
    assert join_rows(a, b) == join_rows(b, a)
    assert join_rows(join_rows(a, b), c) == join_rows(a, join_rows(b, c))
    assert join_rows(a, a) == a
    assert reduce(join_rows, [a, b, c]) == _row([o for batch in batches for o in batch])


@given(st.lists(row_ops(), min_size=1, max_size=10), st.data())
def test_rows_converge_in_any_order_with_duplicates(ops: list[Op], data: st.DataObject) -> None:
    shuffled = data.draw(st.permutations(ops + ops[:2]))
    a, b = _row(ops), _row(shuffled)
    assert a == b
    assert (a.deleted, a.open_conflicts) == (b.deleted, b.open_conflicts)
    for one in ops:
        if one.field != "_row":
            assert candidate_of(one) in a.fields[one.field].entries


@given(policy_and_ops(), VALUES)
def test_a_resolution_op_closes_any_open_conflict(
    case: tuple[FieldPolicy, list[Op]], chosen: JsonValue
) -> None:
    policy, ops = case
    state = merge_all(field_state(policy), ops)
    conflict = state.open_conflict
    if conflict is None:
        return
    closing = resolution_op(
        conflict, chosen, op_id="lead:1", hlc=Timestamp(0, 0, "lead"), author="lead", device="l"
    )
    resolved, opened = merge(state, closing)
    assert opened is None and resolved.open_conflict is None
    assert resolved.value == chosen
    assert resolved.conflicts[-1].resolution == candidate_of(closing)
