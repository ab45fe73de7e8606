"""The day's identity appointments at an office, for its registrars: who, when, how (with the video
call's link), the identity check, and the way to the comparison page; closed to other offices and
to staff who do not work identity cases. The booking's own staff page links to the comparison too."""

from __future__ import annotations

import pytest
from django.urls import reverse

from identity import roles
from identity.models import AuditEntry
from tests.factories import (
    StaffFactory,
    UserFactory,
    book_identity_appointment,
    diary_staff,
    identity_slots,
    make_identity_office,
    staff_session,
    submit_passport_check,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def calendar():
    return make_identity_office()


def _booked(kind):
    person = UserFactory(full_name=f"Person for {kind}")
    submit_passport_check(person=person)
    return book_identity_appointment(identity_slots(kind)[0], person=person)


def test_the_days_identity_appointments_link_to_the_comparison(client, calendar):
    office = calendar[0]
    video, visit = _booked("identity_video"), _booked("identity_in_person")
    registrar = diary_staff(office)
    staff_session(client, registrar)
    url = reverse("booking-staff:identity-appointments", args=[office.code])
    page = client.get(url, {"date": video.starts_at.date().isoformat()})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Person for identity_video" in html and video.video_join_url in html
    assert reverse("identity:staff-identity-compare", args=[video.identity_case.reference]) + "?method=video" in html
    if visit.starts_at.date() == video.starts_at.date():
        assert "Person for identity_in_person" in html
    assert AuditEntry.objects.filter(action="booking.identity_appointments_viewed", object_id=office.code).exists()
    detail = client.get(reverse("booking-staff:booking", args=[office.code, visit.reference])).content.decode()
    assert reverse("identity:staff-identity-compare", args=[visit.identity_case.reference]) in detail
    assert "Identity appointment in person" in detail


def test_the_list_is_closed_to_other_offices_and_other_roles(client, calendar):
    office = calendar[0]
    url = reverse("booking-staff:identity-appointments", args=[office.code])
    elsewhere = make_identity_office(code="E-ELSEWHERE")[0]
    staff_session(client, diary_staff(elsewhere))
    assert client.get(url).status_code == 403
    support = StaffFactory(roles=[roles.PHONE_SUPPORT])
    support.offices.add(office)
    staff_session(client, support)
    assert client.get(url).status_code == 403


def test_a_date_that_is_no_date_is_a_400(client, calendar):
    office = calendar[0]
    staff_session(client, diary_staff(office))
    page = client.get(reverse("booking-staff:identity-appointments", args=[office.code]), {"date": "someday"})
    assert page.status_code == 400 and "Enter the date as year-month-day" in page.content.decode()


def test_the_diary_nav_links_to_the_identity_appointments(client, calendar):
    office = calendar[0]
    staff_session(client, diary_staff(office))
    html = client.get(reverse("booking-staff:diary", args=[office.code])).content.decode()
    assert reverse("booking-staff:identity-appointments", args=[office.code]) in html
