"""The generated historic register: realistic entries with the particulars keys online entries
use, numbered consecutively per district, event and year with the counters brought up to date,
marriages indexed under both parties, the surname dictionary filled, and a second run loading
nothing."""

from __future__ import annotations

from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, Max, Min

from registrar import register
from registrar.models import EntryCounter, IndexName, RegisterEntry
from tests.factories import RegisterOfficeFactory

pytestmark = pytest.mark.django_db
UK = ZoneInfo("Europe/London")


@pytest.fixture
def offices():
    return [
        RegisterOfficeFactory(code="E-LEEDS-H", town="Leeds"),
        RegisterOfficeFactory(code="E-YORK-H", town="York"),
        RegisterOfficeFactory(code="W-CARDIFF-H", town="Cardiff", region="Wales"),
    ]


def load(size=900, first=1960, last=1962):
    out = StringIO()
    call_command(
        "load_historic_register", "--size", str(size), "--first-year", str(first), "--last-year", str(last), stdout=out
    )
    return out.getvalue()


def test_entries_are_numbered_from_one_without_gaps_and_counters_match(offices):
    load()
    assert RegisterEntry.objects.filter(historic=True).count() == 900
    registers = RegisterEntry.objects.values("district", "event", "year").annotate(
        n=Count("id"), low=Min("number"), high=Max("number")
    )
    for group in registers:
        assert group["low"] == 1 and group["high"] == group["n"]
        counter = EntryCounter.objects.get(district=group["district"], event=group["event"], year=group["year"])
        assert counter.last_number == group["n"]


def test_a_later_registration_continues_the_numbering(offices):
    load()
    leeds = offices[0]
    before = EntryCounter.objects.get(district=leeds, event="death", year=1961).last_number
    entry = register.write_entry(
        district=leeds,
        event="death",
        event_date=datetime(1961, 5, 1).date(),
        surname="Late",
        forenames="Entry",
        particulars={"deceased_surname": "Late"},
        index_lines=[register.IndexLine(surname="Late", forenames="Entry")],
        registered_at=datetime(1961, 5, 2, 12, tzinfo=UK),
    )
    assert entry.number == before + 1


def test_particulars_use_the_keys_of_online_entries_and_marriages_index_both_parties(offices):
    load()
    birth = RegisterEntry.objects.filter(event="birth").first()
    assert {
        "child_forenames",
        "child_surname",
        "date_of_birth",
        "place_of_birth",
        "mother_forenames",
        "mother_surname",
        "mother_maiden_surname",
        "father_forenames",
        "father_surname",
    } <= set(birth.particulars)
    assert birth.index_names.get().other_surname == birth.particulars["mother_maiden_surname"]
    death = RegisterEntry.objects.filter(event="death").first()
    assert {
        "deceased_forenames",
        "deceased_surname",
        "date_of_death",
        "place_of_death",
        "age",
        "date_of_birth",
        "cause_of_death",
    } <= set(death.particulars)
    assert death.index_names.get().age == int(death.particulars["age"])
    marriage = RegisterEntry.objects.filter(event="marriage").first()
    lines = list(marriage.index_names.order_by("id"))
    assert len(lines) == 2
    assert lines[0].other_surname == lines[1].surname and lines[1].other_surname == lines[0].surname


def test_a_second_run_loads_nothing_and_the_same_seed_gives_the_same_register(offices):
    load()
    first = list(
        RegisterEntry.objects.order_by("district", "event", "year", "number").values_list("surname", flat=True)
    )
    assert "0 entries loaded" in load()
    assert RegisterEntry.objects.count() == 900
    assert (
        first[:50]
        == list(
            RegisterEntry.objects.order_by("district", "event", "year", "number").values_list("surname", flat=True)
        )[:50]
    )


def test_the_surname_dictionary_holds_every_indexed_surname(offices):
    load()
    with connection.cursor() as cursor:
        cursor.execute("SELECT surname_key FROM registrar_indexsurname")
        dictionary = {row[0] for row in cursor.fetchall()}
    assert dictionary == set(IndexName.objects.values_list("surname_key", flat=True))


def test_welsh_districts_get_welsh_names(offices):
    load(size=3000)
    cardiff = IndexName.objects.filter(district=offices[2]).values_list("surname", flat=True)
    share = sum(name in {"Jones", "Davies", "Williams", "Evans", "Thomas"} for name in cardiff) / len(cardiff)
    assert share > 0.15


def test_bad_arguments_and_no_offices_are_refused(db):
    with pytest.raises(CommandError):
        load()
    RegisterOfficeFactory()
    with pytest.raises(CommandError):
        load(size=0)
    with pytest.raises(CommandError):
        load(first=1800)
