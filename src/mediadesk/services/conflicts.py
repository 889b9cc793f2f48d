"""Reviewing sync conflicts, the rejected-changes inbox and the per-dossier sync badges.

Conflicts are derived by the merge on every device (`sync.device`) and stored in
``sync_conflict``; this service shows them to people and closes them. A resolution is an
ordinary local edit, captured by the triggers and synced like any other, whose base is the
conflicting version: once the server has it, every device (this one included) derives the
conflict as resolved. Until then the edit waiting here already hides the conflict from the
review (see `conflict_queries` for the exact rules).

- pick a candidate: its value is written to the field (or, for a record deleted on one device
  while edited on another: picking the deletion confirms it, picking an edit restores it);
- keep both (text fields): the chosen text stays in the field, every other text is copied into
  a new note of the dossier, in the same transaction;
- restore: the deleted record comes back with the edits (an undelete, op ``_row``);
- bulk (team leads only, like the team's whole queue): one rule for many conflicts;
- a dossier deleted elsewhere while the user edited it (`conflict_deleted`: their own edits
  only, of their teams): listed for them whatever their role, restored or the deletion accepted.

The team queue and bulk resolution are for the leads of the conflicts' teams (`team_roles`):
the queue shows only the conflicts counting in a team the user leads (`conflict_queries`), and
a bulk resolution touching another team's is refused whole. Every user reviews and resolves the
conflicts of a dossier they open, one by one.

A value equal to the one already in the field still needs an op to close the conflict; the
capture triggers only see changes, so that op is written here by `capture.record_set` (and a
confirmed delete by `capture.record_delete`), with the triggers' own SQL. Thread: any, one
call at a time per thread; writes on the UI's writer lane.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Table, text
from sqlalchemy.orm import Session, sessionmaker

from mediadesk.i18n import _
from mediadesk.services import conflict_deleted as deleted
from mediadesk.services import conflict_inbox as inbox
from mediadesk.services import conflict_queries as queries
from mediadesk.services.conflict_display import conflict_view, keep_both_note
from mediadesk.services.conflict_errors import ConflictAccessDenied as ConflictAccessDenied
from mediadesk.services.conflict_errors import ConflictGone as ConflictGone
from mediadesk.services.conflict_errors import ConflictOutsideTeams as ConflictOutsideTeams
from mediadesk.services.conflict_views import (
    BulkRule,
    ConflictKind,
    ConflictView,
    DeletedElsewhere,
    RejectedChange,
    Resolution,
    SyncBadge,
)
from mediadesk.services.device_names import device_names
from mediadesk.services.errors import ValidationError
from mediadesk.services.field_labels import USER_FIELDS
from mediadesk.services.team_roles import Leadership, leadership, leads_dossier
from mediadesk.store import capture, search
from mediadesk.store.audit import UPDATE, record
from mediadesk.store.models import Note, NoteRevision
from mediadesk.store.stamping import Actor
from mediadesk.sync.ops import ROW_FIELD

if TYPE_CHECKING:
    from mediadesk.services.workspace import Workspace

Clock = Callable[[], datetime]
_REINDEXED = frozenset({"household", "person", "phone", "energy_contract"})


class ConflictService:
    """Conflicts, refused changes and badges of one open store, acting as ``actor``."""

    def __init__(self, sessions: sessionmaker[Session], actor: Actor,
                 clock: Clock = lambda: datetime.now(UTC)) -> None:
        self._sessions = sessions
        self._actor = actor
        self._clock = clock
        self._tables = {t.name: t for t in capture.synced_tables()}
        self._device = actor.device_id.hex if actor.device_id else ""

    # -- roles ------------------------------------------------------------------------------
    def may_review_team(self, household_id: uuid.UUID | None = None) -> bool:
        """Whether the current user may see the team queue and resolve in bulk: a lead of at
        least one team, or with ``household_id``, a lead of that dossier's team."""
        with self._sessions() as session:
            conn = session.connection()
            if household_id is not None:
                return leads_dossier(conn, self._actor.user_id, household_id)
            return leadership(conn, self._actor.user_id).any

    def _lead_of_some_team(self, conn: Connection) -> Leadership:
        """The current user's leadership; raises ConflictAccessDenied if they lead no team."""
        led = leadership(conn, self._actor.user_id)
        if not led.any:
            raise ConflictAccessDenied
        return led

    def _led_only(self, conn: Connection, led: Leadership,
                  stored: Sequence[queries.StoredConflict]) -> list[queries.StoredConflict]:
        """The conflicts counting in a team ``led`` leads (see `conflict_queries`); those of
        no dossier and no team name nobody's data and count for any lead."""
        if led.everywhere:
            return list(stored)
        teams = queries.teams_of(conn, stored, self._tables)
        return [c for c in stored if led.leads(teams[c.id])
                or (teams[c.id] is None and c.household_id is None)]

    # -- reading ----------------------------------------------------------------------------
    def open_conflicts(self, household_id: uuid.UUID | None = None) -> list[ConflictView]:
        """The open conflicts of one dossier, or the team queue (``None``: team leads only,
        raises ConflictAccessDenied otherwise): those of the teams the user leads, by
        dossier."""
        with self._sessions() as session:
            conn = session.connection()
            if household_id is not None:
                return self._views(conn, queries.open_conflicts(conn, household_id.hex))
            led = self._lead_of_some_team(conn)
            return self._views(conn, self._led_only(conn, led, queries.open_conflicts(conn)))

    def _views(self, conn: Connection, stored: Sequence[queries.StoredConflict]
               ) -> list[ConflictView]:
        authors: set[str] = set()
        edits: list[str] = []
        for conflict in stored:
            named = conflict.field in USER_FIELDS  # a colleague's id: shown by name
            if named and isinstance(conflict.detail.get("base"), str):
                authors.add(conflict.detail["base"])
            for candidate in conflict.detail.get("candidates", []):
                authors.add(str(candidate.get("author") or ""))
                if named and isinstance(candidate.get("value"), str):
                    authors.add(candidate["value"])
                if conflict.field == ROW_FIELD:
                    edits.append(str(candidate.get("op")))
        names = queries.household_names(conn, (c.household_id for c in stored if c.household_id))
        users = queries.user_names(conn, authors)
        fields = queries.op_fields(conn, edits) if edits else {}
        devices = device_names(conn)
        return [conflict_view(c, self._tables.get(c.entity), names, users, fields, self._device,
                              devices) for c in stored]

    def deleted_while_editing(self) -> list[DeletedElsewhere]:
        """The dossiers deleted on another device while the current user (or this device)
        edited them, newest deletion first: only their own edits, of their teams, any role
        (`conflict_deleted`). Each is resolved by `restore_deleted` or `accept_deletion`."""
        user = self._user_hex()
        with self._sessions() as session:
            conn = session.connection()
            stored = deleted.own_conflicts(conn, user, self._device)
            views = self._views(conn, stored)
        entries = [deleted.entry(v, c, user, self._device)
                   for v, c in zip(views, stored, strict=True)]
        return sorted(entries, key=lambda e: e.deleted_at, reverse=True)

    def dossier_badges(self, household_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, SyncBadge]:
        """Each dossier's badge, in three statements whatever their number. Empty when this
        laptop never synced (not enrolled, demo store): every dossier is local, no badge."""
        wanted = {h.hex: h for h in household_ids}
        if not wanted:
            return {}
        with self._sessions() as session:
            conn = session.connection()
            if not queries.has_synced(conn):
                return {}
            local = queries.local_only(conn, list(wanted))
            pending, conflicted = queries.pending_and_conflicted(conn)
        result: dict[uuid.UUID, SyncBadge] = {}
        for key, household in wanted.items():
            if key in conflicted:
                result[household] = SyncBadge.CONFLICT
            elif key in local:
                result[household] = SyncBadge.LOCAL_ONLY
            elif key in pending:
                result[household] = SyncBadge.PENDING
            else:
                result[household] = SyncBadge.SYNCED
        return result

    # -- resolving --------------------------------------------------------------------------
    def resolve_pick(self, conflict_id: str, candidate_index: int) -> Resolution:
        """Keep the candidate ``candidate_index`` (see `CandidateView.index`). Raises
        ConflictGone, ValidationError (no such candidate)."""
        with self._sessions.begin() as session:
            view, stored = self._load(session, conflict_id)
            self._pick(session, view, stored, candidate_index)
            return _resolution([stored])

    def resolve_keep_both(self, conflict_id: str, keep_index: int | None = None) -> Resolution:
        """Text conflicts: the text of ``keep_index`` (default: the one shown now) stays in the
        field; every other text is copied into a new note of the dossier. Raises ConflictGone,
        ValidationError (not a text conflict, or a record of no dossier)."""
        with self._sessions.begin() as session:
            view, stored = self._load(session, conflict_id)
            if view.kind is not ConflictKind.TEXT or stored.household_id is None:
                raise ValidationError("conflict", _(
                    "« Garder les deux » ne vaut que pour un texte d'un dossier : choisissez "
                    "une des valeurs."))
            keep = keep_index if keep_index is not None else _shown_index(view)
            raw = stored.detail.get("candidates", [])
            if not 0 <= keep < len(raw):
                raise ValidationError("candidate", _("Cette valeur n'existe plus."))
            kept_text = raw[keep].get("value")
            others = [(view.candidates[i], raw[i].get("value")) for i in range(len(raw))
                      if i != keep and raw[i].get("value") not in (None, "", kept_text)]
            self._pick(session, view, stored, keep)
            note_id: uuid.UUID | None = None
            if others:
                household = uuid.UUID(hex=stored.household_id)
                note = Note(household_id=household, at=self._clock())
                session.add(note)
                session.flush()
                session.add(NoteRevision(note_id=note.id, body=keep_both_note(view, others)))
                session.flush()
                note_id = note.id
            return _resolution([stored], note_id)

    def restore_deleted(self, conflict_id: str) -> Resolution:
        """A record deleted on one device while edited on another comes back, with the edits
        (an undelete, synced as the ``_row`` op). Raises ConflictGone, ValidationError."""
        with self._sessions.begin() as session:
            view, stored = self._load(session, conflict_id)
            if view.kind is not ConflictKind.DELETED:
                raise ValidationError("conflict", _("Rien n'a été supprimé dans ce conflit."))
            self._undelete(session, stored)
            return _resolution([stored])

    def accept_deletion(self, conflict_id: str) -> Resolution:
        """A record deleted on one device while edited on another stays deleted: the deletion
        is confirmed (the latest one), the edits stay in the history. Raises ConflictGone,
        ValidationError (nothing deleted in this conflict)."""
        with self._sessions.begin() as session:
            view, stored = self._load(session, conflict_id)
            deletions = [c for c in view.candidates if c.deletes]
            if view.kind is not ConflictKind.DELETED or not deletions:
                raise ValidationError("conflict", _("Rien n'a été supprimé dans ce conflit."))
            self._pick(session, view, stored, max(deletions, key=lambda c: (c.at, c.index)).index)
            return _resolution([stored])

    def resolve_bulk(self, conflict_ids: Sequence[str], rule: BulkRule) -> Resolution:
        """Team leads: resolve every conflict of ``conflict_ids`` still open by ``rule``, in one
        transaction (those resolved meanwhile are skipped). Raises ConflictAccessDenied (no
        team lead), ConflictOutsideTeams (some of a team they do not lead: nothing changes)."""
        with self._sessions.begin() as session:
            conn = session.connection()
            led = self._lead_of_some_team(conn)
            stored = queries.open_conflicts(conn, ids=conflict_ids)
            if len(self._led_only(conn, led, stored)) != len(stored):
                raise ConflictOutsideTeams
            views = self._views(conn, stored)
            for view, conflict in zip(views, stored, strict=True):
                if rule is BulkRule.LATEST:
                    index = view.latest.index
                elif view.kind is ConflictKind.DELETED:
                    self._undelete(session, conflict)
                    continue
                else:
                    index = _shown_index(view)
                self._pick(session, view, conflict, index)
            return _resolution(stored)

    def _load(self, session: Session, conflict_id: str
              ) -> tuple[ConflictView, queries.StoredConflict]:
        conn = session.connection()
        stored = queries.open_conflicts(conn, ids=[conflict_id])
        if not stored:
            raise ConflictGone
        return self._views(conn, stored)[0], stored[0]

    def _pick(self, session: Session, view: ConflictView, stored: queries.StoredConflict,
              index: int) -> None:
        raw = stored.detail.get("candidates", [])
        if not 0 <= index < len(raw):
            raise ValidationError("candidate", _("Cette valeur n'existe plus."))
        if stored.field == ROW_FIELD:
            if view.candidates[index].deletes:
                self._confirm_delete(session, stored)
            else:
                self._undelete(session, stored)
            return
        self._write(session, stored, raw[index].get("value"))

    # -- the edits (captured by the triggers, or written as the trigger would) --------------
    def _table(self, stored: queries.StoredConflict) -> Table:
        table = self._tables.get(stored.entity)
        if table is None:
            raise ConflictGone
        return table

    def _write(self, session: Session, stored: queries.StoredConflict, value: Any) -> None:
        table = self._table(stored)
        column = table.c[stored.field]
        conn = session.connection()
        wanted = None if value is None else (
            json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            if capture.is_json(column) else value)
        current = conn.execute(text(f'SELECT "{column.name}" FROM "{table.name}" WHERE id = :i'),
                               {"i": stored.row_id}).first()
        if current is None:
            raise ConflictGone
        same = (json.loads(current[0]) if capture.is_json(column) and current[0] is not None
                else current[0]) == value
        if same:  # the trigger sees no change: write the op it would write
            capture.record_set(conn, table, stored.row_id, column.name, wall_ms=self._now_ms(),
                               author=self._user_hex())
        else:
            conn.execute(text(
                f'UPDATE "{table.name}" SET "{column.name}" = :v, {self._stamp_sql()} '
                f"WHERE id = :i"), {"v": wanted, "i": stored.row_id, **self._stamp()})
        self._after_edit(session, stored)

    def _undelete(self, session: Session, stored: queries.StoredConflict) -> None:
        table = self._table(stored)
        conn = session.connection()
        changed: Any = conn.execute(text(
            f'UPDATE "{table.name}" SET deleted_at = NULL, deleted_by = NULL, '
            f"{self._stamp_sql()} WHERE id = :i AND deleted_at IS NOT NULL"),
            {"i": stored.row_id, **self._stamp()})
        if not changed.rowcount:
            raise ConflictGone
        self._after_edit(session, stored)

    def _confirm_delete(self, session: Session, stored: queries.StoredConflict) -> None:
        """A delete that has seen every edit (what the delete trigger writes): the record stays
        deleted and the conflict closes everywhere."""
        capture.record_delete(session.connection(), self._table(stored), stored.row_id,
                              wall_ms=self._now_ms(), author=self._user_hex())
        self._after_edit(session, stored)

    def _after_edit(self, session: Session, stored: queries.StoredConflict) -> None:
        household = uuid.UUID(hex=stored.household_id) if stored.household_id else None
        if household is not None:
            record(session, UPDATE, household_id=household, entity=stored.entity,
                   entity_id=uuid.UUID(hex=stored.row_id))
            if stored.entity in _REINDEXED:
                search.reindex(session.connection(), [household])

    def _stamp_sql(self) -> str:
        return ("updated_at = :stamp_at, updated_by = :stamp_by, updated_on_device = :stamp_on, "
                "version = version + 1")

    def _stamp(self) -> dict[str, Any]:
        moment = self._clock().astimezone(UTC).replace(tzinfo=None)
        return {"stamp_at": moment.isoformat(sep=" ", timespec="microseconds"),
                "stamp_by": self._user_hex(), "stamp_on": self._device or None}

    def _user_hex(self) -> str | None:
        return self._actor.user_id.hex if self._actor.user_id else None

    def _now_ms(self) -> int:
        return int(self._clock().timestamp() * 1000)

    # -- refused changes (services/conflict_inbox.py) ---------------------------------------
    def rejected_changes(self, *, include_dismissed: bool = False) -> list[RejectedChange]:
        """The changes the server refused, newest first, one entry per record and push, with
        a readable French reason. Dismissed ones are kept and listed on request."""
        with self._sessions() as session:
            return inbox.rejected_changes(session, include_dismissed=include_dismissed)

    def dismiss_rejected(self, rejected_id: int) -> None:
        """Mark a refused change (an entry of `rejected_changes`) as read: it leaves the inbox,
        its record stays, with who dismissed it and when. Raises ValidationError when unknown."""
        with self._sessions.begin() as session:
            inbox.dismiss(session, rejected_id, self._now_ms(), self._user_hex())


def _shown_index(view: ConflictView) -> int:
    """The candidate shown now; for a held value (nothing shown yet), the latest."""
    shown = [c.index for c in view.candidates if c.shown]
    return shown[-1] if shown else view.latest.index


def _resolution(stored: Sequence[queries.StoredConflict],
                note_id: uuid.UUID | None = None) -> Resolution:
    households = tuple(dict.fromkeys(uuid.UUID(hex=c.household_id) for c in stored
                                     if c.household_id))
    return Resolution(tuple(c.id for c in stored), households, note_id)


def conflict_service(workspace: Workspace) -> ConflictService:
    """The conflict service of an open workspace, acting as its local identity."""
    return ConflictService(workspace.opened.sessions, workspace.actor)
