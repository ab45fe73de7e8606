"""On PostgreSQL, every kind of index search reads the index lines through a b-tree on the
surname (and the mother's maiden surname), never by scanning the table: the plans of the
queries the search runs, on a generated register, analysed as in production."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from certificates.selectors import IndexSearch, search_index
from registrar.models import IndexName
from tests.factories import RegisterOfficeFactory

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db]
SURNAME_INDEXES = {"index_surname_year", "index_surname_maiden_year"}


@pytest.fixture
def register(db):
    offices = [RegisterOfficeFactory(code=f"E-PLAN-{n}", town=f"Town {n}") for n in range(4)]
    offices.append(RegisterOfficeFactory(code="W-PLAN", town="Aberystwyth", region="Wales"))
    call_command(
        "load_historic_register", "--size", "6000", "--first-year", "1950", "--last-year", "1959", stdout=StringIO()
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return offices


def nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from nodes(child)


def scans_of_index_lines(search: IndexSearch) -> list[tuple[str, str]]:
    """(node type, index name) of the scans in the search's queries of the index lines: the
    scans of the table itself, and every index scan (a bitmap index scan names no table, but
    each index named belongs to one table)."""
    with CaptureQueriesContext(connection) as queries:
        search_index(search)
    scans = []
    for query in queries.captured_queries:
        if "registrar_indexname" not in query["sql"] or "registrar_indexsurname" in query["sql"]:
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (FORMAT JSON) " + query["sql"])
            plan = cursor.fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        scans += [
            (node["Node Type"], node.get("Index Name", ""))
            for node in nodes(plan[0]["Plan"])
            if node.get("Relation Name") == "registrar_indexname" or "Index Name" in node
        ]
    return scans


def test_every_kind_of_index_search_reads_the_index_lines_through_a_surname_index(register):
    births = IndexName.objects.filter(event="birth")
    common, second = [s for s, _n in births.values_list("surname").annotate(n=Count("id")).order_by("-n")[:2]]
    surname, maiden = births.exclude(other_surname="").values_list("surname", "other_surname").first()
    searches = [
        IndexSearch(event="birth", surname=common),
        IndexSearch(event="birth", surname=common, page=3),
        IndexSearch(event="birth", surname=common, sounds_like=True),
        IndexSearch(event="birth", surname=surname, mother_maiden_surname=maiden),
        IndexSearch(event="birth", surname=surname, sounds_like=True, mother_maiden_surname=maiden),
        IndexSearch(event="birth", surname=second, forenames="John", year=1955, years_either_side=2),
        IndexSearch(event="birth", surname=second, district=register[0]),
        IndexSearch(event="death", surname=common, sounds_like=True, year=1952, years_either_side=1),
    ]
    for search in searches:
        scans = scans_of_index_lines(search)
        assert scans, search
        assert ("Seq Scan", "") not in scans, (search, scans)
        # The lines are found by surname; other indexes are only probed for corrected lines.
        assert {index for _node, index in scans} & SURNAME_INDEXES, (search, scans)
