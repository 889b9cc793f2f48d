"""Demo data generator: `Maker` builds the rows (dicts by column) of one household at a time,
drawing from one seeded `Random` and the Faker-built `Pools`: members, phones, languages, then
the energy contracts, debts and payment plans (`energy`) and the journal (`journal`: contacts,
interviews with answers and consents, next steps, orientations, notes, follow-up, incident) over
the last `HISTORY_DAYS` days.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any

from mediadesk.domain.ids import new_id
from mediadesk.domain.text import fold
from mediadesk.services.demo.bulk import TABLES
from mediadesk.services.demo.draw import HISTORY_DAYS, Draw, HouseholdContext, Rows
from mediadesk.services.demo.energy import add_energy
from mediadesk.services.demo.journal import add_journal
from mediadesk.services.demo.pools import Names, Pools, Random
from mediadesk.services.demo.vocabulary import (
    ADDRESS_EXTRAS,
    EMAIL_DOMAINS,
    FR_NAME_ORIGINS,
    LANGUAGES,
    MEMBER_COUNTS,
    NAME_ORIGIN,
    OUTCOMES,
    PHONE_STATUSES,
    STATUSES,
    STREET_NUMBERS,
    VULNERABILITIES,
)


class Maker:
    """Builds the rows of one household at a time from the pools and one random generator."""

    def __init__(self, rng: Random, pools: Pools, stamp: dict[str, Any],
                 sites: list[Any], partners: dict[str, list[Any]], today: date) -> None:
        self.rng, self.pools, self.today = rng, pools, today
        self.draw = Draw(rng, stamp, sites, partners, today)

    def chunk(self, size: int) -> tuple[Rows, list[uuid.UUID]]:
        """The rows of ``size`` households, by table name, and the households' ids."""
        rows: Rows = {table.name: [] for table in TABLES}
        return rows, [self.household(rows) for _ in range(size)]

    def household(self, rows: Rows) -> uuid.UUID:
        """Append one household and its dossier to ``rows``; return its id."""
        rng = self.rng
        first_day = self.today - timedelta(days=rng.below(HISTORY_DAYS))
        created = self.draw.moment(first_day)
        language = rng.pick(LANGUAGES)
        origin = rng.pick(FR_NAME_ORIGINS) if language == "fr" else NAME_ORIGIN[language]
        hh_id = new_id()
        people, female = self._members(hh_id, created, self.pools.names[origin])
        holder = people[0]
        rows["person"] += people
        languages = [language]
        if language != "fr" and rng.random() < 0.6:
            languages.append("fr")
        interpreter = "fr" not in languages and rng.random() < 0.75
        rows["household_language"] += [self.draw.row(created, household_id=hh_id, language=lang)
                                       for lang in languages]
        phones = self._phones(hh_id, created, holder["id"])
        rows["phone"] += phones
        postal_code, city = rng.pick(self.pools.towns)
        flags = {rng.pick(VULNERABILITIES) for _ in range(rng.below(3))}
        household = self.draw.row(
            created, name=self._household_name(people, female),
            street=f"{rng.pick(STREET_NUMBERS)} {rng.pick(self.pools.streets)}",
            address_extra=rng.pick(ADDRESS_EXTRAS) if rng.random() < 0.3 else None,
            postal_code=postal_code, city=city,
            email=self._email(holder) if rng.random() < 0.35 else None,
            interpreter_needed=interpreter, referent_id=self.draw.user,
            site_id=rng.pick(self.draw.sites),
            vulnerability_flags=sorted(flags | ({"language"} if interpreter else set())),
            status="open", outcome=None, last_contact_on=None)
        household["id"] = hh_id
        rows["household"].append(household)
        ctx = HouseholdContext(hh_id, holder["id"], "Mme" if female else "M.", holder["last_name"],
                       first_day, language)
        add_energy(self.draw, rows, ctx)
        last_contact = add_journal(self.draw, rows, ctx, phones)
        household["last_contact_on"] = last_contact
        status = rng.pick(STATUSES)
        if status == "open" and (self.today - last_contact).days > 300:
            status = "dormant"
        household["status"] = status
        if status == "closed":
            household["outcome"] = rng.pick(OUTCOMES)
        return hh_id

    def _members(self, hh_id: Any, at: datetime, names: Names
                 ) -> tuple[list[dict[str, Any]], bool]:
        rng, this_year = self.rng, self.today.year
        last = rng.pick(names.last)
        female = rng.random() < 0.62  # most people met at the desks are women
        year = this_year - 20 - rng.below(65)
        people = [self._person(hh_id, at, 0, names, female, last, "holder", year)]
        for position in range(1, rng.pick(MEMBER_COUNTS)):
            if position == 1 and rng.random() < 0.5:
                spouse_last = last if rng.random() < 0.7 else rng.pick(names.last)
                people.append(self._person(hh_id, at, position, names, not female, spouse_last,
                                           "spouse", year + rng.between(-6, 7)))
            elif year < this_year - 38 or rng.random() < 0.3:
                child_year = min(max(year + 18 + rng.below(22), this_year - 24), this_year)
                people.append(self._person(hh_id, at, position, names, rng.random() < 0.5,
                                           last, "child", child_year))
            else:
                people.append(self._person(hh_id, at, position, names, rng.random() < 0.5,
                                           rng.pick(names.last),
                                           rng.pick(("relative", "relative", "other")),
                                           this_year - 18 - rng.below(70)))
        return people, female

    def _person(self, hh_id: Any, at: datetime, position: int, names: Names, female: bool,
                last: str, role: str, year: int) -> dict[str, Any]:
        first = self.rng.pick(names.female if female else names.male)
        return self.draw.row(at, household_id=hh_id, position=position, first_name=first,
                         last_name=last, role=role, birth_year=year)

    def _household_name(self, people: list[dict[str, Any]], female: bool) -> str:
        holder = people[0]
        if len(people) > 1 and people[1]["role"] == "spouse" and (
                people[1]["last_name"] == holder["last_name"]):
            return f"M. et Mme {holder['last_name']}"
        if len(people) >= 3 and self.rng.random() < 0.5:
            return f"Famille {holder['last_name']}"
        return f"{'Mme' if female else 'M.'} {holder['first_name']} {holder['last_name']}"

    def _email(self, holder: dict[str, Any]) -> str:
        local = fold(f"{holder['first_name']}.{holder['last_name']}").replace(" ", ".")
        return local + self.rng.pick(EMAIL_DOMAINS)

    def _phones(self, hh_id: Any, at: datetime, holder_id: Any) -> list[dict[str, Any]]:
        rng = self.rng
        phones = []
        for position in range(rng.pick((1, 1, 1, 2, 2, 3))):
            if position == 0 or rng.random() < 0.6:  # mobiles: 06, 073-079
                prefix = "6" + rng.pick("0123456789") if rng.random() < 0.8 else (
                    "7" + rng.pick("3456789"))
            else:  # landlines: 01-05, 09 (box)
                prefix = rng.pick("123459") + rng.pick("0123456789")
            phones.append(self.draw.row(
                at, household_id=hh_id, person_id=holder_id if position == 0 else None,
                position=position, number=f"+33{prefix}{rng.below(10**7):07d}",
                status=rng.pick(PHONE_STATUSES)))
        return phones
