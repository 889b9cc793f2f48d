"""The rejected-changes inbox: ops the server refused (``sync_rejected``), shown to people.

The server refuses op by op; a person thinks in records. One entry gathers the refused ops of
one record in one push (same changeset, record and reason): a refused creation is one entry
"Création de la fiche", not one per column. Reading an entry never deletes it: a dismissal is
recorded in the local setting :data:`DISMISSED_KEY` (who, when) and the refusal stays in
``sync_rejected``, listed again on request. Functions take a Session in the caller's
transaction and never commit.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from mediadesk.i18n import _
from mediadesk.services import conflict_queries as queries
from mediadesk.services.conflict_display import format_value, reason_text
from mediadesk.services.conflict_views import RejectedChange
from mediadesk.services.errors import ValidationError
from mediadesk.services.field_labels import entity_label, field_label
from mediadesk.store.models import LocalSetting
from mediadesk.sync.ops import ROW_FIELD

DISMISSED_KEY = "sync.rejected_dismissed"
"""Local setting: JSON ``{rejected id: {"at": ms, "by": user hex}}`` of dismissed refusals."""
_CREATION = "created_at"
_UNSHOWN = frozenset({"created_at", "created_by", "created_on_device", ROW_FIELD})
_MAX_VALUES = 4


def rejected_changes(session: Session, *, include_dismissed: bool) -> list[RejectedChange]:
    conn = session.connection()
    rows = conn.execute(text(
        "SELECT id, client_seq, idx, entity, row_id, field, value, code, message, at_ms "
        "FROM sync_rejected ORDER BY at_ms DESC, id")).all()
    groups: dict[tuple[Any, ...], list[Any]] = {}
    for row in rows:
        groups.setdefault(_key(row), []).append(row)
    owners = {key: queries.owner_of(conn, str(key[1]), str(key[2])) for key in groups}
    names = queries.household_names(conn, (h for h in owners.values() if h))
    dismissed = _dismissed(session)
    result = []
    for key, members in groups.items():
        marks = [dismissed.get(str(m.id)) for m in members]
        read = all(mark is not None for mark in marks)
        if read and not include_dismissed:
            continue
        at_ms = max(int(mark["at"]) for mark in marks if mark is not None) if read else None
        result.append(_entry(members, owners[key], names, at_ms))
    return result


def dismiss(session: Session, rejected_id: int, now_ms: int, user: str | None) -> None:
    """Mark the entry ``rejected_id`` (every op of it) as read."""
    conn = session.connection()
    row = conn.execute(text("SELECT client_seq, entity, row_id, code FROM sync_rejected "
                            "WHERE id = :i"), {"i": rejected_id}).first()
    if row is None:
        raise ValidationError("rejected", _("Cette modification refusée n'existe plus."))
    found: Any = conn.execute(text(
        "SELECT id FROM sync_rejected WHERE client_seq = :q AND entity = :e AND row_id = :r "
        "AND code = :c"), {"q": row.client_seq, "e": row.entity, "r": row.row_id,
                           "c": row.code})
    ids = [int(i) for (i,) in found]
    marks = _dismissed(session)
    for member in ids:
        marks.setdefault(str(member), {"at": now_ms, "by": user})
    setting = session.get(LocalSetting, DISMISSED_KEY)
    if setting is None:
        session.add(LocalSetting(key=DISMISSED_KEY, value=json.dumps(marks)))
    else:
        setting.value = json.dumps(marks)


def _key(row: Any) -> tuple[Any, ...]:
    return (int(row.client_seq), str(row.entity), str(row.row_id), str(row.code))


def _dismissed(session: Session) -> dict[str, dict[str, Any]]:
    row = session.get(LocalSetting, DISMISSED_KEY)
    if row is None:
        return {}
    value = json.loads(row.value)
    return value if isinstance(value, dict) else {}


def _entry(members: Sequence[Any], household: str | None, names: dict[str, str],
           dismissed_ms: int | None) -> RejectedChange:
    first = members[0]
    entity = str(first.entity)
    fields = [str(m.field) for m in members]
    shown = [m for m in members if str(m.field) not in _UNSHOWN]
    if _CREATION in fields:
        what = _("Création de la fiche")
    elif ROW_FIELD in fields and not shown:
        what = _("Suppression ou restauration de la fiche")
    else:
        what = ", ".join(field_label(entity, f) for f in dict.fromkeys(str(m.field)
                                                                        for m in shown))
    values = []
    for member in shown:
        try:
            value: Any = json.loads(member.value)
        except ValueError:
            value = member.value
        if value in (None, "", []) and _CREATION in fields:
            continue  # a creation: only what was filled in
        values.append(_("{field} : {value}").format(
            field=field_label(entity, str(member.field)),
            value=format_value(entity, str(member.field), value, {})))
    if len(values) > _MAX_VALUES:
        values = [*values[:_MAX_VALUES], "…"]
    return RejectedChange(
        id=int(min(m.id for m in members)),
        at=datetime.fromtimestamp(int(first.at_ms) / 1000, UTC),
        household_id=queries.household_uuid(household),
        dossier=names.get(household or "", ""),
        entity_label=entity_label(entity),
        field_label=what,
        value="; ".join(values),
        reason=reason_text(str(first.code), str(first.message)),
        dismissed_at=None if dismissed_ms is None
        else datetime.fromtimestamp(dismissed_ms / 1000, UTC))
