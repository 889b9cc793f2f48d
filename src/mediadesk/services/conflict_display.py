"""Turning stored conflicts and refusals into what a person reads (French, formatted values).

Pure functions over what `conflict_queries` read: no I/O. Devices are named "ce poste" (this
laptop) or by a short id: device names are not synced, the author's name says who it was.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Enum, String, Table, Text

from mediadesk.i18n import _, format_day, format_moment, format_money
from mediadesk.services.conflict_queries import StoredConflict
from mediadesk.services.conflict_views import (
    CandidateView,
    ConflictKind,
    ConflictView,
)
from mediadesk.services.device_names import device_label
from mediadesk.services.field_labels import USER_FIELDS, entity_label, field_label, value_label
from mediadesk.sync.hlc import Timestamp
from mediadesk.sync.ops import ROW_FIELD, FieldPolicy

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}")
_REASONS = {
    "scope_forbidden": lambda: _(
        "Ce poste n'appartient pas (ou plus) à l'équipe de ce dossier : le serveur a refusé la "
        "modification. Elle reste visible ici ; demandez à votre responsable de vérifier vos "
        "équipes."),
}


def format_value(entity: str, field: str, value: Any, users: Mapping[str, str]) -> str:
    """A stored value (JSON-decoded) as a person reads it."""
    if value is None or value == "" or value == []:
        return _("(vide)")
    if isinstance(value, bool):
        return _("Oui") if value else _("Non")
    if isinstance(value, str):
        if field in USER_FIELDS:
            return users.get(value, _("un collègue"))
        label = value_label(entity, field, value)
        if label is not None:
            return label
        if _DAY.match(value):
            return format_day(date.fromisoformat(value))
        if _MOMENT.match(value):
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                return value
            return format_moment(moment if moment.tzinfo else moment.replace(tzinfo=UTC))
        return value
    if isinstance(value, int) and field.endswith("_cents"):
        return format_money(value)
    if isinstance(value, int) and field in ("linky", "contested", "interpreter_needed",
                                            "visit_in_pairs", "main_residence"):
        return _("Oui") if value else _("Non")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def moment_of(hlc: str | None) -> datetime:
    if not hlc:
        return datetime.fromtimestamp(0, UTC)
    return datetime.fromtimestamp(Timestamp.decode(hlc).wall_ms / 1000, UTC)


def is_text(table: Table | None, field: str, policy: str | None) -> bool:
    """Free text (narrative, names, addresses): two versions can both be kept."""
    if policy == FieldPolicy.NARRATIVE.value:
        return True
    if table is None or field not in table.c:
        return False
    column = table.c[field]
    return (isinstance(column.type, String | Text) and not isinstance(column.type, Enum)
            and not column.foreign_keys)


def conflict_view(conflict: StoredConflict, table: Table | None, names: Mapping[str, str],
                  users: Mapping[str, str], op_fields: Mapping[str, str],
                  own_device: str, devices: Mapping[str, str]) -> ConflictView:
    detail = conflict.detail
    provisional = (detail.get("provisional") or {}).get("op")
    row = conflict.field == ROW_FIELD
    candidates = []
    for index, raw in enumerate(detail.get("candidates", [])):
        kind = str(raw.get("kind"))
        if kind == "delete":
            action, value = _("Suppression"), _("Supprimé")
        elif kind == "undelete":
            action, value = _("Restauration"), _("Restauré")
        else:
            action = _("Modification")
            field = op_fields.get(str(raw.get("op")), "") if row else conflict.field
            value = format_value(conflict.entity, field, raw.get("value"), users)
            if row and field:
                value = _("{field} : {value}").format(
                    field=field_label(conflict.entity, field), value=value)
        author = users.get(str(raw.get("author") or ""), _("un collègue"))
        candidates.append(CandidateView(
            index=index, value=value, author=author,
            device=device_label(str(raw.get("device") or ""), own_device, devices),
            at=moment_of(raw.get("hlc")), action=action,
            shown=raw.get("op") == provisional, deletes=kind == "delete"))
    if row:
        kind_of = ConflictKind.DELETED
    elif is_text(table, conflict.field, conflict.policy):
        kind_of = ConflictKind.TEXT
    else:
        kind_of = ConflictKind.FIELD
    return ConflictView(
        id=conflict.id,
        household_id=uuid.UUID(hex=conflict.household_id) if conflict.household_id else None,
        dossier=names.get(conflict.household_id or "", ""),
        entity_label=entity_label(conflict.entity),
        field_label=field_label(conflict.entity, conflict.field),
        kind=kind_of,
        base=_("(la fiche telle qu'elle était)") if row
        else format_value(conflict.entity, conflict.field, detail.get("base"), users),
        candidates=tuple(candidates),
        held=conflict.policy == FieldPolicy.HELD.value)


def keep_both_note(view: ConflictView, others: Sequence[tuple[CandidateView, Any]]) -> str:
    """The note that keeps the texts not chosen in a "keep both" resolution."""
    parts = [_("Conflit de synchronisation sur « {field} » ({entity}) : l'autre version du "
               "texte est conservée dans cette note.").format(field=view.field_label,
                                                              entity=view.entity_label)]
    for candidate, value in others:
        parts.append(_("Écrit par {author} ({device}) le {moment} :\n{text}").format(
            author=candidate.author, device=candidate.device,
            moment=format_moment(candidate.at), text=str(value)))
    return "\n\n".join(parts)


def reason_text(code: str, message: str) -> str:
    reason = _REASONS.get(code)
    if reason is not None:
        return reason()
    return message or _("Le serveur a refusé cette modification.")
