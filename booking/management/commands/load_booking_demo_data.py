"""`manage.py load_booking_demo_data`: venues, approved premises, room patterns, officers with
their rota, and bank holidays for every register office. Idempotent."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from booking.demo import load_demo_calendar


class Command(BaseCommand):
    help = "Make the national calendar bookable: venues, rooms, weekly patterns, officers, rota, bank holidays."

    def handle(self, *args, **options):
        counts = load_demo_calendar()
        call_command("update_bank_holidays", stdout=self.stdout)
        self.stdout.write(
            f"Register offices with venues and officers: {counts['offices']}; "
            f"approved premises: {counts['approved_premises']}"
        )
