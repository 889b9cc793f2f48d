"""The readable half of a right-of-access export: everything held on a household, listed.

Plain data in (sections of rows as text pairs), PDF bytes out. Every field is printed, empty
ones included, so the person sees exactly what is stored.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer

from mediadesk.i18n import _
from mediadesk.reports.common import escape, style

MARGIN = 1.8 * cm


@dataclass(frozen=True)
class AccessSection:
    title: str
    rows: Sequence[Sequence[tuple[str, str]]]  # each row: (field, value) pairs


def render_access_export(title: str, generated: str,
                         sections: Sequence[AccessSection]) -> bytes:
    """The access export as PDF bytes."""
    heading = style("t", size=15, bold=True, space_after=4)
    section_style = style("s", size=12, bold=True, space_after=2)
    body = style("b", size=8.5)
    story: list[Flowable] = [
        Paragraph(escape(title), heading),
        Paragraph(escape(generated), body),
        Paragraph(escape(_("Document confidentiel : il contient des données personnelles. Il est "
                           "remis dans une archive protégée par mot de passe.")), body),
        Spacer(1, 8),
    ]
    for section in sections:
        story.append(Paragraph(escape(f"{section.title} ({len(section.rows)})"), section_style))
        for row in section.rows:
            text = " · ".join(f"<b>{escape(name)}</b> : {escape(value)}" for name, value in row)
            story.append(Paragraph(text, body))
            story.append(Spacer(1, 3))
        story.append(Spacer(1, 6))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                      topMargin=MARGIN, bottomMargin=MARGIN, title=title).build(story)
    return buffer.getvalue()
