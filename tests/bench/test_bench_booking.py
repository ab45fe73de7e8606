"""What bench/bench_booking.py reports rests on: its percentiles are nearest-rank, and its
"distinct" slots never share an office's day, so that no two bookings of the uncontested phase
compete for the same officers."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

from bench.bench_booking import distinct_slots, percentile


def _slot(office_id: int, day: int, hour: int) -> SimpleNamespace:
    room = SimpleNamespace(venue=SimpleNamespace(office_id=office_id))
    return SimpleNamespace(room=room, starts_at=datetime(2027, 3, day, hour, tzinfo=UTC))


def test_percentiles_are_the_nearest_rank():
    samples = [float(n) for n in range(1, 101)]
    assert (percentile(samples, 50), percentile(samples, 95), percentile(samples, 99)) == (50.0, 95.0, 99.0)
    assert percentile([7.0], 99) == 7.0
    assert percentile([3.0, 1.0, 2.0], 50) == 2.0


def test_distinct_slots_take_one_slot_per_office_and_day():
    slots = [_slot(1, 1, 10), _slot(1, 1, 14), _slot(2, 1, 10), _slot(1, 2, 10), _slot(2, 1, 15), _slot(3, 2, 9)]
    chosen = distinct_slots(slots, 10)
    assert chosen == [slots[0], slots[2], slots[3], slots[5]]
    assert distinct_slots(slots, 2) == [slots[0], slots[2]]
