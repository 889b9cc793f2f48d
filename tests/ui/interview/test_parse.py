"""Dates and amounts as a mediator types them."""

from __future__ import annotations

from datetime import date

import pytest

from mediadesk.ui.interview.parse import InputError, read_cents, read_day, show_cents, show_day


@pytest.mark.parametrize(("text", "day"), [
    ("12/03/2027", date(2027, 3, 12)),
    ("1/3/27", date(2027, 3, 1)),
    ("12.03.2027", date(2027, 3, 12)),
    ("12-3-2027", date(2027, 3, 12)),
    ("12032027", date(2027, 3, 12)),
    (" 29/02/2028 ", date(2028, 2, 29)),
    ("", None),
    ("   ", None),
])
def test_days_are_read_in_french_order(text: str, day: date | None) -> None:
    assert read_day(text) == day
    if day is not None:
        assert read_day(show_day(day)) == day


@pytest.mark.parametrize("text", ["31/02/2027", "2027-03-12", "demain", "12/13/2027", "1/1"])
def test_days_that_cannot_be_read_say_so(text: str) -> None:
    with pytest.raises(InputError):
        read_day(text)


@pytest.mark.parametrize(("text", "cents"), [
    ("840", 84_000), ("84,5", 8_450), ("1 234,56", 123_456), ("1\u202f234,56\xa0€", 123_456),
    ("12.30", 1_230), ("0", 0), ("", None),
])
def test_amounts_are_read_as_cents(text: str, cents: int | None) -> None:
    assert read_cents(text) == cents
    if cents is not None:
        assert read_cents(show_cents(cents)) == cents


@pytest.mark.parametrize("text", ["-5", "12,345", "beaucoup", "1e3", "nan", "99999999"])
def test_amounts_that_cannot_be_read_say_so(text: str) -> None:
    with pytest.raises(InputError):
        read_cents(text)
