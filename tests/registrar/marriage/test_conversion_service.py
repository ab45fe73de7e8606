"""Converting a civil partnership into a marriage: the marriage entry is written in the
registrar's district, dated from the partnership's formation, with the partnership's particulars
as they stand and a reference to it, indexed under both surnames; one conversion per
partnership (a friendly refusal, with the database behind it, also under a race on
PostgreSQL); only registrars with `work_notices` at their own offices; audited and told to
integrators."""

from __future__ import annotations

import datetime
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction

from identity import roles
from identity.models import AuditEntry
from registrar import register
from registrar.marriage import conversion_services
from registrar.marriage.refusals import MarriageRefused
from registrar.models import Conversion, IndexName, RegisterEntry, RegisterEvent
from tests.factories import RegisterOfficeFactory, StaffFactory
from tests.factories.marriage_downstream import registered_entry, registered_partnership

TODAY = datetime.date(2026, 9, 14)
FORMED = datetime.date(2019, 5, 3)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 9, 14, 11, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def york(db):
    return RegisterOfficeFactory(code="E-YORK-T", name="York Register Office")


@pytest.fixture
def registrar(db, york):
    roles.sync_roles()
    staff = StaffFactory(roles=[roles.REGISTRAR], full_name="Tom Baines")
    staff.offices.set([york])
    return staff


@pytest.fixture
def partnership(db):
    return registered_partnership(RegisterOfficeFactory(code="E-LEEDS-T"), formed=FORMED)


def convert(partnership, registrar, office, **overrides):
    arguments = {
        "partnership": partnership,
        "office": office,
        "declared_on": TODAY,
        "both_present": True,
        "both_signed": True,
        "identities_checked": True,
        "actor": registrar,
        **overrides,
    }
    return conversion_services.convert_partnership(**arguments)


@pytest.mark.django_db
def test_the_marriage_is_written_in_the_registrars_district_dated_from_the_formation(partnership, registrar, york):
    conversion = convert(partnership, registrar, york)
    marriage = conversion.marriage
    assert conversion.reference.startswith("CV-") and conversion.partnership == partnership
    assert marriage.event == "marriage" and marriage.district == york and marriage.year == TODAY.year
    assert marriage.event_date == FORMED
    assert marriage.registered_by == registrar
    p = marriage.particulars
    assert p["date_of_marriage"] == "2019-05-03" and "date_of_formation" not in p
    assert p["place_of_marriage"] == partnership.particulars["place_of_formation"]
    assert p["converted_from"] == {
        "entry": partnership.entry_reference,
        "formed_on": "2019-05-03",
        "declared_on": TODAY.isoformat(),
    }
    assert p["party2_parents"] == partnership.particulars["party2_parents"]
    lines = IndexName.objects.filter(entry=marriage)
    assert {(line.surname, line.other_surname) for line in lines} == {("Morgan", "Pritchard"), ("Pritchard", "Morgan")}
    assert conversion.declared_at == york and conversion.declared_on == TODAY


@pytest.mark.django_db
def test_the_marriage_carries_the_partnerships_corrections(partnership, registrar, york):
    register.record_correction(
        entry=partnership,
        field="party1_occupation",
        new_value="Head teacher",
        reason="r",
        evidence="e",
        actor=StaffFactory(),
    )
    marriage = convert(partnership, registrar, york).marriage
    assert marriage.particulars["party1_occupation"] == "Head teacher"


@pytest.mark.django_db
def test_a_partnership_is_converted_once(partnership, registrar, york):
    convert(partnership, registrar, york)
    with pytest.raises(MarriageRefused) as refused:
        convert(partnership, registrar, york)
    assert refused.value.code == "conversion_already_converted" and refused.value.status == 409
    assert Conversion.objects.count() == 1
    assert RegisterEntry.objects.filter(event="marriage").count() == 1


