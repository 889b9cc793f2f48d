from __future__ import annotations

import re
import unicodedata

import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st
from phonenumbers import PhoneNumberFormat

from mediadesk.domain.money import AmountError, parse_euros
from mediadesk.domain.phones import PhoneError, format_phone, normalise_phone
from mediadesk.domain.text import compact, fold, search_tokens


@pytest.mark.parametrize(("text", "folded"), [
    ("Éloïse  D'Hérouville-Saint", "eloise d herouville saint"),
    ("Œuvre Æther", "oeuvre aether"),
    ("Yıldız Łukasz Søren Straße", "yildiz lukasz soren strasse"),
    ("Nguyễn Thị", "nguyen thi"),
    ("  --  ", ""),
])
def test_fold_drops_accents_case_and_punctuation(text: str, folded: str) -> None:
    assert fold(text) == folded


def _unicode_fold(text: str) -> str:
    """What `fold` does to any text, without its ASCII shortcut (the reference it must match)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^0-9a-z]+", " ", stripped).strip()


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_the_ascii_shortcut_folds_as_unicode_normalisation_does(text: str) -> None:
    assert fold(text) == _unicode_fold(text)


@pytest.mark.parametrize(("text", "tokens"), [
    ("06 12 34", ["061234"]),
    ("06.12.34.56", ["06123456"]),
    ("+33 6 12", ["33612"]),
    ("0033 6 12", ["33612"]),
    ("12 rue de la Paix", ["12", "rue", "de", "la", "paix"]),
    ("dupont 06 12", ["dupont", "0612"]),
])
def test_search_tokens_join_digit_groups(text: str, tokens: list[str]) -> None:
    assert search_tokens(text) == tokens


def test_compact_references() -> None:
    assert compact("CR-4455 6677") == "cr44556677"


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_the_fast_french_format_equals_the_library(digits: str) -> None:
    e164 = "+33" + digits
    try:
        expected = phonenumbers.format_number(phonenumbers.parse(e164, "FR"),
                                              PhoneNumberFormat.NATIONAL)
    except phonenumbers.NumberParseException:
        return
    assert format_phone(e164) == expected


@pytest.mark.parametrize("typed", ["06 12 34 56 78", "+33 6 12 34 56 78", "0033612345678",
                                   "06.12.34.56.78", "(0)6-12-34-56-78"])
def test_phone_numbers_typed_any_way_normalise_alike(typed: str) -> None:
    assert normalise_phone(typed) == "+33612345678"


@pytest.mark.parametrize("typed", ["12", "pas un numéro", ""])
def test_not_a_phone_number(typed: str) -> None:
    with pytest.raises(PhoneError):
        normalise_phone(typed)


@pytest.mark.parametrize(("text", "cents"), [
    ("1 234,56 €", 123456), ("1\u202f234,56\xa0€", 123456), ("12.5", 1250), ("-3", -300),
    ("1.234,50", 123450), ("0,07 EUR", 7),
])
def test_french_amounts(text: str, cents: int) -> None:
    assert parse_euros(text) == cents


@pytest.mark.parametrize("text", ["douze euros", "1,2,3", "", "12,345"])
def test_not_an_amount(text: str) -> None:
    with pytest.raises(AmountError):
        parse_euros(text)
