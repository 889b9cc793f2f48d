"""The sync exchange: exactly-once push, sequence gaps, scopes, clocks, checksums, pages."""

from __future__ import annotations

import uuid
from functools import reduce

import pytest
from sqlalchemy import func, select

from mediadesk.sync.errors import SequenceGap
from mediadesk.sync.protocol import (
    EMPTY_CHECKSUM,
    Changeset,
    SyncRequest,
    fold_checksum,
    op_id_of,
)
from mediadesk.sync.server import admin, db
from tests.sync.server.fixtures import START_MS, Server, wire


def _op_count(server: Server) -> int:
    with server.engine.begin() as conn:
        return int(conn.execute(select(func.count()).select_from(db.op)).scalar_one())


def _two_teams(server: Server) -> tuple[str, str]:
    nord, sud = server.team("Nord"), server.team("Sud")
    server.member("awa@exemple.fr", "Nord")
    server.member("lucas@exemple.fr", "Sud")
    return nord, sud


def test_a_replayed_changeset_gets_the_same_receipt_and_no_duplicate(server: Server) -> None:
    nord, _ = _two_teams(server)
    device = server.device("awa@exemple.fr")
    changeset = Changeset(client_seq=1, ops=[wire(nord, "a"), wire(nord, "b")])
    first = device.client.sync(device.token, SyncRequest(changesets=[changeset]))
    again = device.client.sync(device.token, SyncRequest(changesets=[changeset, changeset]))
    assert again.receipts == [first.receipts[0], first.receipts[0]]
    assert first.receipts[0].accepted == 2
    assert _op_count(server) == 2
    assert [op.i for op in again.pages[0].ops] == [op_id_of(device.id, 1, i) for i in (0, 1)]


def test_an_answer_names_the_devices_whose_ops_its_pages_hold(server: Server) -> None:
    team = server.team("Nord")
    for email in ("awa@exemple.fr", "paul@exemple.fr"):
        server.member(email, "Nord")
    awa = server.device("awa@exemple.fr", "PC-ACCUEIL-1")
    paul = server.device("paul@exemple.fr", "portable-visites")
    server.device("awa@exemple.fr", "PC-jamais-utilise")  # made no op: not named
    awa.push([wire(team)])
    answer = paul.push([wire(team)])
    assert answer.devices == {awa.id: "PC-ACCUEIL-1", paul.id: "portable-visites"}
    up_to_date = paul.pull({team: answer.pages[0].cursor})
    assert up_to_date.devices == {}  # an idle sync carries no names
    only_paul = awa.pull({team: answer.pages[0].cursor - 1})
    assert only_paul.devices == {paul.id: "portable-visites"}


def test_a_skipped_client_seq_is_refused_with_the_expected_one(server: Server) -> None:
    nord, _ = _two_teams(server)
    device = server.device("awa@exemple.fr")
    device.push([wire(nord)])
    gap = SyncRequest(changesets=[Changeset(client_seq=3, ops=[wire(nord)])])
    with pytest.raises(SequenceGap) as refused:
        device.client.sync(device.token, gap)
    assert refused.value.expected == 2
    assert _op_count(server) == 1


def test_writes_outside_the_devices_teams_are_rejected_visibly_and_not_stored(
    server: Server,
) -> None:
    nord, sud = _two_teams(server)
    device = server.device("awa@exemple.fr")
    response = device.push([wire(nord), wire(sud), wire(uuid.uuid4().hex)])
    receipt = response.receipts[0]
    assert receipt.accepted == 1
    assert [(r.index, r.code) for r in receipt.rejected] == [(1, "scope_forbidden"),
                                                            (2, "scope_forbidden")]  # fmt: skip
    assert "n'appartient pas à l'équipe" in receipt.rejected[0].message
    with server.engine.begin() as conn:
        assert conn.execute(select(db.op.c.team_id)).scalars().all() == [nord]


def test_a_device_never_receives_another_teams_rows(server: Server) -> None:
    nord, sud = _two_teams(server)
    awa, lucas = server.device("awa@exemple.fr"), server.device("lucas@exemple.fr")
    lucas.push([wire(sud, "secret du Sud")])
    awa.push([wire(nord, "Nord")])
    pulled = awa.pull(cursors={sud: 0, nord: 0})
    assert [page.scope for page in pulled.pages] == [nord]
    assert [op.v for page in pulled.pages for op in page.ops] == ["Nord"]
    assert [t.id for t in pulled.teams] == [nord]


