"""Demo data for `make run`: group citizenship ceremonies at Leeds and Cardiff (Cardiff's offering
the oath and pledge in Welsh) and a new citizen invited by the Home Office, matched to a demo
account with a verified identity, ready to book at /citizenship/. Idempotent. The ceremonies are
made directly until booking's staff scheduling of group ceremonies makes them."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from booking.models import Booking, CitizenshipCeremony, Room
from core.references import new_reference
from identity.models import IdentityCase, RegisterOffice, User

from ..models import CitizenshipInvitation
from .services import attend_by_for

CITIZEN_EMAIL = "new.citizen@demo.example"
CEREMONIES = [("E-LEEDS", 14, False), ("E-LEEDS", 35, False), ("W-CARDIFF", 21, True)]


def _ceremony(office: RegisterOffice, days: int, welsh: bool) -> bool:
    room = Room.objects.filter(venue__office=office, venue__kind="register_office").order_by("pk").first()
    if room is None:
        return False
    day = timezone.localdate() + timedelta(days=days)
    starts = timezone.make_aware(datetime.combine(day, time(9)))
    if Booking.objects.filter(room=room, kind=Booking.Kind.CITIZENSHIP_GROUP, starts_at=starts).exists():
        return False
    owner = office.staff.order_by("pk").first() or User.objects.filter(is_staff=True).order_by("pk").first()
    if owner is None:
        return False
    booking = Booking.objects.create(
        reference=new_reference("BK"),
        kind=Booking.Kind.CITIZENSHIP_GROUP,
        status=Booking.Status.CONFIRMED,
        person=owner,
        room=room,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=45),
    )
    CitizenshipCeremony.objects.create(
        booking=booking, seats=20, guests_per_attendee=2, guest_places=40, welsh_available=welsh
    )
    return True


@transaction.atomic
def load_demo_citizenship() -> int:
    made = 0
    offices = {office.code: office for office in RegisterOffice.objects.filter(code__in=["E-LEEDS", "W-CARDIFF"])}
    for code, days, welsh in CEREMONIES:
        if code in offices:
            made += _ceremony(offices[code], days, welsh)
    if not User.objects.filter(email=CITIZEN_EMAIL).exists() and "E-LEEDS" in offices:
        person = User.objects.create(email=CITIZEN_EMAIL, full_name="Nadia Rahman", email_verified_at=timezone.now())
        IdentityCase.objects.create(
            person=person,
            reference=new_reference("ID"),
            status=IdentityCase.Status.VERIFIED,
            decided_at=timezone.now(),
            given_names="Nadia",
            surname="Rahman",
            birth_date=date(1990, 8, 15),
        )
        invited_on = timezone.localdate() - timedelta(days=10)
        CitizenshipInvitation.objects.create(
            reference=new_reference("CI"),
            home_office_reference="HO-DEMO-0001",
            forenames="Nadia",
            surname="Rahman",
            date_of_birth=date(1990, 8, 15),
            email=CITIZEN_EMAIL,
            postcode="LS1 3AD",
            route=CitizenshipInvitation.Route.NATURALISATION,
            invited_on=invited_on,
            attend_by=attend_by_for(invited_on),
            office=offices["E-LEEDS"],
            status=CitizenshipInvitation.Status.MATCHED,
            person=person,
            matched_at=timezone.now(),
        )
        made += 1
    return made
