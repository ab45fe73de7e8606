"""The certificates API is in the OpenAPI schema, which validates with warnings as errors; the
start page, the account link, and command-line set-up (signing key)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from certificates.documents import CertificateContent, render_certificate
from certificates.signing import check_signature, sign_pdf

pytestmark = pytest.mark.django_db


def test_the_schema_lists_the_certificates_api_and_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = target.read_text()
    for path in (
        "/api/v1/certificates/index:",
        "/api/v1/certificates/verify:",
        "/api/v1/certificates/verify/{serial}:",
    ):
        assert path in schema


def test_the_start_page_shows_the_fee_from_settings(client, settings):
    settings.CERTIFICATE_FEES_PENCE = {**settings.CERTIFICATE_FEES_PENCE, "full_birth": 1100, "short_birth": 1100}
    html = client.get(reverse("certificates:start")).content.decode()
    assert "£11.00" in html and reverse("certificates:search") in html


def test_the_account_page_links_to_certificate_orders(client, person):
    assert reverse("certificates:mine") in client.get(reverse("identity:account")).content.decode()
    assert client.get(reverse("certificates:mine")).status_code == 200


def test_create_signing_key_writes_a_key_that_signs_and_verifies(settings, tmp_path):
    settings.CERTIFICATE_SIGNING_KEY_PATH = tmp_path / "k" / "signing-key.pem"
    settings.CERTIFICATE_SIGNING_CERT_PATH = tmp_path / "k" / "signing-cert.pem"
    settings.CERTIFICATE_SIGNING_CA_PATH = tmp_path / "k" / "ca-cert.pem"
    settings.CERTIFICATE_SIGNING_KEY_PASSPHRASE = ""
    call_command("create_signing_key")
    first = settings.CERTIFICATE_SIGNING_KEY_PATH.read_bytes()
    call_command("create_signing_key")  # keeps the key
    assert settings.CERTIFICATE_SIGNING_KEY_PATH.read_bytes() == first
    pdf = render_certificate(
        CertificateContent(
            serial="AAAA-BBBB-CCCC-DDDD",
            kind="death",
            bilingual=False,
            entry_reference="E-X/D/1990/000001",
            district_name="Leeds",
            district_welsh_name="",
            registered_on=date(1990, 1, 2),
            particulars={"deceased_surname": "Brown"},
            corrections=[],
            issued_at=timezone.now(),
        )
    )
    check = check_signature(sign_pdf(pdf, reason="test", location="test"))
    assert check.ok and check.serial == "AAAA-BBBB-CCCC-DDDD"
