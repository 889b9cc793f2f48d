"""Matching listing lines against known households, and duplicates inside a file. Pure.

Exact match on the customer reference or the meter point (separators and case ignored); else a
fuzzy match on name and address: accents, hyphens, case and the order of first and last names
do not count (token-sorted `difflib` ratio), and the address must agree too, so two people of
the same name in different streets stay apart. Fuzzy candidates come from two indexes (same
postal code or distinctive street word; a shared name token), never from a scan of the store.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from mediadesk.domain import text
from mediadesk.i18n import _
from mediadesk.services.listing.parsing import ImportCancelled, LineProblem, ParsedLine

Kind = Literal["new", "matched", "duplicate", "invalid"]
NAME_THRESHOLD = 0.85
ADDRESS_THRESHOLD = 0.80
_MIN_TOKEN = 3
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def fold(value: str) -> str:
    """`text.fold`, without its Unicode work for plain ASCII (most cells of a listing)."""
    if value.isascii():
        return _NON_ALNUM.sub(" ", value.lower()).strip()
    return text.fold(value)


def compact(value: str) -> str:
    """`text.compact` (a reference without separators), fast for ASCII."""
    if value.isascii():
        return _NON_ALNUM.sub("", value.lower())
    return text.compact(value)


@dataclass(frozen=True)
class KnownHousehold:
    """What matching needs of a household already in the store."""

    id: uuid.UUID
    name: str
    people: tuple[str, ...] = ()  # "first last" of each member
    street: str = ""
    postal_code: str = ""
    city: str = ""
    customer_refs: tuple[str, ...] = ()
    meter_points: tuple[str, ...] = ()


@dataclass(frozen=True)
class PreviewLine:
    line_no: int
    kind: Kind
    line: ParsedLine | None = None
    household_id: uuid.UUID | None = None  # the candidate, for "matched"
    candidate_name: str = ""
    reason: str = ""  # French: why matched, or which line it duplicates
    duplicate_of: int | None = None
    problems: tuple[LineProblem, ...] = ()


def name_key(*names: str) -> str:
    """Folded name tokens, sorted: "DUPONT-Martin Éloïse" == "eloise martin dupont"."""
    return " ".join(sorted(" ".join(fold(n) for n in names).split()))


def address_key(street: str, postal_code: str) -> str:
    return f"{fold(street)} {compact(postal_code)}".strip()


def _ratio(a: str, b: str, floor: float = 0.0) -> float:
    """difflib's ratio, or 0.0 as soon as its cheap upper bounds fall below ``floor``."""
    if not a or not b:
        return 0.0
    matcher = SequenceMatcher(None, a, b)
    if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
        return 0.0
    return matcher.ratio()


#: Street words too common to find a household by (folded).
_STREET_WORDS = frozenset({
    "rue", "avenue", "boulevard", "place", "chemin", "route", "allee", "impasse", "square",
    "quai", "cours", "residence", "lotissement", "hameau", "lieu", "dit", "des", "del", "les",
    "aux", "sur", "sous", "grand", "grande", "petit", "petite", "saint", "sainte"})


def _place_keys(street: str, postal_code: str) -> set[str]:
    """Where a household lives, as index keys: its postal code and distinctive street words."""
    keys = {"cp:" + code} if (code := compact(postal_code)) else set()
    keys.update("st:" + word for word in fold(street).split()
                if len(word) >= 4 and not word.isdigit() and word not in _STREET_WORDS)
    return keys


