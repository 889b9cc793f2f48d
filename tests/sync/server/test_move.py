"""Moving a dossier between teams, at the server: the logs, the checksums, the refusals."""

from __future__ import annotations

import threading
import uuid
from functools import reduce

import pytest
from sqlalchemy import select, text

from mediadesk.sync.protocol import (
    Changeset,
    MoveRequest,
    Receipt,
    RejectionCode,
    ScopePage,
    WireOp,
    fold_checksum,
)
from mediadesk.sync.server import db, move
from mediadesk.sync.server.errors import ServiceError
from mediadesk.sync.server.log import MOVE_FORBIDDEN
from tests.sync.server.fixtures import START_MS, Device, Server, make_server


def _op(team: str, row: str, field: str, value: object, base: int = 0) -> WireOp:
    return WireOp.model_validate({
        "e": "household", "r": row, "f": field, "k": "set", "v": value, "b": base,
        "t": f"{START_MS:015d}:000000:ab", "s": team,
    })  # fmt: skip


def _agrees(page: ScopePage) -> bool:
    return reduce(fold_checksum, (op.i for op in page.ops), page.floor_checksum) == page.checksum


def test_a_device_cannot_push_a_move(server: Server) -> None:
    team = server.team("Nord")
    server.member("awa@exemple.fr", "Nord")
    device = server.device("awa@exemple.fr")
    move = WireOp.model_validate({
        "e": "household", "r": uuid.uuid4().hex, "f": "_row", "k": "move", "v": {"to": team},
        "b": 0, "t": f"{START_MS:015d}:000000:ab", "s": team,
    })  # fmt: skip
    [receipt] = device.push([move]).receipts
    assert [r.code for r in receipt.rejected] == [MOVE_FORBIDDEN]
    assert device.pull({team: 0}).pages[0].ops == []


def test_a_dossier_moved_there_and_back_keeps_both_logs_consistent(server: Server) -> None:
    nord, sud = server.team("Nord"), server.team("Sud")
    for team in ("Nord", "Sud"):
        server.member("chef@exemple.fr", team, "team_lead")
    device = server.device("chef@exemple.fr")
    row = uuid.uuid4().hex
    device.push([_op(nord, row, "name", "Famille A"), _op(nord, row, "city", "Lyon")])
    device.push([_op(nord, row, "city", "Bron", base=1)])
    service = server.app.state.service
    auth = service.authenticate(device.token)

    there = service.move_dossier(auth, MoveRequest(household=row, to_team=sud))
    device.push([_op(nord, row, "city", "Givors", base=2)])  # made before hearing of it
    back = service.move_dossier(auth, MoveRequest(household=row, to_team=nord))

    assert (there.from_team, there.rows, there.copied) == (nord, 1, 3)  # name, city + base
    assert back.from_team == sud
    pages = {p.scope: p for p in device.pull({nord: 0, sud: 0}).pages}
    assert all(_agrees(page) for page in pages.values())
    south = [(op.f, op.k, op.v) for op in pages[sud].ops]
    assert ("city", "set", "Givors") in south  # the late edit followed the dossier
    assert south[-1] == ("_row", "move", {"to": nord})
    north = [(op.f, op.k, op.v) for op in pages[nord].ops]
    assert north[-1][0] != "_row" and ("city", "set", "Givors") in north


def test_only_a_team_lead_of_both_teams_moves_a_dossier_an_admin_membership_is_not_enough(
    server: Server,
) -> None:
    nord, sud = server.team("Nord"), server.team("Sud")
    for team in ("Nord", "Sud"):  # the admin manages the teams: no dossier powers by that
        server.member("admin@exemple.fr", team, "admin")
    server.member("chef@exemple.fr", "Nord", "team_lead")
    server.member("chef@exemple.fr", "Sud")  # a mediator there
    admin, chef = server.device("admin@exemple.fr"), server.device("chef@exemple.fr")
    household = uuid.uuid4().hex
    admin.push([_op(nord, household, "city", "Lyon")])
    service = server.app.state.service

    for device in (admin, chef):
        with pytest.raises(ServiceError) as refused:
            service.move_dossier(service.authenticate(device.token),
                                 MoveRequest(household=household, to_team=sud))  # fmt: skip
        assert refused.value.status == 403 and "responsable" in refused.value.message

    assert household in _rows_in(admin, nord) and household not in _rows_in(admin, sud)
    server.member("chef@exemple.fr", "Sud", "team_lead")  # made lead of both: now they may
    moved = service.move_dossier(service.authenticate(chef.token),
                                 MoveRequest(household=household, to_team=sud))  # fmt: skip
    assert (moved.from_team, moved.to_team) == (nord, sud)


