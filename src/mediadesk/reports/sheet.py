"""The household's next-step sheet: the agreed steps in order (the first one stressed),
dates, amounts and whom to call, in the household's language, in plain words."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from mediadesk.reports.common import BOLD, REGULAR, Formatter, escape, rtl_lines, style
from mediadesk.reports.data import SheetData, SheetStep
from mediadesk.reports.sheet_texts import (
    BABEL_LOCALES,
    ENERGY_INFO_PHONE,
    ENERGY_VOUCHER_PHONE,
    RTL,
    TEXTS,
)

MARGIN = 2 * cm
WIDTH = A4[0] - 2 * MARGIN
STRESS = colors.HexColor("#FFF1B8")
INK = colors.HexColor("#1F2937")


class UnknownSheetLanguage(ValueError):
    """No sheet texts exist for this language."""


class _Writer:
    """Paragraphs in one language, shaped and aligned for its direction."""

    def __init__(self, language: str) -> None:
        self.rtl = language in RTL
        self.texts: Mapping[str, str] = TEXTS[language]
        self.fmt = Formatter(BABEL_LOCALES.get(language, language))

    def t(self, key: str, **values: str) -> str:
        return self.texts[key].format(**values)

    def para(self, text: str, st: ParagraphStyle, width: float = WIDTH) -> Paragraph:
        if self.rtl:
            lines = rtl_lines(text, st.fontName, st.fontSize, width - 4)
            return Paragraph("<br/>".join(escape(line) for line in lines), st)
        return Paragraph(escape(text), st)

    def row(self, cells: Sequence[object]) -> list[object]:
        """Table cells left to right: mirrored for right-to-left languages."""
        return list(reversed(cells)) if self.rtl else list(cells)

    def widths(self, widths: Sequence[float]) -> list[float]:
        return list(reversed(widths)) if self.rtl else list(widths)


def render_sheet(data: SheetData) -> bytes:
    """The sheet as PDF bytes. Raises UnknownSheetLanguage."""
    if data.language not in TEXTS:
        raise UnknownSheetLanguage(data.language)
    w = _Writer(data.language)
    rtl = w.rtl
    title = style("title", size=22, bold=True, rtl=rtl, space_after=6, textColor=INK)
    intro = style("intro", size=12, rtl=rtl, space_after=14)
    heading = style("heading", size=14, bold=True, rtl=rtl, space_after=6, spaceBefore=10)
    body = style("body", size=12, rtl=rtl)
    who = style("who", size=10, rtl=rtl, textColor=colors.HexColor("#4B5563"))
    first_text = style("first", size=15, bold=True, rtl=rtl, leading=20)
    number = style("number", size=28, bold=True, alignment=1, leading=32)
    step_no = style("stepno", size=14, bold=True, alignment=1)
    phone = style("phone", size=15, bold=True, alignment=0 if not rtl else 2)

    story: list[Flowable] = [
        w.para(w.t("title"), title),
        w.para(w.t("intro", name=data.household_name, date=w.fmt.day(data.made_on)), intro),
    ]
    story += _steps(w, data.steps, heading, body, who, first_text, number, step_no)
    story += _money(w, data, heading, body)
    story += _helplines(w, data, heading, body, phone)
    story += [Spacer(1, 16), w.para(w.t("keep"), style("keep", size=11, bold=True, rtl=rtl))]

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN, title=w.t("title"), author="MediaDesk",
        initialFontName=REGULAR, lang=data.language,
    )
    doc.build(story)
    return buffer.getvalue()


def _step_cell(w: _Writer, step: SheetStep, width: float, who: ParagraphStyle,
               text: ParagraphStyle) -> list[Flowable]:
    cell: list[Flowable] = [w.para(w.t(f"actor.{step.actor}") if f"actor.{step.actor}"
                                   in w.texts else step.actor, who, width)]
    cell.append(w.para(step.description or "—", text, width))
    if step.due_on is not None:
        cell.append(w.para(w.t("due", date=w.fmt.day(step.due_on)), text, width))
    return cell


def _steps(w: _Writer, steps: Sequence[SheetStep], heading: ParagraphStyle,
           body: ParagraphStyle, who: ParagraphStyle, first_text: ParagraphStyle,
           number: ParagraphStyle, step_no: ParagraphStyle) -> list[Flowable]:
    if not steps:
        return [w.para(w.t("no_steps"), body)]
    text_width = WIDTH - 2.2 * cm
    out: list[Flowable] = [w.para(w.t("first"), heading)]
    first = Table(
        [w.row([Paragraph("1", number), _step_cell(w, steps[0], text_width - 12, who,
                                                     first_text)])],
        colWidths=w.widths([2.2 * cm, text_width]),
    )
    first.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), BOLD),
        ("BACKGROUND", (0, 0), (-1, -1), STRESS),
        ("BOX", (0, 0), (-1, -1), 2.5, INK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 10),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 12),
    ]))
    out.append(first)
    if len(steps) > 1:
        out.append(w.para(w.t("then"), heading))
        rows = [w.row([Paragraph(str(index), step_no),
                       _step_cell(w, step, text_width - 12, who, body)])
                for index, step in enumerate(steps[1:], start=2)]
        table = Table(rows, colWidths=w.widths([2.2 * cm, text_width]))
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), REGULAR),
            ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.HexColor("#9CA3AF")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 6),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
        ]))
        out.append(table)
    return out


def _money(w: _Writer, data: SheetData, heading: ParagraphStyle,
           body: ParagraphStyle) -> list[Flowable]:
    lines: list[str] = []
    if data.debt_cents is not None:
        amount = w.fmt.money(data.debt_cents)
        lines.append(w.t("debt", supplier=data.supplier, amount=amount) if data.supplier
                     else w.t("debt_no_supplier", amount=amount))
    if data.monthly_cents is not None:
        line = w.t("monthly", amount=w.fmt.money(data.monthly_cents))
        if data.plan_start_on is not None:
            line += " " + w.t("plan_start", date=w.fmt.day(data.plan_start_on))
        lines.append(line)
    if data.delay_until is not None:
        lines.append(w.t("delay", date=w.fmt.day(data.delay_until)))
    out: list[Flowable] = []
    if lines:
        out.append(w.para(w.t("money"), heading))
        out += [w.para(line, body) for line in lines]
    if data.follow_up_on is not None:
        out += [Spacer(1, 8), w.para(w.t("follow_up", date=w.fmt.day(data.follow_up_on)), body)]
    return out


def _helplines(w: _Writer, data: SheetData, heading: ParagraphStyle, body: ParagraphStyle,
               phone: ParagraphStyle) -> list[Flowable]:
    desk_label = (w.t("desk_named", name=data.mediator_name) if data.mediator_name
                  else w.t("desk"))
    entries = [
        (w.t("voucher"), ENERGY_VOUCHER_PHONE),
        (w.t("energy_info"), ENERGY_INFO_PHONE),
        (desk_label, data.desk_phone or w.t("desk_none")),
    ]
    label_width, number_width = WIDTH - 5.5 * cm, 5.5 * cm
    rows = []
    for label, number in entries:
        # Phone numbers stay left to right even on a right-to-left sheet (digit groups would
        # otherwise be reordered): they get their own cell, never shaped.
        number_para = (w.para(number, body, number_width) if not number[:1].isdigit()
                       else Paragraph(escape(number), phone))
        rows.append(w.row([w.para(label, body, label_width), number_para]))
    table = Table(rows, colWidths=w.widths([label_width, number_width]))
    table.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 1, INK),
        ("LINEBELOW", (0, 0), (-1, -2), 0.5, colors.HexColor("#9CA3AF")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 7),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 9),
        ("FONTNAME", (0, 0), (-1, -1), BOLD),
    ]))
    return [w.para(w.t("helplines"), heading), table]
