"""The activity report's indicator table for the funder's spreadsheet: CSV or XLSX bytes.

One row per indicator and scope (the whole team, each site, each mediator), with the
indicator's definition, so the figures can be checked against the PDF.
"""

from __future__ import annotations

import csv
import io

from mediadesk.i18n import _
from mediadesk.reports.data import Figure, FunderData

SCOPE_ALL, SCOPE_SITE, SCOPE_MEDIATOR = "ensemble", "site", "médiateur"
HEADER = ("code", "indicateur", "périmètre", "nom", "valeur", "unité", "définition")


def table_rows(data: FunderData) -> list[tuple[str, str, str, str, int | float, str, str]]:
    """The table: money values in euros (two decimals), counts as integers."""
    rows: list[tuple[str, str, str, str, int | float, str, str]] = []
    for figure in data.figures:
        def row(scope: str, name: str, value: int, figure: Figure = figure) -> None:
            rows.append((figure.code, figure.label, scope, name,
                         round(value / 100, 2) if figure.money else value,
                         "EUR" if figure.money else _("nombre"), figure.definition))
        row(SCOPE_ALL, data.team_name, figure.total)
        for name, value in figure.by_site:
            row(SCOPE_SITE, name, value)
        for name, value in figure.by_mediator:
            row(SCOPE_MEDIATOR, name, value)
    return rows


def to_csv(data: FunderData) -> bytes:
    """UTF-8 with a byte-order mark (spreadsheets then read the accents), ';'-separated."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    for code, label, scope, name, value, unit, definition in table_rows(data):
        text = f"{value:.2f}" if isinstance(value, float) else str(value)
        writer.writerow((code, label, scope, name, text, unit, definition))
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(data: FunderData) -> bytes:
    import openpyxl  # type: ignore[import-untyped]

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = _("Indicateurs")
    sheet.append([_("Rapport d'activité : {team}").format(team=data.team_name)])
    sheet.append([data.start.isoformat(), data.end.isoformat(), data.profile])
    sheet.append(list(HEADER))
    for row in table_rows(data):
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
