"""Freezing the outbox into changesets: a row's insert is never split across changesets, so the
fields of a record (an audit event's ``action`` and ``household_id``) always travel together."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

from mediadesk.sync.device_push import _batches
from tests.sync.laptops import Laptop
from tests.sync.server.fixtures import Server, make_server


@pytest.fixture
def laptop(tmp_path: Path) -> Iterator[Laptop]:
    server: Server = make_server(f"sqlite:///{tmp_path / 'server.sqlite3'}", postgres=False)
    server.team("Lyon Est")
    server.member("awa@pimms.test", "Lyon Est")
    awa = Laptop.enrolled(server, tmp_path, "awa", "awa@pimms.test")
    awa.sync()
    yield awa
    awa.close()
    server.close()


def test_a_row_insert_is_never_split_across_changesets(laptop: Laptop) -> None:
    for n in range(3):
        laptop.new_household(f"Famille Test {n}")

    changesets = laptop.service.device.changesets(max_ops=4)  # fewer than a row's fields

    holding: dict[str, set[int]] = defaultdict(set)
    for changeset in changesets:
        for op in changeset.ops:
            holding[op.r].add(changeset.client_seq)
    assert len(changesets) > 1
    assert {row: len(seqs) for row, seqs in holding.items() if len(seqs) > 1} == {}
    assert laptop.sync().rejected == 0


@pytest.mark.parametrize(
    ("cuts", "total", "max_ops", "expected"),
    [
        ([0, 3, 6, 9], 12, 5, [(0, 3), (3, 6), (6, 9), (9, 12)]),
        ([0, 2, 4], 6, 4, [(0, 4), (4, 6)]),
        ([0, 1, 11], 13, 4, [(0, 1), (1, 11), (11, 13)]),  # a long row: a changeset alone
        ([0], 3, 10, [(0, 3)]),
        ([], 0, 10, []),
    ],
)
def test_changesets_are_cut_only_between_rows(
    cuts: list[int], total: int, max_ops: int, expected: list[tuple[int, int]]
) -> None:
    assert _batches(cuts, total, max_ops) == expected
