"""Counting in time windows: each window counts from its first event and starts again when it
ends; a limit is passed on the count after it, and later windows are not counted once one is over."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.cache import cache

from core.windows import count_in_window, over_any_limit


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def test_a_window_counts_and_starts_again_when_it_ends():
    start = datetime.datetime(2027, 1, 1, 12, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        assert [count_in_window("k", 60) for _ in range(3)] == [1, 2, 3]
        clock.shift(61)
        assert count_in_window("k", 60) == 1


def test_the_limit_is_passed_on_the_count_after_it_and_later_windows_wait():
    limits = [(60, 2), (3600, 100)]
    assert [over_any_limit("p", limits) for _ in range(3)] == [False, False, True]
    assert cache.get("p:3600") == 2  # the third event stopped at the minute's window
