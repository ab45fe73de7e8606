"""`manage.py load_marriage_demo_data`: couples whose notices are on display and a religious
marriage whose schedule waits for its officiant. Run after the booking demo data. Idempotent."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from registrar.marriage.demo import load_demo_marriages


class Command(BaseCommand):
    help = "Load demo marriages and civil partnerships (notices on display, a schedule to return)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo couples are only created when DEBUG is on.")
        made = load_demo_marriages()
        self.stdout.write(f"Demo marriages and civil partnerships made now: {made} (see /notices/)")
