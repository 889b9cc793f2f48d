"""Reading what a person types into dates and amounts, and showing them back the same way.

Dates as jj/mm/aaaa (French usage, also "12.3.27" or "12032027"); amounts in euros with a comma
or a dot ("1 234,50"), kept in integer cents. Errors are `InputError` with a French message.
Thread: any.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from mediadesk.i18n import _

_DAY = re.compile(r"^\s*(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{2}|\d{4})\s*$")
_PACKED_DAY = re.compile(r"^\s*(\d{2})(\d{2})(\d{4})\s*$")
_AMOUNT = re.compile(r"\d+(?:\.\d{1,2})?")
MAX_EUROS = 10_000_000


class InputError(ValueError):
    """What was typed cannot be read. ``message`` is French UI text, already translated."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def read_day(text: str) -> date | None:
    """``"12/03/2027"``, ``"12.3.27"`` or ``"12032027"`` as a day; empty text is None."""
    if not text.strip():
        return None
    found = _DAY.match(text) or _PACKED_DAY.match(text)
    if found is None:
        raise InputError(_("Date non reconnue : tapez-la sous la forme jj/mm/aaaa."))
    day, month, year = (int(part) for part in found.groups())
    if year < 100:
        year += 2000
    try:
        return date(year, month, day)
    except ValueError:
        raise InputError(_("Cette date n'existe pas dans le calendrier.")) from None


def show_day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value is not None else ""


def read_cents(text: str) -> int | None:
    """``"1 234,56"``, ``"1234.5 €"`` or ``"840"`` as cents; empty text is None."""
    cleaned = re.sub(r"[\s\u00a0\u202f€]", "", text).replace(",", ".")
    if not cleaned:
        return None
    if not _AMOUNT.fullmatch(cleaned) or Decimal(cleaned) >= MAX_EUROS:
        raise InputError(_("Montant non reconnu : tapez par exemple 840 ou 84,50."))
    return int(Decimal(cleaned) * 100)


def show_cents(cents: int | None) -> str:
    if cents is None:
        return ""
    euros, rest = divmod(cents, 100)
    return f"{euros},{rest:02d}" if rest else str(euros)
