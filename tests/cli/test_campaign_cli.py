"""`mediadesk campaign list|attempt|sheet|return` on a real store, in a real process."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyzipper
from pypdf import PdfReader

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

    out = tmp_path / "retour.zip"
    secret = tmp_path / "mot-de-passe.txt"
    secret.write_text("retour-partenaire-2026\n", encoding="utf-8")
    back = run("campaign", "return", "--store", str(store), list_id, "--out", str(out),
               "--password-file", str(secret))
    assert back.returncode == 0, back.stderr
    with pyzipper.AESZipFile(out) as archive:
        [name] = archive.namelist()
        assert name.startswith("retour-edf-") and name.endswith(".csv")
        archive.setpassword(b"retour-partenaire-2026")
        content = archive.read(name)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert [r[:2] for r in rows] == [["reference_client", "resultat"], ["CR40000000", "reached"],
                                     ["CR40000001", "pending"]]

    bad = run("campaign", "attempt", "--store", str(store), first["id"], "--channel", "phone",
              "--outcome", "wrong_number")
    assert_clean_failure(bad, bad.returncode, "numéro")
    assert bad.returncode != 0


def _store_with_listing(tmp_path: Path) -> tuple[Path, str, list[dict[str, object]]]:
    store = tmp_path / "equipe.mdk"
    assert run("init", "--store", str(store)).returncode == 0
    listing = tmp_path / "semaine.csv"
    listing.write_bytes(csv_bytes(people(3, seed=5)))
    imported = run("import-listing", "--store", str(store), str(listing), "--json")
    assert imported.returncode == 0, imported.stderr
    listed = run("campaign", "list", "--store", str(store), "--json")
    return (store, json.loads(imported.stdout)["list_id"],
            [json.loads(line) for line in listed.stdout.splitlines()])


def test_sheet_writes_an_encrypted_pdf_without_the_wrong_numbers(tmp_path: Path) -> None:
    store, list_id, entries = _store_with_listing(tmp_path)
    wrong = entries[1]["next_phone"]
    assert isinstance(wrong, dict)
    marked = run("campaign", "attempt", "--store", str(store), str(entries[1]["id"]),
                 "--channel", "phone", "--outcome", "wrong_number", "--phone", str(wrong["id"]))
    assert marked.returncode == 0, marked.stderr
    secret = tmp_path / "mot-de-passe.txt"
    secret.write_text("feuille-du-lundi\n", encoding="utf-8")
    out = tmp_path / "feuille.pdf"
    done = run("campaign", "sheet", "--store", str(store), "--listing", list_id,
               "--out", str(out), "--password-file", str(secret))
    assert done.returncode == 0, done.stderr
    assert "chiffré" in done.stdout
    reader = PdfReader(out)
    assert reader.is_encrypted
    reader.decrypt("feuille-du-lundi")
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    text = text.replace("\u202f", " ").replace("\xa0", " ")
    for entry in entries:
        assert str(entry["household_name"]) in text
        assert str(entry["customer_ref"]) in text
    assert str(wrong["number"]) not in text
    first = entries[0]["next_phone"]
    assert isinstance(first, dict) and str(first["number"]) in text

    again = run("campaign", "sheet", "--store", str(store), "--listing", list_id,
                "--out", str(out), "--password-file", str(secret))
    assert_clean_failure(again, again.returncode, "existe déjà")
    assert again.returncode != 0


def test_sheet_refuses_a_short_password_and_an_unknown_listing(tmp_path: Path) -> None:
    store, list_id, _entries = _store_with_listing(tmp_path)
    short = tmp_path / "court.txt"
    short.write_text("abc\n", encoding="utf-8")
    out = tmp_path / "feuille.pdf"
    weak = run("campaign", "sheet", "--store", str(store), "--listing", list_id,
               "--out", str(out), "--password-file", str(short))
    assert_clean_failure(weak, weak.returncode, "au moins")
    assert weak.returncode != 0 and not out.exists()
    good = tmp_path / "bon.txt"
    good.write_text("un-mot-de-passe-long\n", encoding="utf-8")
    unknown = run("campaign", "sheet", "--store", str(store), "--listing",
                  "0190a000-0000-7000-8000-000000000000", "--out", str(out),
                  "--password-file", str(good))
    assert_clean_failure(unknown, unknown.returncode, "introuvable")
    assert not out.exists()
    typo = run("campaign", "sheet", "--store", str(store), "--listing", "pas-un-id",
               "--out", str(out), "--password-file", str(good))
    assert_clean_failure(typo, typo.returncode, "--listing")
