"""Demo data for `make run`: every register office a venue, approved premises near many of
them, weekly room patterns (ceremonies, notice and identity appointments), officers with a
weekly rota, and the bank holidays, so that the national search has real volume. Idempotent."""

from __future__ import annotations

import hashlib
from datetime import time

from django.contrib.auth.models import Group
from django.db import transaction

from identity.models import RegisterOffice, User
from identity.roles import REGISTRAR, SUPERINTENDENT_REGISTRAR

from .models import Booking, Room, RoomPattern, RotaShift, Venue
from .services import ensure_office_venues

PREMISES_KINDS = [
    ("Assembly Rooms", 120),
    ("Park Hotel", 80),
    ("Castle Great Hall", 150),
    ("Botanic Gardens Pavilion", 60),
]


def _number(text: str) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)


def ensure_patterns(room: Room, *, kind: str, days: range, opens: time, closes: time, duration: int, gap: int) -> None:
    for weekday in days:
        RoomPattern.objects.get_or_create(
            room=room,
            kind=kind,
            weekday=weekday,
            opens=opens,
            defaults={"closes": closes, "duration_minutes": duration, "gap_minutes": gap},
        )


def ensure_identity_patterns(room: Room) -> None:
    """Identity appointments offered from an office's notice room on weekdays: video calls with
    any free officer of the office (the room itself stays free), and visits in the room."""
    ensure_patterns(
        room, kind=Booking.Kind.IDENTITY_VIDEO, days=range(0, 5), opens=time(9), closes=time(17), duration=30, gap=15
    )
    # Notice of marriage interviews by video, with the same officers.
    ensure_patterns(
        room, kind=Booking.Kind.NOTICE_VIDEO, days=range(0, 5), opens=time(9), closes=time(17), duration=30, gap=15
    )
    ensure_patterns(
        room,
        kind=Booking.Kind.IDENTITY_IN_PERSON,
        days=range(0, 5),
        opens=time(9, 30),
        closes=time(16, 30),
        duration=30,
        gap=15,
    )


def ensure_approved_premises(office: RegisterOffice) -> list[Venue]:
    """One or two approved premises within about 5-20 km of the office (deterministic)."""
    venues = []
    seed = _number(office.code)
    for index in range(1 + seed % 2):
        name, capacity = PREMISES_KINDS[(seed // 7 + index) % len(PREMISES_KINDS)]
        offset_lat = ((seed >> (index * 4)) % 17 - 8) / 100
        offset_lon = ((seed >> (index * 4 + 8)) % 23 - 11) / 100
        venue, _created = Venue.objects.update_or_create(
            code=f"AP-{office.code}-{index + 1}",
            defaults={
                "name": f"{office.town} {name}",
                "welsh_name": "",
                "kind": Venue.Kind.APPROVED_PREMISES,
                "office": office,
                "address": f"{index + 1} {name} Road, {office.town}",
                "postcode": office.postcode,
                "latitude": round(float(office.latitude) + offset_lat, 5),
                "longitude": round(float(office.longitude) + offset_lon, 5),
                "capacity": capacity,
                "accessibility_notes": "Level access to the ceremony room; parking for blue badge holders.",
                "ceremony_fee_pence": 55000 + 5000 * index,
            },
        )
        room, _created = Room.objects.get_or_create(venue=venue, name="Ceremony hall", defaults={"capacity": capacity})
        # Approved premises hold weddings at weekends and on Friday afternoons.
        ensure_patterns(
            room, kind=Booking.Kind.CEREMONY, days=range(4, 7), opens=time(12), closes=time(17), duration=60, gap=30
        )
        venues.append(venue)
    return venues


def ensure_officers(office: RegisterOffice) -> list[User]:
    """Two superintendent registrars and two registrars per office, on a Monday-Saturday rota.
    They never sign in (no usable password); the named demo staff do."""
    groups = {group.name: group for group in Group.objects.filter(name__in=[REGISTRAR, SUPERINTENDENT_REGISTRAR])}
    officers = []
    slug = office.code.lower()
    for role, prefix in ((SUPERINTENDENT_REGISTRAR, "sr"), (REGISTRAR, "r")):
        for number in (1, 2):
            email = f"{prefix}{number}.{slug}@officers.registrar.example"
            officer = User.objects.filter(email=email).first()
            if officer is None:
                officer = User(email=email, full_name=f"{office.town} {role} {number}", is_staff=True)
                officer.set_unusable_password()
                officer.save()
                officer.groups.add(groups[role])
                officer.offices.add(office)
            officers.append(officer)
            ensure_rota(officer, office, saturday=number == 1)
    return officers


def ensure_rota(officer: User, office: RegisterOffice, *, saturday: bool = True) -> None:
    for weekday in range(6 if saturday else 5):
        RotaShift.objects.get_or_create(
            officer=officer, weekday=weekday, starts=time(8, 30), defaults={"office": office, "ends": time(18, 30)}
        )


def ensure_office_diary(office: RegisterOffice) -> int:
    """One office's register office rooms with their weekly patterns, its approved premises and
    its officers on a rota (idempotent). Returns how many approved premises it has."""
    with transaction.atomic():
        for venue in Venue.objects.filter(office=office, kind=Venue.Kind.REGISTER_OFFICE):
            for room in venue.rooms.all():
                if room.name == "Ceremony room":
                    ensure_patterns(
                        room,
                        kind=Booking.Kind.CEREMONY,
                        days=range(0, 6),
                        opens=time(10),
                        closes=time(16),
                        duration=45,
                        gap=15,
                    )
                else:
                    ensure_patterns(
                        room,
                        kind=Booking.Kind.NOTICE,
                        days=range(0, 5),
                        opens=time(9, 30),
                        closes=time(16, 30),
                        duration=30,
                        gap=15,
                    )
                    ensure_identity_patterns(room)
        premises = len(ensure_approved_premises(office))
        ensure_officers(office)
    return premises


def load_demo_calendar() -> dict[str, int]:
    """Venues, rooms, patterns and officers for every office."""
    ensure_office_venues()
    counts = {"offices": 0, "approved_premises": 0}
    for office in RegisterOffice.objects.all():
        counts["approved_premises"] += ensure_office_diary(office)
        counts["offices"] += 1
    return counts
