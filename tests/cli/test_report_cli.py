"""`mediadesk report ...` as a team lead runs it: real processes, real files, every one of them
password-protected (PDFs opened back with pypdf, tables from their AES ZIP)."""

from __future__ import annotations

import io
import subprocess
import uuid
from pathlib import Path

import pytest
import pyzipper
from pypdf import PasswordType, PdfReader, PdfWriter

from mediadesk.services.workspace import create_workspace
from mediadesk.store.keyslots import TEST_KDF
from tests.cli.test_cli import PASS, assert_clean_failure, run
from tests.reports.helpers import all_text, fonts, page_texts
from tests.services.test_reports import closed_interview, new_household

PASSWORD = "mot de passe du rapport"


@pytest.fixture
def pw(tmp_path: Path) -> str:
    """A --password-file holding PASSWORD (what a script passes)."""
    path = tmp_path / "mot-de-passe.txt"
    path.write_text(PASSWORD + "\n", encoding="utf-8")
    return str(path)


def opened(path: Path) -> bytes:
    """The PDF at ``path``, which must be encrypted, decrypted with PASSWORD."""
    reader = PdfReader(path)
    assert reader.is_encrypted
    assert reader.decrypt("pas le bon mot de passe") == PasswordType.NOT_DECRYPTED
    reader = PdfReader(path)
    assert reader.decrypt(PASSWORD) != PasswordType.NOT_DECRYPTED
    out = io.BytesIO()
    PdfWriter(clone_from=reader).write(out)
    return out.getvalue()


def unzipped(archive: Path, member: str) -> bytes:
    with pyzipper.AESZipFile(archive) as opened_zip:
        assert opened_zip.namelist() == [member]
        with pytest.raises(RuntimeError):
            opened_zip.read(member, pwd=b"pas le bon mot de passe")
        return bytes(opened_zip.read(member, pwd=PASSWORD.encode()))


def report(kind: str, password_file: str | None, *args: str) -> subprocess.CompletedProcess[str]:
    """``mediadesk report KIND ARGS... --password-file F`` (no password option when None)."""
    extra = ("--password-file", password_file) if password_file is not None else ()
    return run("report", kind, *args, *extra)


