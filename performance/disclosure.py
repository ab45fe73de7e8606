"""Statistical disclosure control of the open data. A table of counts (areas by categories, with
each area's total, each category's national count and the grand total) is published with every
count below the threshold suppressed — and, where a total would give a suppressed count back by
subtraction, another count in that total suppressed as well, until every total that holds a
suppressed count holds at least two, and no combination of totals gives one back either."""

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
    counts: dict[Cell, int],
    *,
    areas: Iterable[Hashable],
    categories: Iterable[Hashable],
    threshold: int,
    groups: Iterable[Iterable[Hashable]] = (),
) -> ProtectedTable:
    """Adds the margins to `counts` (missing cells are 0), suppresses every count below
    `threshold` (0 too: a zero in a small area says something about everyone in it), then
    suppresses more counts until no published total gives a suppressed count back.

    `groups` are sets of areas whose sums are known from another publication (the districts of
    a region, when the same events are also published by region): each such sum, per category
    and in total, is kept holding no hidden count or at least two (a group of one area is left
    alone: no other count in it could be hidden with its own)."""
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
    for group in groups:
        members = [area for area in group if area in areas]
        if len(members) > 1:
            relations += [[(area, category) for area in members] for category in [*categories, TOTAL]]

    def cost(cell: Cell) -> tuple[int, bool]:
        # The smallest published count goes; a count inside the table before a total, so
        # that totals stay published where they can.
        return values[cell], cell[1] == TOTAL or cell[0] == NATIONAL

    changed = True
    while changed:
        changed = False
        for relation in relations:
            hidden = [cell for cell in relation if cell in suppressed]
            if len(hidden) != 1:
                continue
            suppressed.add(min((cell for cell in relation if cell not in suppressed), key=cost))
            changed = True
        if not changed:
            # Two hidden counts in every sum is not enough: adding and subtracting several sums
            # can still give one back (two hidden blocks joined by one count). One more count
            # closes a loop through it.
            bridge = _worked_out(suppressed)
            if bridge is not None:
                suppressed.add(min(_closing(bridge, suppressed, areas, categories), key=cost))
                changed = True
    cells = {cell: (None if cell in suppressed else value) for cell, value in values.items()}
    return ProtectedTable(areas=areas, categories=categories, cells=cells)


def _ends(cell: Cell) -> tuple[tuple[str, Hashable], tuple[str, Hashable]]:
    """Every count is in exactly two published sums: its row (area) and its column (category)."""
    return ("row", cell[0]), ("column", cell[1])


def _reachable(start, cells: Iterable[Cell]) -> set:
    links: dict = {}
    for cell in cells:
        row, column = _ends(cell)
        links.setdefault(row, set()).add(column)
        links.setdefault(column, set()).add(row)
    seen, waiting = {start}, [start]
    while waiting:
        for neighbour in links.get(waiting.pop(), ()):
            if neighbour not in seen:
                seen.add(neighbour)
                waiting.append(neighbour)
    return seen


def _worked_out(suppressed: set[Cell]) -> Cell | None:
    """A suppressed count the published sums give back, if any. Seen as a graph whose nodes are
    the sums and whose edges are the hidden counts (each joins its row and its column), the
    sums fix a hidden count exactly when it lies on no loop: it is a bridge of the graph (found
    by Tarjan's depth-first search, in one pass)."""
    links: dict = {}
    for cell in sorted(suppressed, key=repr):
        row, column = _ends(cell)
        links.setdefault(row, []).append((column, cell))
        links.setdefault(column, []).append((row, cell))
    order: dict = {}
    low: dict = {}
    for root in links:
        if root in order:
            continue
        order[root] = low[root] = len(order)
        stack = [(root, None, iter(links[root]))]
        while stack:
            node, via, edges = stack[-1]
            for neighbour, cell in edges:
                if cell == via:
                    continue
                if neighbour in order:
                    low[node] = min(low[node], order[neighbour])
                else:
                    order[neighbour] = low[neighbour] = len(order)
                    stack.append((neighbour, cell, iter(links[neighbour])))
                    break
            else:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > order[parent]:
                        return via
    return None


def _closing(bridge: Cell, suppressed: set[Cell], areas: list[Hashable], categories: list[Hashable]) -> list[Cell]:
    """The published counts that would put `bridge` on a loop: a row on its column's side with a
    column on its row's side."""
    row, column = _ends(bridge)
    rest = suppressed - {bridge}
    row_side, column_side = _reachable(row, rest), _reachable(column, rest)
    rows = [area for area in [*areas, NATIONAL] if ("row", area) in column_side]
    columns = [category for category in [*categories, TOTAL] if ("column", category) in row_side]
    return [(area, category) for area in rows for category in columns if (area, category) not in suppressed]


def unknowns_per_relation(table: ProtectedTable) -> list[int]:
    """How many suppressed counts each published sum holds (for checking the rule: never one)."""
    return [
        sum(1 for cell in relation if table.cells[cell] is None)
        for relation in _relations(table.areas, table.categories)
    ]
