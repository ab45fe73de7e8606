"""How many of each kind a replay drives, and on which day of its period."""

from __future__ import annotations

from dataclasses import dataclass

# England and Wales in a year (ONS births and deaths; marriages and civil partnerships with their
# two notices each; certificate copies issued by the GRO and local offices), as the issue gives.
NATIONAL_YEAR = {"birth": 600_000, "death": 580_000, "ceremony": 230_000, "notice": 460_000, "copy": 1_500_000}
# The order a day is replayed in: copies are ordered of entries registered before them.
KINDS = ("birth", "death", "ceremony", "copy")
# Notices are given as part of each ceremony's journey (two per ceremony).
NOTICES_PER_CEREMONY = 2


@dataclass(frozen=True)
class Plan:
    scale: float
    days: int
    per_day: dict[str, list[int]]

    def total(self, kind: str) -> int:
        if kind == "notice":
            return NOTICES_PER_CEREMONY * self.total("ceremony")
        return sum(self.per_day[kind])


def plan(scale: float) -> Plan:
    """`scale` of a national year, over `scale` of 365 days (at least one), each kind spread
    evenly over the days (the remainder on the first days)."""
    if scale <= 0:
        raise ValueError("the scale must be above 0")
    days = max(1, round(scale * 365))
    per_day = {}
    for kind in KINDS:
        total = round(NATIONAL_YEAR[kind] * scale)
        base, extra = divmod(total, days)
        per_day[kind] = [base + (1 if day < extra else 0) for day in range(days)]
    return Plan(scale=scale, days=days, per_day=per_day)
