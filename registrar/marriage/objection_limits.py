"""How many objections one client address may send: enough for anyone with a real objection,
too few to flood a register office's queue or the couple's inbox."""

from __future__ import annotations

from django.conf import settings

from core.windows import over_any_limit

from .refusals import MarriageRefused


def count_objection(client_address: str | None) -> None:
    """Counts this objection; refuses it (`objection_throttled`) once the address is over either limit."""
    limits = [(3600, settings.OBJECTIONS_PER_ADDRESS_PER_HOUR), (86400, settings.OBJECTIONS_PER_ADDRESS_PER_DAY)]
    if over_any_limit(f"marriage:objection:{client_address or 'unknown'}", limits):
        raise MarriageRefused("objection_throttled")
