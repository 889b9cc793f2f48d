"""The dossier summary: identity, situation, debts and payment plans, the interviews' key
answers, next steps, orientations and follow-ups. CONFIDENTIEL on every page."""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from mediadesk.i18n import _, format_day, format_money
from mediadesk.reports.common import REGULAR, draw_confidential, escape, style
from mediadesk.reports.data import DatedItem, DossierData, Line

MARGIN = 1.8 * cm
WIDTH = A4[0] - 2 * MARGIN
GRID = colors.HexColor("#9CA3AF")


def render_dossier(data: DossierData) -> bytes:
    """The summary as PDF bytes (French: the team's working language)."""
    heading = style("h", size=13, bold=True, spaceBefore=12, space_after=4)
    body = style("b", size=9.5)
    small = style("s", size=8.5, textColor=colors.HexColor("#374151"))
    story: list[Flowable] = [
        Paragraph(escape(_("Synthèse du dossier : {name}").format(name=data.household_name)),
                  style("t", size=18, bold=True, space_after=2)),
        Paragraph(escape(_("Imprimée le {date}").format(date=format_day(data.printed_on))),
                  small),
    ]

    def section(title: str, flowables: Sequence[Flowable]) -> None:
        story.append(Paragraph(escape(title), heading))
        story.extend(flowables or [Paragraph(escape(_("Rien d'enregistré.")), small)])

    section(_("Identité"), [_lines(data.identity, body)] if data.identity else [])
    section(_("Membres du foyer"), [_lines(data.members, body)] if data.members else [])
    section(_("Situation"), [_lines(data.situation, body)] if data.situation else [])
    section(_("Dettes"), _debts(data, body))
    section(_("Échéanciers et délais"), _plans(data, body))
    interviews: list[Flowable] = []
    for block in data.interviews:
        status = _("terminé") if block.done else _("en cours")
        title = _("Entretien du {date} ({status})").format(date=format_day(block.started_on),
                                                           status=status)
        if block.autonomy_level is not None:
            title += " — " + _("autonomie {level}/4").format(level=block.autonomy_level)
        parts: list[Flowable] = [Paragraph(escape(title), style("ib", size=10, bold=True,
                                                                  spaceBefore=4))]
        if block.answers:
            parts.append(_lines(block.answers, body))
        interviews.append(KeepTogether(parts))
    section(_("Entretiens : réponses clés"), interviews)
    section(_("Prochaines étapes"), _dated(data.next_steps, body))
    section(_("Orientations"), _dated(data.orientations, body))
    section(_("Suivis prévus"), _dated(data.follow_ups, body))

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN + 0.8 * cm,
        bottomMargin=MARGIN, title=_("Synthèse du dossier"), author="MediaDesk",
        initialFontName=REGULAR, lang="fr",
    )
    doc.build(story, onFirstPage=_page_marks, onLaterPages=_page_marks)
    return buffer.getvalue()


def _page_marks(canvas: Canvas, doc: SimpleDocTemplate) -> None:
    """CONFIDENTIEL at the top of every page, the page number at the bottom."""
    draw_confidential(canvas, A4, MARGIN,
                      _("Données personnelles : usage réservé à l'accompagnement du foyer."))
    canvas.saveState()
    width, _height = A4
    canvas.setFont(REGULAR, 8)
    canvas.drawRightString(width - MARGIN, MARGIN - 0.8 * cm,
                           _("Page {number}").format(number=doc.page))
    canvas.restoreState()


def _table(rows: list[list[object]], widths: list[float], header: bool = False) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    commands: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, GRID),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        commands += [("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E5E7EB")),
                     ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black)]
    table.setStyle(TableStyle(commands))
    return table


def _cell(text: str, st: object) -> Paragraph:
    return Paragraph(escape(text), st)


def _lines(lines: Sequence[Line], body: object) -> Table:
    label = style("label", size=9.5, bold=True)
    rows: list[list[object]] = [[_cell(line.label, label), _cell(line.value or "—", body)]
                                for line in lines]
    return _table(rows, [5.5 * cm, WIDTH - 5.5 * cm])


def _debts(data: DossierData, body: object) -> list[Flowable]:
    if not data.debts:
        return []
    head = style("head", size=9, bold=True)
    rows: list[list[object]] = [[_cell(text, head) for text in (
        _("Fournisseur"), _("Énergie"), _("Période"), _("Montant"), _("Contestée"))]]
    for debt in data.debts:
        period = " – ".join(format_day(day) for day in (debt.period_start, debt.period_end)
                            if day is not None)
        rows.append([_cell(debt.supplier or "—", body), _cell(debt.energy, body),
                     _cell(period or "—", body),
                     _cell(format_money(debt.amount_cents), style("amount", size=9.5,
                                                                  alignment=2)),
                     _cell(_("oui") if debt.contested else _("non"), body)])
    rows.append([_cell(_("Total"), head), "", "",
                 _cell(format_money(data.total_debt_cents),
                       style("total", size=9.5, bold=True, alignment=2)), ""])
    return [_table(rows, [4 * cm, 2.6 * cm, 5 * cm, 3 * cm, WIDTH - 14.6 * cm], header=True)]


def _plans(data: DossierData, body: object) -> list[Flowable]:
    if not data.plans:
        return []
    head = style("head", size=9, bold=True)
    rows: list[list[object]] = [[_cell(text, head) for text in (
        _("Fournisseur"), _("Mensualité"), _("À partir du"), _("Délai jusqu'au"), _("Accord"))]]
    for plan in data.plans:
        rows.append([
            _cell(plan.supplier or "—", body),
            _cell(format_money(plan.monthly_cents) if plan.monthly_cents is not None else "—",
                  body),
            _cell(format_day(plan.start_on) if plan.start_on else "—", body),
            _cell(format_day(plan.delay_until) if plan.delay_until else "—", body),
            _cell(_("conclu") if plan.agreed else _("proposé"), body),
        ])
    return [_table(rows, [4 * cm, 3 * cm, 3.4 * cm, 3.4 * cm, WIDTH - 13.8 * cm], header=True)]


def _dated(items: Sequence[DatedItem], body: object) -> list[Flowable]:
    if not items:
        return []
    rows: list[list[object]] = [
        [_cell(format_day(item.on) if item.on else "—", body),
         _cell(item.title + (f" : {item.detail}" if item.detail else ""), body)]
        for item in items
    ]
    return [_table(rows, [3.4 * cm, WIDTH - 3.4 * cm]), Spacer(1, 2)]
