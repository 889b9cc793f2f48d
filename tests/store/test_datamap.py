"""The committed data map is the one the model generates; personal columns are declared."""

from __future__ import annotations

from pathlib import Path

from mediadesk.store.base import Base
from mediadesk.store.datamap import render

DOC = Path(__file__).resolve().parents[2] / "docs" / "data-map.md"


def test_committed_data_map_matches_the_model() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), (
        "regenerate it: python -m mediadesk.store.datamap > docs/data-map.md")


def test_key_personal_columns_are_declared() -> None:
    for table, column in (("household", "name"), ("household", "street"), ("person", "last_name"),
                          ("phone", "number"), ("note_revision", "body"),
                          ("energy_contract", "meter_point"), ("household", "email")):
        info = Base.metadata.tables[table].c[column].info
        assert info["personal"] and info["purpose"] and info["retention"], (table, column)
