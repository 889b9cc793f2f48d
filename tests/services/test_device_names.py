"""The names of the team's laptops, as the sync answers give them: kept in the store's local
settings (added to, renamed, never forgotten by an answer that does not name them) and worded
for a person."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, create_engine

from mediadesk.services.device_names import device_label, device_names, remember_device_names
from mediadesk.store.models import LocalSetting

A, B, OWN = "a" * 32, "b" * 32, "c" * 32


@pytest.fixture
def conn() -> Iterator[Connection]:
    engine = create_engine("sqlite://")
    with engine.begin() as connection:
        LocalSetting.__table__.create(connection)
        yield connection
    engine.dispose()


def test_names_from_successive_answers_add_up_and_a_renamed_device_takes_its_new_name(
    conn: Connection,
) -> None:
    assert device_names(conn) == {}
    remember_device_names(conn, {A: "PC-ACCUEIL-1"})
    remember_device_names(conn, {B: "portable-visites"})
    remember_device_names(conn, {})  # an idle sync names nobody: nothing forgotten
    remember_device_names(conn, {A: "PC-ACCUEIL-2"})
    assert device_names(conn) == {A: "PC-ACCUEIL-2", B: "portable-visites"}


def test_a_device_reads_as_this_laptop_its_name_or_its_short_id() -> None:
    names = {A: "PC-ACCUEIL-1", B: "  "}
    assert device_label(OWN, OWN, names) == "ce poste"
    assert device_label(A, OWN, names) == "poste « PC-ACCUEIL-1 »"
    assert device_label(B, OWN, names) == "poste bbbbbb"  # a blank name says nothing
    assert device_label("d" * 32, OWN, names) == "poste dddddd"
