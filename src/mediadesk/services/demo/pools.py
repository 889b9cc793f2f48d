"""Demo data random sources: the seeded generator and the pools of names, streets and towns.
`Random` is ``random.Random`` with cheap draws (``pick``, ``below``, ``between``); `Pools` holds
the small pools Faker builds once per fill (names by origin, streets, towns with their postal
codes), from which every household is assembled. Both are seeded, so the same seeds give the same
data in the main process and in the helper one.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from faker import Faker

from mediadesk.services.demo.vocabulary import MAGHREB_NAMES, WEST_AFRICAN_NAMES

T = TypeVar("T")


@dataclass(frozen=True)
class Names:
    last: list[str]
    female: list[str]
    male: list[str]


@dataclass(frozen=True)
class Pools:
    names: dict[str, Names]
    streets: list[str]
    towns: list[tuple[str, str]]

    @classmethod
    def build(cls, seed: int) -> Pools:
        fakers: dict[str, Faker] = {}
        for origin, locale in (("fr", "fr_FR"), ("tr", "tr_TR"), ("pt", "pt_PT"),
                               ("ro", "ro_RO"), ("en", "en_GB"), ("es", "es_ES")):
            fakers[origin] = Faker(locale)
            fakers[origin].seed_instance(seed)

        def drawn(make: Callable[[], str], n: int) -> list[str]:
            # Draw order (not set order) keeps pools deterministic. Dotless ı is left out: the
            # search folding cannot map it to "i".
            return [v for v in dict.fromkeys(make() for _ in range(n)) if "ı" not in v]

        names = {origin: Names(drawn(f.last_name, 600), drawn(f.first_name_female, 400),
                               drawn(f.first_name_male, 400))
                 for origin, f in fakers.items()}
        names["ar"] = Names(*(list(group) for group in MAGHREB_NAMES))
        names["wo"] = Names(*(list(group) for group in WEST_AFRICAN_NAMES))
        fr = fakers["fr"]
        streets = drawn(fr.street_name, 4000)
        towns: dict[str, str] = {}
        for _ in range(400):
            department = fr.department_number()
            prefix = "20" if department in ("2A", "2B") else department
            code = prefix + fr.numerify("#" * (4 - len(prefix))) + "0"
            towns.setdefault(fr.city(), code)
        return cls(names, streets, [(code, city) for city, code in towns.items()])


class Random(random.Random):
    """``random.Random`` with cheap draws: the stdlib's ``choice`` and ``randrange`` reject
    samples in Python (~0.5 µs each), a visible cost over a million draws. The bias of scaling
    ``random()`` is far below anything a demo can show."""

    def pick(self, seq: Sequence[T]) -> T:
        return seq[int(self.random() * len(seq))]

    def below(self, n: int) -> int:
        return int(self.random() * n)

    def between(self, start: int, stop: int) -> int:
        """An integer in [start, stop)."""
        return start + int(self.random() * (stop - start))
