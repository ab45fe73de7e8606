"""`manage.py load_inquest_demo_data`: a coroner's API client for Leeds, a certificate after
inquest waiting to be registered and an interim certificate of the fact of death. Run after the
demo offices are loaded. Idempotent."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from registrar.inquest.demo import load_demo_inquests


class Command(BaseCommand):
    help = "Load demo coroners' certificates (one to register, one interim)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo coroners' certificates are only created when DEBUG is on.")
        made = load_demo_inquests()
        self.stdout.write(f"Demo coroners' certificates made now: {made} (see /staff/registrar/coroners/)")
