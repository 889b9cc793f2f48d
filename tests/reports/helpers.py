"""Reading generated PDFs back: text, fonts, embedded font files."""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass

from pypdf import PdfReader


@dataclass(frozen=True)
class Run:
    text: str
    font: str
    size: float


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def spaces(text: str) -> str:
    """No-break and narrow no-break spaces (Babel's French) as plain spaces."""
    return text.replace("\u202f", " ").replace("\xa0", " ")


def page_texts(pdf: bytes) -> list[str]:
    return [spaces(page.extract_text()) for page in reader(pdf).pages]


def all_text(pdf: bytes) -> str:
    return "\n".join(page_texts(pdf))


def runs(pdf: bytes) -> list[Run]:
    """Every text run with the font it was drawn in (subset prefix removed)."""
    found: list[Run] = []

    def visit(text: str, _cm: object, _tm: object, font: object, size: float) -> None:
        if text.strip() and font is not None:
            name = str(font.get("/BaseFont", ""))  # type: ignore[attr-defined]
            found.append(Run(spaces(text).strip(), name.split("+")[-1], size))

    for page in reader(pdf).pages:
        page.extract_text(visitor_text=visit)
    return found


def fonts(pdf: bytes) -> dict[str, bool]:
    """Font name -> whether its TrueType file is embedded (/FontFile2)."""
    result: dict[str, bool] = {}
    for page in reader(pdf).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            if "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            embedded = descriptor is not None and "/FontFile2" in descriptor.get_object()
            result[str(font["/BaseFont"]).split("+")[-1]] = embedded
    return result


def arabic_logical(text: str) -> str:
    """Extracted Arabic brought back to plain letters: presentation forms (what shaping
    draws) folded to the base letters."""
    return unicodedata.normalize("NFKC", text)


def has_presentation_forms(text: str) -> bool:
    """True when Arabic was shaped (joined glyph forms, U+FB50..U+FEFF)."""
    return any(0xFB50 <= ord(ch) <= 0xFEFF for ch in text)
