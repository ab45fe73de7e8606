"""`manage.py demo_passport`: made-up passport details to try the identity check with locally —
the two machine-readable lines with real check digits, and a document photo of its own, so that
two test accounts never share a passport number or a photo (which the check rightly flags as
fraud: "evidence used by another person"). DEBUG only."""

import random
import secrets
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from PIL import Image, ImageDraw

from identity.checks import check_digit, mrz_name


def mrz_lines(*, given: str, surname: str, born: date, sex: str, number: str, expires: date) -> tuple[str, str]:
    """A UK passport's machine-readable zone (ICAO 9303 TD3), check digits worked out."""
    names = mrz_name(surname).replace(" ", "<") + "<<" + mrz_name(given).replace(" ", "<")
    line1 = ("P<GBR" + names)[:44].ljust(44, "<")
    birth, expiry = born.strftime("%y%m%d"), expires.strftime("%y%m%d")
    # No personal number: 14 fillers and its check digit, also a filler.
    body = f"{number}{check_digit(number)}GBR{birth}{check_digit(birth)}{sex}{expiry}{check_digit(expiry)}" + "<" * 15
    composite = body[0:10] + body[13:20] + body[21:43]
    return line1, body + str(check_digit(composite))


def document_photo(seed: str) -> Image.Image:
    """A sharp, well-lit picture with text-like detail, different for every seed."""
    chooser = random.Random(seed)  # noqa: S311 - a picture, not a secret
    image = Image.new("RGB", (1200, 800), (225, 220, 205))
    draw = ImageDraw.Draw(image)
    for row in range(40, 760, 28):
        for column in range(40, 1140, 90):
            width = chooser.randint(20, 70)
            draw.rectangle([column, row, column + width, row + 12], fill=(30, 30, 40))
    return image


class Command(BaseCommand):
    help = "Print made-up passport details and write a photo of their own, to try the identity check."

    def add_arguments(self, parser):
        parser.add_argument("--given", default="Sarah Meredyth")
        parser.add_argument("--surname", default="Morgan")
        parser.add_argument("--born", default="1976-03-11", type=date.fromisoformat)
        parser.add_argument("--sex", default="F", choices=["F", "M", "<"])
        parser.add_argument("--number", default="", help="9 digits; a new random one when not given")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo passports are only made when DEBUG is on.")
        number = options["number"] or "".join(secrets.choice("0123456789") for _ in range(9))
        if len(number) != 9 or not number.isdigit():
            raise CommandError("--number must be 9 digits")
        today = date.today()
        expires = today.replace(year=today.year + 5)
        line1, line2 = mrz_lines(
            given=options["given"],
            surname=options["surname"],
            born=options["born"],
            sex=options["sex"],
            number=number,
            expires=expires,
        )
        folder = Path(settings.BASE_DIR) / "var" / "demo"
        folder.mkdir(parents=True, exist_ok=True)
        photo = folder / f"passport-{number}.jpg"
        document_photo(number).save(photo, format="JPEG", quality=92)
        self.stdout.write(f"Passport number {number}, expires {expires.day} {expires:%B %Y}")
        self.stdout.write(f"  MRZ line 1: {line1}")
        self.stdout.write(f"  MRZ line 2: {line2}")
        self.stdout.write(f"  Photo of the page: {photo}")
