"""Phone numbers: parsed and formatted with `phonenumbers`, French numbers by default."""

from __future__ import annotations

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat

DEFAULT_REGION = "FR"


class PhoneError(ValueError):
    """Raised when a text is not a phone number."""


def normalise_phone(text: str, region: str = DEFAULT_REGION) -> str:
    """Return the E.164 form ("+33612345678") of a number typed in any format.

    Raises PhoneError when the text cannot be a phone number.
    """
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException as exc:
        raise PhoneError(text) from exc
    if not phonenumbers.is_possible_number(number):
        raise PhoneError(text)
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def format_phone(e164: str) -> str:
    """Display form: national for French numbers ("06 12 34 56 78"), international otherwise."""
    if len(e164) == 12 and e164.startswith("+33") and e164[3:].isdigit() and e164[3] in "1234567":
        # Metropolitan French numbers (the common case, e.g. in search results): no parsing.
        digits = "0" + e164[3:]
        return " ".join(digits[i : i + 2] for i in range(0, 10, 2))
    try:
        number = phonenumbers.parse(e164, DEFAULT_REGION)
    except NumberParseException:
        return e164
    if number.country_code == 33:
        return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)


def phone_search_forms(e164: str) -> list[str]:
    """The digit strings under which a number is found: national and international."""
    digits = "".join(ch for ch in e164 if ch.isdigit())
    forms = [digits]
    try:
        number = phonenumbers.parse(e164, DEFAULT_REGION)
        national = phonenumbers.national_significant_number(number)
        if number.country_code == 33:
            forms.insert(0, "0" + national)
        else:
            forms.append(national)
    except NumberParseException:
        pass
    return forms
