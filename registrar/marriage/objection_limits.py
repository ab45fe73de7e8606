"""How many objections one client address may send: enough for anyone with a real objection,
too few to flood a register office's queue or the couple's inbox (the same counting as the
certificate checks' throttle, `certificates.limits`)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from .refusals import MarriageRefused


def count_objection(client_address: str | None) -> None:
    """Counts this objection; refuses it (`objection_throttled`) once the address is over either limit."""
    address = client_address or "unknown"
    for window, limit in (
        (3600, settings.OBJECTIONS_PER_ADDRESS_PER_HOUR),
        (86400, settings.OBJECTIONS_PER_ADDRESS_PER_DAY),
    ):
        key = f"marriage:objection:{window}:{address}"
        cache.add(key, 0, window)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, window)
            count = 1
        if count > limit:
            raise MarriageRefused("objection_throttled")
