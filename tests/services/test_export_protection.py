"""Protected exports: a PDF opens only with its password, a ZIP holds the files under AES."""

from __future__ import annotations

import io

import pytest
import pyzipper
from pypdf import PdfReader
from reportlab.pdfgen import canvas

from mediadesk.services.export_protection import (
    ExportPasswordError,
    check_export_password,
    protect_files,
    protect_pdf,
)

PASSWORD = "sel-de-guerande"


def _pdf(text: str) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.save()
    return buffer.getvalue()


def test_protected_pdf_needs_its_password() -> None:
    protected = protect_pdf(_pdf("Famille Lefebvre"), PASSWORD)
    assert b"Famille Lefebvre" not in protected
    reader = PdfReader(io.BytesIO(protected))
    assert reader.is_encrypted
    assert not reader.decrypt("mauvais-mot-de-passe")
    reader = PdfReader(io.BytesIO(protected))
    assert reader.decrypt(PASSWORD)
    assert "Famille Lefebvre" in reader.pages[0].extract_text()


def test_protected_archive_holds_every_file_encrypted() -> None:
    files = {"retour.csv": "référence;résultat\nA1;joint\n".encode(), "notes.txt": b"x"}
    archive = protect_files(files, PASSWORD)
    assert b"joint" not in archive
    with pyzipper.AESZipFile(io.BytesIO(archive)) as zipped:
        assert zipped.namelist() == ["retour.csv", "notes.txt"]
        with pytest.raises(RuntimeError):
            zipped.read("retour.csv")
        zipped.setpassword(PASSWORD.encode())
        assert zipped.read("retour.csv") == files["retour.csv"]


@pytest.mark.parametrize("password", ["", "court", "       12"])
def test_short_passwords_are_refused_in_french(password: str) -> None:
    with pytest.raises(ExportPasswordError, match="au moins 8 caractères"):
        check_export_password(password)
    with pytest.raises(ExportPasswordError):
        protect_pdf(_pdf("x"), password)
