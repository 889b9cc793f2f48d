"""Text folding for search and matching: accents, case and punctuation do not count."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# Letters that Unicode does not decompose into a base letter plus an accent.
_UNDECOMPOSED = str.maketrans({"ı": "i", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d",
                               "Đ": "d", "ð": "d", "þ": "th", "ħ": "h"})


def fold(text: str) -> str:
    """Lower-case, strip accents and turn every run of punctuation into one space.

    "Éloïse  D'Hérouville-Saint" -> "eloise d herouville saint"; "Œuvre" -> "oeuvre".
    """
    if text.isascii():
        # Nothing to decompose or strip (most references, postcodes, many names): the same
        # result in a fraction of the time (indexing an imported listing folds ~60,000 values).
        return _NON_ALNUM.sub(" ", text.lower()).strip()
    text = text.translate(_UNDECOMPOSED)
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_ALNUM.sub(" ", stripped).strip()


def search_tokens(text: str) -> list[str]:
    """Tokens of a text as the search index sees them.

    Consecutive all-digit tokens are joined, so a phone number or a reference typed with any
    spacing ("06 12 34", "06.12.34", "0612 34") gives the same token "061234". A leading
    international prefix "00" is dropped ("0033 6" -> "336").
    """
    out: list[str] = []
    digits = ""
    for token in fold(text).split():
        if token.isdigit():
            digits += token
            continue
        if digits:
            out.append(_strip_intl(digits))
            digits = ""
        out.append(token)
    if digits:
        out.append(_strip_intl(digits))
    return out


def _strip_intl(digits: str) -> str:
    return digits[2:] if digits.startswith("00") and len(digits) > 2 else digits


def compact(text: str) -> str:
    """A reference without any separator: "CR-1234 5678" -> "cr12345678"."""
    return fold(text).replace(" ", "")
