"""The bulk load of the historic register on PostgreSQL: a first (or large) load sets aside the
secondary indexes, the foreign keys and the surname dictionary's trigger and builds them all again
at the end, so that afterwards the register is guarded and searched exactly as before; a load
stopped half-way is finished by the next run; a small load onto a big index keeps every index; and
the register is the same whichever number of processes wrote it."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import DatabaseError, IntegrityError, connection, transaction

from registrar import historic
from registrar.models import IndexName, RegisterEntry
from tests.factories import RegisterOfficeFactory

pytestmark = [pytest.mark.postgres_only]
TABLES = ["registrar_registerentry", "registrar_indexname", "registrar_indexsurname"]


@pytest.fixture
def offices(db):
    return [
        RegisterOfficeFactory(code="E-BULK-1", town="Leeds"),
        RegisterOfficeFactory(code="E-BULK-2", town="York"),
        RegisterOfficeFactory(code="W-BULK", town="Cardiff", region="Wales"),
    ]


def load(size, first=1960, last=1963, workers=1):
    out = StringIO()
    call_command(
        "load_historic_register",
        *("--size", str(size), "--first-year", str(first), "--last-year", str(last), "--workers", str(workers)),
        stdout=out,
    )
    return out.getvalue()


def schema() -> dict[str, set]:
    """The indexes, foreign keys and enabled triggers of the register, the index lines and the
    surname dictionary."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)", [TABLES])
        indexes = set(cursor.fetchall())
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype IN ('f', 'u', 'p', 'c') AND conrelid::regclass::text = ANY(%s)",
            [TABLES],
        )
        constraints = set(cursor.fetchall())
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'D' "
            "AND tgrelid::regclass::text = ANY(%s)",
            [TABLES],
        )
        triggers = {row[0] for row in cursor.fetchall()}
    return {"indexes": indexes, "constraints": constraints, "triggers": triggers}


def set_aside() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM registrar_set_aside_for_load ORDER BY name")
        return [row[0] for row in cursor.fetchall()]


def dictionary_misses() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(DISTINCT surname_key) FROM registrar_indexname WHERE surname_key NOT IN "
            "(SELECT surname_key FROM registrar_indexsurname)"
        )
        return cursor.fetchone()[0]


def test_a_first_load_builds_again_every_index_foreign_key_and_trigger_it_set_aside(offices):
    before = schema()
    assert {"index_surname_year", "index_surname_maiden_year"} <= {name for name, _ in before["indexes"]}
    output = load(2000)
    assert "indexes built once after the load" in output
    assert schema() == before
    assert set_aside() == []
    assert IndexName.objects.count() > 2000
    assert dictionary_misses() == 0


def test_after_a_bulk_load_entries_and_index_lines_are_write_once_and_their_foreign_keys_hold(offices):
    load(2000)
    line = IndexName.objects.first()
    with pytest.raises(DatabaseError), transaction.atomic():
        IndexName.objects.filter(pk=line.pk).update(surname="Changed")
    with pytest.raises(DatabaseError), transaction.atomic():
        RegisterEntry.objects.filter(pk=line.entry_id).delete()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "INSERT INTO registrar_indexname (entry_id, event, district_id, year, quarter, surname, forenames, "
            "surname_key, surname_phonetic, other_surname) "
            "VALUES (%s, 'birth', %s, 1960, 1, 'Nobody', 'No', 'NOBODY', 'NBT', '')",
            [RegisterEntry.objects.order_by("-pk").first().pk + 1000, offices[0].pk],
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        entry = RegisterEntry.objects.filter(historic=True).first()
        RegisterEntry.objects.create(
            district=entry.district,
            event=entry.event,
            year=entry.year,
            number=entry.number,
            event_date=entry.event_date,
            surname="Again",
            forenames="Numbered",
        )


def test_a_small_load_onto_a_bigger_index_keeps_every_index_and_fills_the_dictionary(offices):
    load(2000)
    before = schema()
    output = load(100, first=1990, last=1990)
    assert "indexes built once" not in output
    assert schema() == before
    assert RegisterEntry.objects.filter(year=1990).count() == 100
    assert dictionary_misses() == 0


def test_a_bulk_load_stopped_half_way_is_finished_by_the_next_run(offices, monkeypatch):
    before = schema()
    written = []
    real_write = historic.write_historic_year

    def stop_after_two_years(*, year, entries):
        if len(written) == 2:
            raise KeyboardInterrupt
        written.append(year)
        return real_write(year=year, entries=entries)

    # As if the process were killed: nothing is built again on the way out.
    monkeypatch.setattr(historic, "write_historic_year", stop_after_two_years)
    monkeypatch.setattr(historic, "finish_bulk_load", lambda: None)
    with pytest.raises(KeyboardInterrupt):
        load(2000)
    assert {"index_surname_year", "indexsurname_trigram", "indexsurname_phonetic"} <= set(set_aside())
    assert "index_surname_year" not in {name for name, _ in schema()["indexes"]}
    assert "indexsurname_trigram" not in {name for name, _ in schema()["indexes"]}
    # The dictionary's primary key stays: filling it again relies on ON CONFLICT.
    assert "registrar_indexsurname_pkey" in {name for name, _ in schema()["indexes"]}
    monkeypatch.undo()

    output = load(2000)
    assert "2 years already there" in output
    assert "indexes built once after the load" in output
    assert schema() == before
    assert set_aside() == []
    assert RegisterEntry.objects.filter(historic=True).count() == 2000
    assert dictionary_misses() == 0


def fingerprint() -> list[tuple]:
    return sorted(
        RegisterEntry.objects.values_list(
            "district__code", "event", "year", "number", "surname", "forenames", "event_date", "particulars"
        )
    ) + sorted(IndexName.objects.values_list("entry__number", "event", "year", "surname_key", "forenames"))


@pytest.mark.django_db(transaction=True)
def test_the_register_is_the_same_whatever_the_number_of_processes_that_wrote_it(offices):
    load(3000, first=1960, last=1965, workers=2)
    in_two_processes = fingerprint()
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE registrar_indexname, registrar_registerentry, registrar_entrycounter, "
            "registrar_indexsurname CASCADE"
        )
    load(3000, first=1960, last=1965, workers=1)
    assert fingerprint() == in_two_processes
    assert len(in_two_processes) > 6000
