"""`mediadesk report ...` as a team lead runs it: real processes, real files."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from mediadesk.services.workspace import create_workspace
from mediadesk.store.keyslots import TEST_KDF
from tests.cli.test_cli import PASS, assert_clean_failure, run
from tests.reports.helpers import all_text, fonts, page_texts
from tests.services.test_reports import closed_interview, new_household


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, uuid.UUID]:
    path = tmp_path_factory.mktemp("report") / "equipe.mdk"
    workspace = create_workspace(path, PASS, user_name="Awa Diallo", kdf=TEST_KDF)
    try:
        household = new_household(workspace)
        closed_interview(workspace, household, **{"supplier.supplier_amount_cents": 123_456})
    finally:
        workspace.close()
    return path, household


def test_report_sheet_writes_the_sheet_in_the_asked_language(
    store: tuple[Path, uuid.UUID], tmp_path: Path
) -> None:
    path, household = store
    for lang, words in (("fr", "Vos prochaines étapes"), ("en", "Your next steps")):
        out = tmp_path / f"feuille-{lang}.pdf"
        result = run("report", "sheet", "--store", str(path), "--household", str(household),
                     "--lang", lang, "--out", str(out))
        assert result.returncode == 0, result.stderr
        assert words in all_text(out.read_bytes())
    out = tmp_path / "feuille-ar.pdf"
    result = run("report", "sheet", "--store", str(path), "--household", str(household),
                 "--lang", "ar", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert all(fonts(out.read_bytes()).values())


def test_report_dossier_writes_a_confidential_summary(
    store: tuple[Path, uuid.UUID], tmp_path: Path
) -> None:
    path, household = store
    out = tmp_path / "synthese.pdf"
    result = run("report", "dossier", "--store", str(path), "--household", str(household),
                 "--out", str(out))
    assert result.returncode == 0, result.stderr
    pages = page_texts(out.read_bytes())
    assert all("CONFIDENTIEL" in page for page in pages)
    assert "1 234,56 €" in "\n".join(pages)


def test_report_worklist_writes_the_range(store: tuple[Path, uuid.UUID], tmp_path: Path) -> None:
    path, _household = store
    out = tmp_path / "suivis.pdf"
    result = run("report", "worklist", "--store", str(path), "--from", "2027-02-01",
                 "--to", "2027-02-28", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "Famille Benali" in all_text(out.read_bytes())


def test_report_errors_are_one_french_line(store: tuple[Path, uuid.UUID], tmp_path: Path) -> None:
    path, household = store
    out = tmp_path / "x.pdf"
    assert_clean_failure(run("report", "sheet", "--store", str(path), "--household", "abc",
                             "--out", str(out)), 2, "identifiant non reconnu")
    assert_clean_failure(run("report", "sheet", "--store", str(path), "--household",
                             str(household), "--lang", "tlh", "--out", str(out)), 2,
                         "Pas de feuille dans cette langue")
    assert_clean_failure(run("report", "dossier", "--store", str(path), "--household",
                             str(uuid.uuid4()), "--out", str(out)), 3, "introuvable")
    assert_clean_failure(run("report", "worklist", "--store", str(path), "--from", "demain",
                             "--out", str(out)), 2, "date non reconnue")
    assert_clean_failure(run("report", "worklist", "--store", str(path),
                             "--out", str(tmp_path / "absent" / "x.pdf")), 2,
                         "dossier de destination introuvable")
    assert not out.exists()


def test_report_funder_writes_the_activity_report(
    store: tuple[Path, uuid.UUID], tmp_path: Path
) -> None:
    path, _household = store
    out = tmp_path / "activite.pdf"
    result = run("report", "funder", "--store", str(path), "--from", "2000-01-01",
                 "--to", "2100-12-31", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "Interventions par registre" in all_text(out.read_bytes())


def test_report_activity_exports_the_table_with_the_pdf_figures(
    store: tuple[Path, uuid.UUID], tmp_path: Path
) -> None:
    import csv
    import io

    import openpyxl  # type: ignore[import-untyped]

    path, _household = store
    out, table, book = tmp_path / "activite.pdf", tmp_path / "t.csv", tmp_path / "t.xlsx"
    result = run("report", "activity", "--store", str(path), "--from", "2000-01-01",
                 "--to", "2100-12-31", "--out", str(out), "--csv", str(table),
                 "--xlsx", str(book))
    assert result.returncode == 0, result.stderr
    text = all_text(out.read_bytes())
    rows = list(csv.DictReader(io.StringIO(table.read_text("utf-8-sig")), delimiter=";"))
    totals = {r["indicateur"]: r["valeur"] for r in rows if r["périmètre"] == "ensemble"}
    assert totals["Entretiens terminés"] == "1"
    assert totals["Foyers accompagnés (au moins un entretien terminé)"] == "1"
    lines = text.splitlines()
    for label, value in totals.items():
        if "." not in value:  # counts: the PDF prints the label then the figure
            index = next(i for i, line in enumerate(lines) if line.startswith(label[:40]))
            assert value in " ".join(lines[index:index + 3]), label
    sheet = openpyxl.load_workbook(book).active
    xlsx = {(r[1], r[2]): r[4] for r in sheet.iter_rows(min_row=4, values_only=True)}
    assert xlsx[("Entretiens terminés", "ensemble")] == 1
    assert "Annexe : définition des indicateurs" in text
    assert not list(tmp_path.glob(".*.tmp"))
    # the former name still works
    assert run("report", "funder", "--store", str(path), "--from", "2000-01-01",
               "--to", "2100-12-31", "--out", str(out)).returncode == 0
    assert_clean_failure(run("report", "activity", "--store", str(path), "--from", "2000-01-01",
                             "--to", "2100-12-31", "--out", str(out), "--profile", "absent"),
                         2, "Profil de rapport inconnu")
