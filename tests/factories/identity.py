"""Accounts, staff and register offices; identity evidence (photos, a passport) and a verified identity."""

from __future__ import annotations

import csv
import datetime
import io
import struct
import zlib
from pathlib import Path

import factory
import pyotp
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageDraw
from rest_framework.test import APIClient

from core.references import new_reference
from identity import cases, verification
from identity.access import STAFF_VERIFIED_SESSION_KEY
from identity.checks import check_digit
from identity.models import IdentityCase, RegisterOffice, StaffAuthenticator, User
from identity.services import import_register_offices, issue_api_token
from identity.verifiers import CheckResult

STAFF_PASSWORD = "correct-horse-battery-staple-42"


OFFICES_CSV = Path(__file__).resolve().parents[2] / "identity" / "data" / "register_offices.csv"


class RegisterOfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegisterOffice
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"E-TEST{n}")
    name = factory.Sequence(lambda n: f"Test Register Office {n}")
    region = "Yorkshire and the Humber"
    address = "Town Hall, The Headrow"
    town = "Leeds"
    postcode = "LS1 3AD"
    latitude = "53.7997"
    longitude = "-1.5492"


def make_real_offices(*codes: str) -> dict[str, RegisterOffice]:
    """Register offices as identity/data/register_offices.csv has them (all, or the codes
    named), loaded as `manage.py load_demo_data` loads them; by code."""

    with OFFICES_CSV.open(newline="", encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if not codes or row["code"] in codes]
    assert not codes or len(rows) == len(codes), "an office code is not in the office data"
    import_register_offices(rows=rows)
    return {office.code: office for office in RegisterOffice.objects.filter(code__in=[row["code"] for row in rows])}


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    full_name = factory.Faker("name", locale="en_GB")
    email_verified_at = factory.LazyFunction(timezone.now)


class StaffFactory(UserFactory):
    email = factory.Sequence(lambda n: f"staff{n}@registrar.example")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", STAFF_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if extracted:
            self.groups.set(Group.objects.filter(name__in=extracted))
        self.save()

    @factory.post_generation
    def authenticator(self, create, extracted, **kwargs):
        if extracted is False:
            return
        StaffAuthenticator.objects.create(user=self, secret=pyotp.random_base32(32), confirmed_at=timezone.now())


def sign_in_staff(client, staff) -> None:
    """Password and authenticator app, as the staff sign-in pages ask."""
    client.post(reverse("identity:staff-sign-in"), {"email": staff.email, "password": STAFF_PASSWORD})
    secret = StaffAuthenticator.objects.get(user=staff).secret
    client.post(reverse("identity:staff-code"), {"code": pyotp.TOTP(secret).now()})


def staff_session(client, staff) -> None:
    """Leave `client` with the session the staff sign-in leaves (both factors), without going
    through its pages: for tests of what staff do once signed in (the sign-in itself is tested in
    tests/identity), and much quicker than checking a password each time."""
    client.force_login(staff)
    session = client.session
    session[STAFF_VERIFIED_SESSION_KEY] = timezone.now().isoformat()
    session.save()


def verify_identity(person):
    """Give the person a verified identity check (medium confidence)."""

    return IdentityCase.objects.create(
        person=person, reference=new_reference("ID"), status=IdentityCase.Status.VERIFIED, decided_at=timezone.now()
    )


# What a passing check of each kind records (the details identity/scoring.py reads).
PASSING_DETAILS = {
    "face_match": {"distance": 0.4, "threshold": 0.55, "method": "automated"},
    "liveness": {"score": 0.97},
    "knowledge": {"correct": {"low": 0, "medium": 2, "high": 0}, "asked": 3},
    "fraud": {"sources": ["mortality", "identity_theft"], "signals": []},
    "activity": {"months": 48},
    "trained_comparison": {
        "method": "video",
        "face_matches": True,
        "details_match": True,
        "document_inspected": True,
        "observations": "",
    },
}


def record_checks(case, *kinds, outcome="passed", sandbox=False, provider="Test checker", **details):
    """Record checks of `kinds` on `case` as a checker would have answered them, after the
    evidence they looked at was given (a later change of evidence sets them aside)."""
    results = [
        CheckResult(
            kind=kind,
            outcome=outcome,
            provider=provider,
            sandbox=sandbox,
            details=details.get(kind, PASSING_DETAILS.get(kind, {})),
            reasons=() if outcome == "passed" else (f"{kind}_{outcome}",),
        )
        for kind in kinds
    ]
    return verification.record(case, results)


