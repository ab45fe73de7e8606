"""Counting requests in fixed time windows in the shared cache: how every per-address or
per-client limit of the service counts (certificate checks, objections, the token endpoint)."""

from __future__ import annotations

from django.core.cache import cache


def count_in_window(key: str, window_seconds: int) -> int:
    """Add one to `key`'s count for the current window and return it. The window starts with the
    key's first count and ends `window_seconds` later, when the count starts again."""
    cache.add(key, 0, window_seconds)
    try:
        return cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, window_seconds)
        return 1


def over_any_limit(key_prefix: str, limits: list[tuple[int, int]]) -> bool:
    """Counts one event in each (window seconds, limit) window in turn; True, counting no further,
    as soon as one count passes its limit."""
    return any(count_in_window(f"{key_prefix}:{window}", window) > limit for window, limit in limits)
