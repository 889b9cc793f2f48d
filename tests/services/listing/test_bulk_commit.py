"""The commit writes with Core bulk inserts (store/bulk.py): its rows must be stamped, audited
and indexed exactly as the ORM path would have done it."""

from __future__ import annotations

import uuid
from typing import Any, cast

from sqlalchemy import Table, select, text

from mediadesk.services.listing import listing_service
from mediadesk.services.workspace import Workspace
from mediadesk.store import search
from mediadesk.store.bulk import BulkInserter, new_ids
from mediadesk.store.models import (
    AuditEvent,
    Debt,
    EnergyContract,
    Household,
    Person,
    Phone,
    ReferralEntry,
)
from tests.services.listing.files import csv_bytes, people

WRITTEN = (Household, Person, Phone, EnergyContract, Debt, ReferralEntry)


def _import(workspace: Workspace, count: int = 12) -> tuple[uuid.UUID, ...]:
    service = listing_service(workspace)
    result = service.commit(service.preview(csv_bytes(people(count))))
    assert result.created == count
    return result.household_ids


def _rows(workspace: Workspace, model: Any) -> list[Any]:
    with workspace.opened.engine.connect() as conn:
        return list(conn.execute(select(cast(Table, model.__table__))).all())


def test_every_imported_row_is_stamped_with_the_actor_and_version_1(
        workspace: Workspace) -> None:
    _import(workspace)
    actor = workspace.actor
    for model in WRITTEN:
        rows = _rows(workspace, model)
        assert rows, model.__tablename__
        for row in rows:
            assert (row.scope_id, row.created_by, row.created_on_device) == (
                actor.team_id, actor.user_id, actor.device_id), model.__tablename__
            assert (row.updated_by, row.updated_on_device) == (actor.user_id, actor.device_id)
            assert row.version == 1 and row.deleted_at is None and row.deleted_by is None
            assert row.created_at is not None and row.updated_at == row.created_at
            assert row.id.version == 7


def test_every_imported_dossier_row_has_its_create_audit_event(workspace: Workspace) -> None:
    household_ids = _import(workspace)
    actor = workspace.actor
    events = _rows(workspace, AuditEvent)
    by_entity = {(e.entity, e.entity_id): e for e in events if e.action == "create"}
    expected = 0
    for model in WRITTEN:
        for row in _rows(workspace, model):
            owner = row.id if model is Household else row.household_id
            if owner not in household_ids:
                continue
            event = by_entity[(model.__tablename__, row.id)]
            assert event.household_id == owner
            expected += 1
    created = [e for e in events if e.action == "create" and e.household_id in household_ids]
    assert len(created) == expected  # one event per row, none more
    for event in created:
        assert (event.user_id, event.device_id) == (actor.user_id, actor.device_id)
        assert (event.scope_id, event.created_by, event.version) == (
            actor.team_id, actor.user_id, 1)


def test_the_bulk_search_documents_are_what_a_reindex_writes(workspace: Workspace) -> None:
    household_ids = _import(workspace)
    first = people(12)[0]
    assert workspace.dossiers.find_households(f"{first[0]} {first[1]}")
    assert workspace.dossiers.find_households(first[2])  # the customer reference

    def documents() -> dict[int, str]:
        with workspace.opened.engine.connect() as conn:
            return dict(conn.execute(text(f"SELECT rowid, doc FROM {search.FTS_TABLE}")).all())

    bulk = documents()
    assert len(bulk) == len(household_ids)
    with workspace.opened.engine.begin() as conn:
        search.reindex(conn, household_ids)
    reindexed = documents()
    assert sorted(reindexed.values()) == sorted(bulk.values())


def test_bulk_rows_take_the_same_defaults_as_orm_rows(workspace: Workspace) -> None:
    with workspace.opened.sessions.begin() as session:
        session.add(Household(name="Par l'ORM", city="Melun"))
    with workspace.opened.engine.begin() as conn:
        BulkInserter(conn, workspace.actor).insert(Household, [{"name": "En bloc",
                                                                "city": "Melun"}])
    rows = {row.name: row._asdict() for row in _rows(workspace, Household)}
    varying = {"id", "name", "created_at", "updated_at", "search_rowid"}
    orm = {k: v for k, v in rows["Par l'ORM"].items() if k not in varying}
    bulk = {k: v for k, v in rows["En bloc"].items() if k not in varying}
    assert bulk == orm
    assert bulk["status"] is not None and bulk["vulnerability_flags"] == []


def test_ids_made_in_blocks_are_distinct_increasing_uuid7() -> None:
    ids = new_ids(5000)
    assert len(set(ids)) == 5000
    assert ids == sorted(ids)
    assert all(i.version == 7 and i.variant == uuid.RFC_4122 for i in ids)
    assert new_ids(1)[0] > ids[-1]
