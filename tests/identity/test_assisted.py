"""Assisted digital: consent codes are single use, expire, are throttled per person and per
staff member; a session is limited in time and to one person; finding people shows the minimum;
everything is audited."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from booking import services as booking_services
from identity import assisted, cases, roles
from identity.models import AssistedSession, AuditEntry, ConsentCode, IdentityCase
from tests.conftest import ON_POSTGRES
from tests.factories import RegistrationFactory, StaffFactory, UserFactory, first_ceremony_slot, make_bookable_office

pytestmark = pytest.mark.django_db


@pytest.fixture
def support():
    """A phone-support member, not signed in to the pages: these tests call the services."""
    return StaffFactory(roles=[roles.PHONE_SUPPORT])


@pytest.fixture
def person():
    return UserFactory(full_name="Sarah Morgan")


def test_a_consent_code_opens_one_session_and_cannot_be_used_twice(support, person):
    code = assisted.issue_consent_code(person=person)
    session = assisted.open_assisted_session(staff=support, person=person, code=code)
    assert session.is_open() and session.person == person and session.staff == support
    assert session.expires_at - session.opened_at == timedelta(minutes=30)
    with pytest.raises(assisted.ConsentRefused) as refused:
        assisted.open_assisted_session(staff=StaffFactory(roles=[roles.PHONE_SUPPORT]), person=person, code=code)
    assert refused.value.reason == "consent_incorrect"
    assert AssistedSession.objects.count() == 1


def test_the_code_is_read_out_loosely(support, person):
    code = assisted.issue_consent_code(person=person)
    assert len(code) == 9 and code[4] == "-"
    assisted.open_assisted_session(staff=support, person=person, code=f" {code.lower().replace('-', ' ')} ")


def test_only_a_keyed_hash_of_the_code_is_stored(person):
    code = assisted.issue_consent_code(person=person)
    stored = ConsentCode.objects.get(person=person)
    assert assisted.normalise_consent_code(code) not in stored.code_hash and len(stored.code_hash) == 64


def test_a_new_code_replaces_the_old_one(support, person):
    first = assisted.issue_consent_code(person=person)
    second = assisted.issue_consent_code(person=person)
    with pytest.raises(assisted.ConsentRefused):
        assisted.open_assisted_session(staff=support, person=person, code=first)
    assisted.open_assisted_session(staff=support, person=person, code=second)


def test_a_code_expires_after_15_minutes(support, person):
    code = assisted.issue_consent_code(person=person)
    with time_machine.travel(timezone.now() + timedelta(minutes=15, seconds=1)):
        with pytest.raises(assisted.ConsentRefused) as refused:
            assisted.open_assisted_session(staff=support, person=person, code=code)
    assert refused.value.reason == "consent_expired"


def test_a_code_for_one_person_does_not_open_another_persons_case(support, person):
    code = assisted.issue_consent_code(person=person)
    other = UserFactory()
    assisted.issue_consent_code(person=other)
    with pytest.raises(assisted.ConsentRefused):
        assisted.open_assisted_session(staff=support, person=other, code=code)


def test_five_wrong_codes_kill_the_code_and_lock_the_person(support, person):
    code = assisted.issue_consent_code(person=person)
    for _ in range(5):
        with pytest.raises(assisted.ConsentRefused):
            assisted.open_assisted_session(staff=support, person=person, code="AAAA-AAAA")
    with pytest.raises(assisted.ConsentRefused) as refused:
        assisted.open_assisted_session(staff=support, person=person, code=code)
    assert refused.value.reason == "consent_locked"
    assert ConsentCode.objects.get(person=person).killed_at is not None
    # A new code does not lift the lock before its time.
    fresh = assisted.issue_consent_code(person=person)
    with pytest.raises(assisted.ConsentRefused):
        assisted.open_assisted_session(staff=StaffFactory(roles=[roles.PHONE_SUPPORT]), person=person, code=fresh)
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        fresh = assisted.issue_consent_code(person=person)
        assert assisted.open_assisted_session(staff=support, person=person, code=fresh).is_open()


def test_a_staff_member_guessing_across_many_people_is_stopped(support):
    people = [UserFactory() for _ in range(11)]
    for someone in people[:10]:
        assisted.issue_consent_code(person=someone)
        with pytest.raises(assisted.ConsentRefused):
            assisted.open_assisted_session(staff=support, person=someone, code="BBBB-BBBB")
    code = assisted.issue_consent_code(person=people[10])
    with pytest.raises(assisted.ConsentRefused) as refused:
        assisted.open_assisted_session(staff=support, person=people[10], code=code)
    assert refused.value.reason == "consent_locked"


@pytest.mark.parametrize("role", [roles.REGISTRAR, roles.SERVICE_ADMIN, None])
def test_only_phone_support_opens_sessions(person, role):
    staff = StaffFactory(roles=[role] if role else [])
    code = assisted.issue_consent_code(person=person)
    with pytest.raises(assisted.ConsentRefused) as refused:
        assisted.open_assisted_session(staff=staff, person=person, code=code)
    assert refused.value.reason == "consent_not_allowed"


def test_a_citizen_cannot_open_a_session_and_staff_cannot_be_assisted(support):
    citizen = UserFactory()
    with pytest.raises(assisted.ConsentRefused):
        assisted.open_assisted_session(staff=citizen, person=UserFactory(), code="x")
    colleague = StaffFactory(roles=[roles.PHONE_SUPPORT])
    with pytest.raises(assisted.ConsentRefused):
        assisted.open_assisted_session(staff=support, person=colleague, code="x")


def test_a_session_ends_after_its_time_and_reaches_only_its_person(support, person):
    session = assisted.open_assisted_session(
        staff=support, person=person, code=assisted.issue_consent_code(person=person)
    )
    assert assisted.open_session_for(staff=support, person=person) == session
    assert assisted.open_session_for(staff=support, person=UserFactory()) is None
    assert assisted.open_session_for(staff=StaffFactory(roles=[roles.PHONE_SUPPORT]), person=person) is None
    with time_machine.travel(timezone.now() + timedelta(minutes=30, seconds=1)):
        assert assisted.open_session_for(staff=support, person=person) is None


def test_closing_a_session_ends_it_and_is_audited(support, person):
    session = assisted.open_assisted_session(
        staff=support, person=person, code=assisted.issue_consent_code(person=person)
    )
    assisted.close_assisted_session(session=session, actor=support)
    assisted.close_assisted_session(session=session, actor=support)
    assert assisted.open_session_for(staff=support, person=person) is None
    assert AuditEntry.objects.filter(action="assisted.session_closed").count() == 1


def test_opening_and_refusals_are_audited_with_the_person(support, person):
    code = assisted.issue_consent_code(person=person)
    with pytest.raises(assisted.ConsentRefused):
        assisted.open_assisted_session(staff=support, person=person, code="CCCC-CCCC", client_address="192.0.2.1")
    assisted.open_assisted_session(staff=support, person=person, code=code)
    refused, opened = (
        AuditEntry.objects.filter(action__startswith="assisted.consent_refused").get(),
        (AuditEntry.objects.filter(action="assisted.session_opened").get()),
    )
    assert refused.actor == support and refused.subject == person and refused.reason == "consent_incorrect"
    assert refused.client_address == "192.0.2.1"
    assert opened.subject == person and opened.object_type == "assisted_session"


def _case(person, **fields):
    case = cases.open_case(person=person)
    IdentityCase.objects.filter(pk=case.pk).update(**fields)
    case.refresh_from_db()
    return case


def test_find_people_by_reference_shows_the_minimum_and_is_audited(support, person):
    case = _case(person, given_names="Sarah", surname="Morgan", birth_date=date(1990, 5, 1), postcode="LS1 3AD")
    matches = assisted.find_people(staff=support, reference=case.reference.lower())
    assert matches == [
        assisted.PersonMatch(person_id=person.pk, name="Sarah Morgan", reference=case.reference, stage="In progress")
    ]
    entry = AuditEntry.objects.get(action="assisted.search")
    assert entry.actor == support and entry.detail["results"] == 1


def test_find_people_by_name_needs_birth_date_and_postcode_together(support, person):
    _case(person, given_names="Sarah", surname="Morgan", birth_date=date(1990, 5, 1), postcode="LS1 3AD")
    assert assisted.find_people(staff=support, full_name="Sarah Morgan") == []
    assert assisted.find_people(staff=support, full_name="Sarah Morgan", birth_date=date(1990, 5, 1)) == []
    found = assisted.find_people(
        staff=support, full_name="Sarah Morgan", birth_date=date(1990, 5, 1), postcode="ls1 3ad"
    )
    assert [match.person_id for match in found] == [person.pk]
    assert (
        assisted.find_people(staff=support, full_name="Sarah Morgan", birth_date=date(1990, 5, 2), postcode="LS1 3AD")
        == []
    )
    assert AuditEntry.objects.filter(action="assisted.search").count() == 4


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_use_of_one_code_opens_one_session_on_postgres():
    assert ON_POSTGRES
    person = UserFactory()
    staff = [StaffFactory(roles=[roles.PHONE_SUPPORT]) for _ in range(8)]
    code = assisted.issue_consent_code(person=person)
    barrier = threading.Barrier(8)

    def use(index):
        barrier.wait()
        try:
            assisted.open_assisted_session(staff=staff[index], person=person, code=code)
            return "opened"
        except assisted.ConsentRefused:
            return "refused"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(use, range(8)))
    assert outcomes.count("opened") == 1
    assert AssistedSession.objects.count() == 1


def test_find_people_by_a_booking_reference(support):
    make_bookable_office()
    slot = first_ceremony_slot()
    owner = UserFactory(full_name="Kit Example")
    booking = booking_services.hold_published_slot(
        person=owner, room=slot.room, starts_at=slot.starts_at, kind="ceremony"
    )
    matches = assisted.find_people(staff=support, reference=booking.reference.lower())
    assert matches == [
        assisted.PersonMatch(
            person_id=owner.pk, name="Kit Example", reference=booking.reference.upper(), stage="Ceremony: Held"
        )
    ]
    assert assisted.find_people(staff=support, reference="BK-NONE-NONE") == []


def test_find_people_by_a_registration_reference(support):
    registration = RegistrationFactory(informant=UserFactory(full_name="Emma Clarke"))
    [match] = assisted.find_people(staff=support, reference=registration.reference)
    assert match.person_id == registration.informant_id and match.name == "Emma Clarke"
    assert match.stage.startswith(registration.get_event_display())
