"""An anonymisation at the server: who may trigger the purge, which value it leaves, and an
event whose fields arrive in two changesets. On SQLite and PostgreSQL."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from mediadesk.sync.protocol import MoveRequest, RejectionCode, WireOp
from mediadesk.sync.server import db
from tests.sync.server.fixtures import START_MS, Server


def _op(team: str, row: str, field: str, value: object, *, base: int = 0, ms: int = START_MS,
        entity: str = "household") -> WireOp:  # fmt: skip
    return WireOp.model_validate({
        "e": entity, "r": row, "f": field, "k": "set", "v": value, "b": base,
        "t": f"{ms:015d}:000000:ab", "s": team,
    })  # fmt: skip


def _event(team: str, household: str, *, ms: int = START_MS) -> list[WireOp]:
    event = uuid.uuid4().hex
    return [
        _op(team, event, "action", "anonymise", ms=ms, entity="audit_event"),
        _op(team, event, "household_id", household, ms=ms, entity="audit_event"),
    ]


def _values(server: Server, row: str, field: str = "city") -> list[str]:
    o = db.op
    with server.engine.connect() as conn:
        return sorted(
            conn.execute(select(o.c.value).where(o.c.row_id == row, o.c.field == field)).scalars()
        )


def _purged(server: Server) -> list[str]:
    with server.engine.connect() as conn:
        return sorted(conn.execute(select(db.purged_row.c.row_id)).scalars())


def test_a_device_of_another_team_can_neither_purge_nor_freeze_a_dossier(server: Server) -> None:
    nord, sud = server.team("Nord"), server.team("Sud")
    server.member("intrus@exemple.fr", "Nord", "team_lead")  # a lead, but of another team
    server.member("paul@exemple.fr", "Sud")
    intruder, paul = server.device("intrus@exemple.fr"), server.device("paul@exemple.fr")
    household = uuid.uuid4().hex
    paul.push([_op(sud, household, "city", "Lyon")])
    paul.push([_op(sud, household, "city", "Bron", base=1)])

    [refused] = intruder.push(_event(nord, household)).receipts

    assert [r.code for r in refused.rejected] == [RejectionCode.SCOPE_FORBIDDEN] * 2
    assert _values(server, household) == ['"Bron"', '"Lyon"']
    assert _purged(server) == []
    head = paul.pull({sud: 0}).pages[0].head
    givors = _op(sud, household, "city", "Givors", base=2)
    [edit] = paul.push([givors], cursors={sud: head}).receipts
    assert edit.rejected == []  # Sud's own mediator still edits its dossier
    assert intruder.pull({nord: 0}).pages[0].ops == []  # nothing of the event was logged


def test_only_a_lead_of_the_dossiers_team_may_anonymise_it(server: Server) -> None:
    nord = server.team("Nord")
    server.member("awa@exemple.fr", "Nord")  # a mediator (a modified app, say)
    server.member("admin@exemple.fr", "Nord", "admin")  # manages the team, leads no dossier
    server.member("paul@exemple.fr", "Nord", "team_lead")
    awa, admin = server.device("awa@exemple.fr"), server.device("admin@exemple.fr")
    paul = server.device("paul@exemple.fr")
    household = uuid.uuid4().hex
    paul.push([_op(nord, household, "city", "Lyon")])

    for device in (awa, admin):
        [refused] = device.push(_event(nord, household)).receipts
        assert [r.code for r in refused.rejected] == [RejectionCode.ANONYMISE_FORBIDDEN] * 2
        assert "responsable" in refused.rejected[0].message
    assert _values(server, household) == ['"Lyon"'] and _purged(server) == []
    head = paul.pull({nord: 0}).pages[0].head
    [edit] = awa.push([_op(nord, household, "city", "Bron", base=1)], cursors={nord: head}).receipts
    assert edit.rejected == []  # not frozen: the team goes on editing it

    [anonymised] = paul.push(_event(nord, household)).receipts
    assert anonymised.rejected == [] and _purged(server) == [household]


def test_a_team_cannot_anonymise_a_dossier_that_moved_away_from_it(server: Server) -> None:
    nord, sud = server.team("Nord"), server.team("Sud")
    for team in ("Nord", "Sud"):
        server.member("chef@exemple.fr", team, "team_lead")
    server.member("paul@exemple.fr", "Nord", "team_lead")
    chef, paul = server.device("chef@exemple.fr"), server.device("paul@exemple.fr")
    household = uuid.uuid4().hex
    paul.push([_op(nord, household, "city", "Lyon")])
    service = server.app.state.service
    service.move_dossier(service.authenticate(chef.token), MoveRequest(household=household,
                                                                        to_team=sud))  # fmt: skip

    [receipt] = paul.push(_event(nord, household)).receipts

    assert [r.code for r in receipt.rejected] == [RejectionCode.DOSSIER_MOVED] * 2
    assert _values(server, household) == ['"Lyon"', '"Lyon"']  # in both logs, not purged
    assert _purged(server) == []


def test_an_edit_concurrent_with_the_anonymisation_does_not_survive_it(server: Server) -> None:
    nord = server.team("Nord")
    server.member("awa@exemple.fr", "Nord", "team_lead")
    server.member("paul@exemple.fr", "Nord")
    awa, paul = server.device("awa@exemple.fr"), server.device("paul@exemple.fr")
    household = uuid.uuid4().hex
    awa.push([_op(nord, household, "city", "Lyon"), _op(nord, household, "status", "open")])
    head = paul.pull({nord: 0}).pages[0].head
    # Paul moves the family (a later clock) and closes it, and syncs; Awa, who had not pulled
    # it, anonymises the dossier (blanks the city from version 1) and syncs after him.
    later = START_MS + 60_000
    paul.push([_op(nord, household, "city", "Bron", base=1, ms=later),
               _op(nord, household, "status", "closed", base=1, ms=later)],
              cursors={nord: head})  # fmt: skip
    awa.push([_op(nord, household, "city", None, base=1, ms=START_MS + 1_000),
              *_event(nord, household, ms=START_MS + 1_000)], cursors={nord: head})  # fmt: skip

    assert _values(server, household) == ["null", "null", "null"]
    assert _values(server, household, "status") == ['"closed"', '"closed"']  # merge's value
    assert _purged(server) == [household]


def test_an_anonymisation_split_across_two_changesets_still_purges(server: Server) -> None:
    nord = server.team("Nord")
    server.member("awa@exemple.fr", "Nord", "team_lead")
    awa = server.device("awa@exemple.fr")
    household = uuid.uuid4().hex
    awa.push([_op(nord, household, "city", "Lyon")])
    action, household_id = _event(nord, household)
    awa.push([_op(nord, household, "city", None, base=1), action])  # an older client's cut
    assert _values(server, household) == ['"Lyon"', "null"]

    awa.push([household_id])

    assert _values(server, household) == ["null", "null"]
    assert _purged(server) == [household]


def test_an_audit_event_of_another_action_purges_nothing(server: Server) -> None:
    nord = server.team("Nord")
    server.member("awa@exemple.fr", "Nord")
    awa = server.device("awa@exemple.fr")
    household = uuid.uuid4().hex
    awa.push([_op(nord, household, "city", "Lyon")])
    event = uuid.uuid4().hex
    awa.push([_op(nord, event, "action", "archive", entity="audit_event")])

    awa.push([_op(nord, event, "household_id", household, entity="audit_event")])

    assert _values(server, household) == ['"Lyon"']
    assert _purged(server) == []
