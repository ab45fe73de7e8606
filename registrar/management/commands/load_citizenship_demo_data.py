"""`manage.py load_citizenship_demo_data`: group citizenship ceremonies at Leeds and Cardiff and a
new citizen ready to book one. Run after the booking demo data. Idempotent."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from registrar.citizenship.demo import load_demo_citizenship


class Command(BaseCommand):
    help = "Load demo citizenship ceremonies and an invited new citizen (sign in as new.citizen@demo.example)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo citizenship ceremonies are only created when DEBUG is on.")
        made = load_demo_citizenship()
        self.stdout.write(f"Demo citizenship ceremonies and invitations made now: {made} (see /citizenship/)")
