"""The one gettext/Babel entry point of MediaDesk.

French is the source language: `_()` returns its argument untouched when the active language is
French, and the translation from the compiled catalog otherwise. Catalog sources live in the
repository's ``translations/`` folder; compiled ``.mo`` files ship inside the package under
``mediadesk/locale``. Never install ``_`` into builtins: import it from here.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale

DOMAIN = "mediadesk"
SOURCE_LANGUAGE = "fr"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"



class _FrenchSource(gettext.NullTranslations):
    """The source language itself: messages as written, with French plural rules
    (0 and 1 take the singular: "0 dossier", "1 dossier", "2 dossiers")."""

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return msgid1 if n <= 1 else msgid2

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return msgid1 if n <= 1 else msgid2


_translations: gettext.NullTranslations = _FrenchSource()
_language = SOURCE_LANGUAGE
_listeners: list[Callable[[str], None]] = []


def available_languages() -> tuple[str, ...]:
    """Languages the UI can be shown in (French plus every compiled catalog)."""
    compiled = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))
    return (SOURCE_LANGUAGE, *[lang for lang in compiled if lang != SOURCE_LANGUAGE])


def set_language(language: str) -> None:
    """Switch the active UI language and tell listeners (widgets that retranslate live)."""
    global _translations, _language
    if language == SOURCE_LANGUAGE:
        _translations = _FrenchSource()
    else:
        _translations = gettext.translation(
            DOMAIN, localedir=LOCALE_DIR, languages=[language], fallback=True
        )
    _language = language
    for listener in list(_listeners):
        listener(language)


def current_language() -> str:
    return _language


def on_language_changed(listener: Callable[[str], None]) -> None:
    _listeners.append(listener)


def _(message: str) -> str:
    """Translate a UI message (French source text)."""
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _translations.pgettext(context, message)


def N_(message: str) -> str:
    """Mark a message for extraction without translating it now."""
    return message


# Babel's locale data loads on first formatting, not at start-up.
def _locale() -> Locale:
    from babel import Locale

    return Locale.parse({"fr": "fr_FR", "en": "en_GB", "ar": "ar"}.get(_language, _language))


def language_name(code: str) -> str:
    """The name of a language in the UI language ("arabe" for ``ar`` in French); the code
    itself when Babel does not know it."""
    from babel import Locale, UnknownLocaleError

    try:
        names = Locale.parse(current_language()).languages
    except (UnknownLocaleError, ValueError):
        return code
    return str(names.get(code, code))


def format_money(cents: int) -> str:
    """Format an amount in cents as euros for the active language ("1 234,56 €" in French)."""
    from babel.numbers import format_currency

    return format_currency(cents / 100, "EUR", locale=_locale())


def format_number(value: float | int) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, locale=_locale())


def format_day(value: date) -> str:
    from babel.dates import format_date

    return format_date(value, format="medium", locale=_locale())


def format_moment(value: datetime) -> str:
    """Date and time of day, in this computer's time zone (stored values are UTC)."""
    from babel.dates import format_datetime

    local = value.astimezone() if value.tzinfo is not None else value
    return format_datetime(local, format="short", locale=_locale())
