"""The staff pages "Certificates from coroners": the queue shows the certificates after inquest
waiting in the registrar's offices only; a certificate's page shows its particulars in words
(dates as "19 November 2026", never a code) and "Register this death"; bad input is a clear 4xx
that writes nothing; the page and the API refuse in the same words."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from identity import roles
from identity.models import AuditEntry
from registrar.models import CoronerCertificate, RegisterEntry
from tests.factories import StaffFactory, api_client, staff_session
from tests.factories.inquest import REGISTER, coroner, record_certificate

pytestmark = pytest.mark.django_db

QUEUE = reverse("registrar-staff:coroner-certificates")


def _page(reference: str) -> str:
    return reverse("registrar-staff:coroner-certificate", args=[reference])


def _register(reference: str) -> str:
    return reverse("registrar-staff:coroner-certificate-register", args=[reference])


@pytest.fixture
def certificate(west_yorkshire):
    return record_certificate(
        west_yorkshire, date_of_death="2026-09-02", inquest_date="2026-11-19", deceased_date_of_birth="1938-07-21"
    )


@pytest.fixture
def signed_in(client, leeds_registrar):
    staff_session(client, leeds_registrar)
    return client


def test_the_queue_shows_only_waiting_certificates_of_the_registrars_offices(signed_in, certificate, garforth):
    other = record_certificate(coroner(garforth), reference="NYC-2026-0001", district="E-SELBYTEST")
    record_certificate(
        coroner(certificate.district), reference="WYC-INT-0001", kind="interim_fact_of_death", cause_of_death=""
    )
    html = signed_in.get(QUEUE).content.decode()
    assert certificate.reference in html and "Margaret Ann Whitaker" in html and "2 September 2026" in html
    assert other.reference not in html and "WYC-INT-0001" not in html
    assert "1 certificate waiting" in html
    assert AuditEntry.objects.filter(action="coroner_certificates.viewed").exists()


def test_the_case_queue_links_to_the_certificates_from_coroners(signed_in):
    assert f'href="{QUEUE}"' in signed_in.get(reverse("registrar-staff:queue")).content.decode()


def test_the_certificate_page_shows_the_particulars_in_words(signed_in, certificate):
    html = signed_in.get(_page(certificate.reference)).content.decode()
    for words in (
        "Margaret Ann Whitaker",
        "Female",
        "21 July 1938",
        "2 September 2026",
        "Roundhay Park, Leeds",
        "Leeds Register Office",
        "1a Drowning",
        "Accident",
        "Kevin McLoughlin, West Yorkshire (Eastern)",
        "Certificate received from Kevin McLoughlin, Coroner for West Yorkshire (Eastern). "
        "Inquest held 19 November 2026",
        "Waiting to be registered",
        "Register this death",
    ):
        assert words in html, words
    for code in ("after_inquest", ">female<", "2026-09-02", "waiting<"):
        assert code not in html, code
    assert AuditEntry.objects.filter(action="coroner_certificate.viewed", object_id=certificate.reference).exists()


def test_registering_from_the_page_writes_the_entry_and_says_so(signed_in, certificate):
    response = signed_in.post(_register(certificate.reference), {"checked": "on"})
    assert response.status_code == 302
    html = signed_in.get(response.url).content.decode()
    entry = RegisterEntry.objects.get()
    assert f"Registered: entry {entry.entry_reference}" in html and "Register this death" not in html


def test_registering_without_confirming_is_a_400_with_an_error_summary_and_writes_nothing(signed_in, certificate):
    response = signed_in.post(_register(certificate.reference), {})
    html = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in html and "Confirm that you have checked the particulars." in html
    assert "<title>Error:" in html
    assert not RegisterEntry.objects.exists()


@pytest.mark.parametrize("reference", ["NOPE-0000", "x" * 300, "WYC-2026-0451%00"])
def test_an_unknown_certificate_is_a_404(signed_in, certificate, reference):
    assert signed_in.get(f"/staff/registrar/coroners/{reference}/").status_code == 404
    assert signed_in.post(f"/staff/registrar/coroners/{reference}/register/", {"checked": "on"}).status_code == 404


def test_a_registrar_of_another_office_does_not_see_it(client, certificate, garforth_registrar):
    staff_session(client, garforth_registrar)
    assert client.get(_page(certificate.reference)).status_code == 404
    assert client.post(_register(certificate.reference), {"checked": "on"}).status_code == 404
    assert not RegisterEntry.objects.exists()


def test_staff_without_the_permission_are_forbidden(client, certificate, leeds):
    support = StaffFactory(roles=[roles.PHONE_SUPPORT])
    support.offices.add(leeds)
    staff_session(client, support)
    assert client.get(QUEUE).status_code == 403
    assert client.post(_register(certificate.reference), {"checked": "on"}).status_code == 403


def test_a_get_on_the_register_address_is_refused(signed_in, certificate):
    assert signed_in.get(_register(certificate.reference)).status_code == 405


def test_a_second_registration_is_refused_in_the_same_words_on_the_page_and_the_api(
    signed_in, certificate, leeds_registrar
):
    assert signed_in.post(_register(certificate.reference), {"checked": "on"}).status_code == 302
    page = signed_in.post(_register(certificate.reference), {"checked": "on"})
    api = api_client(leeds_registrar).post(
        REGISTER.format(reference=certificate.reference), {"checked": True}, format="json"
    )
    message = "This death has already been registered from this certificate."
    assert page.status_code == api.status_code == 409
    assert message in page.content.decode() and api.json()["error"]["message"] == message
    assert RegisterEntry.objects.count() == 1


def test_not_confirming_reads_the_same_on_the_page_and_the_api(signed_in, certificate, leeds_registrar):
    page = signed_in.post(_register(certificate.reference), {})
    api = api_client(leeds_registrar).post(
        REGISTER.format(reference=certificate.reference), {"checked": False}, format="json"
    )
    assert page.status_code == api.status_code == 400
    assert api.json()["error"]["fields"]["checked"] == ["Confirm that you have checked the particulars."]
    assert "Confirm that you have checked the particulars." in page.content.decode()


def test_the_api_registers_as_the_page_does(certificate, leeds_registrar):
    response = api_client(leeds_registrar).post(
        REGISTER.format(reference=certificate.reference.lower()), {"checked": True}, format="json"
    )
    assert response.status_code == 201, response.json()
    entry = RegisterEntry.objects.get()
    assert response.json() == {
        "certificate": certificate.reference,
        "entry": entry.entry_reference,
        "registration": None,
    }
    certificate.refresh_from_db()
    assert certificate.status == CoronerCertificate.Status.REGISTERED


def test_an_interim_certificates_page_offers_no_registering(signed_in, west_yorkshire):
    interim = record_certificate(
        west_yorkshire,
        kind="interim_fact_of_death",
        cause_of_death="",
        conclusion="",
        inquest_date=timezone.localdate().isoformat(),
        date_of_death=(timezone.localdate() - datetime.timedelta(days=3)).isoformat(),
    )
    html = signed_in.get(_page(interim.reference)).content.decode()
    assert "Interim certificate issued" in html and "Inquest opened" in html
    assert "Register this death" not in html
    page = signed_in.post(_register(interim.reference), {"checked": "on"})
    assert page.status_code == 409 and "An interim certificate of the fact of death is not registered" in (
        page.content.decode()
    )