def _on(team: str, row: str, field: str, value: object, entity: str, base: int = 0) -> WireOp:
    return WireOp.model_validate({
        "e": entity, "r": row, "f": field, "k": "set", "v": value, "b": base,
        "t": f"{START_MS:015d}:000000:ab", "s": team,
    })  # fmt: skip


def _moved_teams(server: Server) -> tuple[str, str, Device, Device, str]:
    nord, sud = server.team("Nord"), server.team("Sud")
    for team in ("Nord", "Sud"):
        server.member("chef@exemple.fr", team, "team_lead")
    server.member("paul@exemple.fr", "Nord")
    chef, paul = server.device("chef@exemple.fr"), server.device("paul@exemple.fr")
    household = uuid.uuid4().hex
    paul.push([_op(nord, household, "city", "Lyon")])
    service = server.app.state.service
    service.move_dossier(service.authenticate(chef.token),
                         MoveRequest(household=household, to_team=sud))  # fmt: skip
    return nord, sud, chef, paul, household


def _rows_in(device: Device, team: str) -> set[str]:
    pages = device.pull({team: 0}).pages
    return {op.r for page in pages if page.scope == team for op in page.ops}


def test_a_note_written_offline_in_a_moved_dossier_is_refused_to_a_device_of_the_old_team(
    server: Server,
) -> None:
    nord, sud, chef, paul, household = _moved_teams(server)
    note = uuid.uuid4().hex  # written by Paul offline, before he heard of the move

    [receipt] = paul.push([_on(nord, note, "household_id", household, "note"),
                           _on(nord, note, "text", "Rappeler lundi", "note")]).receipts  # fmt: skip

    assert [r.code for r in receipt.rejected] == [RejectionCode.DOSSIER_MOVED] * 2
    assert note not in _rows_in(chef, nord) | _rows_in(chef, sud)


def test_a_note_written_offline_in_a_moved_dossier_follows_it_with_its_later_edits(
    server: Server,
) -> None:
    nord, sud, chef, _paul, household = _moved_teams(server)
    note, reminder = uuid.uuid4().hex, uuid.uuid4().hex  # the reminder hangs on the note

    [created] = chef.push([_on(nord, note, "household_id", household, "note"),
                           _on(nord, note, "text", "Rappeler lundi", "note"),
                           _on(nord, reminder, "note_id", note, "reminder")]).receipts  # fmt: skip
    [edited] = chef.push([_on(nord, note, "text", "Rappeler mardi", "note", base=1)]).receipts

    assert created.rejected == edited.rejected == []
    assert {note, reminder} <= _rows_in(chef, sud)
    assert not {note, reminder} & _rows_in(chef, nord)


def test_an_edit_pushed_while_its_dossier_moves_follows_it_on_postgresql(pg_url: str) -> None:
    """The push takes the teams' log locks before reading where rows went: a move committing
    while the push waits is seen, and the edit lands in the team the dossier went to."""
    srv = make_server(pg_url, postgres=True)
    try:
        nord, sud = srv.team("Nord"), srv.team("Sud")
        for team in ("Nord", "Sud"):
            srv.member("chef@exemple.fr", team, "team_lead")
        chef = srv.device("chef@exemple.fr")
        household = uuid.uuid4().hex
        chef.push([_op(nord, household, "city", "Lyon")])
        service = srv.app.state.service
        auth = service.authenticate(chef.token)
        holder = srv.engine.connect()
        moving = holder.begin()
        move.move_dossier(holder, household, nord, sud, device=chef.id, author=None,
                          now_ms=START_MS)  # fmt: skip
        late = Changeset(client_seq=2, ops=[_op(nord, household, "city", "Bron", base=1)])
        done: list[Receipt] = []
        worker = threading.Thread(
            target=lambda: done.append(
                service._push(auth.device_id, frozenset({nord, sud}), late, {}, auth.leads)
            )
        )
        worker.start()
        with srv.engine.connect() as probe:  # until the push waits on a lock of this database
            waiting = 0
            while not waiting and worker.is_alive():
                waiting = probe.execute(text(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND datname = current_database()"
                )).scalar_one()  # fmt: skip
        moving.commit()
        holder.close()
        worker.join(30)

        assert [r.rejected for r in done] == [[]]
        with srv.engine.connect() as conn:
            teams: list[str] = list(conn.execute(select(db.op.c.team_id).where(
                db.op.c.row_id == household, db.op.c.value == '"Bron"')).scalars())  # fmt: skip
        assert teams == [sud]
    finally:
        srv.close()