class Matcher:
    """Matches lines against a fixed set of known households (built once per preview)."""

    def __init__(self, known: Iterable[KnownHousehold]) -> None:
        self._by_ref: dict[str, KnownHousehold] = {}
        self._by_meter: dict[str, KnownHousehold] = {}
        # Fuzzy candidates are found through the address (postal code, distinctive street
        # words), then kept when they share a name token: never a scan of the whole store.
        self._by_place: dict[str, set[int]] = {}
        self._by_token: dict[str, set[int]] = {}
        self._known: list[tuple[KnownHousehold, tuple[str, ...], str]] = []
        for household in known:
            for ref in household.customer_refs:
                if compact(ref):
                    self._by_ref.setdefault(compact(ref), household)
            for meter in household.meter_points:
                if compact(meter):
                    self._by_meter.setdefault(compact(meter), household)
            keys = tuple(dict.fromkeys([name_key(household.name),
                                        *(name_key(p) for p in household.people)]))
            tokens = frozenset(t for key in keys for t in key.split() if len(t) >= _MIN_TOKEN)
            if not tokens or not household.street:
                continue
            index = len(self._known)
            self._known.append((household, keys,
                                address_key(household.street, household.postal_code)))
            for place in _place_keys(household.street, household.postal_code):
                self._by_place.setdefault(place, set()).add(index)
            for token in tokens:
                self._by_token.setdefault(token, set()).add(index)

    def match(self, line: ParsedLine) -> tuple[KnownHousehold, str] | None:
        """The household this line is about and the French reason, or None."""
        if line.customer_ref and (found := self._by_ref.get(compact(line.customer_ref))):
            return found, _("même référence client ({ref})").format(ref=line.customer_ref)
        if line.meter_point and (found := self._by_meter.get(compact(line.meter_point))):
            return found, _("même point de livraison ({pdl})").format(pdl=line.meter_point)
        wanted = name_key(line.name, line.first_name)
        address = address_key(line.street, line.postal_code)
        if not wanted or not fold(line.street):
            return None
        best: tuple[float, KnownHousehold] | None = None
        empty: set[int] = set()
        near = empty.union(*(self._by_place.get(place, empty)
                             for place in _place_keys(line.street, line.postal_code)))
        named = empty.union(*(self._by_token.get(token, empty) for token in wanted.split()
                              if len(token) >= _MIN_TOKEN))
        for index in sorted(near & named):
            household, keys, known_address = self._known[index]
            name_score = max(_ratio(wanted, key, NAME_THRESHOLD) for key in keys)
            if name_score < NAME_THRESHOLD:
                continue
            address_score = _ratio(address, known_address, ADDRESS_THRESHOLD)
            if address_score < ADDRESS_THRESHOLD:
                continue
            score = (name_score + address_score) / 2
            if best is None or score > best[0]:
                best = (score, household)
        if best is None:
            return None
        return best[1], _("nom et adresse proches ({score} %)").format(
            score=round(best[0] * 100))


def _identity_keys(line: ParsedLine) -> list[str]:
    keys = []
    if line.customer_ref:
        keys.append("ref:" + compact(line.customer_ref))
    if line.meter_point:
        keys.append("pdl:" + compact(line.meter_point))
    name = name_key(line.name, line.first_name)
    if name and fold(line.street):
        keys.append(f"who:{name}|{address_key(line.street, line.postal_code)}")
    return keys


def classify(lines: Sequence[ParsedLine], problems: Sequence[LineProblem], matcher: Matcher,
             *, cancel: Callable[[], bool] | None = None) -> tuple[PreviewLine, ...]:
    """One preview line per line of the file (valid or not), in file order.

    A later line with the same customer reference, meter point, or name and address as an
    earlier one is a duplicate of it. Raises ImportCancelled.
    """
    out: list[PreviewLine] = []
    first_seen: dict[str, int] = {}
    for index, line in enumerate(lines):
        if cancel is not None and index % 256 == 0 and cancel():
            raise ImportCancelled()
        keys = _identity_keys(line)
        earlier = next((first_seen[k] for k in keys if k in first_seen), None)
        if earlier is not None:
            out.append(PreviewLine(line.line_no, "duplicate", line, duplicate_of=earlier,
                                   reason=_("doublon de la ligne {line}").format(line=earlier)))
            continue
        for key in keys:
            first_seen[key] = line.line_no
        found = matcher.match(line)
        if found is None:
            out.append(PreviewLine(line.line_no, "new", line))
        else:
            household, reason = found
            out.append(PreviewLine(line.line_no, "matched", line, household.id, household.name,
                                   reason))
    by_line: dict[int, list[LineProblem]] = {}
    for problem in problems:
        by_line.setdefault(problem.line_no, []).append(problem)
    out += [PreviewLine(n, "invalid", problems=tuple(found)) for n, found in by_line.items()]
    return tuple(sorted(out, key=lambda p: p.line_no))
