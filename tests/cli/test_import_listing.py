"""`mediadesk import-listing` as a team lead runs it: real process, real files."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.cli.test_cli import assert_clean_failure, run
from tests.conftest import file_bytes
from tests.services.listing.files import csv_bytes, people, xlsx_bytes


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("listing") / "equipe.mdk"
    result = run("init", "--store", str(path))
    assert result.returncode == 0, result.stderr
    return path


def stores(store: Path) -> tuple[Path, Path]:
    return store, store.with_name(store.name + ".keys")


def import_listing(store: Path, listing: Path, *options: str
                   ) -> subprocess.CompletedProcess[str]:
    return run("import-listing", "--store", str(store), str(listing), *options)


def test_invalid_lines_write_nothing_and_exit_non_zero(store: Path, tmp_path: Path) -> None:
    rows = people(4, seed=11)
    rows[2][8] = "deux cents euros"
    listing = tmp_path / "semaine.csv"
    listing.write_bytes(csv_bytes(rows))
    before = file_bytes(*stores(store))
    result = import_listing(store, listing)
    assert result.returncode == 1, result.stderr
    assert "ligne 4" in result.stdout and "deux cents euros" in result.stdout
    assert "Rien n'a été importé" in result.stdout
    assert file_bytes(*stores(store)) == before

    dry = import_listing(store, listing, "--dry-run", "--skip-invalid", "--json")
    assert dry.returncode == 0, dry.stderr
    summary = json.loads(dry.stdout)
    assert summary["written"] is False
    assert summary["counts"] == {"new": 3, "matched": 0, "duplicate": 0, "invalid": 1}
    assert file_bytes(*stores(store)) == before


def test_skip_invalid_imports_the_rest_then_the_same_list_matches(store: Path,
                                                                  tmp_path: Path) -> None:
    rows = people(5, seed=12)
    rows[1][0] = ""
    listing = tmp_path / "semaine.xlsx"
    listing.write_bytes(xlsx_bytes(rows))
    first = import_listing(store, listing, "--skip-invalid", "--partner", "EDF")
    assert first.returncode == 0, first.stderr
    assert "4 nouveau(x) foyer(s)" in first.stdout and "Import enregistré" in first.stdout
    again = import_listing(store, listing, "--skip-invalid", "--json")
    assert again.returncode == 0, again.stderr
    counts = json.loads(again.stdout)["counts"]
    assert counts == {"new": 0, "matched": 4, "duplicate": 0, "invalid": 1}


def test_a_file_that_is_not_a_listing_is_one_line(store: Path, tmp_path: Path) -> None:
    picture = tmp_path / "photo.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    before = file_bytes(*stores(store))
    assert_clean_failure(import_listing(store, picture), 2, "n'est pas un listing")
    assert_clean_failure(import_listing(store, tmp_path / "absent.csv"), 7, "fichier")
    assert file_bytes(*stores(store)) == before
