"""The call sheet of a campaign session: the listed customers to reach, printed for a mediator.

One row per customer: the household and the partner's reference, the numbers to try (never one
marked wrong: the campaign service leaves them out), language and interpreter, the attempts so
far, the channel to use now (a letter or a visit after too many failed calls), and blank columns
to write the outcome by hand. CONFIDENTIEL on every page, like the dossier summary.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from mediadesk.i18n import N_, _, format_day, ngettext
from mediadesk.reports.common import (
    CONFIDENTIAL_RED,
    REGULAR,
    draw_confidential,
    escape,
    style,
)

MARGIN = 1.3 * cm
PAGE = landscape(A4)
WIDTH = PAGE[0] - 2 * MARGIN
GRID = colors.HexColor("#9CA3AF")
OUTCOMES = {"reached": N_("joint"), "no_answer": N_("pas de réponse"),
            "wrong_number": N_("faux numéro"), "refused": N_("refus"),
            "message_left": N_("message laissé")}
CHANNELS = {"phone": N_("téléphone"), "sms": N_("SMS"), "letter": N_("courrier"),
            "home_visit": N_("visite à domicile")}


@dataclass(frozen=True)
class CallSheetRow:
    household_name: str
    reference: str  # the partner's customer reference, or "#<line>" when it sent none
    phones: tuple[str, ...]  # display forms, best first; never a number marked wrong
    languages: tuple[str, ...]  # language names, ready to print
    interpreter: bool
    attempts: int
    failed_calls: int
    last_attempt_on: date | None
    last_channel: str  # ContactChannel value ("" when no attempt)
    last_outcome: str  # ContactOutcome value ("" when no attempt)
    next_attempt_on: date | None
    letter_or_visit: bool  # call no more: write or visit
    advice: str  # why (French, ready to print; "" when calling is the way)


@dataclass(frozen=True)
class CallSheetData:
    partner: str
    received_on: date | None
    assignee_name: str  # "" when the sheet is for the whole list
    printed_on: date
    rows: tuple[CallSheetRow, ...] = field(default_factory=tuple)


def render_call_sheet(data: CallSheetData) -> bytes:
    """The call sheet as PDF bytes (French, the team's working language)."""
    body = style("b", size=8.5)
    small = style("s", size=7.5, textColor=colors.HexColor("#374151"))
    head = style("h", size=8.5, bold=True)
    strong = style("strong", size=8.5, bold=True, textColor=CONFIDENTIAL_RED)
    received = (_("listing {partner} du {day}").format(partner=data.partner,
                                                      day=format_day(data.received_on))
                if data.received_on else _("listing {partner}").format(partner=data.partner))
    for_whom = (_("Pour {name}").format(name=data.assignee_name) if data.assignee_name
                else _("Toute la liste"))
    story: list[Flowable] = [
        Paragraph(escape(_("Feuille d'appels : {listing}").format(listing=received)),
                  style("t", size=15, bold=True, space_after=2)),
        Paragraph(escape(f"{for_whom}. " + ngettext(
            "{count} personne à joindre.", "{count} personnes à joindre.",
            len(data.rows)).format(count=len(data.rows))), style("sub", size=9.5,
                                                                 space_after=8)),
    ]
    if not data.rows:
        story.append(Paragraph(escape(_("Personne à joindre sur cette liste.")), body))
    else:
        header = [Paragraph(escape(text), head) for text in (
            _("Foyer"), _("Numéros à essayer"), _("Langue"), _("Tentatives"),
            _("Canal conseillé"), _("Résultat"), _("Rappel le"), _("Notes"))]
        rows: list[list[object]] = [header]
        for row in data.rows:
            rows.append([
                [Paragraph(escape(row.household_name or "—"), head),
                 Paragraph(escape(_("Réf. {reference}").format(reference=row.reference)),
                           small)],
                [Paragraph(escape(number), body) for number in row.phones]
                or [Paragraph(escape(_("aucun numéro utilisable")), small)],
                [Paragraph(escape(", ".join(row.languages) or "—"), body)]
                + ([Paragraph(escape(_("interprète")), strong)] if row.interpreter else []),
                _attempts(row, body, small),
                [Paragraph(escape(_("Courrier ou visite") if row.letter_or_visit
                                  else _("Téléphone")), strong if row.letter_or_visit
                                 else body)]
                + ([Paragraph(escape(row.advice), small)] if row.advice else []),
                "", "", "",
            ])
        widths = [5.0 * cm, 3.8 * cm, 2.6 * cm, 3.6 * cm, 3.6 * cm, 2.8 * cm, 2.2 * cm, 0.0]
        widths[-1] = WIDTH - sum(widths)
        table = Table(rows, colWidths=widths, repeatRows=1)
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), REGULAR),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E5E7EB")),
            ("GRID", (0, 0), (-1, -1), 0.3, GRID),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
            ("TOPPADDING", (0, 1), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 1), (-1, -1), 10),  # room to write by hand
        ]))
        story.append(table)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN + 0.8 * cm, bottomMargin=MARGIN, lang="fr",
                            title=_("Feuille d'appels"), author="MediaDesk",
                            initialFontName=REGULAR)
    printed = format_day(data.printed_on)

    def marks(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        draw_confidential(canvas, PAGE, MARGIN,
                          _("Données personnelles : usage réservé à la campagne d'appels. "
                            "À détruire après saisie des résultats."))
        canvas.saveState()
        width, _height = PAGE
        canvas.setFont(REGULAR, 8)
        canvas.drawString(MARGIN, MARGIN - 0.8 * cm,
                          _("Imprimée le {date}").format(date=printed))
        canvas.drawRightString(width - MARGIN, MARGIN - 0.8 * cm,
                               _("Page {number}").format(number=doc.page))
        canvas.restoreState()

    doc.build(story, onFirstPage=marks, onLaterPages=marks)
    return buffer.getvalue()


def _attempts(row: CallSheetRow, body: object, small: object) -> list[Paragraph]:
    if row.attempts == 0:
        return [Paragraph(escape(_("aucune")), body)]
    parts = [Paragraph(escape(ngettext("{n} tentative", "{n} tentatives", row.attempts).format(
        n=row.attempts)), body)]
    if row.failed_calls:
        parts.append(Paragraph(escape(ngettext(
            "dont {n} appel infructueux", "dont {n} appels infructueux",
            row.failed_calls).format(n=row.failed_calls)), small))
    if row.last_attempt_on is not None:
        last = _("dernière le {day}").format(day=format_day(row.last_attempt_on))
        details = [_(CHANNELS[row.last_channel]) if row.last_channel in CHANNELS else "",
                   _(OUTCOMES[row.last_outcome]) if row.last_outcome in OUTCOMES else ""]
        detail = ", ".join(d for d in details if d)
        parts.append(Paragraph(escape(f"{last} ({detail})" if detail else last), small))
    if row.next_attempt_on is not None:
        parts.append(Paragraph(escape(_("à rappeler le {day}").format(
            day=format_day(row.next_attempt_on))), small))
    return parts
