"""Moving a dossier to another team (team leads): the server moves it, every laptop follows.

`DossierMoveService.move(household_id, to_team_id)` needs this device enrolled and the server
reachable. It first syncs, so the dossier's edits still waiting here go with it; then asks the
server to move it (``POST /v1/move``: only a lead of both teams may); then records an audit event
``move`` (entity ``team``: the target team) in the target team and syncs again, so this laptop
holds the dossier under its new team. The old team's laptops remove it on their next sync, the
new team's receive it. Which teams the user leads is what the server said at the last contact
(`sync_teams.known_teams`); the server checks again. Every refusal is a `MoveError` with a
French message (a `ValidationError`: the UI shows it as is); nothing changes on a refusal.
The whole move holds the store's exchange lock (`sync_lock`): a sync of the sync panel under way
is waited for, and one asked meanwhile waits for the move (another process syncing the store:
`MoveRefused`). Thread: any, blocking (store and network): the UI runs it on the parallel lane.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy.orm import Session, sessionmaker

from mediadesk.i18n import _
from mediadesk.services.errors import (
    DeviceRevoked,
    NetworkError,
    NotFound,
    ProtocolError,
    SyncError,
    ValidationError,
)
from mediadesk.services.sync import ClientFactory, SyncService, sync_service
from mediadesk.services.sync_teams import known_teams
from mediadesk.services.team_roles import leadership, led_teams
from mediadesk.store.base import utcnow
from mediadesk.store.models import AuditEvent, Household
from mediadesk.sync.protocol import TeamInfo

if TYPE_CHECKING:
    from mediadesk.services.workspace import Workspace

log = logging.getLogger(__name__)

MOVE_ACTION = "move"
MOVE_STEPS = 3  # progress: pending changes sent, moved on the server, received here

Progress = Callable[[int, int], None]
_T = TypeVar("_T")


class MoveError(ValidationError):
    """The dossier was not moved; ``message`` says why, in French."""

    def __init__(self, message: str) -> None:
        super().__init__("team", message)


class MoveDenied(MoveError):
    """The user does not lead the dossier's team (or is no team lead at all)."""

    def __init__(self) -> None:
        super().__init__(_("Seul un responsable de l'équipe du dossier peut le confier à une "
                           "autre équipe."))


class NotLeadOfTarget(MoveError):
    """The user does not lead the chosen team (as far as this laptop knows)."""

    def __init__(self) -> None:
        super().__init__(_("Vous n'êtes pas responsable de cette équipe : seul un responsable "
                           "des deux équipes peut y déplacer le dossier."))


class NoOtherTeam(MoveError):
    """The user leads no team besides the dossier's."""

    def __init__(self) -> None:
        super().__init__(_("Vous n'êtes responsable d'aucune autre équipe : ce dossier ne peut "
                           "changer d'équipe que par un responsable des deux équipes."))


class MoveNeedsEnrolment(MoveError):
    def __init__(self) -> None:
        super().__init__(_("Ce poste n'est pas inscrit au serveur de synchronisation : un "
                           "dossier ne peut changer d'équipe qu'en passant par le serveur."))


class MoveOffline(MoveError):
    """The server could not be reached: nothing was moved."""

    def __init__(self) -> None:
        super().__init__(_("Le serveur de synchronisation est injoignable : le dossier n'a pas "
                           "changé d'équipe. Réessayez une fois la connexion rétablie."))


class MoveRefused(MoveError):
    """The server (or the sync before the move) refused; ``reason`` is its French message."""

    def __init__(self, reason: str) -> None:
        super().__init__(_("Le dossier n'a pas changé d'équipe : {reason}").format(
            reason=reason))
        self.reason = reason


@dataclass(frozen=True)
class MoveAccess:
    """Whether the user is a team lead (the action is shown) and the device enrolled (the
    action is possible)."""

    lead: bool
    enrolled: bool


@dataclass(frozen=True)
class TeamChoice:
    id: str  # the team's id, 32 hex digits (as the server names it)
    name: str


@dataclass(frozen=True)
class MoveChoice:
    """What the move dialog shows: the dossier, its team now, the teams it may go to."""

    household_id: uuid.UUID
    household_name: str
    current: TeamChoice
    targets: tuple[TeamChoice, ...]


@dataclass(frozen=True)
class DossierMoved:
    """A done move. ``rows``: rows moved on the server; ``here``: whether this laptop already
    shows the dossier under its new team (False: the sync after the move failed, the next one
    brings it)."""

    household_id: uuid.UUID
    household_name: str
    source: TeamChoice
    target: TeamChoice
    rows: int
    here: bool


