"""`mediadesk campaign list|attempt|return` on a real store, in a real process."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.cli.test_cli import assert_clean_failure, run
from tests.services.listing.files import csv_bytes, people


def test_list_attempt_and_return(tmp_path: Path) -> None:
    store = tmp_path / "equipe.mdk"
    assert run("init", "--store", str(store)).returncode == 0
    listing = tmp_path / "semaine.csv"
    listing.write_bytes(csv_bytes(people(2, seed=3)))
    imported = run("import-listing", "--store", str(store), str(listing), "--json")
    assert imported.returncode == 0, imported.stderr
    list_id = json.loads(imported.stdout)["list_id"]

    listed = run("campaign", "list", "--store", str(store), "--json")
    assert listed.returncode == 0, listed.stderr
    entries = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [e["customer_ref"] for e in entries] == ["CR40000000", "CR40000001"]
    first = entries[0]
    assert first["next_phone"] is not None

    done = run("campaign", "attempt", "--store", str(store), first["id"], "--channel", "phone",
               "--outcome", "reached", "--phone", first["next_phone"]["id"])
    assert done.returncode == 0, done.stderr
    assert "reached" in done.stdout
    left = run("campaign", "list", "--store", str(store))
    assert "CR40000001" in left.stdout and "CR40000000" not in left.stdout

    out = tmp_path / "retour.csv"
    back = run("campaign", "return", "--store", str(store), list_id, "--out", str(out))
    assert back.returncode == 0, back.stderr
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig")), delimiter=";"))
    assert [r[:2] for r in rows] == [["reference_client", "resultat"], ["CR40000000", "reached"],
                                     ["CR40000001", "pending"]]

    bad = run("campaign", "attempt", "--store", str(store), first["id"], "--channel", "phone",
              "--outcome", "wrong_number")
    assert_clean_failure(bad, bad.returncode, "numéro")
    assert bad.returncode != 0
