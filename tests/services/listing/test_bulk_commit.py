"""The commit writes with Core bulk inserts (store/bulk.py): its rows must be stamped and
indexed exactly as the ORM path would have done it, and audited once per household."""

from __future__ import annotations

import gc
import json
import uuid
from pathlib import Path
from typing import Any, cast

import pytest
import pyzipper
from sqlalchemy import Table, select, text

from mediadesk.domain.enums import Role
from mediadesk.services.audit import audit_service
from mediadesk.services.gdpr import JSON_NAME, gdpr_service
from mediadesk.services.listing import listing_service
from mediadesk.services.workspace import Workspace
from mediadesk.store import search
from mediadesk.store.bulk import BulkInserter, collector_paused, new_ids, page_cache
from mediadesk.store.models import (
    AuditEvent,
    Debt,
    EnergyContract,
    Household,
    Person,
    Phone,
    ReferralEntry,
    ReferralList,
)
from tests.services.listing.files import csv_bytes, people
from tests.services.roles import set_role

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


def test_an_import_logs_one_event_per_household_naming_the_list_and_no_value(
        workspace: Workspace) -> None:
    with workspace.opened.sessions.begin() as session:
        known = Household(name="Famille Connue", city="Melun")
        session.add(known)
        session.flush()
        session.add(EnergyContract(household_id=known.id, supplier="EDF",
                                   customer_ref="CR-7777 0001", meter_point="09999999999999"))
    listed = people(5)
    by_ref = ["AUTRE", "Nom", "CR77770001", "", "", "", "", "", "12,00 €", ""]
    by_meter = ["X", "Y", "", "09 999 999 999 999", "", "", "", "", "", ""]
    service = listing_service(workspace)
    result = service.commit(service.preview(csv_bytes([*listed, by_ref, by_meter])))
    assert (result.created, result.matched) == (5, 2)
    actor = workspace.actor
    events = [e for e in _rows(workspace, AuditEvent) if e.household_id in result.household_ids]
    imported = [e for e in events if e.action == "import"]
    assert sorted(e.household_id for e in imported) == sorted(set(result.household_ids))
    assert known.id in {e.household_id for e in imported}
    for event in imported:
        assert (event.entity, event.entity_id) == ("referral_list", result.list_id)
        assert (event.user_id, event.device_id) == (actor.user_id, actor.device_id)
        assert (event.scope_id, event.created_by, event.version) == (
            actor.team_id, actor.user_id, 1)
        assert event.at is not None
    # Not one event per row written: the bulk rows add no other event.
    assert [e for e in events if e.action != "import"
            and e.household_id != known.id] == []
    flat = " ".join(" ".join(map(str, row)) for row in _rows(workspace, AuditEvent))
    for value in (*listed[0][:5], "CR77770001"):
        assert value not in flat


def test_the_audit_reader_and_the_access_export_show_the_import_of_each_household(
        workspace: Workspace, tmp_path: Path) -> None:
    household_ids = _import(workspace, 3)
    set_role(workspace, Role.TEAM_LEAD)
    for household_id in household_ids:
        events = audit_service(workspace).events(household_id=household_id)
        assert [(e.action, e.entity, e.household_id) for e in events] == [
            ("import", "referral_list", household_id)]
    out = tmp_path / "acces.zip"
    gdpr_service(workspace).export_household(household_ids[1], out, "mot de passe du foyer")
    with pyzipper.AESZipFile(out) as archive:
        archive.setpassword(b"mot de passe du foyer")
        tables = json.loads(archive.read(JSON_NAME))["tables"]
    assert ("import", "referral_list", str(household_ids[1])) in {
        (row["action"], row["entity"], row["household_id"]) for row in tables["audit_event"]}


def test_audit_households_writes_one_event_per_distinct_household(workspace: Workspace) -> None:
    first, second = new_ids(2)
    with workspace.opened.engine.begin() as conn:
        bulk = BulkInserter(conn, workspace.actor)
        bulk.insert(Household, [{"id": first, "name": "Un"}, {"id": second, "name": "Deux"}],
                    audit=False)
        bulk.audit_households("import", "referral_list", None, [first, second, first])
        bulk.audit_households("import", "referral_list", None, [])
    assert sorted(e.household_id for e in _rows(workspace, AuditEvent)) == sorted([first, second])


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


def test_columns_null_in_every_row_or_in_some_rows_are_stored_as_null(
        workspace: Workspace) -> None:
    with workspace.opened.engine.begin() as conn:
        bulk = BulkInserter(conn, workspace.actor)
        bulk.insert(Household, [{"name": "Sans courriel", "email": None, "street": None},
                                {"name": "Aussi", "email": None, "street": None}])
        bulk.insert(Household, [{"name": "Mixte", "email": "mixte@example.org", "street": None},
                                {"name": "Vide", "email": None, "street": "3 rue Haute"}])
    rows = {row.name: row for row in _rows(workspace, Household)}
    assert [(rows[n].email, rows[n].street) for n in ("Sans courriel", "Aussi", "Mixte", "Vide")
            ] == [(None, None), (None, None), ("mixte@example.org", None), (None, "3 rue Haute")]


def test_the_page_cache_is_widened_for_the_block_only(workspace: Workspace) -> None:
    with workspace.opened.engine.connect() as conn:
        before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
        with page_cache(conn, 64):
            assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -64 * 1024
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == before
        with pytest.raises(RuntimeError), page_cache(conn, 64):
            raise RuntimeError("coupure")
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == before


def test_the_cycle_collector_is_paused_for_the_block_only() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # nested: leaves it to the outer block
            pass
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("coupure")
    assert gc.isenabled()


def test_every_imported_row_reaches_the_sync_outbox_once(workspace: Workspace) -> None:
    with workspace.opened.engine.begin() as conn:
        conn.execute(text("DELETE FROM sync_outbox"))
    _import(workspace)
    with workspace.opened.engine.connect() as conn:
        captured = list(conn.execute(text(
            "SELECT entity, row_id FROM sync_outbox WHERE kind = 'insert'")))
    written = [(model.__tablename__, row.id.hex)
               for model in (*WRITTEN, AuditEvent, ReferralList)
               for row in _rows(workspace, model)]
    assert sorted(captured) == sorted(written)
