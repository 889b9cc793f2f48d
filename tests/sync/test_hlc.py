"""Hybrid logical clock: total order, send/receive per the HLC paper, encoding, clamping."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mediadesk.sync.hlc import MAX_COUNTER, HybridClock, Timestamp, clamp

timestamps = st.builds(
    Timestamp,
    st.integers(0, 10**15 - 1),
    st.integers(0, MAX_COUNTER),
    st.text(alphabet="abcz-:09", max_size=6),
)


class FakeTime:
    def __init__(self, now: int) -> None:
        self.now = now

    def __call__(self) -> int:
        return self.now


def test_send_uses_the_physical_clock_when_it_moves_forward() -> None:
    clock = HybridClock("a", FakeTime(5_000))
    assert clock.send() == Timestamp(5_000, 0, "a")


def test_send_counts_when_the_physical_clock_stalls_or_goes_back() -> None:
    time = FakeTime(5_000)
    clock = HybridClock("a", time)
    first = clock.send()
    time.now = 4_000
    second = clock.send()
    assert second == Timestamp(5_000, 1, "a")
    assert first < second


@pytest.mark.parametrize(
    ("last_wall", "remote", "physical", "expected"),
    [
        (100, Timestamp(200, 3, "b"), 150, Timestamp(200, 4, "a")),  # remote ahead
        (300, Timestamp(200, 3, "b"), 150, Timestamp(300, 1, "a")),  # local ahead
        (200, Timestamp(200, 7, "b"), 150, Timestamp(200, 8, "a")),  # same wall: max counter + 1
        (100, Timestamp(200, 3, "b"), 900, Timestamp(900, 0, "a")),  # physical ahead of both
    ],
)
def test_receive_follows_the_hlc_paper(
    last_wall: int, remote: Timestamp, physical: int, expected: Timestamp
) -> None:
    time = FakeTime(last_wall)
    clock = HybridClock("a", time)
    clock.send()
    time.now = physical
    assert clock.receive(remote) == expected


def test_the_server_clamps_a_far_future_clock_instead_of_refusing_it() -> None:
    server = HybridClock("server", FakeTime(10_000), horizon_ms=1_000)
    stamped = server.receive(Timestamp(10**12, 0, "broken-laptop"))
    assert stamped.wall_ms == 11_000
    assert clamp(Timestamp(10**12, 4, "x"), 10_000, 1_000) == Timestamp(11_000, 4, "x")
    assert clamp(Timestamp(10_500, 4, "x"), 10_000, 1_000) == Timestamp(10_500, 4, "x")


def test_a_counter_overflow_moves_the_logical_wall_forward() -> None:
    clock = HybridClock("a", FakeTime(10))
    clock.receive(Timestamp(10, MAX_COUNTER, "b"))
    assert clock.last == Timestamp(11, 0, "a")


def test_out_of_range_timestamps_are_refused() -> None:
    with pytest.raises(ValueError):
        Timestamp(-1)
    with pytest.raises(ValueError):
        Timestamp.decode("12:3:a")


@given(timestamps)
def test_encoding_round_trips(ts: Timestamp) -> None:
    assert Timestamp.decode(ts.encode()) == ts


@given(timestamps, timestamps)
def test_encoded_order_is_the_timestamp_order(a: Timestamp, b: Timestamp) -> None:
    assert (a < b) == (a.encode() < b.encode())


@given(st.lists(st.tuples(st.booleans(), st.integers(0, 50), timestamps), max_size=30))
def test_a_clock_never_goes_backwards(events: list[tuple[bool, int, Timestamp]]) -> None:
    time = FakeTime(0)
    clock = HybridClock("a", time, horizon_ms=100)
    previous = clock.last
    for is_send, physical, remote in events:
        time.now = physical
        current = clock.send() if is_send else clock.receive(remote)
        assert current > previous
        previous = current
