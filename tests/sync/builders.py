"""Small builders for sync tests: ops with readable defaults."""

from __future__ import annotations

from mediadesk.sync.hlc import Timestamp
from mediadesk.sync.merge import FieldState, empty_field
from mediadesk.sync.ops import ROW_FIELD, FieldPolicy, JsonValue, Op, OpKind

ENTITY = "household"
ROW = "0190f3a0-0000-7000-8000-000000000001"


def op(
    value: JsonValue,
    *,
    base: int = 0,
    wall: int = 1_000,
    device: str = "laptop-a",
    author: str = "amina",
    field: str = "name",
    kind: OpKind = OpKind.SET,
    op_id: str | None = None,
    counter: int = 0,
) -> Op:
    return Op(
        op_id=op_id or f"{device}:{kind}:{field}:{value!r}:{base}:{wall}:{counter}",
        entity=ENTITY,
        row_id=ROW,
        field=field,
        kind=kind,
        value=value,
        base_version=base,
        hlc=Timestamp(wall, counter, device),
        author=author,
        device=device,
    )


def delete(
    seen: dict[str, int], *, base: int = 0, wall: int = 1_000, device: str = "laptop-a"
) -> Op:
    value: JsonValue = {"seen": dict(seen)}
    return op(value, base=base, wall=wall, device=device, field=ROW_FIELD, kind=OpKind.DELETE)


def undelete(*, base: int = 1, wall: int = 1_000, device: str = "laptop-a") -> Op:
    return op(None, base=base, wall=wall, device=device, field=ROW_FIELD, kind=OpKind.UNDELETE)


def field_state(policy: FieldPolicy, field: str = "name") -> FieldState:
    return empty_field(ENTITY, ROW, field, policy)
