"""Reading listings as they come from the field (pure: no store)."""

from __future__ import annotations

import os
from datetime import date

import pytest

from mediadesk.services.listing.parsing import (
    ImportCancelled,
    NotAListing,
    guess_mapping,
    parse_date,
    parse_listing,
    read_table,
)
from tests.services.listing.files import HEADERS, csv_bytes, people, xlsx_bytes


@pytest.mark.parametrize(("encoding", "delimiter"), [
    ("cp1252", ";"), ("utf-8", ";"), ("utf-8-sig", ";"), ("utf-8", ","), ("utf-8-sig", ","),
    ("utf-8", "\t"),
])
def test_every_encoding_and_separator_reads_the_same_lines(encoding: str, delimiter: str) -> None:
    rows = people(12)
    table = read_table(csv_bytes(rows, delimiter=delimiter, encoding=encoding), "l.csv")
    assert table.delimiter == delimiter
    assert table.headers == HEADERS
    listing = parse_listing(table)
    assert not listing.problems
    assert [line.name for line in listing.lines] == [r[0] for r in rows]
    first = listing.lines[0]
    assert first.first_name == rows[0][1]  # accents survive Windows-1252
    assert first.customer_ref == rows[0][2]
    assert first.amount_cents is not None and first.amount_cents > 1000_00
    assert first.due_on is not None


def test_excel_csv_is_windows_1252_with_no_break_spaces() -> None:
    data = csv_bytes([["MÜLLER-GÉRARD", "Zoé", "CR1", "", "3 rue de l'Église", "77000",
                       "Melun", "06.12.34.56.78", "1\u00a0234,56\u00a0€", "31/01/2025"]])
    table = read_table(data)
    assert table.encoding == "cp1252"
    line = parse_listing(table).lines[0]
    assert (line.name, line.first_name, line.street) == ("MÜLLER-GÉRARD", "Zoé",
                                                         "3 rue de l'Église")
    assert line.amount_cents == 123456
    assert line.phones == ("+33612345678",)
    assert line.due_on == date(2025, 1, 31)


@pytest.mark.parametrize("phone", ["06 12 34 56 78", "0612345678", "+33 6 12 34 56 78",
                                   "0033612345678", "06-12-34-56-78", "+33 (0)6 12 34 56 78"])
def test_french_phones_in_any_format(phone: str) -> None:
    data = csv_bytes([["DURAND", "Léa", "CR1", "", "", "", "", phone, "", ""]], encoding="utf-8")
    line = parse_listing(read_table(data)).lines[0]
    assert line.phones == ("+33612345678",)


def test_xlsx_with_title_rows_above_the_header() -> None:
    rows = people(5)
    cells: list[list[object]] = [[*r[:8], 1234.5, date(2025, 3, 1)] for r in rows]
    table = read_table(xlsx_bytes(cells, title="Pôle solidarité - clients fragiles"))
    assert table.encoding == "xlsx"
    listing = parse_listing(table)
    assert not listing.problems
    assert [line.name for line in listing.lines] == [r[0] for r in rows]
    assert listing.lines[0].amount_cents == 123450
    assert listing.lines[0].due_on == date(2025, 3, 1)


def test_headers_are_guessed_from_their_usual_names() -> None:
    mapping = guess_mapping(["Nom", "N° client", "PDL/PCE", "Tél. portable", "Tél. fixe",
                             "Montant (€)", "CP", "Commune", "Colonne inconnue"])
    assert mapping == {"Nom": "name", "N° client": "customer_ref", "PDL/PCE": "meter_point",
                       "Tél. portable": "phone", "Tél. fixe": "phone", "Montant (€)": "amount",
                       "CP": "postal_code", "Commune": "city"}


def test_malformed_lines_name_the_line_the_column_and_the_problem() -> None:
    good = ["MARTIN", "Paul", "CR1", "", "1 rue A", "77000", "Melun", "", "10,00", "01/02/2025"]
    rows = [
        good,
        ["", "", "CR2", "", "", "", "", "", "12,00", ""],             # line 3: empty name
        ["PETIT", "Ana", "CR3", "", "", "", "", "", "cent euros", ""],  # line 4: words
        ["ROUX", "Ali", "CR4", "", "", "", "", "", "", "31/02/2025"],   # line 5: 31/02
        ["BLANC", "Eva", "CR5"],                                        # line 6: columns
    ]
    listing = parse_listing(read_table(csv_bytes(rows, encoding="utf-8")))
    assert [line.line_no for line in listing.lines] == [2]
    messages = {p.line_no: str(p) for p in listing.problems}
    assert set(messages) == {3, 4, 5, 6}
    assert "ligne 3" in messages[3] and "NOM CLIENT" in messages[3] and "vide" in messages[3]
    assert "Montant impayé" in messages[4] and "cent euros" in messages[4]
    assert "Date échéance" in messages[5] and "impossible" in messages[5]
    assert "3 colonnes au lieu de 10" in messages[6]


def test_dates() -> None:
    assert parse_date("05/03/2025") == date(2025, 3, 5)
    assert parse_date("5.3.25") == date(2025, 3, 5)
    assert parse_date("2025-03-05") == date(2025, 3, 5)
    for bad in ("31/02/2025", "mardi", "32/01/2025"):
        with pytest.raises(ValueError):
            parse_date(bad)


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(200),
    b"Bonjour,\nvoici le compte rendu de la r\xc3\xa9union de mardi.\nCordialement\n",
    b"",
    b"PK\x03\x04 not really a workbook",
    os.urandom(3000).replace(b"\x00", b"\x01"),
], ids=["png", "letter", "empty", "fake-zip", "random"])
def test_a_file_that_is_not_a_listing_gives_one_clear_error(data: bytes) -> None:
    with pytest.raises(NotAListing) as caught:
        read_table(data, "photo.png")
    assert caught.value.message
    assert "\n" not in caught.value.message


def test_parsing_can_be_cancelled() -> None:
    table = read_table(csv_bytes(people(600), encoding="utf-8"))
    calls = []

    def cancel() -> bool:
        calls.append(1)
        return len(calls) > 1

    with pytest.raises(ImportCancelled):
        parse_listing(table, cancel=cancel)
