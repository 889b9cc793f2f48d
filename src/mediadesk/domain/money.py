"""Money is always held as an integer number of euro cents."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_SPACES = re.compile(r"[\s\u00a0\u202f']")


class AmountError(ValueError):
    """Raised when a text cannot be read as an amount of euros."""


def parse_euros(text: str) -> int:
    """Read a French-formatted amount ("1 234,56 €", "12.5", "-3") into cents.

    Raises AmountError when the text is not an amount.
    """
    cleaned = _SPACES.sub("", text.replace("€", "").replace("EUR", "")).strip()
    if "," in cleaned and "." in cleaned:
        cleaned = cleaned.replace(".", "")
    cleaned = cleaned.replace(",", ".")
    if not re.fullmatch(r"[+-]?\d+(\.\d{1,2})?", cleaned):
        raise AmountError(text)
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:  # pragma: no cover - guarded by the regex above
        raise AmountError(text) from exc
    return int((value * 100).to_integral_value())