class DossierMoveService:
    """``actor``: the user working on this installation; ``sync``: this store's sync (None when
    the device has no identity to sync with)."""

    def __init__(self, sessions: sessionmaker[Session], sync: SyncService | None,
                 actor: uuid.UUID | None) -> None:
        self._sessions = sessions
        self._sync = sync
        self._actor = actor

    def access(self) -> MoveAccess:
        """Whether the action is shown (a lead of some team, `team_roles`) and possible
        (enrolled). Store read."""
        with self._sessions() as session:
            lead = leadership(session.connection(), self._actor).any
        enrolled = self._sync is not None and self._sync.is_enrolled()
        return MoveAccess(lead, enrolled)

    def teams_for_move(self, household_id: uuid.UUID) -> MoveChoice:
        """The dossier, its team and the other teams the user leads. Raises MoveDenied (not a
        lead of its team), NoOtherTeam, NotFound. Store read."""
        with self._sessions() as session:
            household = _household(session, household_id)
            name, scope = household.name, household.scope_id
            teams = known_teams(session.connection())
        current = scope.hex if scope is not None else ""
        led = _led(teams)
        if current not in led:
            raise MoveDenied
        targets = tuple(team for team in led.values() if team.id != current)
        if not targets:
            raise NoOtherTeam
        return MoveChoice(household_id, name, led[current],
                          tuple(sorted(targets, key=lambda t: t.name.casefold())))

    def move(self, household_id: uuid.UUID, to_team: str, *,
             progress: Progress | None = None) -> DossierMoved:
        """Move the dossier to ``to_team`` (32 hex digits) through the server, then sync.
        ``progress(done, MOVE_STEPS)`` after each step. Raises MoveDenied, NotLeadOfTarget,
        MoveNeedsEnrolment, MoveOffline, MoveRefused, NotFound; DeviceRevoked (the store
        is wiped). Waits for an exchange of the store under way. Blocking: parallel lane."""
        choice = self.teams_for_move(household_id)
        target = next((t for t in choice.targets if t.id == to_team), None)
        if target is None:
            raise NotLeadOfTarget
        sync = self._sync
        if sync is None or not sync.is_enrolled():
            raise MoveNeedsEnrolment
        report = progress or (lambda _done, _total: None)
        report(0, MOVE_STEPS)
        with ExitStack() as exclusive:  # no other sync of this store between the steps
            _network(lambda: exclusive.enter_context(sync.exchange.held()))
            _network(sync.sync)  # the dossier's edits waiting here go with it
            report(1, MOVE_STEPS)

            def ask_server() -> int:
                with sync.authenticated() as (client, token):
                    return client.move_dossier(token, household_id.hex, target.id).rows

            rows = _network(ask_server)
            report(2, MOVE_STEPS)
            with self._sessions.begin() as session:
                session.add(AuditEvent(  # in the target team: where the dossier lives now
                    at=utcnow(), action=MOVE_ACTION, entity="team",
                    entity_id=uuid.UUID(hex=target.id), household_id=household_id,
                    scope_id=uuid.UUID(hex=target.id)))
            try:
                sync.sync()
            except DeviceRevoked:
                raise
            except SyncError as error:  # moved all the same: the next sync brings it here
                log.warning("sync after a move failed: %s", type(error).__name__)
        with self._sessions() as session:
            household = session.get(Household, household_id)
            here = household is not None and household.scope_id == uuid.UUID(hex=target.id)
        report(3, MOVE_STEPS)
        return DossierMoved(household_id, choice.household_name, choice.current, target,
                            rows, here)


def _network(call: Callable[[], _T]) -> _T:
    """``call()`` with its sync failures as move errors (a revoked device stays revoked)."""
    try:
        return call()
    except DeviceRevoked:
        raise
    except NetworkError as error:
        raise MoveOffline from error
    except ProtocolError as error:
        raise MoveRefused(_refusal(error)) from error
    except SyncError as error:
        raise MoveRefused(str(error)) from error


def _refusal(error: ProtocolError) -> str:
    """The server's refusal of a move, in the user's language (its own text is French)."""
    if error.status == 403:
        return _("le serveur ne vous reconnaît pas comme responsable des deux équipes.")
    if error.status == 404:
        return _("le serveur ne le connaît pas dans vos équipes.")
    if error.status == 409:
        return _("il appartient déjà à cette équipe.")
    return str(error)


def _led(teams: list[TeamInfo]) -> dict[str, TeamChoice]:
    """The teams the user leads (`team_roles`), by id."""
    return {team.id: TeamChoice(team.id, team.name) for team in led_teams(teams)}


def _household(session: Session, household_id: uuid.UUID) -> Household:
    household = session.get(Household, household_id)
    if household is None or household.deleted_at is not None:
        raise NotFound(str(household_id))
    return household


def dossier_move_service(workspace: Workspace,
                         connect: ClientFactory | None = None) -> DossierMoveService:
    """The move service over an open workspace (``connect``: see `SyncService`)."""
    sync = sync_service(workspace, connect) if workspace.actor.device_id is not None else None
    return DossierMoveService(workspace.opened.sessions, sync, workspace.actor.user_id)
