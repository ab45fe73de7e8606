"""DESIGN.md invariant 1 on PostgreSQL: parallel registrations in one district and year get
numbers 1..N with no gap or repeat, and the database refuses to change a written entry."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction

from registrar import register
from registrar.models import EntryCorrection, IndexName, RegisterEntry
from tests.factories import RegisterOfficeFactory, StaffFactory

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def _write(district, index, *, fail=False):
    with transaction.atomic():
        entry = register.write_entry(
            district=district,
            event="birth",
            event_date=date(2026, 1, 1),
            surname=f"Child{index}",
            forenames="Test",
            particulars={"child_surname": f"Child{index}"},
            index_lines=[register.IndexLine(surname=f"Child{index}", forenames="Test")],
        )
        if fail:
            raise RuntimeError("rolled back after numbering")
    return entry.number


def test_fifty_parallel_registrations_are_numbered_1_to_50_without_gaps_on_postgres():
    district = RegisterOfficeFactory()
    workers = 50
    barrier = threading.Barrier(workers)

    def run(index):
        barrier.wait()
        try:
            # Every fifth one fails after taking a number: its number must be reused.
            return _write(district, index, fail=index % 5 == 0)
        except RuntimeError:
            return None
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        outcomes = list(pool.map(run, range(workers)))
    written = sorted(number for number in outcomes if number is not None)
    assert len(written) == 40
    assert written == list(range(1, 41))
    numbers = list(RegisterEntry.objects.filter(district=district).order_by("number").values_list("number", flat=True))
    assert numbers == list(range(1, 41))


def test_the_database_refuses_to_change_or_delete_register_rows_on_postgres():
    entry = register.write_entry(
        district=RegisterOfficeFactory(),
        event="death",
        event_date=date(2026, 1, 1),
        surname="Smith",
        forenames="John",
        particulars={"deceased_surname": "Smith"},
        index_lines=[register.IndexLine(surname="Smith", forenames="John", age=80)],
    )
    register.record_correction(
        entry=entry,
        field="deceased_surname",
        new_value="Smyth",
        reason="Spelling",
        evidence="Passport seen",
        actor=StaffFactory(),
    )
    for queryset, change in (
        (RegisterEntry.objects.filter(pk=entry.pk), {"surname": "Jones"}),
        (IndexName.objects.filter(entry=entry), {"surname": "Jones"}),
        (EntryCorrection.objects.filter(entry=entry), {"new_value": "Jones"}),
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            queryset.update(**change)
        with pytest.raises(IntegrityError), transaction.atomic():
            queryset._raw_delete(queryset.db)
    assert RegisterEntry.objects.get(pk=entry.pk).surname == "Smith"
