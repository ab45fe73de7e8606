"""The generated register has a realistic surname distribution: a Zipf-like head of real common
surnames and a long tail of hundreds of thousands of rare ones, Welsh surnames concentrated in
Welsh districts, forenames by sex and period; and loading it (COPY on PostgreSQL, batched inserts
on SQLite) twice does not double it."""

from __future__ import annotations

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from registrar.historic import Generator, names, surname_universe
from registrar.models import IndexName, RegisterEntry
from registrar.names import surname_key
from tests.factories import RegisterOfficeFactory

WELSH_HEAD = {"Jones", "Davies", "Williams", "Evans", "Thomas"}


def draws(count: int, *, wales: bool = False, seed: str = "test") -> Counter:
    generator = Generator(seed, 1980)
    return Counter(generator.surname(wales) for _ in range(count))


def test_the_surname_universe_holds_hundreds_of_thousands_of_distinct_index_keys():
    universe = surname_universe()
    assert len(universe) >= 500_000
    assert len({surname_key(name) for name in universe}) == len(universe)
    assert universe[:3] == ("Smith", "Jones", "Williams")
    assert all(surname_key(name).isalpha() for name in universe[::1000])


def test_the_same_seed_draws_the_same_surnames_and_another_seed_does_not():
    assert draws(500) == draws(500)
    assert draws(500) != draws(500, seed="other")


def test_distinct_surnames_grow_with_the_size_of_the_register():
    small, large = draws(2_000), draws(40_000)
    assert len(large) > 5 * len(small)
    assert len(large) > 15_000


def test_the_head_is_common_and_the_tail_is_long():
    counts = draws(40_000)
    top_ten = sum(count for _name, count in counts.most_common(10))
    once = sum(1 for count in counts.values() if count == 1)
    assert counts.most_common(1)[0][0] == "Smith"
    assert 0.03 < top_ten / 40_000 < 0.15
    # Most distinct surnames are borne by one person in 40,000: the long tail.
    assert once > 0.5 * len(counts)


def test_welsh_districts_keep_the_welsh_concentration():
    wales, england = draws(10_000, wales=True), draws(10_000, wales=False)
    welsh_share = sum(wales[name] for name in WELSH_HEAD) / 10_000
    english_share = sum(england[name] for name in WELSH_HEAD) / 10_000
    assert welsh_share > 0.2
    assert welsh_share > 3 * english_share
    assert len(wales) < len(england)


def test_forenames_follow_sex_and_period():
    generator = Generator("test", 1930)
    girls_1900 = set(names()["girls_by_era"][1900]) | set(names()["welsh_girls"])
    boys_2010 = set(names()["boys_by_era"][2010])
    for _ in range(200):
        assert set(generator.forenames(1930, girl=True, wales=False).split()) <= girls_1900
        assert set(generator.forenames(2015, girl=False, wales=False).split()) <= boys_2010


@pytest.fixture
def offices(db):
    return [
        RegisterOfficeFactory(code="E-LEEDS-G", town="Leeds"),
        RegisterOfficeFactory(code="W-BANGOR-G", town="Bangor", region="Wales"),
    ]


def load(size: int) -> str:
    out = StringIO()
    call_command(
        "load_historic_register", "--size", str(size), "--first-year", "1990", "--last-year", "1994", stdout=out
    )
    return out.getvalue()


def check_loading_twice_does_not_double() -> None:
    first = load(2_000)
    assert "2,000 of 2,000 entries (100%)" in first
    lines = IndexName.objects.count()
    assert "0 entries loaded" in load(2_000)
    assert RegisterEntry.objects.filter(historic=True).count() == 2_000
    assert IndexName.objects.count() == lines
    with connection.cursor() as cursor:
        cursor.execute("SELECT surname_key FROM registrar_indexsurname")
        dictionary = {row[0] for row in cursor.fetchall()}
    assert dictionary == set(IndexName.objects.values_list("surname_key", flat=True))
    assert len(dictionary) > 1_000


def test_loading_twice_does_not_double_the_register(offices):
    check_loading_twice_does_not_double()


@pytest.mark.postgres_only
def test_loading_through_copy_twice_does_not_double_the_register_on_postgres(offices):
    assert connection.vendor == "postgresql"
    check_loading_twice_does_not_double()
