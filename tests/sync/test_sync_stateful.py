"""A stateful property test of the whole sync: several laptops (real SQLCipher stores), the real
server code (in process, on SQLite and PostgreSQL), random offline edits, deletes, notes, sync
orders, lost responses, syncs cut mid-way, crashes before sending, skewed clocks.

Afterwards, once everybody has synced: every laptop holds the same data and the same log as the
server, every committed edit is in the final state or in the history (hence in a conflict when
it lost), nothing is duplicated, and an open conflict always has candidates that really differ.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
)
from sqlalchemy import text

from mediadesk.services.sync import SyncCancelled
from mediadesk.store.models import Note, NoteRevision
from mediadesk.sync.protocol import SyncRequest
from mediadesk.sync.server import db
from mediadesk.sync.server.app import create_app
from mediadesk.sync.server.settings import ServerSettings
from tests.sync.laptops import Laptop
from tests.sync.server.fixtures import Clock, Server, _empty_pg, backend, pg_url

__all__ = ["backend", "pg_url"]

LAPTOPS = ("awa", "paul", "lea")
FIELDS = {
    "city": st.sampled_from(["Lyon", "Bron", "Vénissieux", "Givors"]),
    "name": st.sampled_from(["Famille Martin", "Famille Diallo", "Famille Nguyen"]),
    "street": st.sampled_from(["1 rue de la Paix", "8 avenue Jean Jaurès"]),
    "interpreter_needed": st.booleans(),
}


class SyncMachine(RuleBasedStateMachine):
    """Laptops editing one team's dossiers offline and syncing in any order, with faults."""

    db_url: str = ""
    postgres: bool = False

    rows = Bundle("rows")

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="mediadesk-stateful-"))
        url = self.db_url or f"sqlite:///{self.folder / 'server.sqlite3'}"
        clock = Clock()
        config = ServerSettings(db_url=url, now_ms=clock)
        engine = db.make_engine(url, pool_size=3)
        db.init(engine)
        if self.postgres:
            _empty_pg(engine)
        self.server = Server(config, engine, clock, create_app(config))
        self.server.team("Equipe")
        self.laptops: dict[str, Laptop] = {}
        self.committed: list[tuple[str, str, Any]] = []  # (row, field, value)

    @initialize()
    def enrol(self) -> None:
        for name in LAPTOPS:
            email = f"{name}@pimms.test"
            self.server.member(email, "Equipe")
            self.laptops[name] = Laptop.enrolled(self.server, self.folder, name, email)

    def teardown(self) -> None:
        try:
            if len(self.laptops) == len(LAPTOPS):
                self._settle_and_check()
        finally:
            for laptop in self.laptops.values():
                laptop.close()
            for client in self.server.clients:
                client.close()
            self.server.app.state.service.engine.dispose()
            self.server.engine.dispose()

    # -- offline work -------------------------------------------------------------------------
    @rule(target=rows, who=st.sampled_from(LAPTOPS), city=FIELDS["city"])
    def create(self, who: str, city: str) -> str:
        row = self.laptops[who].new_household("Famille Neuve", city)
        self.committed += [(row, "name", "Famille Neuve"), (row, "city", city)]
        return row

    @rule(who=st.sampled_from(LAPTOPS), row=rows, data=st.data())
    def edit(self, who: str, row: str, data: st.DataObject) -> None:
        laptop = self.laptops[who]
        if laptop.value(row, "name") is None:
            return  # this laptop has not received the dossier yet
        field = data.draw(st.sampled_from(sorted(FIELDS)))
        value = data.draw(FIELDS[field])
        laptop.edit(row, **{field: value})
        self.committed.append((row, field, int(value) if isinstance(value, bool) else value))

    @rule(who=st.sampled_from(LAPTOPS), row=rows, undo=st.booleans())
    def delete_or_restore(self, who: str, row: str, undo: bool) -> None:
        laptop = self.laptops[who]
        if laptop.value(row, "name") is None:
            return
        deleted = laptop.value(row, "deleted_at") is not None
        if undo and deleted:
            laptop.undelete(row)
        elif not undo and not deleted:
            laptop.delete(row)

    @rule(who=st.sampled_from(LAPTOPS), row=rows, body=st.sampled_from(["Appel", "Visite"]))
    def note(self, who: str, row: str, body: str) -> None:
        laptop = self.laptops[who]
        if laptop.value(row, "name") is None:
            return
        with laptop.workspace.opened.sessions.begin() as session:
            note = Note(household_id=uuid.UUID(hex=row), at=datetime.now(UTC))
            session.add(note)
            session.flush()
            session.add(NoteRevision(note_id=note.id, body=body))

    @rule(who=st.sampled_from(LAPTOPS), skew_days=st.sampled_from([-3, 2, 400]))
    def skew_clock(self, who: str, skew_days: int) -> None:
        """The laptop's clock is wrong: its waiting edits carry a shifted wall time."""
        with self.laptops[who].workspace.opened.engine.begin() as conn:
            conn.execute(text("UPDATE sync_outbox SET wall_ms = wall_ms + :d"),
                         {"d": skew_days * 86_400_000})

    # -- syncing, with faults -----------------------------------------------------------------
    @rule(who=st.sampled_from(LAPTOPS), page=st.sampled_from([3, 50, 2000]))
    def sync(self, who: str, page: int) -> None:
        self.laptops[who].sync(page_size=page)

    @rule(who=st.sampled_from(LAPTOPS))
    def lose_the_answer(self, who: str) -> None:
        """The request reaches the server, the answer never comes back."""
        laptop = self.laptops[who]
        device = laptop.service.device
        changesets = device.changesets()
        secret = laptop.service._setting("sync.device_secret")
        assert secret is not None
        client = self.server.client()
        token = client.token(device.device, secret).access_token
        client.sync(token, SyncRequest(changesets=changesets, cursors=device.cursors()))

    @rule(who=st.sampled_from(LAPTOPS), after=st.integers(1, 3))
    def cut_mid_way(self, who: str, after: int) -> None:
        calls = 0

        def cut() -> bool:
            nonlocal calls
            calls += 1
            return calls > after

        with contextlib.suppress(SyncCancelled):
            self.laptops[who].sync(page_size=4, cancelled=cut)

    @rule(who=st.sampled_from(LAPTOPS))
    def crash_before_sending(self, who: str) -> None:
        """Edits frozen into a changeset, then the laptop dies before the request leaves."""
        laptop = self.laptops[who]
        laptop.service.device.changesets()
        laptop.close()
        self.laptops[who] = Laptop.open(self.server, laptop.path, who)

    @invariant()
    def waiting_changesets_are_numbered_without_gaps(self) -> None:
        for laptop in self.laptops.values():
            with laptop.workspace.opened.engine.connect() as conn:
                seqs = [r[0] for r in conn.execute(text(
                    "SELECT client_seq FROM sync_changeset ORDER BY client_seq"))]
            assert seqs == list(range(seqs[0], seqs[0] + len(seqs))) if seqs else True

    # -- the end ------------------------------------------------------------------------------
    def _settle_and_check(self) -> None:
        for _round in range(3):
            for laptop in self.laptops.values():
                laptop.sync()
        laptops = list(self.laptops.values())
        first = laptops[0]
        for other in laptops[1:]:
            assert other.dump() == first.dump(), f"{other.name} differs from {first.name}"
            assert other.open_conflicts() == first.open_conflicts()
        with self.server.engine.connect() as conn:
            server_ops = {str(r[0]) for r in conn.execute(text("SELECT op_id FROM op"))}
            total = conn.execute(text("SELECT count(*) FROM op")).scalar_one()
        assert total == len(server_ops), "an op was stored twice"
        for laptop in laptops:
            assert laptop.service.pending() == 0
            with laptop.workspace.opened.engine.connect() as conn:
                pulled = {str(r[0]) for r in conn.execute(text(
                    "SELECT op_id FROM sync_history WHERE seq IS NOT NULL"))}
                history = {(str(r[0]), str(r[1]), str(r[2])) for r in conn.execute(text(
                    "SELECT row_id, field, value FROM sync_history"))}
            assert pulled == server_ops, f"{laptop.name}'s log differs from the server's"
            for row, field, value in self.committed:
                encoded = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
                assert (row, field, encoded) in history, (row, field, value)
            for _row, field, detail in laptop.open_conflicts():
                candidates = json.loads(detail)["candidates"]
                if field != "_row":
                    values = {json.dumps(c["value"], sort_keys=True) for c in candidates}
                    assert len(values) >= 2, detail


def _run(machine: type[SyncMachine], examples: int) -> None:
    runner = machine.TestCase
    phases = [Phase.explicit, Phase.reuse, Phase.generate]
    if os.environ.get("MEDIADESK_STATEFUL_SHRINK", "1") == "1":
        phases.append(Phase.shrink)
    runner.settings = settings(max_examples=examples, stateful_step_count=20, deadline=None,
                               suppress_health_check=list(HealthCheck), phases=phases)
    runner().runTest()


@pytest.mark.slow
def test_sync_converges_whatever_happens_on_sqlite() -> None:
    _run(SyncMachine, examples=int(os.environ.get("MEDIADESK_STATEFUL_EXAMPLES", "12")))


@pytest.mark.slow
def test_sync_converges_whatever_happens_on_postgresql(pg_url: str) -> None:
    class OnPostgres(SyncMachine):
        db_url = pg_url
        postgres = True

    _run(OnPostgres, examples=5)
