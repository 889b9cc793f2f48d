"""Rows: soft, reversible deletes and the "edited while deleted" conflict."""

from __future__ import annotations

import pytest

from mediadesk.sync.hlc import Timestamp
from mediadesk.sync.merge import MergeError
from mediadesk.sync.ops import ROW_FIELD, ConflictStatus, FieldPolicy, Op, OpKind, resolution_op
from mediadesk.sync.rows import empty_row, join_rows, merge_row, merge_rows
from tests.sync.builders import ENTITY, ROW, delete, op, undelete


def test_a_delete_is_soft_and_an_undelete_brings_the_row_back_with_its_values() -> None:
    row = merge_rows(empty_row(ENTITY, ROW), [op("Diallo"), delete({"name": 1}, device="b")])
    assert row.deleted
    assert row.fields["name"].value == "Diallo"
    assert [t.device for t in row.tombstones] == ["b"]
    assert row.open_conflicts == ()
    row, _ = merge_row(row, undelete(base=1))
    assert not row.deleted
    assert row.fields["name"].value == "Diallo"


def test_a_delete_concurrent_with_an_edit_opens_an_edited_while_deleted_conflict() -> None:
    before = merge_rows(empty_row(ENTITY, ROW), [op("Diallo")])
    edit = op("Diallo Aminata", base=1, wall=5, device="a", author="amina")
    removal = delete({"name": 1}, wall=6, device="b")
    for order in ([edit, removal], [removal, edit]):
        row = before
        opened = []
        for o in order:
            row, conflict = merge_row(row, o)
            opened.append(conflict)
        assert opened[0] is None
        conflict = opened[1]
        assert conflict is not None and conflict.field == ROW_FIELD
        assert conflict.status is ConflictStatus.OPEN
        assert [(c.kind, c.device) for c in conflict.candidates] == [
            (OpKind.DELETE, "b"),
            (OpKind.SET, "a"),
        ]
        assert row.deleted  # provisionally: the delete is soft, nothing is lost
        assert row.fields["name"].value == "Diallo Aminata"


@pytest.mark.parametrize(
    ("resolution", "deleted"),
    [
        (undelete(base=1, device="lead"), False),  # keep the edit
        (delete({"name": 2}, base=1, device="lead"), True),  # confirm, having seen the edit
    ],
)
def test_an_edited_while_deleted_conflict_is_resolved_by_undelete_or_confirmation(
    resolution: Op, deleted: bool
) -> None:
    row = merge_rows(
        empty_row(ENTITY, ROW),
        [op("Diallo"), op("Diallo Aminata", base=1, device="a"), delete({"name": 1}, device="b")],
    )
    assert row.edited_while_deleted is not None
    assert row.progress == {"name": 2}
    with pytest.raises(ValueError):
        resolution_op(
            row.edited_while_deleted, None, op_id="x", hlc=Timestamp(1), author="x", device="x"
        )
    row, opened = merge_row(row, resolution)
    assert opened is None
    assert row.edited_while_deleted is None
    assert row.deleted is deleted


def test_an_append_or_a_set_change_after_an_unseen_delete_also_conflicts() -> None:
    row = merge_rows(
        empty_row(ENTITY, ROW),
        [
            delete({}, device="b"),
            op("fr", field="languages", kind=OpKind.SET_ADD, device="a"),
        ],
        {(ENTITY, "languages"): FieldPolicy.SET_CAUSAL_LENGTH},
    )
    conflict = row.edited_while_deleted
    assert conflict is not None
    assert [c.value for c in conflict.candidates if c.kind is OpKind.SET_ADD] == ["fr"]


def test_field_kinds_and_row_kinds_do_not_mix() -> None:
    with pytest.raises(MergeError):
        merge_row(empty_row(ENTITY, ROW), op("x", field=ROW_FIELD))
    with pytest.raises(MergeError):
        merge_row(empty_row(ENTITY, ROW), op(None, kind=OpKind.DELETE))
    with pytest.raises(MergeError):
        join_rows(empty_row(ENTITY, ROW), empty_row(ENTITY, "another row"))
