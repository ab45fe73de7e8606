"""`manage.py load_reregistration_demo_data`: a birth its mother registered alone, ready to be
re-registered with the father (sign in as megan.clarke@demo.example). Idempotent."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from registrar.reregistration.demo import FATHER_EMAIL, MOTHER_EMAIL, load_demo_reregistration


class Command(BaseCommand):
    help = "Load a demo birth ready to be re-registered by both parents."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo re-registrations are only created when DEBUG is on.")
        made = load_demo_reregistration()
        self.stdout.write(
            f"Demo births to re-register made now: {made} (sign in as {MOTHER_EMAIL}; the father is {FATHER_EMAIL})"
        )
