"""The household's next-step sheet, rendered from plain data and read back."""

from __future__ import annotations

from datetime import date

import pytest

from mediadesk.reports.data import SheetData, SheetStep
from mediadesk.reports.sheet import UnknownSheetLanguage, render_sheet
from mediadesk.reports.sheet_texts import AR, ENERGY_INFO_PHONE, ENERGY_VOUCHER_PHONE, TEXTS
from tests.reports.helpers import (
    all_text,
    arabic_logical,
    fonts,
    has_presentation_forms,
    runs,
)

STEPS = (
    SheetStep("household", "Se rendre au SIP avec l'avis d'imposition", date(2027, 1, 17)),
    SheetStep("household", "Appeler le numéro vert chèque énergie", date(2027, 1, 20)),
    SheetStep("mediator", "Rappeler EDF pour confirmer l'échéancier"),
)


def sheet(language: str, **changes: object) -> SheetData:
    values: dict[str, object] = dict(
        language=language, household_name="Famille Benali", made_on=date(2027, 1, 10),
        steps=STEPS, supplier="EDF", debt_cents=123_456, monthly_cents=4_500,
        plan_start_on=date(2027, 2, 1), follow_up_on=date(2027, 2, 10),
        mediator_name="Awa Diallo", desk_phone="01 23 45 67 89")
    values.update(changes)
    return SheetData(**values)  # type: ignore[arg-type]


def test_every_sheet_language_has_every_text() -> None:
    keys = set(TEXTS["fr"])
    for language, texts in TEXTS.items():
        assert set(texts) == keys, language


def test_the_french_sheet_lists_the_steps_amounts_and_helplines() -> None:
    text = all_text(render_sheet(sheet("fr")))
    assert "Famille Benali" in text
    assert "1 234,56 €" in text
    assert "45,00 €" in text
    assert "avant le 17 janvier 2027" in text
    for number in (ENERGY_VOUCHER_PHONE, ENERGY_INFO_PHONE, "01 23 45 67 89"):
        assert number in text
    positions = [text.index(step.description) for step in STEPS]
    assert positions == sorted(positions)


def test_the_first_step_is_stressed_and_the_others_are_not() -> None:
    drawn = runs(render_sheet(sheet("fr")))
    first = next(r for r in drawn if r.text.startswith("Se rendre au SIP"))
    second = next(r for r in drawn if r.text.startswith("Appeler le numéro vert"))
    assert first.font == "DejaVuSans-Bold" and first.size > second.size
    assert second.font == "DejaVuSans"
    assert any(r.text == "À faire en premier" for r in drawn)


def test_the_english_sheet_speaks_english() -> None:
    text = all_text(render_sheet(sheet("en")))
    assert "Your next steps" in text
    assert "Do this first" in text
    assert "€1,234.56" in text
    assert "by 17 January 2027" in text


def test_the_arabic_sheet_is_shaped_and_keeps_the_phone_numbers_readable() -> None:
    pdf = render_sheet(sheet("ar"))
    text = all_text(pdf)
    assert has_presentation_forms(text)
    logical = arabic_logical(text)
    for key in ("title", "first", "helplines"):
        for word in AR[key].split():
            assert word in logical or word[::-1] in logical, (key, word)
    assert ENERGY_VOUCHER_PHONE in text and ENERGY_INFO_PHONE in text
    assert "Famille Benali" in text


@pytest.mark.parametrize("language", ["fr", "en", "ar"])
def test_every_font_is_embedded(language: str) -> None:
    embedded = fonts(render_sheet(sheet(language)))
    assert embedded and all(embedded.values()), embedded


def test_a_sheet_without_steps_says_so() -> None:
    assert "Aucune étape" in all_text(render_sheet(sheet("fr", steps=())))


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(UnknownSheetLanguage):
        render_sheet(sheet("tlh"))
