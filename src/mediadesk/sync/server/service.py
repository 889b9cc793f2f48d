"""The sync server's services: enrolment, access tokens and the sync exchange (no HTTP here).

:class:`SyncService` is built once per process from the settings and an engine, and keeps
nothing another process would need: every decision is read from the database on every request
(device state, team membership, receipts, sequence heads). Refusals raise :class:`ServiceError`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import Engine, bindparam, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from mediadesk.domain.enums import Role
from mediadesk.sync.protocol import (
    PROTOCOL_VERSION,
    Changeset,
    EnrolRequest,
    EnrolResponse,
    ErrorCode,
    MoveRequest,
    MoveResponse,
    Receipt,
    SyncRequest,
    SyncResponse,
    TeamInfo,
    TokenRequest,
    TokenResponse,
    UserInfo,
)
from mediadesk.sync.server import db, log, log_pages, move, security
from mediadesk.sync.server.errors import NOT_FOUND, UNAVAILABLE, ServiceError
from mediadesk.sync.server.settings import ServerSettings

logger = logging.getLogger(__name__)

_REVOKED = "Cet appareil a été révoqué : ses données locales doivent être effacées."
_BAD_CODE = "Code d'enrôlement inconnu, expiré ou déjà utilisé."
_BAD_SECRET = "Identifiants de l'appareil refusés."
_UNKNOWN_DOSSIER = "Dossier inconnu dans les équipes de cet appareil."
_SAME_TEAM = "Le dossier appartient déjà à cette équipe."
_NOT_LEAD = "Seul un responsable des deux équipes peut transférer un dossier."
# A team lead of both teams moves a dossier, as on the laptops (services/team_roles.py). The
# admin role gives no dossier powers through the devices' API: the admin manages teams with
# ``mediadesk-server admin`` on the server, and makes someone (or themselves) a team lead there.
_LEAD = Role.TEAM_LEAD.value
_BAD_TOKEN = "Jeton d'accès absent, invalide ou expiré : demandez-en un nouveau."


@dataclass(frozen=True)
class DeviceAuth:
    """A device whose token was accepted and that is not revoked, with its user's teams."""

    device_id: str
    user_id: str
    teams: tuple[TeamInfo, ...]

    @property
    def leads(self) -> frozenset[str]:
        """The teams the user leads (``team_lead`` there; an admin membership is not enough):
        only there may the device move or anonymise a dossier."""
        return frozenset(team.id for team in self.teams if team.role == _LEAD)