def test_losing_a_team_removes_it_from_teams_and_pages(server: Server) -> None:
    nord, sud = _two_teams(server)
    server.member("awa@exemple.fr", "Sud")
    awa = server.device("awa@exemple.fr")
    awa.push([wire(sud)])
    assert {t.id for t in awa.pull().teams} == {nord, sud}
    admin.remove_member(server.engine, "awa@exemple.fr", "Sud")
    after = awa.push([wire(sud)])
    assert [t.id for t in after.teams] == [nord]
    assert [p.scope for p in after.pages] == [nord]
    assert after.receipts[0].rejected[0].code == "scope_forbidden"


def test_clocks_far_in_the_future_are_clamped_never_refused(server: Server) -> None:
    nord, _ = _two_teams(server)
    device = server.device("awa@exemple.fr")
    horizon = server.settings.hlc_horizon_ms
    near = f"{START_MS + horizon - 1:015d}:000003:ab"
    response = device.push([wire(nord, t="999999999999999:000007:ab"), wire(nord, t=near)])
    far_op, near_op = response.pages[0].ops
    assert far_op.t == f"{START_MS + horizon:015d}:000007:ab"
    assert near_op.t == near


def test_the_checksum_is_the_fold_of_the_op_ids_at_every_page_end(server: Server) -> None:
    nord, _ = _two_teams(server)
    device = server.device("awa@exemple.fr")
    for _ in range(3):
        device.push([wire(nord) for _ in range(4)])
    cursor, seen = 0, []
    while True:
        page = device.pull({nord: cursor}, page_size=5).pages[0]
        seen += [op.i for op in page.ops]
        assert page.checksum == reduce(fold_checksum, seen, EMPTY_CHECKSUM)
        cursor = page.cursor
        if not page.more:
            break
    assert len(seen) == 12 and cursor == 12
    assert device.pull({nord: 7}).pages[0].checksum != EMPTY_CHECKSUM
    assert device.pull({nord: 0}, page_size=1).pages[0].checksum == fold_checksum(
        EMPTY_CHECKSUM, seen[0]
    )


def test_pages_share_the_page_size_across_teams_and_say_more(server: Server) -> None:
    nord, sud = _two_teams(server)
    server.member("awa@exemple.fr", "Sud")
    awa = server.device("awa@exemple.fr")
    awa.push([wire(nord) for _ in range(3)] + [wire(sud) for _ in range(3)])
    first = awa.pull(page_size=4)
    by_team = {page.scope: page for page in first.pages}
    assert sum(len(p.ops) for p in first.pages) == 4
    assert all(p.head == 3 for p in first.pages)
    assert any(p.more for p in first.pages)
    cursors = {p.scope: p.cursor for p in first.pages}
    second = awa.pull(cursors, page_size=4)
    assert sum(len(p.ops) for p in second.pages) == 2
    assert not any(p.more for p in second.pages)
    seqs = {p.scope: [op.q for op in by_team[p.scope].ops] + [op.q for op in p.ops]
            for p in second.pages}  # fmt: skip
    assert seqs == {nord: [1, 2, 3], sud: [1, 2, 3]}


def test_an_idle_sync_answers_empty_pages_at_the_cursor(server: Server) -> None:
    nord, _ = _two_teams(server)
    awa = server.device("awa@exemple.fr")
    awa.push([wire(nord)])
    idle = awa.pull({nord: 1}).pages[0]
    assert (idle.ops, idle.cursor, idle.head, idle.more) == ([], 1, 1, False)


def test_values_and_kinds_round_trip(server: Server) -> None:
    nord, _ = _two_teams(server)
    awa = server.device("awa@exemple.fr")
    value = {"seen": {"name": 2, "city": 1}, "liste": [1, "é", None, True]}
    pulled = awa.push([wire(nord, value)]).pages[0].ops[0]
    assert (pulled.v, pulled.k, pulled.d, pulled.q) == (value, "set", awa.id, 1)
