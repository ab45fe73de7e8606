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
