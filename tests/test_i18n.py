"""Catalogs are complete, compiled and faithful; formatting follows the active language."""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from mediadesk import i18n

ROOT = Path(__file__).resolve().parents[1]
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None, "pgettext": ((1, "c"), 2)}
PLACEHOLDER = re.compile(r"\{[a-z_]*(?::[^}]*)?\}")


def _source_messages() -> set[tuple[str, str | None]]:
    """(message id, context) of every marked string in the code."""
    found = set()
    for _file, _line, message, _comments, context in extract_from_dir(
        str(ROOT / "src" / "mediadesk"), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        found.add((message if isinstance(message, str) else message[0], context))
    return found


def _translated(string: str | tuple[str, ...] | None) -> bool:
    """A singular string, or every plural form, is filled."""
    if isinstance(string, tuple):
        return all(string)
    return bool(string)


def _catalog(language: str):  # type: ignore[no-untyped-def]
    with open(ROOT / "translations" / language / "LC_MESSAGES" / "mediadesk.po", "rb") as handle:
        return read_po(handle)


@pytest.fixture
def english() -> Iterator[None]:
    i18n.set_language("en")
    yield
    i18n.set_language("fr")


def test_every_ui_string_has_an_english_translation() -> None:
    catalog = _catalog("en")
    missing = []
    for message_id, context in sorted(_source_messages(), key=str):
        entry = catalog.get(message_id, context=context)
        if entry is None or not _translated(entry.string) or entry.fuzzy:
            missing.append(message_id)
    assert missing == [], f"{len(missing)} untranslated, e.g. {missing[:5]}"


def test_translations_keep_every_placeholder() -> None:
    for message in _catalog("en"):
        if message.id and isinstance(message.id, str) and message.string:
            assert set(PLACEHOLDER.findall(message.id)) == set(
                PLACEHOLDER.findall(str(message.string))), message.id


def test_the_shipped_compiled_catalog_matches_its_source() -> None:
    mo = ROOT / "src" / "mediadesk" / "locale" / "en" / "LC_MESSAGES" / "mediadesk.mo"
    with open(mo, "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for message in _catalog("en"):
        if not message.id or not _translated(message.string):
            continue
        if isinstance(message.id, tuple):
            singular, plural = message.id
            assert compiled.ngettext(singular, plural, 1) == message.string[0], singular
            assert compiled.ngettext(singular, plural, 2) == message.string[1], singular
        elif message.context:
            assert compiled.pgettext(message.context, message.id) == message.string, message.id
        else:
            assert compiled.gettext(message.id) == message.string, message.id


def test_switching_language_translates_and_formats(english: None) -> None:
    assert i18n.current_language() == "en"
    assert i18n._("Phrase de passe changée.") == "Passphrase changed."
    assert i18n.format_money(123456) == "€1,234.56"


def test_french_is_the_default_with_french_formats() -> None:
    assert i18n._("Phrase de passe changée.") == "Phrase de passe changée."
    assert i18n.format_money(123456) == "1\u202f234,56\xa0€"
    assert i18n.format_day(date(2026, 3, 31)) == "31 mars 2026"
    assert "en" in i18n.available_languages()


def test_listeners_hear_language_changes(english: None) -> None:
    heard: list[str] = []
    i18n.on_language_changed(heard.append)
    i18n.set_language("fr")
    assert heard == ["fr"]


def test_french_takes_the_singular_for_zero_and_one() -> None:
    i18n.set_language("fr")
    counts = {n: i18n.ngettext("{n} essai", "{n} essais", n).format(n=n) for n in (0, 1, 2)}
    assert counts == {0: "0 essai", 1: "1 essai", 2: "2 essais"}


def test_a_message_missing_from_the_english_catalog_keeps_the_english_rule() -> None:
    i18n.set_language("en")
    try:
        assert [i18n.ngettext("{n} essai", "{n} essais", n) for n in (0, 1)] == [
            "{n} essais", "{n} essai"]
    finally:
        i18n.set_language("fr")
