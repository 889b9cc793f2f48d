"""What other people changed in a sync, in the terms an open editor understands.

A sync collects the ops it received from other devices (:class:`RemoteOp`: table, row, field,
author); :func:`resolve` turns those touching an interview answer or a household's own fields
into :class:`RemoteEdit` records (which interview and answer key, or which household and field;
the value now stored; the author's name), read in the sync's last transaction. The window
hands them to the interview wizard and the household editor, which never replace what a person
is typing (:func:`keeps_typing`): the field is flagged instead, and the typed text stays.
Pure data and SQL on a given connection; any thread.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, text

from mediadesk.i18n import _
from mediadesk.interview import AnswerError, decode_answer

ANSWER = "interview_answer"
HOUSEHOLD = "household"
_BATCH = 500
HOUSEHOLD_FIELDS = ("name", "street", "address_extra", "postal_code", "city", "email",
                    "interpreter_needed")


@dataclass(frozen=True)
class RemoteOp:
    """One op received from another device: ``entity`` table, ``row_id`` hex, ``field``
    (``_row`` for a whole row), ``author`` user id hex (None if unknown)."""

    entity: str
    row_id: str
    field: str
    author: str | None


@dataclass(frozen=True)
class RemoteEdit:
    """A field someone else changed. ``owner`` is the interview (``entity`` = interview
    answer) or the household; ``field`` the answer key or the household's column; ``value``
    what is stored now, after the merge (an answer's typed value, as `InterviewState.answer`
    gives it)."""

    entity: str
    owner: uuid.UUID
    field: str
    value: Any
    author: str

    def concerns(self, entity: str, owner: uuid.UUID | None) -> bool:
        return self.entity == entity and owner is not None and self.owner == owner


def keeps_typing(*, typed: Any, received: Any, editing: bool) -> bool:
    """Whether a field showing ``typed`` keeps it (and is flagged) when ``received`` arrives:
    yes while it is being edited and differs; otherwise the received value is shown."""
    return editing and typed != received


def watched(entity: str, field: str) -> bool:
    """Whether an op on ``entity``.``field`` can concern an open editor (worth collecting)."""
    return entity == ANSWER or (entity == HOUSEHOLD and field in HOUSEHOLD_FIELDS)


def resolve(conn: Connection, ops: Iterable[RemoteOp]) -> list[RemoteEdit]:
    """The remote edits of ``ops`` that concern interview answers and household fields, one
    per (owner, field), with the value stored now. Rows are read in batches (a first sync may
    bring thousands). Runs on ``conn`` (the sync's thread)."""
    latest: dict[tuple[str, str, str], str | None] = {}
    for op in ops:
        if watched(op.entity, op.field):
            latest[(op.entity, op.row_id, op.field)] = op.author
    answers = _rows(conn, "SELECT id, interview_id, key, value FROM interview_answer "
                    "WHERE deleted_at IS NULL AND id IN ({ids})",
                    {row for entity, row, _field in latest if entity == ANSWER})
    columns = ", ".join(f'"{name}"' for name in HOUSEHOLD_FIELDS)
    households = _rows(conn, f"SELECT id, {columns} FROM household WHERE id IN ({{ids}})",
                       {row for entity, row, _field in latest if entity == HOUSEHOLD})
    authors: dict[str | None, str] = {}
    seen: dict[tuple[str, str, str], RemoteEdit] = {}
    for (entity, row_id, field), author in latest.items():
        if entity == ANSWER and row_id in answers:
            _id, interview, key, raw = answers[row_id]
            owner = _uuid(interview)
            try:
                value = decode_answer(str(key), _json(raw))
            except (AnswerError, KeyError):  # unknown to this version: nothing shows it
                continue
            field = str(key)
        elif entity == HOUSEHOLD and row_id in households:
            owner = _uuid(row_id)
            value = households[row_id][1 + HOUSEHOLD_FIELDS.index(field)]
            if field == "interpreter_needed":
                value = bool(value)
        else:
            continue
        if author not in authors:
            authors[author] = _author(conn, author)
        seen[(entity, owner.hex, field)] = RemoteEdit(entity, owner, field, value,
                                                      authors[author])
    return list(seen.values())


def _rows(conn: Connection, sql: str, ids: set[str]) -> dict[str, tuple[Any, ...]]:
    """Rows by id (hex), read ``_BATCH`` ids at a time; ``sql`` has an ``{ids}`` slot."""
    found: dict[str, tuple[Any, ...]] = {}
    ordered = sorted(ids)
    for start in range(0, len(ordered), _BATCH):
        chunk = ordered[start:start + _BATCH]
        names = {f"i{n}": value for n, value in enumerate(chunk)}
        statement = text(sql.format(ids=", ".join(f":{name}" for name in names)))
        for row in conn.execute(statement, names).all():
            found[_uuid(row[0]).hex] = tuple(row)
    return found


def _author(conn: Connection, user_id: str | None) -> str:
    name = None
    if user_id is not None:
        name = conn.execute(text("SELECT display_name FROM user_account WHERE id = :i"),
                            {"i": user_id}).scalar()
    return str(name) if name else _("un autre membre de l'équipe")


def _uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(hex=str(value))


def _json(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value
