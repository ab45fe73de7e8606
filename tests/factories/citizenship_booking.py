"""Group citizenship ceremonies on the calendar, and seats at them, for tests of either side."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from booking import services
from booking.models import CitizenshipCeremony, Room
from booking.selectors import UK
from identity.models import User
from identity.roles import REGISTRAR, SUPERINTENDENT_REGISTRAR
from tests.factories.booking import diary_staff, make_bookable_office
from tests.factories.identity import UserFactory

_invitations = itertools.count(1)


def new_invitation_reference() -> str:
    return f"HO-INV-{next(_invitations):06d}"


def ceremony_day(days_ahead: int = 20) -> datetime.date:
    """A weekday `days_ahead` days from now or the next after it (when every officer is on the rota)."""
    day = timezone.localdate() + datetime.timedelta(days=days_ahead)
    while day.weekday() > 4:
        day += datetime.timedelta(days=1)
    return day


def office_officers_pair(office):
    """The office's first superintendent registrar and registrar (from `make_bookable_office`)."""
    superintendent = (
        User.objects.filter(groups__name=SUPERINTENDENT_REGISTRAR, rota_shifts__office=office).distinct().order_by("pk")
    ).first()
    registrar = (
        User.objects.filter(groups__name=REGISTRAR, rota_shifts__office=office).distinct().order_by("pk")
    ).first()
    return superintendent, registrar


def make_group_ceremony(
    office=None,
    *,
    day: datetime.date | None = None,
    at: datetime.time = datetime.time(11),
    minutes: int = 60,
    seats: int = 10,
    guests_per_attendee: int = 2,
    guest_places: int = 20,
    welsh_available: bool | None = None,
    actor=None,
    superintendent=None,
    registrar=None,
) -> CitizenshipCeremony:
    """A confirmed group ceremony scheduled by a registrar of `office` (a bookable office is made
    when none is given), in its ceremony room, by the service staff use."""
    if office is None:
        office = make_bookable_office()[0]
    actor = actor or diary_staff(office)
    default_superintendent, default_registrar = office_officers_pair(office)
    starts_at = datetime.datetime.combine(day or ceremony_day(), at, tzinfo=UK)
    return services.schedule_group_ceremony(
        office=office,
        room=Room.objects.get(venue__office=office, venue__kind="register_office", name="Ceremony room"),
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=minutes),
        superintendent=superintendent or default_superintendent,
        registrar=registrar or default_registrar,
        seats=seats,
        guests_per_attendee=guests_per_attendee,
        guest_places=guest_places,
        welsh_available=welsh_available,
        actor=actor,
    )


def take_seat(ceremony: CitizenshipCeremony, *, person=None, guests: int = 0, welsh_oath: bool = False, **extra):
    """A booked seat for a new citizen (made when not given) with a fresh invitation."""
    person = person or UserFactory()
    return services.book_seat(
        ceremony=ceremony,
        person=person,
        invitation_reference=extra.pop("invitation_reference", None) or new_invitation_reference(),
        guests=guests,
        welsh_oath=welsh_oath,
        attend_by=extra.pop("attend_by", None) or ceremony.booking.starts_at.astimezone(UK).date(),
        actor=extra.pop("actor", None) or person,
    )


__all__ = [
    "ceremony_day",
    "make_group_ceremony",
    "new_invitation_reference",
    "office_officers_pair",
    "take_seat",
]


def reach_documented_statuses(hit, *, office, registrar) -> None:
    """The statuses of the citizenship ceremonies API not reached by the shared loops of
    tests/api/test_documented_statuses.py: listing (200), scheduling (201, then 409 for the same
    room and time) and cancelling (a body that does not parse, 400; of another media type, 415;
    200, then 409), by a registrar of `office`."""
    from tests.factories.identity import api_client

    staff = api_client(registrar)
    superintendent, officer = office_officers_pair(office)
    day = ceremony_day(25)
    body = {
        "office": office.code,
        "room": Room.objects.get(venue__office=office, venue__kind="register_office", name="Ceremony room").pk,
        "day": day.isoformat(),
        "starts": "10:00",
        "ends": "11:00",
        "superintendent": superintendent.pk,
        "registrar": officer.pk,
        "seats": 10,
        "guests_per_attendee": 2,
        "guest_places": 20,
        "welsh_available": False,
    }
    created = hit(staff, "POST", "/api/v1/citizenship/ceremonies", data=body, format="json").json()
    hit(staff, "POST", "/api/v1/citizenship/ceremonies", data=body, format="json")
    hit(staff, "GET", "/api/v1/citizenship/ceremonies", data={"before": (day + datetime.timedelta(days=1)).isoformat()})
    cancel = "/api/v1/citizenship/ceremonies/{reference}/cancel"
    values = {"reference": created["reference"]}
    hit(staff, "POST", cancel, values, data="{", content_type="application/json")  # 400
    hit(staff, "POST", cancel, values, data="x", content_type="text/plain")  # 415
    hit(staff, "POST", cancel, values, data={"reason": "Snow"}, format="json")
    hit(staff, "POST", cancel, values, data={"reason": "Snow"}, format="json")
