"""The device's identity at enrolment, and the local settings sync keeps (this store only).

`adopt` replaces the local placeholder identity (the user and team created with the store) by
the server's, in every synced row written so far and in the outbox, in the enrolment's own
transaction. Thread: the caller's (a background lane).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import Connection, text

from mediadesk.domain.enums import Role
from mediadesk.i18n import _
from mediadesk.store import capture
from mediadesk.store.local_settings import get_setting, set_setting
from mediadesk.sync.errors import AuthError
from mediadesk.sync.protocol import EnrolResponse


def adopt(conn: Connection, answer: EnrolResponse) -> None:
    """Take the server's identity: the user and first team of ``answer`` replace the local
    placeholders in every row written so far (and in the outbox); the user takes the role
    the server gives them in that team. Raises AuthError when the user has no team."""
    if not answer.teams:
        raise AuthError(_("Votre compte n'appartient à aucune équipe : demandez à "
                          "l'administrateur de vous y ajouter."), code="no_team")
    team = answer.teams[0]
    new_team, new_user = uuid.UUID(hex=team.id), uuid.UUID(hex=answer.user.id)
    old_team = _uuid_setting(conn, "team_id")
    old_user = _uuid_setting(conn, "user_id")
    placeholders = {old_team.hex if old_team else "", old_user.hex if old_user else ""}
    if old_team and old_team != new_team:
        conn.execute(text("UPDATE sync_outbox SET scope = :new WHERE scope = :old"),
                     {"new": new_team.hex, "old": old_team.hex})
        for table in capture.synced_tables():
            conn.execute(text(
                f'UPDATE "{table.name}" SET scope_id = :new WHERE scope_id = :old '
                f"AND id NOT IN (:a, :b)"),
                {"new": new_team.hex, "old": old_team.hex, "a": old_team.hex,
                 "b": old_user.hex if old_user else ""})
    if old_user and old_user != new_user:
        _ensure_user(conn, new_user, new_team, old_user)
        for table in capture.synced_tables():
            for fk in table.foreign_keys:
                if fk.column.table.name == "user_account" and fk.parent.name != "id":
                    conn.execute(text(
                        f'UPDATE "{table.name}" SET "{fk.parent.name}" = :new '
                        f'WHERE "{fk.parent.name}" = :old'),
                        {"new": new_user.hex, "old": old_user.hex})
    _ensure_team(conn, new_team, team.name)
    if team.role in {r.value for r in Role}:  # the server says who leads the team
        conn.execute(text("UPDATE user_account SET role = :r WHERE id = :i AND role != :r"),
                     {"r": team.role, "i": new_user.hex})
    conn.execute(text("DELETE FROM sync_outbox WHERE row_id IN (:a, :b)"),
                 {"a": min(placeholders), "b": max(placeholders)})
    set_setting(conn, "team_id", str(new_team))
    set_setting(conn, "user_id", str(new_user))


def _uuid_setting(conn: Connection, key: str) -> uuid.UUID | None:
    value = get_setting(conn, key)
    return None if value is None else uuid.UUID(value)


def _ensure_team(conn: Connection, team: uuid.UUID, name: str) -> None:
    exists = conn.execute(text("SELECT 1 FROM team WHERE id = :i"), {"i": team.hex}).first()
    if exists is None:
        now = _now_text()
        conn.execute(text(
            "INSERT INTO team (id, scope_id, name, created_at, updated_at, version) "
            "VALUES (:i, :i, :n, :t, :t, 1)"), {"i": team.hex, "n": name, "t": now})


def _ensure_user(conn: Connection, user: uuid.UUID, team: uuid.UUID, like: uuid.UUID) -> None:
    exists = conn.execute(text("SELECT 1 FROM user_account WHERE id = :i"),
                          {"i": user.hex}).first()
    if exists is None:
        now = _now_text()
        conn.execute(text(
            "INSERT INTO user_account (id, scope_id, display_name, email, role, languages, "
            "created_at, updated_at, version) SELECT :i, :s, display_name, email, role, "
            "languages, :t, :t, 1 FROM user_account WHERE id = :old"),
            {"i": user.hex, "s": team.hex, "t": now, "old": like.hex})


def _now_text() -> str:
    return datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
