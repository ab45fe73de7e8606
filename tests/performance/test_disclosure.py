"""Statistical disclosure control: no published count is below the threshold, ever, and no
published total gives a suppressed count back by subtraction (every sum holding a suppressed
count holds at least two, and no sum of sums gives one back: checked by solving the published
sums as equations)."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from performance.disclosure import NATIONAL, TOTAL, protect, unknowns_per_relation


@st.composite
def tables(draw):
    areas = [f"A{n}" for n in range(draw(st.integers(min_value=1, max_value=8)))]
    categories = [f"c{n}" for n in range(draw(st.integers(min_value=1, max_value=4)))]
    counts = {
        (area, category): draw(st.integers(min_value=0, max_value=40)) for area in areas for category in categories
    }
    return areas, categories, counts, draw(st.integers(min_value=1, max_value=15))


def worked_out(protected) -> list:
    """The suppressed counts that the published counts and sums determine exactly: each sum is a
    linear equation in the hidden counts, and a hidden count is determined when its unit vector
    lies in the span of those equations (Gaussian elimination over the rationals)."""
    hidden = sorted((cell for cell, value in protected.cells.items() if value is None), key=repr)
    index = {cell: n for n, cell in enumerate(hidden)}
    equations = []
    areas, categories = protected.areas, protected.categories
    rows = [[(area, category) for category in categories] + [(area, TOTAL)] for area in [*areas, NATIONAL]]
    columns = [[(area, category) for area in areas] + [(NATIONAL, category)] for category in [*categories, TOTAL]]
    for relation in rows + columns:
        equation = [Fraction(0)] * len(hidden)
        for position, cell in enumerate(relation):
            if cell in index:
                equation[index[cell]] += -1 if position == len(relation) - 1 else 1
        if any(equation):
            equations.append(equation)
    basis: list[list[Fraction]] = []  # in reduced row echelon form
    for equation in equations:
        for row in basis:
            pivot = next(n for n, value in enumerate(row) if value)
            if equation[pivot]:
                factor = equation[pivot]
                equation = [a - factor * b for a, b in zip(equation, row, strict=True)]
        if any(equation):
            pivot = next(n for n, value in enumerate(equation) if value)
            equation = [value / equation[pivot] for value in equation]
            basis = [
                [a - row[pivot] * b for a, b in zip(row, equation, strict=True)] if row[pivot] else row for row in basis
            ]
            basis.append(equation)
    return [hidden[row.index(1)] for row in basis if sum(1 for value in row if value) == 1]


@settings(max_examples=300, deadline=None)
@given(tables())
def test_no_published_count_is_below_the_threshold_or_can_be_worked_out(table):
    areas, categories, counts, threshold = table
    protected = protect(counts, areas=areas, categories=categories, threshold=threshold)
    published = [value for value in protected.cells.values() if value is not None]
    assert all(value >= threshold for value in published)
    assert 1 not in unknowns_per_relation(protected)
    assert worked_out(protected) == []
    # What is published is the true count.
    for (area, category), value in counts.items():
        assert protected.value(area, category) in (None, value)
    row_totals = {area: sum(counts[(area, category)] for category in categories) for area in areas}
    for area, total in row_totals.items():
        assert protected.value(area, TOTAL) in (None, total)
    assert protected.value(NATIONAL, TOTAL) in (None, sum(row_totals.values()))


def test_one_small_count_takes_a_second_count_of_its_row_and_column_with_it():
    counts = {("A", "f"): 3, ("A", "m"): 40, ("B", "f"): 20, ("B", "m"): 30}
    protected = protect(counts, areas=["A", "B"], categories=["f", "m"], threshold=10)
    assert protected.value("A", "f") is None
    # Otherwise A's total minus A's males, or the national females minus B's, would give it back.
    assert protected.value("A", "m") is None and protected.value("B", "f") is None
    assert protected.value("B", "m") is None  # B's row now holds one hidden count, so one more
    assert protected.value(NATIONAL, TOTAL) == 93 and protected.value("A", TOTAL) == 43


def test_no_count_is_given_back_by_adding_and_subtracting_several_totals():
    # Two hidden counts in every sum, yet A2's row, minus the columns c1 and c2, gave back
    # A2's c1 and c2 before a loop was closed through them.
    counts = {
        **{("A0", c): n for c, n in zip(("c0", "c1", "c2", "c3"), (25, 6, 40, 53), strict=True)},
        **{("A1", c): n for c, n in zip(("c0", "c1", "c2", "c3"), (6, 4, 10, 7), strict=True)},
        **{("A2", c): n for c, n in zip(("c0", "c1", "c2", "c3"), (7, 0, 1, 11), strict=True)},
        **{("A3", c): n for c, n in zip(("c0", "c1", "c2", "c3"), (16, 52, 3, 12), strict=True)},
        **{("A4", c): n for c, n in zip(("c0", "c1", "c2", "c3"), (34, 22, 8, 5), strict=True)},
        **{("A5", c): n for c, n in zip(("c0", "c1", "c2", "c3"), (10, 51, 1, 0), strict=True)},
    }
    areas, categories = [f"A{n}" for n in range(6)], ["c0", "c1", "c2", "c3"]
    protected = protect(counts, areas=areas, categories=categories, threshold=7)
    assert 1 not in unknowns_per_relation(protected)
    assert worked_out(protected) == []
    assert protected.value("A2", "c1") is None and protected.value("A2", "c2") is None


@settings(max_examples=200, deadline=None)
@given(tables(), st.randoms(use_true_random=False))
def test_a_sum_known_from_another_publication_never_holds_a_single_hidden_count(table, random):
    areas, categories, counts, threshold = table
    # Every region holds several districts.
    shuffled = random.sample(areas, len(areas))
    cut = random.randint(2, len(areas) - 2) if len(areas) >= 4 else 0
    groups = [group for group in (shuffled[:cut], shuffled[cut:]) if len(group) > 1]
    protected = protect(counts, areas=areas, categories=categories, threshold=threshold, groups=groups)
    assert 1 not in unknowns_per_relation(protected)
    for group in groups:
        for category in [*categories, TOTAL]:
            assert [protected.value(area, category) for area in group].count(None) != 1


def test_nothing_is_hidden_when_every_count_is_large_enough():
    counts = {("A", "f"): 12, ("A", "m"): 15}
    protected = protect(counts, areas=["A"], categories=["f", "m"], threshold=10)
    assert None not in protected.cells.values()
