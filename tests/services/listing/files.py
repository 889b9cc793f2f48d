"""Listings as they arrive from the field, built with made-up people (Faker fr_FR)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from faker import Faker

HEADERS = ("NOM CLIENT", "Prénom", "Référence client", "PDL", "Adresse", "Code postal", "Ville",
           "Tél", "Montant impayé", "Date échéance")


def people(count: int, seed: int = 4) -> list[list[str]]:
    fake = Faker("fr_FR")
    fake.seed_instance(seed)
    rows = []
    for index in range(count):
        rows.append([
            fake.last_name().upper(), fake.first_name(), f"CR{40000000 + index}",
            f"{14000000000000 + index * 7}", fake.street_address(), fake.postcode(),
            fake.city(), fake.phone_number(),
            f"{fake.random_int(10, 4000)}\u202f{fake.random_int(100, 999)},{index % 100:02d} €",
            f"{fake.random_int(1, 28):02d}/{fake.random_int(1, 12):02d}/2025",
        ])
    return rows


def csv_bytes(rows: Sequence[Sequence[str]], *, headers: Sequence[str] = HEADERS,
              delimiter: str = ";", encoding: str = "cp1252", newline: str = "\r\n") -> bytes:
    def quote(cell: str) -> str:
        if delimiter in cell or '"' in cell or "\n" in cell:
            return '"' + cell.replace('"', '""') + '"'
        return cell

    lines = [delimiter.join(quote(c) for c in line) for line in (headers, *rows)]
    text = newline.join(lines) + newline
    if encoding == "cp1252":
        # What French Excel writes: the narrow no-break space has no place in Windows-1252.
        text = text.replace("\u202f", "\u00a0")
    return text.encode(encoding)


def xlsx_bytes(rows: Sequence[Sequence[object]], *, headers: Sequence[str] = HEADERS,
               title: str | None = None) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
        sheet.append([])
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
