"""What every document shares: the embedded fonts, text shaping for right-to-left scripts,
styles and Babel formatting for a given language.

The fonts (DejaVu Sans, free licence, Latin and Arabic glyphs) ship inside the package and are
embedded in every PDF, so accents and non-Latin scripts print on any machine.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from mediadesk.i18n import _

FONT_DIR = Path(__file__).resolve().parent.parent / "resources" / "fonts"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
CONFIDENTIAL_RED = colors.HexColor("#B91C1C")

_BIDI_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067"
                                     "\u2068\u2069"))


def register_fonts() -> None:
    """Register the embedded fonts with reportlab (idempotent)."""
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, filename in ((REGULAR, "DejaVuSans.ttf"), (BOLD, "DejaVuSans-Bold.ttf")):
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR,
                                  boldItalic=BOLD)


def escape(text: str) -> str:
    """Text made safe for reportlab's paragraph mini-markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def visual(text: str) -> str:
    """Right-to-left text in the order and shapes it is drawn: Arabic letters joined
    (presentation forms), then runs reordered by the Unicode bidi algorithm. One line only:
    wrap with `rtl_lines` first."""
    import arabic_reshaper
    from bidi import get_display

    shaped = str(arabic_reshaper.reshape(text))
    return str(get_display(shaped, base_dir="R")).translate(_BIDI_MARKS)


def rtl_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """Wrap right-to-left ``text`` into lines of at most ``width`` points in logical order,
    then turn each line into its visual form (wrapping after reordering would put the end of
    the sentence on the first line)."""
    import arabic_reshaper

    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        shaped = str(arabic_reshaper.reshape(candidate))
        if current and pdfmetrics.stringWidth(shaped, font, size) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return [visual(line) for line in lines]


def style(name: str, *, size: float = 10, bold: bool = False, leading: float | None = None,
          rtl: bool = False, space_after: float = 0, **extra: object) -> ParagraphStyle:
    """A paragraph style in the embedded font (right aligned for right-to-left languages)."""
    register_fonts()
    options: dict[str, object] = {"alignment": 2 if rtl else 0, **extra}
    return ParagraphStyle(
        name, fontName=BOLD if bold else REGULAR, fontSize=size,
        leading=leading or size * 1.3, spaceAfter=space_after, **options,
    )


class Formatter:
    """Dates and euros in one Babel locale (independent of the UI's active language)."""

    def __init__(self, locale: str) -> None:
        self.locale = locale

    def money(self, cents: int) -> str:
        from babel.numbers import format_currency

        return str(format_currency(cents / 100, "EUR", locale=self.locale))

    def day(self, value: date) -> str:
        from babel.dates import format_date

        return str(format_date(value, format="long", locale=self.locale))

    def short_day(self, value: date) -> str:
        from babel.dates import format_date

        return str(format_date(value, format="short", locale=self.locale))


def draw_confidential(canvas: Canvas, page: tuple[float, float], margin: float,
                      notice: str) -> None:
    """CONFIDENTIEL and ``notice`` (what the personal data may be used for) at the top of a
    page of a document carrying personal data; the canvas state is left as found."""
    width, height = page
    canvas.saveState()
    canvas.setFillColor(CONFIDENTIAL_RED)
    canvas.setFont(BOLD, 11)
    canvas.drawCentredString(width / 2, height - margin + 0.1 * cm, _("CONFIDENTIEL"))
    canvas.setFont(REGULAR, 7.5)
    canvas.drawCentredString(width / 2, height - margin - 0.3 * cm, notice)
    canvas.restoreState()
