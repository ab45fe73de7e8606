"""`manage.py load_demo_data`: register offices and demo staff. Safe to run again."""

import base64
import csv
import hashlib
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from identity import roles
from identity.services import ensure_staff_member, import_register_offices

OFFICES_CSV = Path(settings.BASE_DIR) / "identity" / "data" / "register_offices.csv"
DEMO_PASSWORD = "demo-staff-password-2026"
DEMO_STAFF = [
    ("registrar@registrar.example", "Rhian Registrar", [roles.REGISTRAR], ["E-LEEDS", "W-CARDIFF"]),
    ("superintendent@registrar.example", "Sam Superintendent", [roles.SUPERINTENDENT_REGISTRAR], ["E-LEEDS"]),
    ("support@registrar.example", "Pat Phone-Support", [roles.PHONE_SUPPORT], ["E-MANCHESTER"]),
    ("admin@registrar.example", "Alex Admin", [roles.SERVICE_ADMIN], ["E-WESTMINSTER"]),
    # A minister who returns signed marriage schedules through the API (a token from /api/v1/auth/token).
    ("officiant@registrar.example", "Revd Huw Jones", [roles.AUTHORISED_PERSON], ["E-LEEDS"]),
    # A medical examiner who sends MCCDs through the API (README "Try every journey").
    ("examiner@registrar.example", "Dr Morgan Examiner", [roles.MEDICAL_EXAMINER], ["E-LEEDS"]),
]


def demo_secret(email: str) -> str:
    """A fixed authenticator key per demo account, so the printed key keeps working."""
    return base64.b32encode(hashlib.sha256(f"demo:{email}".encode()).digest()[:20]).decode()


class Command(BaseCommand):
    help = "Load register offices and demo staff accounts (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--offices-only", action="store_true", help="Load offices but no demo accounts.")

    def handle(self, *args, **options):
        with OFFICES_CSV.open(newline="", encoding="utf-8") as handle:
            count = import_register_offices(rows=list(csv.DictReader(handle)))
        self.stdout.write(f"Register offices: {count}")
        if options["offices_only"]:
            return
        if not settings.DEBUG:
            raise CommandError("Demo staff accounts are only created when DEBUG is on.")
        roles.sync_roles()
        for email, name, staff_roles, offices in DEMO_STAFF:
            ensure_staff_member(
                email=email,
                full_name=name,
                password=DEMO_PASSWORD,
                roles=staff_roles,
                office_codes=offices,
                authenticator_secret=demo_secret(email),
            )
        self.stdout.write(f"Demo staff (password {DEMO_PASSWORD}):")
        for email, _name, staff_roles, _offices in DEMO_STAFF:
            self.stdout.write(f"  {email:<36} {', '.join(staff_roles):<26} authenticator key {demo_secret(email)}")
        self.stdout.write("Their authenticator codes now: manage.py demo_codes")