@pytest.mark.django_db
def test_the_database_refuses_a_second_conversion_of_one_partnership(partnership, registrar, york):
    first = convert(partnership, registrar, york)
    other = registered_entry(york)
    with pytest.raises(IntegrityError), transaction.atomic():
        Conversion.objects.create(
            reference="CV-TEST-0001",
            partnership=partnership,
            marriage=other,
            declared_on=TODAY,
            declared_at=york,
            registrar=registrar,
        )
    assert Conversion.objects.get() == first


@pytest.mark.django_db
def test_a_marriage_cannot_be_converted(registrar, york):
    with pytest.raises(MarriageRefused) as refused:
        convert(registered_entry(york), registrar, york)
    assert refused.value.code == "conversion_not_partnership"


@pytest.mark.django_db
@pytest.mark.parametrize("missing", ["both_present", "both_signed", "identities_checked"])
def test_the_declaration_needs_both_partners_their_signatures_and_their_identities(
    partnership, registrar, york, missing
):
    with pytest.raises(MarriageRefused) as refused:
        convert(partnership, registrar, york, **{missing: False})
    assert refused.value.code == "conversion_declaration_incomplete"
    assert not Conversion.objects.exists()


@pytest.mark.django_db
def test_the_declaration_is_dated_today_or_before_but_not_before_the_formation(partnership, registrar, york):
    with pytest.raises(MarriageRefused) as refused:
        convert(partnership, registrar, york, declared_on=TODAY + datetime.timedelta(days=1))
    assert refused.value.code == "conversion_declared_in_future"
    with pytest.raises(MarriageRefused) as refused:
        convert(partnership, registrar, york, declared_on=FORMED - datetime.timedelta(days=1))
    assert refused.value.code == "conversion_declared_before_formation"
    assert convert(partnership, registrar, york, declared_on=FORMED).declared_on == FORMED


@pytest.mark.django_db
def test_only_a_registrar_at_their_own_office_converts(partnership, registrar, york):
    elsewhere = RegisterOfficeFactory(code="E-HULL-T")
    with pytest.raises(MarriageRefused) as refused:
        convert(partnership, registrar, elsewhere)
    assert refused.value.code == "wrong_office"
    support = StaffFactory(roles=[roles.PHONE_SUPPORT])
    support.offices.set([york])
    with pytest.raises(MarriageRefused) as refused:
        convert(partnership, support, york)
    assert refused.value.code == "not_permitted"
    with pytest.raises(MarriageRefused) as refused:
        convert(partnership, registrar, None)
    assert refused.value.code == "conversion_no_office"
    assert not Conversion.objects.exists()


@pytest.mark.django_db
def test_a_conversion_is_audited_and_told_to_integrators(
    partnership, registrar, york, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        conversion = convert(partnership, registrar, york)
    audit = AuditEntry.objects.get(action="marriage.partnership_converted")
    assert audit.actor == registrar and audit.detail["marriage"] == conversion.marriage.entry_reference
    assert AuditEntry.objects.filter(action="register.entry_written", object_id=str(conversion.marriage.pk)).exists()
    event = RegisterEvent.objects.get(kind="registered", entry=conversion.marriage)
    assert '"converted_from":"' + partnership.entry_reference + '"' in event.body


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_registrars_converting_one_partnership_at_once_write_one_marriage_on_postgres(registrar, york):
    partnership = registered_partnership(RegisterOfficeFactory(code="E-LEEDS-T"), formed=FORMED)
    second = StaffFactory(roles=[roles.SUPERINTENDENT_REGISTRAR])
    second.offices.set([york])
    workers = 4
    barrier = threading.Barrier(workers)

    def run(index):
        barrier.wait()
        try:
            return convert(partnership, registrar if index % 2 else second, york).reference
        except MarriageRefused as refused:
            return refused.code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        outcomes = list(pool.map(run, range(workers)))
    assert sorted(outcome.startswith("CV-") for outcome in outcomes) == [False, False, False, True]
    assert outcomes.count("conversion_already_converted") == 3
    assert Conversion.objects.count() == 1
    assert list(RegisterEntry.objects.filter(event="marriage", district=york).values_list("number", flat=True)) == [1]
