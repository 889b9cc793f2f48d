"""An anonymisation purges the server's log too (issue 8): no row of the server database keeps a
personal value written before it, and laptops synced before and bootstrapped after converge on
the anonymised dossier. On SQLite and PostgreSQL."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text

from mediadesk.services.retention import retention_service
from mediadesk.store import anonymise
from mediadesk.store.local_settings import set_setting
from mediadesk.store.models import Phone
from mediadesk.sync import ops
from mediadesk.sync.device_store import KEY_HLC
from mediadesk.sync.hlc import Timestamp
from mediadesk.sync.protocol import SyncRequest
from mediadesk.sync.server import db
from tests.services.dossier_builder import PERSONAL, build_full_household
from tests.sync.laptops import Laptop
from tests.sync.server.fixtures import Server, backend, pg_url, serving

__all__ = ["backend", "pg_url"]

# Strings of the builder's personal values found nowhere else.
DISTINCTIVE = (
    "Quennehen",
    "Zoubir",
    "Yasmina",
    "Glycines",
    "Perrichon",
    "Vauclair",
    "Orchidée",
    "Arvalis",
    "Nassim",
    "Glycinergie",
    "99887766",
    "14725836914",
    "611223344",
    "Lilas",
    "Mésanges",
    "699887711",
)


@pytest.fixture
def team_server(backend: str) -> Iterator[Server]:
    with serving(backend) as server:
        server.team("Lyon Est")
        for email, role in (
            ("awa@pimms.test", "team_lead"),
            ("paul@pimms.test", "mediator"),
            ("lina@pimms.test", "mediator"),
        ):
            server.member(email, "Lyon Est", role)
        yield server


def server_text(server: Server) -> str:
    """Every value of every column of every table of the server database, as text."""
    parts: list[str] = []
    with server.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            for row in conn.execute(select(table)):
                parts += [str(value) for value in row if value is not None]
    return "\n".join(parts)


def laptop_text(laptop: Laptop) -> str:
    parts: list[str] = []
    with laptop.workspace.opened.engine.connect() as conn:
        names = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'")).all()
        for (name,) in names:
            for row in conn.execute(text(f'SELECT * FROM "{name}"')):
                parts += [
                    value.decode("utf-8", "ignore") if isinstance(value, bytes) else str(value)
                    for value in row
                    if value is not None
                ]
    return "\n".join(parts)


def test_the_anonymise_action_is_the_one_the_store_logs() -> None:
    assert ops.ANONYMISE_ACTION == anonymise.ANONYMISE_ACTION


def test_an_anonymisation_leaves_no_former_personal_value_on_the_server(
    team_server: Server, tmp_path: Path
) -> None:
    a = Laptop.enrolled(team_server, tmp_path, "awa", "awa@pimms.test")
    b = Laptop.enrolled(team_server, tmp_path, "paul", "paul@pimms.test")
    household = build_full_household(a.workspace)
    a.edit(household.hex, street="3 allée des Lilas")  # superseded values are purged too
    a.edit(household.hex, street=PERSONAL["household.street"])
    a.sync(), b.sync(), a.sync()
    before = server_text(team_server)
    assert all(value in before for value in PERSONAL.values())
    b.edit(household.hex, postal_code="38991")  # a later, non-personal edit survives
    b.sync(), a.sync()
    b.edit(household.hex, street="8 chemin des Mésanges")  # offline, before the anonymisation
    with b.workspace.opened.sessions.begin() as session:  # idem, a new row of the dossier
        session.add(Phone(household_id=household, number="+33699887711"))

    retention_service(a.workspace).anonymise(household, confirmed=True)
    a.sync()

    after = server_text(team_server)
    for word in DISTINCTIVE:
        assert word not in after, word
    report = b.sync()
    assert report.rejected > 1  # its edits came too late: refused, never stored
    assert "Mésanges" not in server_text(team_server)
    assert "699887711" not in server_text(team_server)
    c = Laptop.enrolled(team_server, tmp_path, "lina", "lina@pimms.test")
    c.sync(), a.sync(), b.sync()
    try:
        assert a.dump() == b.dump() == c.dump()
        assert c.value(household.hex, "name") == anonymise.ANONYMISED_NAME
        assert c.value(household.hex, "postal_code") == "38991"
        for laptop in (a, b, c):
            everything = laptop_text(laptop)
            for word in DISTINCTIVE:
                assert word not in everything, (laptop.name, word)
            assert laptop.open_conflicts() == []
    finally:
        for laptop in (a, b, c):
            laptop.close()


def test_an_edit_not_yet_sent_when_the_anonymisation_arrives_is_blanked_too(
    team_server: Server, tmp_path: Path
) -> None:
    a = Laptop.enrolled(team_server, tmp_path, "awa", "awa@pimms.test")
    b = Laptop.enrolled(team_server, tmp_path, "paul", "paul@pimms.test")
    try:
        row = a.new_household("Famille Quennehen", "Vauclair")
        a.sync(), b.sync()
        retention_service(a.workspace).anonymise(uuid.UUID(hex=row), confirmed=True)
        a.sync()
        b.edit(row, street="8 chemin des Mésanges")  # typed while the pull below runs
        client = team_server.client()
        secret = b.service._setting("sync.device_secret")
        assert secret is not None
        token = client.token(b.service.device.device, secret).access_token
        pulled = client.sync(token, SyncRequest(cursors=b.service.device.cursors()))
        for page in pulled.pages:  # applied before the edit was sent
            b.service.device.apply_page(page)

        b.sync(), a.sync()

        assert b.value(row, "street") is None
        for word in ("Mésanges", "Quennehen", "Vauclair"):
            assert word not in server_text(team_server), word
            assert word not in laptop_text(b), word
        assert a.dump() == b.dump()
    finally:
        for laptop in (a, b):
            laptop.close()


def test_an_anonymisation_pulled_in_small_pages_scrubs_the_laptop_too(
    team_server: Server, tmp_path: Path
) -> None:
    a = Laptop.enrolled(team_server, tmp_path, "awa", "awa@pimms.test")
    b = Laptop.enrolled(team_server, tmp_path, "paul", "paul@pimms.test")
    try:
        household = build_full_household(a.workspace)
        a.sync(), b.sync(), a.sync()
        retention_service(a.workspace).anonymise(household, confirmed=True)
        a.sync()

        b.sync(page_size=1)  # every page boundary falls inside the audit event's fields

        assert [word for word in DISTINCTIVE if word in laptop_text(b)] == []
        assert a.dump() == b.dump()
    finally:
        for laptop in (a, b):
            laptop.close()


def test_an_edit_concurrent_with_the_anonymisation_is_blanked_everywhere(
    team_server: Server, tmp_path: Path
) -> None:
    a = Laptop.enrolled(team_server, tmp_path, "awa", "awa@pimms.test")
    b = Laptop.enrolled(team_server, tmp_path, "paul", "paul@pimms.test")
    try:
        row = a.new_household("Famille Quennehen", "Lyon")
        a.sync(), b.sync()
        ahead = Timestamp(int(time.time() * 1000) + 120_000, 0, b.service.device.device)
        with b.workspace.opened.engine.begin() as conn:  # b's clock runs two minutes ahead:
            set_setting(conn, KEY_HLC, ahead.encode())  # its edit is later than the blanking
        b.edit(row, city="Vauclair-sur-Rhône")
        b.sync()
        retention_service(a.workspace).anonymise(uuid.UUID(hex=row), confirmed=True)

        a.sync(), b.sync(), a.sync()

        assert a.value(row, "city") is None and b.value(row, "city") is None
        assert a.dump() == b.dump()
        for word in ("Vauclair", "Quennehen"):
            assert word not in server_text(team_server), word
            assert word not in laptop_text(a) and word not in laptop_text(b), word
        assert a.open_conflicts() == b.open_conflicts() == []
    finally:
        for laptop in (a, b):
            laptop.close()
