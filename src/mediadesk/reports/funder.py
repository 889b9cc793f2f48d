"""The funder activity report: indicators over a period, interventions by register (with a
bar chart) and interviews by mediator."""

from __future__ import annotations

import io

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import (
    Flowable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Table,
    TableStyle,
)

from mediadesk.i18n import _, format_day, format_money, format_number
from mediadesk.reports.common import BOLD, REGULAR, escape, style
from mediadesk.reports.data import Count, Figure, FunderData

MARGIN = 2 * cm
WIDTH = A4[0] - 2 * MARGIN


def render_funder(data: FunderData) -> bytes:
    """The activity report as PDF bytes (French)."""
    heading = style("h", size=13, bold=True, spaceBefore=14, space_after=4)
    story: list[Flowable] = [
        Paragraph(escape(_("Rapport d'activité : {team}").format(team=data.team_name)),
                  style("t", size=18, bold=True, space_after=2)),
        Paragraph(escape(_("Du {start} au {end} — imprimé le {printed}").format(
            start=format_day(data.start), end=format_day(data.end),
            printed=format_day(data.printed_on))), style("s", size=10, space_after=4)),
        Paragraph(escape(_("Indicateurs"), ), heading),
        _counts(data.indicators),
        Paragraph(escape(_("Interventions par registre")), heading),
        _counts(data.registers),
    ]
    if any(count.value for count in data.registers):
        story.append(_chart(data.registers))
    story += [Paragraph(escape(_("Entretiens par médiateur")), heading),
              _counts(data.mediators) if data.mediators
              else Paragraph(escape(_("Aucun entretien sur la période.")), style("e"))]
    if data.figures:
        story += _breakdowns(data.figures, heading)
        story += _annex(data.figures, heading)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN, bottomMargin=MARGIN, lang="fr",
                            title=_("Rapport d'activité"), author="MediaDesk",
                            initialFontName=REGULAR)
    doc.build(story)
    return buffer.getvalue()


def _counts(counts: tuple[Count, ...]) -> Table:
    body = style("b", size=10)
    number = style("n", size=10, bold=True, alignment=2)
    rows = [[Paragraph(escape(count.label), body),
             Paragraph(escape(_value(count.value, count.money)), number)] for count in counts]
    table = Table(rows or [[""]], colWidths=[WIDTH - 3 * cm, 3 * cm] if rows else None)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#9CA3AF")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    return table


def _value(value: int, money: bool) -> str:
    return format_money(value) if money else format_number(value)


def _breakdowns(figures: tuple[Figure, ...], heading: ParagraphStyle) -> list[Flowable]:
    story: list[Flowable] = []
    body = style("b", size=9)
    number = style("n", size=9, bold=True, alignment=2)
    for title, attribute in ((_("Détail par site"), "by_site"),
                             (_("Détail par médiateur"), "by_mediator")):
        rows = [[Paragraph(escape(figure.label), body), Paragraph(escape(name), body),
                 Paragraph(escape(_value(value, figure.money)), number)]
                for figure in figures for name, value in getattr(figure, attribute)]
        story.append(Paragraph(escape(title), heading))
        if not rows:
            story.append(Paragraph(escape(_("Rien à détailler sur la période.")), style("e")))
            continue
        table = Table(rows, colWidths=[WIDTH - 8 * cm, 5 * cm, 3 * cm], repeatRows=0)
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), REGULAR),
            ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#9CA3AF")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]))
        story.append(table)
    story.append(Paragraph(escape(_(
        "Un foyer suivi sur deux sites ou par deux médiateurs compte sous chacun : les "
        "détails peuvent dépasser le total.")), style("note", size=8, spaceBefore=4)))
    return story


def _annex(figures: tuple[Figure, ...], heading: ParagraphStyle) -> list[Flowable]:
    story: list[Flowable] = [PageBreak(), Paragraph(escape(_(
        "Annexe : définition des indicateurs")), heading)]
    label = style("al", size=10, bold=True, spaceBefore=6)
    text = style("ad", size=9)
    for figure in figures:
        story.append(Paragraph(escape(figure.label), label))
        story.append(Paragraph(escape(figure.definition), text))
    return story


def _chart(counts: tuple[Count, ...]) -> Drawing:
    height = 22 * len(counts) + 30
    drawing = Drawing(WIDTH, height, initialFontName=REGULAR)
    chart = HorizontalBarChart()
    chart.x, chart.y = 210, 15
    chart.width, chart.height = WIDTH - 230, height - 25
    # Top to bottom in register order.
    chart.data = [[count.value for count in reversed(counts)]]
    chart.categoryAxis.categoryNames = [count.label for count in reversed(counts)]
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = REGULAR
    chart.valueAxis.labels.fontSize = 7.5
    chart.valueAxis.valueStep = max(1, max(count.value for count in counts) // 5 or 1)
    chart.bars[0].fillColor = colors.HexColor("#2563EB")
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = BOLD
    chart.barLabels.fontSize = 7.5
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    return drawing
