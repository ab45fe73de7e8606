"""Citizenship ceremonies for the registrar's side: a group ceremony made directly (a
CITIZENSHIP_GROUP booking with its CitizenshipCeremony, as booking's staff scheduling would make
it), a Home Office invitation at each stage, and the person it is for with a verified identity."""

from __future__ import annotations

import datetime
import secrets

from django.utils import timezone

from booking.models import Booking, CitizenshipCeremony
from core.references import new_reference
from identity.models import IdentityCase
from registrar.citizenship.services import attend_by_for
from registrar.models import CitizenshipInvitation
from tests.factories.booking import RoomFactory, VenueFactory
from tests.factories.identity import RegisterOfficeFactory, StaffFactory, UserFactory


def make_ceremony(
    *,
    office=None,
    starts_at=None,
    days_ahead: int = 14,
    seats: int = 10,
    guests_per_attendee: int = 2,
    guest_places: int = 20,
    welsh: bool = False,
    venue_name: str = "",
) -> CitizenshipCeremony:
    office = office or RegisterOfficeFactory()
    venue = VenueFactory(office=office, **({"name": venue_name} if venue_name else {}))
    room = RoomFactory(venue=venue, name="Council chamber")
    starts_at = starts_at or (timezone.now() + datetime.timedelta(days=days_ahead)).replace(
        hour=11, minute=0, second=0, microsecond=0
    )
    booking = Booking.objects.create(
        reference=new_reference("BK"),
        kind=Booking.Kind.CITIZENSHIP_GROUP,
        status=Booking.Status.CONFIRMED,
        person=StaffFactory(),
        room=room,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=1),
    )
    return CitizenshipCeremony.objects.create(
        booking=booking,
        seats=seats,
        guests_per_attendee=guests_per_attendee,
        guest_places=guest_places,
        welsh_available=welsh,
    )


def verified_person(*, forenames="Amara", surname="Okafor", date_of_birth=datetime.date(1988, 4, 2), **user):
    person = UserFactory(full_name=f"{forenames} {surname}", **user)
    IdentityCase.objects.create(
        person=person,
        reference=new_reference("ID"),
        status=IdentityCase.Status.VERIFIED,
        decided_at=timezone.now(),
        given_names=forenames,
        surname=surname,
        birth_date=date_of_birth,
    )
    return person


def make_invitation(
    *,
    person=None,
    status: str = CitizenshipInvitation.Status.MATCHED,
    forenames="Amara",
    surname="Okafor",
    date_of_birth=datetime.date(1988, 4, 2),
    invited_on=None,
    office=None,
    **extra,
) -> CitizenshipInvitation:
    invited_on = invited_on or timezone.localdate()
    if status == CitizenshipInvitation.Status.MATCHED and person is None:
        person = verified_person(forenames=forenames, surname=surname, date_of_birth=date_of_birth)
    return CitizenshipInvitation.objects.create(
        reference=new_reference("CI"),
        home_office_reference=f"HO-{secrets.token_hex(5).upper()}",
        forenames=forenames,
        surname=surname,
        date_of_birth=date_of_birth,
        email=person.email if person else "invited@example.com",
        postcode="LS1 3AD",
        route=CitizenshipInvitation.Route.NATURALISATION,
        invited_on=invited_on,
        attend_by=attend_by_for(invited_on),
        office=office,
        status=status,
        person=person if status != CitizenshipInvitation.Status.INVITED else None,
        matched_at=timezone.now() if person else None,
        link_nonce=secrets.token_urlsafe(16),
        **extra,
    )


def registrar_for(office, *roles_):
    from identity import roles

    staff = StaffFactory(roles=list(roles_) or [roles.REGISTRAR])
    staff.offices.add(office)
    return staff


def reach_documented_statuses(hit, *, home_office_client, settings) -> None:
    """Every documented status of the citizenship API that the shared checks of
    tests/api/test_documented_statuses.py do not reach: each operation's success and its 409."""
    from tests.factories.identity import api_client

    settings.CITIZENSHIP_HOME_OFFICE_ADAPTER = "registrar.citizenship.home_office.SandboxCitizenshipHomeOffice"
    body = {
        "home_office_reference": "HO-DOC-1",
        "forenames": "Amara",
        "surname": "Okafor",
        "date_of_birth": "1988-04-02",
        "email": "amara@example.com",
        "postcode": "LS1 3AD",
        "route": "registration",
        "invited_on": timezone.localdate().isoformat(),
    }
    hit(home_office_client, "POST", "/api/v1/citizenship/invitations", data=body, format="json")  # 201
    hit(home_office_client, "POST", "/api/v1/citizenship/invitations", data=body, format="json")  # 409
    invited = CitizenshipInvitation.objects.get(home_office_reference="HO-DOC-1")
    from registrar.citizenship.services import link_token

    person = verified_person()
    accept = "/api/v1/citizenship/invitations/accept"
    hit(api_client(person), "POST", accept, data={"token": link_token(invited)}, format="json")  # 200
    hit(api_client(verified_person()), "POST", accept, data={"token": link_token(invited)}, format="json")  # 409
    hit(api_client(person), "POST", accept, data={"token": "nonsense"}, format="json")  # 404

    ceremony, full = make_ceremony(), make_ceremony(seats=1)
    CitizenshipCeremony.objects.filter(pk=full.pk).update(seats_taken=1)
    citizen = api_client(person)
    values = {"reference": invited.reference}
    base = "/api/v1/citizenship/invitations/{reference}"
    hit(citizen, "GET", base, values)  # 200
    hit(citizen, "GET", base + "/ceremonies", values)  # 200
    seat = {"ceremony": ceremony.booking.reference, "guests": 0}
    for path in (base + "/seat", base + "/private"):
        hit(citizen, "POST", path, values, data="x", content_type="text/plain")  # 415
        hit(citizen, "POST", path, values, data={"guests": "lots", "pledge_form": "promise"}, format="json")  # 400
    hit(citizen, "POST", base + "/seat", values, data={**seat, "ceremony": full.booking.reference}, format="json")
    hit(citizen, "POST", base + "/seat", values, data=seat, format="json")  # 201
    hit(citizen, "POST", base + "/private", values, data={"pledge_form": "oath"}, format="json")  # 409: has a seat
    hit(citizen, "DELETE", base + "/seat", values)  # 200
    hit(citizen, "DELETE", base + "/seat", values)  # 409
    hit(citizen, "POST", base + "/private", values, data={"pledge_form": "oath"}, format="json")  # 200
    hit(citizen, "GET", base + "/ceremonies", values)  # 409: a private ceremony asked for

    office = ceremony.booking.room.venue.office
    other = make_invitation()
    from registrar.citizenship import services

    booked = services.book(person=other.person, invitation=other, ceremony=ceremony, guests=0, welsh_oath=False)
    Booking.objects.filter(pk=ceremony.booking.pk).update(starts_at=timezone.now() - datetime.timedelta(minutes=5))
    registrar = api_client(registrar_for(office))
    attendance = "/api/v1/citizenship/ceremonies/{ceremony}/attendance/{seat}"
    where = {"ceremony": ceremony.booking.reference, "seat": booked.reference}
    hit(registrar, "POST", attendance, where, data="x", content_type="text/plain")  # 415
    hit(registrar, "POST", attendance, where, data={"outcome": "maybe"}, format="json")  # 400
    hit(registrar, "POST", attendance, where, data={"outcome": "not_attended"}, format="json")  # 201
    hit(registrar, "POST", attendance, where, data={"outcome": "not_attended"}, format="json")  # 409
