"""Administration of the sync server: teams, users and memberships, enrolment codes, devices.

Used by ``mediadesk-server admin ...`` and by tests. Each function is one transaction and raises
:class:`AdminError` with a French message on bad input.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.engine import Connection

from mediadesk.sync.protocol import EMPTY_CHECKSUM
from mediadesk.sync.server import db, security
from mediadesk.sync.server.errors import AdminError

ROLES = ("mediator", "team_lead", "admin")


@dataclass(frozen=True)
class DeviceRow:
    id: str
    email: str
    name: str
    enrolled_at: int
    revoked_at: int | None


def new_id() -> str:
    return uuid.uuid4().hex


def create_team(engine: Engine, name: str) -> str:
    """Create a team and its empty log; returns its id."""
    name = name.strip()
    if not name:
        raise AdminError("Le nom de l'équipe est vide.")
    with engine.begin() as conn:
        if conn.execute(select(db.team.c.id).where(db.team.c.name == name)).first():
            raise AdminError(f"L'équipe « {name} » existe déjà.")
        team_id = new_id()
        conn.execute(insert(db.team).values(id=team_id, name=name))
        conn.execute(
            insert(db.team_log).values(team_id=team_id, head_seq=0, checksum=EMPTY_CHECKSUM)
        )
    return team_id


def _team_id(conn: Connection, name: str) -> str:
    team_id = conn.execute(select(db.team.c.id).where(db.team.c.name == name)).scalar()
    if team_id is None:
        raise AdminError(f"Aucune équipe « {name} ».")
    return str(team_id)


def _user_id(conn: Connection, email: str) -> str:
    user_id = conn.execute(select(db.user.c.id).where(db.user.c.email == email)).scalar()
    if user_id is None:
        raise AdminError(f"Aucun utilisateur « {email} ».")
    return str(user_id)


def _check_email(email: str) -> str:
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise AdminError(f"Adresse électronique invalide : « {email} ».")
    return email


def add_user(engine: Engine, email: str, team: str, role: str) -> str:
    """Create the user if needed and make them a member of ``team`` with ``role``."""
    email = _check_email(email)
    if role not in ROLES:
        raise AdminError(f"Rôle inconnu : « {role} » (mediator, team_lead ou admin).")
    with engine.begin() as conn:
        team_id = _team_id(conn, team)
        user_id = conn.execute(select(db.user.c.id).where(db.user.c.email == email)).scalar()
        if user_id is None:
            user_id = new_id()
            conn.execute(insert(db.user).values(id=user_id, email=email, role=role))
        conn.execute(
            delete(db.membership).where(
                db.membership.c.user_id == user_id, db.membership.c.team_id == team_id
            )
        )
        conn.execute(insert(db.membership).values(user_id=user_id, team_id=team_id, role=role))
    return str(user_id)


def remove_member(engine: Engine, email: str, team: str) -> None:
    """Take ``team`` away from the user: their devices drop its data on their next sync."""
    email = _check_email(email)
    with engine.begin() as conn:
        team_id, user_id = _team_id(conn, team), _user_id(conn, email)
        gone = conn.execute(
            delete(db.membership).where(
                db.membership.c.user_id == user_id, db.membership.c.team_id == team_id
            )
        ).rowcount
    if not gone:
        raise AdminError(f"« {email} » n'est pas membre de l'équipe « {team} ».")


def issue_enrolment(engine: Engine, email: str, now_ms: int, ttl_s: int) -> str:
    """A one-time enrolment code for the user (only its hash is stored)."""
    email = _check_email(email)
    secret = db.load_secret(engine)
    code = security.new_enrolment_code()
    with engine.begin() as conn:
        user_id = _user_id(conn, email)
        conn.execute(
            insert(db.enrolment).values(
                code_hash=security.hash_code(code, secret),
                user_id=user_id,
                expires_at=now_ms + ttl_s * 1000,
            )
        )
    return code


def list_devices(engine: Engine) -> list[DeviceRow]:
    d, u = db.device, db.user
    query = (
        select(d.c.id, u.c.email, d.c.name, d.c.enrolled_at, d.c.revoked_at)
        .join(u, u.c.id == d.c.user_id)
        .order_by(u.c.email, d.c.enrolled_at)
    )
    with engine.begin() as conn:
        return [
            DeviceRow(r.id, r.email, r.name, int(r.enrolled_at), r.revoked_at)
            for r in conn.execute(query)
        ]


def revoke(engine: Engine, device_id: str, now_ms: int) -> None:
    """Refuse the device from now on (it wipes its store on its next contact)."""
    with engine.begin() as conn:
        done = conn.execute(
            update(db.device)
            .where(db.device.c.id == device_id, db.device.c.revoked_at.is_(None))
            .values(revoked_at=now_ms)
        ).rowcount
    if not done:
        raise AdminError(f"Aucun appareil actif « {device_id} ».")


def team_names(engine: Engine) -> dict[str, str]:
    """Every team's name by id."""
    with engine.connect() as conn:
        return {str(row.id): str(row.name) for row in conn.execute(select(db.team))}
