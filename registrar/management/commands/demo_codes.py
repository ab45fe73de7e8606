"""`manage.py demo_codes`: the demo staff accounts' authenticator codes right now, so a person
trying the service locally can sign in as staff without an authenticator app. DEBUG only."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from pyotp import TOTP

from .load_demo_data import DEMO_PASSWORD, DEMO_STAFF, demo_secret


class Command(BaseCommand):
    help = "Print each demo staff account's current authenticator code (DEBUG only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo codes are only printed when DEBUG is on.")
        totp = TOTP(demo_secret(DEMO_STAFF[0][0]))
        left = totp.interval - int(time.time()) % totp.interval
        self.stdout.write(f"Password for every demo account: {DEMO_PASSWORD}. Codes change in {left} seconds:")
        for email, _name, staff_roles, _offices in DEMO_STAFF:
            self.stdout.write(f"  {email:<36} {TOTP(demo_secret(email)).now()}   ({', '.join(staff_roles)})")