def assert_says_protected(stdout: str) -> None:
    assert "protégé par mot de passe" in stdout and "chiffré (AES-256)" in stdout


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
    store: tuple[Path, uuid.UUID], tmp_path: Path, pw: str
) -> None:
    path, household = store
    for lang, words in (("fr", "Vos prochaines étapes"), ("en", "Your next steps")):
        out = tmp_path / f"feuille-{lang}.pdf"
        result = report("sheet", pw, "--store", str(path), "--household", str(household),
                        "--lang", lang, "--out", str(out))
        assert result.returncode == 0, result.stderr
        assert words in all_text(opened(out))
    out = tmp_path / "feuille-ar.pdf"
    result = report("sheet", pw, "--store", str(path), "--household", str(household),
                    "--lang", "ar", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert all(fonts(opened(out)).values())


def test_report_dossier_writes_a_confidential_summary(
    store: tuple[Path, uuid.UUID], tmp_path: Path, pw: str
) -> None:
    path, household = store
    out = tmp_path / "synthese.pdf"
    result = report("dossier", pw, "--store", str(path), "--household", str(household),
                    "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert_says_protected(result.stdout)
    pages = page_texts(opened(out))
    assert all("CONFIDENTIEL" in page for page in pages)
    assert "1 234,56 €" in "\n".join(pages)


def test_report_worklist_writes_the_range(store: tuple[Path, uuid.UUID], tmp_path: Path,
                                          pw: str) -> None:
    path, _household = store
    out = tmp_path / "suivis.pdf"
    result = report("worklist", pw, "--store", str(path), "--from", "2027-02-01",
                    "--to", "2027-02-28", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "Famille Benali" in all_text(opened(out))


def test_report_errors_are_one_french_line(store: tuple[Path, uuid.UUID], tmp_path: Path,
                                           pw: str) -> None:
    path, household = store
    out = tmp_path / "x.pdf"
    assert_clean_failure(report("sheet", pw, "--store", str(path), "--household", "abc",
                                "--out", str(out)), 2, "identifiant non reconnu")
    assert_clean_failure(report("sheet", pw, "--store", str(path), "--household",
                                str(household), "--lang", "tlh", "--out", str(out)), 2,
                         "Pas de feuille dans cette langue")
    assert_clean_failure(report("dossier", pw, "--store", str(path), "--household",
                                str(uuid.uuid4()), "--out", str(out)), 3, "introuvable")
    assert_clean_failure(report("worklist", pw, "--store", str(path), "--from", "demain",
                                "--out", str(out)), 2, "date non reconnue")
    assert_clean_failure(report("worklist", pw, "--store", str(path),
                                "--out", str(tmp_path / "absent" / "x.pdf")), 2,
                         "dossier de destination introuvable")
    assert not out.exists()


def test_report_funder_writes_the_activity_report(
    store: tuple[Path, uuid.UUID], tmp_path: Path, pw: str
) -> None:
    path, _household = store
    out = tmp_path / "activite.pdf"
    result = report("funder", pw, "--store", str(path), "--from", "2000-01-01",
                    "--to", "2100-12-31", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "Interventions par registre" in all_text(opened(out))


def test_report_activity_exports_the_table_with_the_pdf_figures(
    store: tuple[Path, uuid.UUID], tmp_path: Path, pw: str
) -> None:
    import csv

    import openpyxl  # type: ignore[import-untyped]

    path, _household = store
    out, table, book = tmp_path / "activite.pdf", tmp_path / "t.csv", tmp_path / "t.xlsx"
    result = report("activity", pw, "--store", str(path), "--from", "2000-01-01",
                    "--to", "2100-12-31", "--out", str(out), "--csv", str(table),
                    "--xlsx", str(book))
    assert result.returncode == 0, result.stderr
    assert_says_protected(result.stdout)
    assert not table.exists() and not book.exists()  # only inside the encrypted archives
    text = all_text(opened(out))
    csv_text = unzipped(tmp_path / "t.csv.zip", "t.csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(csv_text), delimiter=";"))
    totals = {r["indicateur"]: r["valeur"] for r in rows if r["périmètre"] == "ensemble"}
    assert totals["Entretiens terminés"] == "1"
    assert totals["Foyers accompagnés (au moins un entretien terminé)"] == "1"
    lines = text.splitlines()
    for label, value in totals.items():
        if "." not in value:  # counts: the PDF prints the label then the figure
            index = next(i for i, line in enumerate(lines) if line.startswith(label[:40]))
            assert value in " ".join(lines[index:index + 3]), label
    sheet = openpyxl.load_workbook(io.BytesIO(unzipped(tmp_path / "t.xlsx.zip", "t.xlsx"))).active
    xlsx = {(r[1], r[2]): r[4] for r in sheet.iter_rows(min_row=4, values_only=True)}
    assert xlsx[("Entretiens terminés", "ensemble")] == 1
    assert "Annexe : définition des indicateurs" in text
    assert not list(tmp_path.glob(".*.tmp"))
    # the former name still works
    assert report("funder", pw, "--store", str(path), "--from", "2000-01-01",
                  "--to", "2100-12-31", "--out", str(out)).returncode == 0
    assert_clean_failure(report("activity", pw, "--store", str(path), "--from", "2000-01-01",
                                "--to", "2100-12-31", "--out", str(out), "--profile", "absent"),
                         2, "Profil de rapport inconnu")


def test_every_report_needs_a_password_and_says_the_file_is_protected(
    store: tuple[Path, uuid.UUID], tmp_path: Path, pw: str
) -> None:
    path, household = store
    out = tmp_path / "feuille.pdf"
    sheet = ("--store", str(path), "--household", str(household), "--out", str(out))
    assert_clean_failure(report("sheet", None, *sheet), 2, "--password-file")
    short = tmp_path / "court.txt"
    short.write_text("abc\n", encoding="utf-8")
    assert_clean_failure(report("sheet", str(short), *sheet), 2, "au moins")
    assert not out.exists()
    result = report("sheet", pw, *sheet)
    assert result.returncode == 0, result.stderr
    assert_says_protected(result.stdout)
    assert "Vos prochaines étapes" in all_text(opened(out))
    zipped = tmp_path / "indicateurs.zip"
    result = report("activity", pw, "--store", str(path), "--from", "2000-01-01",
                    "--to", "2100-12-31", "--out", str(tmp_path / "a.pdf"), "--csv", str(zipped))
    assert result.returncode == 0, result.stderr
    assert "indicateurs.csv" in result.stdout
    assert "Entretiens terminés" in unzipped(zipped, "indicateurs.csv").decode("utf-8-sig")
