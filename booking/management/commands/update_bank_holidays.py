"""`manage.py update_bank_holidays`: load England and Wales bank holidays from the file shipped
with the service, another file, or the GOV.UK URL. Running it again adds only new dates."""

import json
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from booking.refusals import BookingRefused
from booking.services import load_bank_holidays

SHIPPED = Path(__file__).resolve().parents[2] / "data" / "bank-holidays.json"


class Command(BaseCommand):
    help = "Load England and Wales bank holidays (GOV.UK bank-holidays.json format)."

    def add_arguments(self, parser):
        source = parser.add_mutually_exclusive_group()
        source.add_argument("--file", help="A bank-holidays.json file (default: the one shipped).")
        source.add_argument("--download", action="store_true", help=f"Fetch {settings.BANK_HOLIDAYS_URL}.")

    def handle(self, *args, **options):
        try:
            if options["download"]:
                with urllib.request.urlopen(settings.BANK_HOLIDAYS_URL, timeout=30) as response:  # noqa: S310
                    data = json.load(response)
            else:
                data = json.loads(Path(options["file"] or SHIPPED).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"Could not read the bank holidays: {error}") from error
        try:
            added = load_bank_holidays(data)
        except BookingRefused as refused:
            raise CommandError(refused.message) from refused
        except (KeyError, ValueError) as error:
            raise CommandError(BookingRefused("bank_holidays_format").message) from error
        self.stdout.write(f"England and Wales bank holidays added: {added}")
