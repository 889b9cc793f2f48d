"""The team's follow-up worklist for a date range, printed for a team lead."""

from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from mediadesk.i18n import N_, _, format_day, ngettext
from mediadesk.reports.common import REGULAR, escape, style
from mediadesk.reports.data import WorklistData

MARGIN = 1.5 * cm
PAGE = landscape(A4)
WIDTH = PAGE[0] - 2 * MARGIN
_KINDS = {"follow_up": N_("Suivi"), "orientation_check": N_("Vérifier l'orientation")}


def render_worklist(data: WorklistData) -> bytes:
    """The worklist as PDF bytes (French)."""
    body = style("b", size=9)
    head = style("h", size=9, bold=True)
    late_style = style("late", size=9, bold=True, textColor=colors.HexColor("#B91C1C"))
    if data.start and data.end:
        period = _("du {start} au {end}").format(start=format_day(data.start),
                                                 end=format_day(data.end))
    elif data.end:
        period = _("jusqu'au {end}").format(end=format_day(data.end))
    elif data.start:
        period = _("à partir du {start}").format(start=format_day(data.start))
    else:
        period = _("tout ce qui est ouvert")
    story: list[Flowable] = [
        Paragraph(escape(_("Suivis à faire : {team}").format(team=data.team_name)),
                  style("t", size=16, bold=True, space_after=2)),
        Paragraph(escape(f"{data.scope}, {period}. " + ngettext(
            "{count} élément.", "{count} éléments.", len(data.rows)).format(
                count=len(data.rows))), style("sub", size=10, space_after=8)),
    ]
    rows: list[list[object]] = [[Paragraph(escape(text), head) for text in (
        _("Échéance"), _("Foyer"), _("Téléphone"), _("Quoi"), _("Motif"), _("Qui"))]]
    for row in data.rows:
        due = format_day(row.due_on)
        if row.days_late > 0:
            due += " — " + ngettext("{n} jour de retard", "{n} jours de retard",
                                   row.days_late).format(n=row.days_late)
        rows.append([
            Paragraph(escape(due), late_style if row.days_late > 0 else body),
            Paragraph(escape(row.household_name), body),
            Paragraph(escape(row.phone or "—"), body),
            Paragraph(escape(_(_KINDS.get(row.kind, row.kind))), body),
            Paragraph(escape(row.reason or "—"), body),
            Paragraph(escape(row.assignee_name or _("l'équipe")), body),
        ])
    if not data.rows:
        story.append(Paragraph(escape(_("Rien à faire sur cette période.")), body))
    else:
        widths = [4.2 * cm, 5 * cm, 3.2 * cm, 3.6 * cm, 0.0, 3.5 * cm]
        widths[4] = WIDTH - sum(widths)
        table = Table(rows, colWidths=widths, repeatRows=1)
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), REGULAR),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E5E7EB")),
            ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#9CA3AF")),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ]))
        story.append(table)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN, bottomMargin=MARGIN, lang="fr",
                            title=_("Suivis à faire"), author="MediaDesk", initialFontName=REGULAR)
    printed = format_day(data.printed_on)

    def footer(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(REGULAR, 8)
        canvas.drawString(MARGIN, MARGIN - 0.8 * cm,
                          _("Imprimée le {date} — données confidentielles").format(date=printed))
        canvas.drawRightString(PAGE[0] - MARGIN, MARGIN - 0.8 * cm,
                               _("Page {number}").format(number=doc.page))
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
