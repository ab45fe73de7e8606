"""Statistical disclosure control of the open data. A table of counts (areas by categories, with
each area's total, each category's national count and the grand total) is published with every
count below the threshold suppressed — and, where a total would give a suppressed count back by
subtraction, another count in that total suppressed as well, until every total that holds a
suppressed count holds at least two."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

TOTAL = "total"
NATIONAL = "E+W"

Cell = tuple[Hashable, Hashable]


@dataclass(frozen=True)
class ProtectedTable:
    """Counts by (area, category), including the margins (area, TOTAL), (NATIONAL, category) and
    (NATIONAL, TOTAL); a suppressed count is None."""

    areas: list[Hashable]
    categories: list[Hashable]
    cells: dict[Cell, int | None]

    def value(self, area: Hashable, category: Hashable) -> int | None:
        return self.cells[(area, category)]


def _relations(areas: list[Hashable], categories: list[Hashable]) -> list[list[Cell]]:
    """The sums the table publishes: each is a list of cells whose last one is their total."""
    rows = [[(area, category) for category in categories] + [(area, TOTAL)] for area in [*areas, NATIONAL]]
    columns = [[(area, category) for area in areas] + [(NATIONAL, category)] for category in [*categories, TOTAL]]
    return rows + columns


def protect(
    counts: dict[Cell, int], *, areas: Iterable[Hashable], categories: Iterable[Hashable], threshold: int
) -> ProtectedTable:
    """Adds the margins to `counts` (missing cells are 0), suppresses every count below
    `threshold` (0 too: a zero in a small area says something about everyone in it), then
    suppresses more counts until no published total gives a suppressed count back."""
    areas, categories = list(areas), list(categories)
    values: dict[Cell, int] = {}
    for area in areas:
        for category in categories:
            values[(area, category)] = counts.get((area, category), 0)
        values[(area, TOTAL)] = sum(values[(area, category)] for category in categories)
    for category in [*categories, TOTAL]:
        values[(NATIONAL, category)] = sum(values[(area, category)] for area in areas)

    suppressed = {cell for cell, value in values.items() if value < threshold}
    relations = _relations(areas, categories)
    changed = True
    while changed:
        changed = False
        for relation in relations:
            hidden = [cell for cell in relation if cell in suppressed]
            if len(hidden) != 1:
                continue
            # The smallest published count in the same sum goes with it; a count inside the
            # table before a total, so that totals stay published where they can.
            candidates = [cell for cell in relation if cell not in suppressed]
            partner = min(candidates, key=lambda cell: (values[cell], cell[1] == TOTAL or cell[0] == NATIONAL))
            suppressed.add(partner)
            changed = True
    cells = {cell: (None if cell in suppressed else value) for cell, value in values.items()}
    return ProtectedTable(areas=areas, categories=categories, cells=cells)


def unknowns_per_relation(table: ProtectedTable) -> list[int]:
    """How many suppressed counts each published sum holds (for checking the rule: never one)."""
    return [
        sum(1 for cell in relation if table.cells[cell] is None)
        for relation in _relations(table.areas, table.categories)
    ]
