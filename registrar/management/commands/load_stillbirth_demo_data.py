"""`manage.py load_stillbirth_demo_data`: a medical certificate of stillbirth to register a
stillbirth with (reference MCS-DEMO-0001). Run after the demo offices. Idempotent."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from registrar.stillbirth.demo import DEMO_REFERENCE, load_demo_stillbirth_certificate


class Command(BaseCommand):
    help = "Load a demo medical certificate of stillbirth (reference MCS-DEMO-0001)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo data is only created when DEBUG is on.")
        made = load_demo_stillbirth_certificate()
        self.stdout.write(
            f"Demo medical certificate of stillbirth {DEMO_REFERENCE}: {'made now' if made else 'already there'}"
        )
