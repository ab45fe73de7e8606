"""A booking seen by staff: its details, recording each party's notice (which confirms the
ceremony once both are given), and changing the officers; refusals are form errors, never
500s, and every action is audited."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from booking import services
from identity import roles
from identity.models import AuditEntry, OutboundMessage, User
from tests.factories import (
    RoomFactory,
    StaffFactory,
    UserFactory,
    book_ceremony,
    ceremony_slots,
    make_bookable_office,
)

pytestmark = pytest.mark.django_db


def detail_url(office, booking) -> str:
    return reverse("booking-staff:booking", args=[office.code, booking.reference])


def test_the_booking_page_shows_details_parties_and_is_audited(client, registrar, office, ceremony):
    response = client.get(detail_url(office, ceremony))
    page = response.content.decode()
    assert response.status_code == 200
    assert f"Booking {ceremony.reference}" in page and "Provisionally booked" in page
    assert ceremony.superintendent.full_name in page and ceremony.registrar.full_name in page
    for party in ceremony.parties.all():
        assert party.full_name in page
    assert page.count("Not given") == 2 and "Record notice given by" not in page
    assert AuditEntry.objects.filter(
        action="booking.viewed", actor=registrar, object_id=ceremony.reference, subject=ceremony.person
    ).exists()


def test_an_unknown_reference_is_a_404(client, registrar, office):
    response = client.get(reverse("booking-staff:booking", args=[office.code, "BK-NOPE"]))
    assert response.status_code == 404 and "Page not found" in response.content.decode()


def test_a_booking_at_another_office_is_not_found_from_this_office(client, registrar, office):
    other, *_rest = make_bookable_office(code="E-FAR")
    elsewhere = book_ceremony(ceremony_slots(other)[0])
    assert client.get(detail_url(office, elsewhere)).status_code == 404


def test_the_booking_page_shows_the_notices_given_and_records_none(
    client, registrar, office, ceremony, stand_in_notices
):
    given = timezone.localdate()
    stand_in_notices(ceremony, given_on=given, positions=(1,))
    page = client.get(detail_url(office, ceremony)).content.decode()
    assert page.count("Notice given") == 1 and "Not given" in page
    assert "Record notice" not in page
    stand_in_notices(ceremony, given_on=given)
    page = client.get(detail_url(office, ceremony)).content.decode()
    assert page.count("Notice given") == 2
    assert "The notices allow a ceremony from" in page


def test_the_retired_record_notice_address_is_gone(client, registrar, office, ceremony):
    address = f"/staff/booking/{office.code}/bookings/{ceremony.reference}/notice/1/"
    assert client.post(address, {}).status_code == 404


def _other_officers(office, booking):
    other_superintendent = (
        User.objects.filter(groups__name=roles.SUPERINTENDENT_REGISTRAR, rota_shifts__office=office)
        .exclude(pk=booking.superintendent_id)
        .distinct()
        .first()
    )
    other_registrar = (
        User.objects.filter(groups__name=roles.REGISTRAR, rota_shifts__office=office)
        .exclude(pk=booking.registrar_id)
        .distinct()
        .first()
    )
    return other_superintendent, other_registrar


def test_reassigning_officers_changes_them_audits_and_tells_the_couple(client, registrar, office, ceremony):
    superintendent, other_registrar = _other_officers(office, ceremony)
    page = client.get(detail_url(office, ceremony)).content.decode()
    assert superintendent.full_name in page
    response = client.post(
        reverse("booking-staff:reassign", args=[office.code, ceremony.reference]),
        {"superintendent": superintendent.pk, "registrar": other_registrar.pk},
    )
    assert response.status_code == 302
    ceremony.refresh_from_db()
    assert (ceremony.superintendent, ceremony.registrar) == (superintendent, other_registrar)
    assert AuditEntry.objects.filter(action="booking.officers_changed", object_id=ceremony.reference).exists()
    assert OutboundMessage.objects.filter(to=ceremony.person.email, subject="A change to your booking").exists()


def test_an_officer_not_on_the_rota_cannot_be_chosen(client, registrar, office, ceremony):
    outsider = StaffFactory(roles=[roles.SUPERINTENDENT_REGISTRAR])
    response = client.post(
        reverse("booking-staff:reassign", args=[office.code, ceremony.reference]),
        {"superintendent": outsider.pk, "registrar": ceremony.registrar_id},
    )
    assert response.status_code == 400
    assert "Select a superintendent registrar on this office" in response.content.decode()
    ceremony.refresh_from_db()
    assert ceremony.superintendent != outsider


def test_a_busy_officer_is_a_409_not_a_500(client, registrar, office, ceremony):
    # The other officers are held at the same time in another room of the venue.
    superintendent, other_registrar = _other_officers(office, ceremony)
    room = RoomFactory(venue=ceremony.room.venue, capacity=40)
    services.hold_slot(
        person=UserFactory(),
        room=room,
        starts_at=ceremony.starts_at,
        ends_at=ceremony.ends_at,
        kind="ceremony",
        superintendent=superintendent,
        registrar=other_registrar,
    )
    response = client.post(
        reverse("booking-staff:reassign", args=[office.code, ceremony.reference]),
        {"superintendent": superintendent.pk, "registrar": ceremony.registrar_id},
    )
    assert response.status_code == 409 and "busy at that time" in response.content.decode()
    ceremony.refresh_from_db()
    assert ceremony.superintendent != superintendent


def test_the_same_person_twice_is_a_form_error(client, registrar, office, ceremony):
    both = User.objects.filter(groups__name=roles.SUPERINTENDENT_REGISTRAR, rota_shifts__office=office).first()
    both.groups.add(*both.groups.model.objects.filter(name=roles.REGISTRAR))
    response = client.post(
        reverse("booking-staff:reassign", args=[office.code, ceremony.reference]),
        {"superintendent": both.pk, "registrar": both.pk},
    )
    assert response.status_code == 400 and "must be different people" in response.content.decode()
