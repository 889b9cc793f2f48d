"""Reading a supplier's listing as it comes from the field. Pure: no SQL, no Qt.

Accepted: CSV exported by French Excel (semicolon, Windows-1252), UTF-8 with or without BOM,
comma, semicolon or tab separated (sniffed on the header line), and XLSX workbooks (first sheet).
The header row may follow a few title rows; the columns are mapped to fields from their names
(`guess_mapping`) or from a saved per-partner profile. Every line gives either a `ParsedLine` or
`LineProblem`s naming the line, the column and what is wrong, in French.
Raises `NotAListing` (one clear message) when the file is not a listing at all.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from mediadesk.domain.money import AmountError, parse_euros
from mediadesk.domain.phones import PhoneError, normalise_phone
from mediadesk.domain.text import fold
from mediadesk.i18n import _

Cancel = Callable[[], bool]
Progress = Callable[[int, int], None]

# Fields a listing column can feed. "phone" may come from several columns.
FIELDS = ("customer_ref", "meter_point", "name", "first_name", "street", "address_extra",
          "postal_code", "city", "phone", "amount", "due_on")

# Folded header -> field. Checked first, then the keyword rules below.
SYNONYMS: dict[str, str] = {
    "reference client": "customer_ref", "ref client": "customer_ref",
    "reference": "customer_ref", "ref": "customer_ref", "n client": "customer_ref",
    "no client": "customer_ref", "numero client": "customer_ref",
    "numero de client": "customer_ref", "compte client": "customer_ref",
    "n compte": "customer_ref", "id client": "customer_ref", "code client": "customer_ref",
    "pdl": "meter_point", "pce": "meter_point", "pdl pce": "meter_point", "prm": "meter_point",
    "point de livraison": "meter_point", "point de comptage": "meter_point",
    "nom": "name", "nom client": "name", "nom du client": "name", "client": "name",
    "nom prenom": "name", "titulaire": "name", "nom complet": "name", "nom usage": "name",
    "prenom": "first_name", "prenom client": "first_name",
    "adresse": "street", "rue": "street", "voie": "street", "adresse 1": "street",
    "adresse postale": "street", "adresse de consommation": "street",
    "complement": "address_extra", "complement adresse": "address_extra",
    "complement d adresse": "address_extra", "adresse 2": "address_extra",
    "cp": "postal_code", "code postal": "postal_code",
    "ville": "city", "commune": "city", "localite": "city",
    "tel": "phone", "telephone": "phone", "portable": "phone", "mobile": "phone", "gsm": "phone",
    "montant": "amount", "montant impaye": "amount", "impaye": "amount", "montant du": "amount",
    "solde": "amount", "dette": "amount", "reste a payer": "amount", "montant ttc": "amount",
    "date": "due_on", "date facture": "due_on", "echeance": "due_on",
    "date d echeance": "due_on", "date limite": "due_on", "date impaye": "due_on",
}
# (word in the folded header, field): for headers such as "Tél. portable 2" or "Montant (€)".
KEYWORDS: tuple[tuple[str, str], ...] = (
    ("pdl", "meter_point"), ("pce", "meter_point"), ("prm", "meter_point"),
    ("tel", "phone"), ("telephone", "phone"), ("portable", "phone"), ("mobile", "phone"),
    ("montant", "amount"), ("impaye", "amount"), ("solde", "amount"),
    ("prenom", "first_name"), ("postal", "postal_code"), ("cp", "postal_code"),
    ("ville", "city"), ("commune", "city"), ("complement", "address_extra"),
    ("adresse", "street"), ("rue", "street"), ("reference", "customer_ref"),
    ("ref", "customer_ref"), ("client", "name"), ("nom", "name"),
    ("echeance", "due_on"), ("date", "due_on"),
)
HEADER_SEARCH_ROWS = 10  # title rows tolerated above the header row
_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})")
_PHONE_SEPARATORS = re.compile(r"[\s.\-/\u00a0\u202f]")
_FR_NATIONAL = re.compile(r"0[1-9]\d{8}")
_FR_INTERNATIONAL = re.compile(r"(?:\+33|0033)[1-9]\d{8}")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2})?)?")


class NotAListing(ValueError):
    """The file is not a listing at all; ``message`` is French UI text."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ImportCancelled(Exception):
    """The person cancelled; nothing was written."""


@dataclass(frozen=True)
class LineProblem:
    line_no: int
    column: str  # the header as written in the file ("" when the whole line is concerned)
    message: str  # French, translated

    def __str__(self) -> str:
        if self.column:
            return _("ligne {line}, colonne « {column} » : {problem}").format(
                line=self.line_no, column=self.column, problem=self.message)
        return _("ligne {line} : {problem}").format(line=self.line_no, problem=self.message)


