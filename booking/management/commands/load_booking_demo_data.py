"""`manage.py load_booking_demo_data`: a venue with rooms for every register office. Idempotent."""

from django.core.management.base import BaseCommand

from booking.services import ensure_office_venues


class Command(BaseCommand):
    help = "Make every register office a ceremony venue with a ceremony room and a notice room."

    def handle(self, *args, **options):
        self.stdout.write(f"Register office venues: {ensure_office_venues()}")