class SyncService:
    """Enrol devices, issue tokens, and run one sync exchange (push then pull)."""

    def __init__(self, engine: Engine, settings: ServerSettings):
        self.engine = engine
        self.settings = settings

    @cached_property
    def secret(self) -> bytes:
        # Read once: it never changes, and every process reads the same row.
        return db.load_secret(self.engine)

    @contextmanager
    def _transaction(self, *, read_only: bool = False) -> Iterator[Connection]:
        """A transaction, or for ``read_only`` an autocommit connection: reads that need no
        snapshot across statements save the BEGIN and COMMIT round trips (and on SQLite do not
        queue behind writers)."""
        try:
            if read_only:
                with self.engine.connect() as conn:
                    yield conn.execution_options(isolation_level="AUTOCOMMIT")
            else:
                with self.engine.begin() as conn:
                    yield conn
        except OperationalError as error:
            logger.warning("database unavailable: %s", type(error).__name__)
            raise ServiceError(
                503, UNAVAILABLE, "Serveur momentanément indisponible, réessayez."
            ) from error

    # -- enrolment and tokens -----------------------------------------------------------

    def enrol(self, request: EnrolRequest) -> EnrolResponse:
        """Exchange a one-time code for a device secret; the code cannot be used again."""
        now = self.settings.now_ms()
        secret = security.new_device_secret()
        code_hash = security.hash_code(request.code, self.secret)
        with self._transaction() as conn:
            user_id = self._consume_code(conn, code_hash, now)
            secret_hash = security.hash_secret(secret)  # only for a valid code: scrypt is slow
            self._register_device(conn, request, user_id, secret_hash, now)
            user = conn.execute(select(db.user).where(db.user.c.id == user_id)).one()
            teams = _teams_of(conn, user_id)
        return EnrolResponse(
            device_id=request.device_id,
            device_secret=secret,
            user=UserInfo(id=user.id, email=user.email, role=user.role),
            teams=list(teams),
        )

    def _consume_code(self, conn: Connection, code_hash: str, now: int) -> str:
        e = db.enrolment
        user_id = conn.execute(
            select(e.c.user_id)
            .where(e.c.code_hash == code_hash, e.c.used_at.is_(None), e.c.expires_at > now)
            .with_for_update()
        ).scalar()
        used = conn.execute(
            update(e).where(e.c.code_hash == code_hash, e.c.used_at.is_(None)).values(used_at=now)
        ).rowcount
        if user_id is None or used != 1:
            raise ServiceError(401, ErrorCode.BAD_CREDENTIALS, _BAD_CODE)
        return str(user_id)

    def _register_device(
        self, conn: Connection, request: EnrolRequest, user_id: str, secret_hash: str, now: int
    ) -> None:
        d = db.device
        known = conn.execute(select(d).where(d.c.id == request.device_id)).first()
        if known is None:
            conn.execute(
                d.insert().values(
                    id=request.device_id, user_id=user_id, name=request.device_name,
                    secret_hash=secret_hash, enrolled_at=now,
                )
            )  # fmt: skip
        elif known.revoked_at is not None:
            raise ServiceError(403, ErrorCode.DEVICE_REVOKED, _REVOKED)
        elif known.user_id != user_id:
            raise ServiceError(
                409, ErrorCode.BAD_REQUEST, "Cet identifiant d'appareil est déjà utilisé."
            )
        else:  # the same device enrolled again (its secret was lost): rotate the secret
            conn.execute(
                update(d)
                .where(d.c.id == request.device_id)
                .values(secret_hash=secret_hash, name=request.device_name)
            )

    def token(self, request: TokenRequest) -> TokenResponse:
        """A short-lived access token for a device that proves its secret."""
        with self._transaction(read_only=True) as conn:
            row = conn.execute(select(db.device).where(db.device.c.id == request.device_id)).first()
        if row is None or not security.verify_secret(request.device_secret, row.secret_hash):
            raise ServiceError(401, ErrorCode.BAD_CREDENTIALS, _BAD_SECRET)
        if row.revoked_at is not None:
            raise ServiceError(403, ErrorCode.DEVICE_REVOKED, _REVOKED)
        ttl = self.settings.token_ttl_s
        expires = self.settings.now_ms() + ttl * 1000
        return TokenResponse(
            access_token=security.issue_token(self.secret, row.id, expires), expires_in=ttl
        )

    # -- sync -----------------------------------------------------------------------------

    def authenticate(self, token: str | None) -> DeviceAuth:
        """The device behind a bearer token, checked against the database right now."""
        device_id = None
        if token:
            device_id = security.check_token(self.secret, token, self.settings.now_ms())
        if device_id is None:
            raise ServiceError(401, ErrorCode.UNAUTHORIZED, _BAD_TOKEN)
        with self._transaction(read_only=True) as conn:
            rows = conn.execute(_DEVICE_AND_TEAMS, {"device_id": device_id}).all()
        if not rows:
            raise ServiceError(401, ErrorCode.UNAUTHORIZED, _BAD_TOKEN)
        if rows[0].revoked_at is not None:
            raise ServiceError(403, ErrorCode.DEVICE_REVOKED, _REVOKED)
        teams = tuple(TeamInfo(id=r.id, name=r.name, role=r.role) for r in rows if r.id)
        return DeviceAuth(device_id=device_id, user_id=rows[0].user_id, teams=teams)

    def sync(self, auth: DeviceAuth, request: SyncRequest) -> SyncResponse:
        """Store the pushed changesets in order (exactly once), then answer pages per team."""
        if request.protocol != PROTOCOL_VERSION:
            raise ServiceError(
                400,
                ErrorCode.UNSUPPORTED_PROTOCOL,
                f"Version de protocole {request.protocol} non prise en charge "
                f"(attendue : {PROTOCOL_VERSION}). Mettez l'application à jour.",
            )
        _check_ranges(request)
        team_ids = frozenset(team.id for team in auth.teams)
        receipts = [
            self._push(auth.device_id, team_ids, cs, request.cursors, auth.leads)
            for cs in request.changesets
        ]
        # Autocommit is enough: a team's head is read before its ops, and every op up to a
        # committed head is committed (same transaction, sequence order = commit order).
        with self._transaction(read_only=True) as conn:
            read = log_pages.read_pages(conn, sorted(team_ids), request.cursors, request.page_size)
        return SyncResponse(
            receipts=receipts,
            pages=read.pages,
            devices=read.devices,
            teams=list(auth.teams),
            server_time_ms=self.settings.now_ms(),
        )

    def move_dossier(self, auth: DeviceAuth, request: MoveRequest) -> MoveResponse:
        """Move a dossier to another team (see :mod:`.move`). The device's user must be a
        team_lead of both teams (an admin membership is not enough). Raises ServiceError 404
        (unknown dossier), 403."""
        roles = {team.id: team.role for team in auth.teams}  # a member of these
        for attempt in range(3):
            try:
                with self._transaction() as conn:
                    source = move.source_team(conn, request.household)
                    if source is None or source not in roles:
                        raise ServiceError(404, NOT_FOUND, _UNKNOWN_DOSSIER)
                    if source == request.to_team:
                        raise ServiceError(409, ErrorCode.BAD_REQUEST, _SAME_TEAM)
                    if not {source, request.to_team} <= auth.leads:
                        raise ServiceError(403, ErrorCode.FORBIDDEN, _NOT_LEAD)
                    moved = move.move_dossier(
                        conn, request.household, source, request.to_team,
                        device=auth.device_id, author=auth.user_id, now_ms=self.settings.now_ms(),
                    )  # fmt: skip
                    return MoveResponse(
                        from_team=source, to_team=request.to_team,
                        rows=moved.rows, copied=moved.copied,
                    )  # fmt: skip
            except DBAPIError as error:
                if attempt == 2 or not _retryable(error):
                    raise
        raise AssertionError("unreachable")

    def _push(
        self,
        device_id: str,
        teams: frozenset[str],
        changeset: Changeset,
        cursors: Mapping[str, int],
        leads: frozenset[str],
    ) -> Receipt:
        for attempt in range(3):
            try:
                with self._transaction() as conn:
                    return log.store_changeset(
                        conn, device_id, teams, changeset,
                        self.settings.now_ms(), self.settings.hlc_horizon_ms, cursors,
                        leads=leads,
                    )  # fmt: skip
            except (IntegrityError, DBAPIError) as error:
                # A replay racing its twin, or a serialisation failure: the retry reads the
                # receipt the winner stored.
                if attempt == 2 or not _retryable(error):
                    raise
                logger.info(
                    "changeset %s retried after %s", changeset.client_seq, type(error).__name__
                )
        raise AssertionError("unreachable")


