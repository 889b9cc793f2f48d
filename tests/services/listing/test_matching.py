"""Fuzzy matching rules, without a store."""

from __future__ import annotations

import uuid

from mediadesk.services.listing.matching import KnownHousehold, Matcher, classify, name_key
from mediadesk.services.listing.parsing import ParsedLine

KNOWN = KnownHousehold(uuid.uuid4(), "N'DIAYE Fatou", ("Fatou N'Diaye",), "5 allée Érable",
                       "77000", "Melun", ("CR 12-34",), ("0912 3456 7890 12",))


def parsed(line_no: int, name: str, first: str = "", street: str = "", ref: str = "",
           postal_code: str = "77000") -> ParsedLine:
    return ParsedLine(line_no=line_no, raw={}, name=name, first_name=first, street=street,
                      customer_ref=ref, postal_code=postal_code)


def test_names_match_whatever_the_order_accents_hyphens_and_case() -> None:
    assert name_key("N'DIAYE", "Fatou") == name_key("fatou n diaye")
    found = Matcher([KNOWN]).match(parsed(2, "Fatou", "N-Diaye", street="5 ALLEE ERABLE"))
    assert found is not None and found[0].id == KNOWN.id


def test_the_same_name_elsewhere_or_without_address_is_not_a_match() -> None:
    matcher = Matcher([KNOWN])
    assert matcher.match(parsed(2, "N'DIAYE", "Fatou", street="80 boulevard Voltaire",
                                postal_code="75011")) is None
    assert matcher.match(parsed(3, "N'DIAYE", "Fatou")) is None


def test_references_match_without_their_separators() -> None:
    found = Matcher([KNOWN]).match(parsed(2, "Autre", ref="cr1234"))
    assert found is not None and "référence" in found[1]


def test_duplicates_inside_the_file_point_to_the_first_line() -> None:
    lines = [parsed(2, "MARTIN", "Léo", ref="A1"), parsed(3, "Martin", "Leo", ref="a-1"),
             parsed(4, "LEO", "MARTIN", street="2 rue X"), parsed(5, "martin", "léo",
                                                                  street="2, rue X")]
    kinds = [(p.kind, p.duplicate_of) for p in classify(lines, (), Matcher([]))]
    assert kinds == [("new", None), ("duplicate", 2), ("new", None), ("duplicate", 4)]
