"""Password protection of every export that carries personal data (issue 8).

One way to do it for the whole application: PDFs are encrypted with AES-256 (PDF 2.0 standard
security handler, opened by any reader once the password is typed); tables (CSV, XLSX) and
several files go into an AES-256 ZIP (WinZip AES, opened by 7-Zip, Windows' and macOS' tools).
Nothing is written here: callers get bytes and write them atomically where the person chose.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import pyzipper
from pypdf import PdfReader, PdfWriter

from mediadesk.i18n import _
from mediadesk.services.errors import ValidationError

MIN_EXPORT_PASSWORD_LENGTH = 8


class ExportPasswordError(ValidationError):
    """The export password is not acceptable; ``message`` is French UI text."""

    def __init__(self, message: str) -> None:
        super().__init__("password", message)


def check_export_password(password: str) -> None:
    """Raise :class:`ExportPasswordError` when ``password`` is too short to protect an export."""
    if len(password.strip()) < MIN_EXPORT_PASSWORD_LENGTH:
        raise ExportPasswordError(_(
            "Le mot de passe du fichier doit compter au moins {n} caractères."
        ).format(n=MIN_EXPORT_PASSWORD_LENGTH))


def protection_notice() -> str:
    """The sentence shown or printed after every protected export."""
    return _("Le fichier est chiffré (AES-256) : il ne s'ouvre qu'avec son mot de passe. "
             "Transmettez le mot de passe par un autre canal que le fichier.")


def protect_pdf(pdf: bytes, password: str) -> bytes:
    """``pdf`` encrypted with AES-256: reading it asks for ``password``."""
    check_export_password(password)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=password, owner_password=None, algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def protect_files(files: Mapping[str, bytes], password: str) -> bytes:
    """An AES-256 ZIP holding ``files`` (archive name -> content), in the given order."""
    check_export_password(password)
    buffer = io.BytesIO()
    with pyzipper.AESZipFile(buffer, "w", compression=pyzipper.ZIP_DEFLATED,
                             encryption=pyzipper.WZ_AES) as archive:
        archive.setpassword(password.encode("utf-8"))
        archive.setencryption(pyzipper.WZ_AES, nbits=256)
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()