_d, _m, _t = db.device, db.membership, db.team
_DEVICE_AND_TEAMS = (
    select(_d.c.user_id, _d.c.revoked_at, _t.c.id, _t.c.name, _m.c.role)
    .select_from(
        _d.outerjoin(_m, _m.c.user_id == _d.c.user_id).outerjoin(_t, _t.c.id == _m.c.team_id)
    )
    .where(_d.c.id == bindparam("device_id"))
    .order_by(_t.c.id)
)  # one round trip: a device's state and its user's teams (built once, reused)

_MAX_INT = 2**62  # well inside the databases' 64-bit integers


def _check_ranges(request: SyncRequest) -> None:
    """Refuse integers the database columns cannot hold (the protocol bounds them below only)."""
    numbers = [cs.client_seq for cs in request.changesets]
    numbers += [op.b for cs in request.changesets for op in cs.ops]
    if any(n > _MAX_INT for n in numbers):
        raise ServiceError(422, ErrorCode.BAD_REQUEST, "Requête invalide : nombre hors limites.")


def _retryable(error: DBAPIError) -> bool:
    return isinstance(error, IntegrityError) or error.connection_invalidated


def _teams_of(conn: Connection, user_id: str) -> tuple[TeamInfo, ...]:
    m, t = db.membership, db.team
    rows = conn.execute(
        select(t.c.id, t.c.name, m.c.role)
        .join(m, m.c.team_id == t.c.id)
        .where(m.c.user_id == user_id)
        .order_by(t.c.id)
    )
    return tuple(TeamInfo(id=row.id, name=row.name, role=row.role) for row in rows)
