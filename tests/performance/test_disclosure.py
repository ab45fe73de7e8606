"""Statistical disclosure control: no published count is below the threshold, ever, and no
published total gives a suppressed count back by subtraction (every sum holding a suppressed
count holds at least two)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from performance.disclosure import NATIONAL, TOTAL, protect, unknowns_per_relation


@st.composite
def tables(draw):
    areas = [f"A{n}" for n in range(draw(st.integers(min_value=1, max_value=6)))]
    categories = [f"c{n}" for n in range(draw(st.integers(min_value=1, max_value=4)))]
    counts = {
        (area, category): draw(st.integers(min_value=0, max_value=40)) for area in areas for category in categories
    }
    return areas, categories, counts, draw(st.integers(min_value=1, max_value=15))


@settings(max_examples=300, deadline=None)
@given(tables())
def test_no_published_count_is_below_the_threshold_or_can_be_worked_out(table):
    areas, categories, counts, threshold = table
    protected = protect(counts, areas=areas, categories=categories, threshold=threshold)
    published = [value for value in protected.cells.values() if value is not None]
    assert all(value >= threshold for value in published)
    assert 1 not in unknowns_per_relation(protected)
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


def test_nothing_is_hidden_when_every_count_is_large_enough():
    counts = {("A", "f"): 12, ("A", "m"): 15}
    protected = protect(counts, areas=["A"], categories=["f", "m"], threshold=10)
    assert None not in protected.cells.values()