def make_leeds_offices():
    """Register offices for the postcodes the example answers use (LS1, LS9, LS25)."""
    return [
        RegisterOfficeFactory(code="E-LEEDS", name="Leeds Register Office", postcode="LS1 3AD"),
        RegisterOfficeFactory(code="E-SELBYTEST", name="Garforth Register Office", postcode="LS25 1AA"),
    ]


def document_photo(size=(1200, 800), mode="RGB", fmt="JPEG", **save) -> bytes:
    """A picture with text-like detail, so the quality checks see a sharp, well-lit document."""
    image = Image.new("RGB", size, (225, 220, 205))
    draw = ImageDraw.Draw(image)
    for row in range(40, size[1] - 40, 28):
        for column in range(40, size[0] - 60, 90):
            draw.rectangle([column, row, column + 60, row + 12], fill=(30, 30, 40))
    if mode != "RGB":
        image = image.convert(mode)
    output = io.BytesIO()
    image.save(output, format=fmt, **save)
    return output.getvalue()


def png_with_chunk(kind: bytes, payload: bytes) -> bytes:
    """A photo as PNG with one extra chunk of `kind` before the image data (read when it opens)."""
    output = io.BytesIO()
    Image.open(io.BytesIO(document_photo())).save(output, format="PNG")
    png = output.getvalue()
    crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
    chunk = struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)
    at = png.index(b"IDAT") - 4
    return png[:at] + chunk + png[at:]


def inflating_png(kind: bytes) -> bytes:
    """A small PNG whose text (zTXt) or colour-profile (iCCP) chunk inflates to 3 MB, past Pillow's
    limit for such chunks."""
    name = b"Comment" if kind == b"zTXt" else b"icc"
    return png_with_chunk(kind, name + b"\0\0" + zlib.compress(b"A" * 3_000_000))


# A valid TD3 (passport machine readable zone) for Sarah Meredyth Morgan, with real check digits.
MRZ_LINE1 = "P<GBRMORGAN<<SARAH<MEREDYTH<<<<<<<<<<<<<<<<<"


# The day the example passport is checked on (it expires on 1 January 2030).
PASSPORT_CHECKED_ON = datetime.date(2026, 11, 22)


def mrz_line2(number="123456789", birth="760311", expiry="300101") -> str:
    """The second MRZ line matching MRZ_LINE1, with its check digits worked out."""
    body = f"{number}{check_digit(number)}GBR{birth}{check_digit(birth)}F{expiry}{check_digit(expiry)}<<<<<<<<<<<<<<<"
    composite = body[0:10] + body[13:20] + body[21:43]
    return body + str(check_digit(composite))


def record_passport(case, **overrides) -> list[str]:
    """Record the example passport on `case` (the details match MRZ_LINE1); returns the reasons."""
    values = dict(
        case=case,
        document_type="passport",
        given_names="Sarah Meredyth",
        surname="Morgan",
        birth_date=datetime.date(1976, 3, 11),
        document_number="123456789",
        expiry_date=datetime.date(2030, 1, 1),
        mrz_line1=MRZ_LINE1,
        mrz_line2=mrz_line2(),
        today=PASSPORT_CHECKED_ON,
    )
    values.update(overrides)
    return cases.record_identity_document(**values)


def submit_passport_check(*, person=None, postcode="LS1 3AD"):
    """A passport, its photo and a utility bill for `postcode`, submitted. Without a confirmed
    mobile that is not enough on its own, so the case goes to a registrar of the postcode's office."""
    person = person or UserFactory()
    case = cases.open_case(person=person)
    record_passport(case)
    cases.attach_image(case=case, kind="identity_document", upload=io.BytesIO(document_photo()))
    cases.record_proof_of_address(
        case=case,
        address="1 The Headrow",
        postcode=postcode,
        document_type="utility_bill",
        document_postcode=postcode,
        document_name="Sarah Morgan",
        issued_on=timezone.localdate(),
    )
    return cases.submit_case(case=case)


def api_client(user=None):
    """An API client, signed in with a bearer token when `user` is given."""
    client = APIClient()
    if user is not None:
        token, _expires = issue_api_token(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client
