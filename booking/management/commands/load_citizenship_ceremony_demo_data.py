"""`manage.py load_citizenship_ceremony_demo_data`: group citizenship ceremonies at Leeds and Cardiff (with
Welsh) over the coming weeks, and private ceremony times on Friday afternoons in their ceremony
rooms. Run after load_booking_demo_data. Idempotent: a day that has its ceremony already is left
as it is."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from booking import services
from booking.demo import ensure_patterns
from booking.models import MANAGE_DIARY, Booking, Room
from booking.refusals import BookingRefused
from booking.selectors import UK, rota_officers
from identity.models import RegisterOffice, User
from identity.roles import REGISTRAR, SUPERINTENDENT_REGISTRAR

OFFICES = ("E-LEEDS", "W-CARDIFF")
WEEKS = (2, 4, 6)


def _actor(office: RegisterOffice) -> User | None:
    for user in User.objects.filter(offices=office, is_staff=True, is_active=True).order_by("pk"):
        if user.has_perm(MANAGE_DIARY):
            return user
    return None


class Command(BaseCommand):
    help = "Group citizenship ceremonies and private ceremony times at Leeds and Cardiff."

    def handle(self, *args, **options):
        made = 0
        for office in RegisterOffice.objects.filter(code__in=OFFICES):
            room = Room.objects.filter(
                venue__office=office, venue__kind="register_office", name="Ceremony room"
            ).first()
            actor = _actor(office)
            superintendent = rota_officers(office_id=office.pk, roles=(SUPERINTENDENT_REGISTRAR,)).first()
            registrar = rota_officers(office_id=office.pk, roles=(REGISTRAR,)).first()
            if None in (room, actor, superintendent, registrar):
                self.stdout.write(f"{office.code}: no ceremony room or officers yet; run load_booking_demo_data")
                continue
            ensure_patterns(
                room,
                kind=Booking.Kind.CITIZENSHIP_PRIVATE,
                days=range(4, 5),
                opens=time(16, 30),
                closes=time(18, 30),
                duration=30,
                gap=30,
            )
            for weeks in WEEKS:
                day = timezone.localdate() + timedelta(weeks=weeks)
                day += timedelta(days=(2 - day.weekday()) % 7)  # a Wednesday
                starts_at = datetime.combine(day, time(11), tzinfo=UK)
                if Booking.objects.filter(
                    kind=Booking.Kind.CITIZENSHIP_GROUP, room=room, starts_at=starts_at, status__in=Booking.BOOKED
                ).exists():
                    continue
                try:
                    services.schedule_group_ceremony(
                        office=office,
                        room=room,
                        starts_at=starts_at,
                        ends_at=starts_at + timedelta(hours=1),
                        superintendent=superintendent,
                        registrar=registrar,
                        seats=20,
                        guests_per_attendee=2,
                        guest_places=20,
                        actor=actor,
                    )
                except BookingRefused as refused:
                    self.stdout.write(f"{office.code} {day}: {refused.message}")
                else:
                    made += 1
        self.stdout.write(f"Group citizenship ceremonies scheduled: {made}")