@dataclass(frozen=True)
class ParsedLine:
    line_no: int
    raw: Mapping[str, str]  # header -> cell, the line as sent
    name: str
    first_name: str = ""
    customer_ref: str = ""
    meter_point: str = ""
    street: str = ""
    address_extra: str = ""
    postal_code: str = ""
    city: str = ""
    phones: tuple[str, ...] = ()  # E.164 when it parses, else as written
    amount_cents: int | None = None
    due_on: date | None = None
    warnings: tuple[LineProblem, ...] = ()


@dataclass(frozen=True)
class RawTable:
    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]  # (line number in the file, cells)
    encoding: str  # "utf-8", "utf-8-sig", "cp1252" or "xlsx"
    delimiter: str  # "" for XLSX


@dataclass(frozen=True)
class ParsedListing:
    table: RawTable
    mapping: Mapping[str, str]  # header -> field (unmapped headers are absent)
    lines: tuple[ParsedLine, ...]
    problems: tuple[LineProblem, ...]

    @property
    def invalid_line_numbers(self) -> frozenset[int]:
        return frozenset(p.line_no for p in self.problems)


def read_table(data: bytes, source_name: str = "",
               known_headers: Collection[str] = ()) -> RawTable:
    """The header and rows of a CSV or XLSX file. Raises NotAListing.

    The header row is the first of the top rows whose names are recognised, or that has at
    least two of ``known_headers`` (the headers of the partner's saved profile).
    """
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data, known_headers)
    if not data.strip():
        raise NotAListing(_("le fichier est vide."))
    if b"\x00" in data[:65536]:
        raise NotAListing(_("« {name} » n'est pas un listing : c'est un fichier binaire "
                            "(image, document...), pas un tableau CSV ou Excel."
                            ).format(name=source_name or "?"))
    text, encoding = _decode(data)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((";", ",", "\t"), key=first.count)
    rows: list[tuple[int, tuple[str, ...]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for cells in reader:
            rows.append((reader.line_num, tuple(c.strip() for c in cells)))
    except csv.Error as exc:
        raise NotAListing(_("le fichier n'est pas un tableau lisible (ligne {line}).").format(
            line=reader.line_num)) from exc
    return _with_header(rows, encoding, delimiter, known_headers)


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data.decode("utf-8-sig", errors="replace"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise NotAListing(_("le fichier n'est pas un texte lisible (ni UTF-8 ni Windows-1252)."
                            )) from exc


def _read_xlsx(data: bytes, known_headers: Collection[str]) -> RawTable:
    import zipfile

    import openpyxl  # type: ignore[import-untyped]

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise NotAListing(_("le fichier est une archive mais pas un classeur Excel lisible."
                            )) from exc
    try:
        sheet = book.worksheets[0]
        rows = [(number, tuple(_cell_text(v) for v in values))
                for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)]
    finally:
        book.close()
    return _with_header(rows, "xlsx", "", known_headers)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        return f"{value:.2f}".replace(".", ",") if value != int(value) else str(int(value))
    return str(value).strip()


def _with_header(rows: list[tuple[int, tuple[str, ...]]], encoding: str, delimiter: str,
                 known_headers: Collection[str]) -> RawTable:
    known = set(known_headers)
    for index, (_line, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        mapping = guess_mapping(cells)
        guessed = len(mapping) >= 2 and ("name" in mapping.values()
                                         or "customer_ref" in mapping.values())
        if guessed or len(known.intersection(cells)) >= 2:
            headers = _trim(cells)
            body = tuple((n, c) for n, c in rows[index + 1:] if any(c))
            return RawTable(headers, body, encoding, delimiter)
    raise NotAListing(_("ce fichier n'est pas un listing : aucune ligne d'en-tête avec un nom "
                        "ou une référence client n'a été trouvée dans les premières lignes."))


def _trim(cells: tuple[str, ...]) -> tuple[str, ...]:
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    return cells[:end]


def guess_field(header: str) -> str | None:
    folded = fold(header)
    if not folded:
        return None
    if folded in SYNONYMS:
        return SYNONYMS[folded]
    words = folded.split()
    for keyword, name in KEYWORDS:
        if keyword in words:
            return name
    return None


def guess_mapping(headers: tuple[str, ...] | list[str]) -> dict[str, str]:
    """Header -> field for the headers recognised. A field other than phone is taken once."""
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for header in headers:
        name = guess_field(header)
        if name is None or header in mapping or (name in taken and name != "phone"):
            continue
        mapping[header] = name
        taken.add(name)
    return mapping


def parse_listing(table: RawTable, mapping: Mapping[str, str] | None = None, *,
                  progress: Progress | None = None, cancel: Cancel | None = None
                  ) -> ParsedListing:
    """Read every row of ``table`` with ``mapping`` (header -> field; guessed when None).

    Raises ImportCancelled when ``cancel()`` turns true.
    """
    used = dict(mapping) if mapping is not None else guess_mapping(table.headers)
    used = {h: f for h, f in used.items() if h in table.headers and f in FIELDS}
    if "name" not in used.values():
        raise NotAListing(_("aucune colonne ne donne le nom du client : indiquez laquelle."))
    lines: list[ParsedLine] = []
    problems: list[LineProblem] = []
    total = len(table.rows)
    for index, (line_no, cells) in enumerate(table.rows):
        if cancel is not None and index % 256 == 0 and cancel():
            raise ImportCancelled()
        parsed, found = parse_row(table.headers, used, line_no, cells)
        problems += found
        if parsed is not None:
            lines.append(parsed)
        if progress is not None and (index % 1024 == 0 or index + 1 == total):
            progress(index + 1, total)
    return ParsedListing(table, used, tuple(lines), tuple(problems))


def parse_row(headers: tuple[str, ...], mapping: Mapping[str, str], line_no: int,
              cells: tuple[str, ...]) -> tuple[ParsedLine | None, list[LineProblem]]:
    extra = cells[len(headers):]
    if len(cells) < len(headers) or any(extra):
        count = len(_trim(cells)) if len(cells) > len(headers) else len(cells)
        return None, [LineProblem(line_no, "", _(
            "{found} colonnes au lieu de {expected} (séparateur dans une valeur ?)").format(
            found=count, expected=len(headers)))]
    raw = {h: c for h, c in zip(headers, cells, strict=False) if h}
    values: dict[str, str] = {}
    phones: list[str] = []
    problems: list[LineProblem] = []
    warnings: list[LineProblem] = []
    amount: int | None = None
    due_on: date | None = None
    for header, name in mapping.items():
        value = raw.get(header, "").strip()
        if name == "phone":
            if value:
                try:
                    phones.append(_phone(value))
                except PhoneError:
                    phones.append(value)
                    warnings.append(LineProblem(line_no, header, _(
                        "numéro de téléphone non reconnu, gardé tel quel : « {value} »"
                    ).format(value=value)))
        elif name == "amount":
            if value:
                try:
                    amount = parse_euros(value)
                except AmountError:
                    problems.append(LineProblem(line_no, header, _(
                        "montant illisible : « {value} » (attendu par exemple 1 234,56 €)"
                    ).format(value=value)))
        elif name == "due_on":
            if value:
                try:
                    due_on = parse_date(value)
                except ValueError as exc:
                    problems.append(LineProblem(line_no, header, str(exc)))
        else:
            values[name] = value
    name_header = next(h for h, f in mapping.items() if f == "name")
    if not values.get("name"):
        problems.append(LineProblem(line_no, name_header, _("le nom est vide.")))
    if problems:
        return None, problems
    return ParsedLine(
        line_no=line_no, raw=raw, name=values.get("name", ""),
        first_name=values.get("first_name", ""), customer_ref=values.get("customer_ref", ""),
        meter_point=values.get("meter_point", ""), street=values.get("street", ""),
        address_extra=values.get("address_extra", ""),
        postal_code=values.get("postal_code", ""), city=values.get("city", ""),
        phones=tuple(dict.fromkeys(phones)), amount_cents=amount, due_on=due_on,
        warnings=tuple(warnings),
    ), []


def _phone(text: str) -> str:
    """E.164 form of a phone number; metropolitan French forms without parsing them.

    `phonenumbers` costs 80 µs a number: two thirds of reading a 20 MB listing.
    Raises PhoneError.
    """
    digits = _PHONE_SEPARATORS.sub("", text)
    if _FR_NATIONAL.fullmatch(digits):
        return "+33" + digits[1:]
    if _FR_INTERNATIONAL.fullmatch(digits):
        return "+33" + digits[-9:]
    return normalise_phone(text)


def parse_date(text: str) -> date:
    """A French date "31/01/2025" (or "31/01/25", "31.01.2025", ISO "2025-01-31").

    Raises ValueError with a French message (impossible dates such as 31/02 included).
    """
    value = text.strip()
    iso = _ISO_DATE.fullmatch(value)
    match = _DATE.fullmatch(value)
    if iso is not None:
        year, month, day = (int(g) for g in iso.groups())
    elif match is not None:
        day, month, year = (int(g) for g in match.groups())
        if year < 100:
            year += 2000
    else:
        raise ValueError(_("date illisible : « {value} » (attendu jj/mm/aaaa)").format(
            value=value))
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise ValueError(_("date impossible : « {value} »").format(value=value)) from exc


def iter_problem_lines(listing: ParsedListing) -> Iterator[str]:
    """One French sentence per problem, in line order."""
    for problem in sorted(listing.problems, key=lambda p: p.line_no):
        yield str(problem)


__all__ = ["FIELDS", "ImportCancelled", "LineProblem", "NotAListing", "ParsedLine",
           "ParsedListing", "RawTable", "guess_mapping", "parse_date", "parse_listing",
           "read_table"]
