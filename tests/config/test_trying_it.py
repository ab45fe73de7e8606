"""The README's "Try every journey in 15 minutes" works as written: the demo staff's current
authenticator codes are printed on request (only in development), and the demo medical
examiner can sign in to the API and send an MCCD with the README's recipe."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from pyotp import TOTP

from registrar.management.commands.load_demo_data import DEMO_STAFF, demo_secret
from registrar.models import MedicalCertificate

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("load_demo_data", verbosity=0)


def test_demo_codes_prints_every_demo_accounts_current_code(demo):
    out = io.StringIO()
    call_command("demo_codes", stdout=out)
    printed = out.getvalue()
    for email, *_ in DEMO_STAFF:
        line = next(line for line in printed.splitlines() if email in line)
        assert TOTP(demo_secret(email)).verify(line.split()[1], valid_window=1)


def test_demo_codes_refuses_outside_development(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only printed when DEBUG is on"):
        call_command("demo_codes")


def test_the_medical_examiner_recipe_in_the_readme_sends_an_mccd(demo, client):
    assert "examiner@registrar.example" in README and "/api/v1/registrar/mccd" in README
    code = TOTP(demo_secret("examiner@registrar.example")).now()
    token = client.post(
        "/api/v1/auth/staff-token",
        {"email": "examiner@registrar.example", "password": "demo-staff-password-2026", "code": code},
        content_type="application/json",
    )
    assert token.status_code == 200, token.content
    died = (timezone.localdate() - timedelta(days=1)).isoformat()
    sent = client.post(
        "/api/v1/registrar/mccd",
        {
            "reference": "MCCD-DEMO-0001",
            "deceased_given_names": "Edith Mary",
            "deceased_surname": "Walker",
            "deceased_date_of_birth": "1938-07-21",
            "date_of_death": died,
            "place_of_death": "St James's University Hospital, Leeds",
            "district": "E-LEEDS",
            "cause_of_death": "1a Pneumonia",
            "certifying_practitioner": "Dr A Patel",
            "medical_examiner": "Dr Morgan Examiner",
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token.json()['token']}",
    )
    assert sent.status_code == 201, sent.content
    assert MedicalCertificate.objects.get(reference="MCCD-DEMO-0001").district.code == "E-LEEDS"


def test_demo_passport_prints_lines_the_check_accepts_and_a_photo_of_its_own(settings, tmp_path):
    from identity.checks import parse_td3

    settings.DEBUG = True
    settings.BASE_DIR = tmp_path
    printed = []
    for number in ("123456789", "987654321"):
        out = io.StringIO()
        call_command(
            "demo_passport", "--given", "Ana Lucía", "--surname", "Núñez Jones", "--number", number, stdout=out
        )
        printed.append(out.getvalue())
    lines = [[line.split(": ", 1)[1] for line in text.splitlines() if "MRZ line" in line] for text in printed]
    for line1, line2 in lines:
        mrz, result = parse_td3(line1, line2)
        assert mrz is not None and result.passed, result
    photos = [
        (tmp_path / "var" / "demo" / f"passport-{number}.jpg").read_bytes() for number in ("123456789", "987654321")
    ]
    assert photos[0] != photos[1]


def test_demo_passport_refuses_outside_development_and_a_bad_number(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only made when DEBUG is on"):
        call_command("demo_passport")
    settings.DEBUG = True
    with pytest.raises(CommandError, match="9 digits"):
        call_command("demo_passport", "--number", "12AB")
