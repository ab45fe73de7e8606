"""Marriage and civil partnership certificates: the real particulars of both parties, the
ceremony, the officiants and witnesses, in English, and in Welsh and English for an entry in
Wales; signed and verified like births and deaths; corrections supersede; historic entries with
fewer particulars still render; a converted marriage says where it came from. Ordering them from
the index, under either surname."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from certificates import selectors, services
from certificates.kept_documents import verify_kept_pdf
from certificates.refusals import OrderRefused
from registrar import register
from tests.factories import (
    RegisterOfficeFactory,
    StaffFactory,
    certificate_pdf,
    historic_marriage,
    paid_certificate_order,
)
from tests.factories.marriage_downstream import entry_particulars, pdf_text, registered_entry, registered_partnership

pytestmark = pytest.mark.django_db


def _issued(entry, kind="marriage"):
    order = paid_certificate_order(entry, kind=kind)
    services.issue_order(order_id=order.pk)
    return order.certificates.get()


@pytest.fixture
def cardiff():
    return RegisterOfficeFactory(code="W-CARDIFF-T", region="Wales", welsh_name="Caerdydd", name="Cardiff")


def test_a_marriage_certificate_shows_both_parties_the_ceremony_officiants_and_witnesses(leeds):
    certificate = _issued(registered_entry(leeds))
    assert not certificate.bilingual
    text = pdf_text(certificate_pdf(certificate))
    assert "Certified copy of an entry of marriage" in text
    for expected in (
        "Sarah Meredyth Morgan",
        "Rhys Pritchard",
        "34",
        "36",
        "Never married or in a civil",  # the condition, in words (wrapped in its column)
        "Divorced or civil partnership",
        "Teacher",
        "Architect",
        "1 Park Row, Leeds LS1 3AD",
        "Ann Morgan, Nurse",
        "Carys Lloyd, Pharmacist",
        "20 June 2026",
        "Leeds Register Office, 2 Great George Street, Leeds",
        "Civil ceremony",
        "Helen Ashworth, Superintendent registrar",
        "Tom Baines, Registrar",
        "Olwen Jenkins, Peter Hale",
        certificate.entry.entry_reference,
        "Leeds Register Office",
        certificate.serial,
    ):
        assert expected in text, expected
    assert "Copi dilys" not in text and "Seremoni" not in text


def test_a_civil_partnership_in_wales_is_certified_in_welsh_and_english(cardiff):
    certificate = _issued(registered_partnership(cardiff), kind="civil_partnership")
    assert certificate.bilingual
    text = pdf_text(certificate_pdf(certificate))
    for expected in (
        "Copi dilys o gofnod partneriaeth sifil",
        "Certified copy of an entry of civil partnership",
        "Dyddiad ffurfio / Date of formation",
        "3 Mai 2019 / 3 May 2019",
        "Parti cyntaf / First party",
        "Ail barti / Second party",
        "Erioed wedi priodi nac mewn",
        "Uwch-gofrestrydd / Superintendent registrar",
        "Tystion / Witnesses",
        "Caerdydd / Cardiff",
        "Sarah Meredyth Morgan",
        "Rhys Pritchard",
    ):
        assert expected in text, expected


def test_a_marriage_certificate_verifies_and_a_tampered_copy_does_not(client, leeds):
    certificate = _issued(registered_entry(leeds))
    pdf = certificate_pdf(certificate)
    assert verify_kept_pdf(pdf).verdict == "valid"
    body = client.get(f"/api/v1/certificates/verify/{certificate.serial}").json()
    assert body["status"] == "valid"
    tampered = bytearray(pdf)
    position = len(pdf) // 3
    tampered[position] = ord("0") if tampered[position] != ord("0") else ord("1")
    result = verify_kept_pdf(bytes(tampered))
    assert result.verdict in {"tampered", "not_ours"} and not result.content_matches_record


def test_the_verification_page_names_both_parties_of_a_marriage(client, leeds):
    certificate = _issued(registered_entry(leeds))
    html = client.get(reverse("certificates:verify-serial", args=[certificate.serial])).content.decode()
    assert "This certificate is valid" in html
    assert "Sarah Meredyth Morgan" in html and "Rhys Pritchard" in html
    assert "Park Row" not in html  # not the whole entry


def test_a_correction_shows_on_the_next_certificate_and_supersedes_the_last(leeds):
    entry = registered_entry(leeds)
    first = _issued(entry)
    register.record_correction(
        entry=entry,
        field="party2_occupation",
        new_value="Senior architect",
        reason="Misheard",
        evidence="Employer's letter seen",
        actor=StaffFactory(),
    )
    assert selectors.certificate_status(first) == "superseded"
    text = pdf_text(certificate_pdf(_issued(entry)))
    assert "Senior architect" in text
    assert "Second party: Occupation" in text and "corrected to" in text


def test_a_historic_marriage_with_few_particulars_still_renders(leeds):
    certificate = _issued(historic_marriage(leeds))
    text = pdf_text(certificate_pdf(certificate))
    assert "Tom Evans" in text and "Sian Pritchard" in text and "2 August 1975" in text
    assert "Parents" not in text and "Officiants" not in text


def test_a_converted_marriage_says_it_was_converted_from_the_partnership(cardiff):
    partnership = registered_partnership(cardiff)
    particulars = dict(partnership.particulars)
    particulars["date_of_marriage"] = particulars.pop("date_of_formation")
    particulars["place_of_marriage"] = particulars.pop("place_of_formation")
    particulars["converted_from"] = {
        "entry": partnership.entry_reference,
        "formed_on": "2019-05-03",
        "declared_on": "2026-06-20",
    }
    marriage = registered_entry(cardiff, on=datetime.date(2019, 5, 3), particulars=particulars)
    text = pdf_text(certificate_pdf(_issued(marriage)))
    assert "converted from the civil partnership formed on 3 May 2019" in text
    assert partnership.entry_reference in text
    assert "Troswyd y briodas hon o'r bartneriaeth sifil a ffurfiwyd ar 3 Mai 2019" in text


# --- Finding and ordering --------------------------------------------------------------------------------


@pytest.mark.parametrize("surname", ["Morgan", "Pritchard"])
def test_a_marriage_is_found_in_the_index_under_either_surname(client, leeds, surname):
    entry = registered_entry(leeds)
    response = client.post(reverse("certificates:search"), {"event": "marriage", "surname": surname}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sarah Meredyth" in html or "Rhys" in html
    # Both parties are shown on the line, whichever surname was searched.
    assert "MORGAN" in html and "PRITCHARD" in html
    lines = selectors.search_index(selectors.IndexSearch(event="marriage", surname=surname)).lines
    assert [line.entry_id for line in lines] == [entry.pk]


def test_a_civil_partnership_is_found_in_the_index_under_either_surname(leeds):
    entry = registered_partnership(leeds)
    for surname in ("Morgan", "Pritchard"):
        lines = selectors.search_index(selectors.IndexSearch(event="civil_partnership", surname=surname)).lines
        assert [line.entry_id for line in lines] == [entry.pk]


@pytest.mark.parametrize(("event", "kind"), [("marriage", "marriage"), ("civil_partnership", "civil_partnership")])
def test_a_recent_marriage_or_partnership_is_ordered_without_birth_details(settings, leeds, event, kind):
    settings.CERTIFICATE_FEES_PENCE = {**settings.CERTIFICATE_FEES_PENCE, kind: 1400}
    entry = registered_entry(leeds, event=event)
    assert not selectors.needs_birth_details(entry)
    order = paid_certificate_order(entry, kind=kind)
    assert order.fee_pence_each == 1400 and services.missing_step(order) is None
    services.issue_order(order_id=order.pk)
    assert order.certificates.get().is_ready


def test_a_marriage_cannot_be_ordered_as_a_birth_certificate(leeds):
    with pytest.raises(OrderRefused):
        paid_certificate_order(registered_entry(leeds), kind="full_birth")


@pytest.mark.parametrize(
    ("event", "kind", "label"),
    [("marriage", "marriage", "Marriage certificate"), ("civil_partnership", "civil_partnership", "Civil partnership")],
)
def test_ordering_from_either_partys_index_line_goes_straight_to_the_applicant(
    client, person, leeds, event, kind, label
):
    entry = registered_entry(leeds, event=event)
    line = entry.index_names.get(surname="Pritchard")
    url = reverse("certificates:order-start", args=[line.pk])
    page = client.get(url)
    assert page.status_code == 200 and label in page.content.decode()
    response = client.post(url, {"kind": kind, "copies": "2"})
    order = entry.certificate_orders.get()
    assert order.kind == kind and order.copies == 2
    assert response.status_code == 302 and response.url == reverse("certificates:applicant", args=[order.reference])
    wrong = client.post(url, {"kind": "full_birth", "copies": "1"})
    assert wrong.status_code == 400


def test_a_religious_marriage_shows_the_officiants_role_as_they_gave_it(cardiff):
    particulars = entry_particulars("marriage", form="religious")
    particulars["officiants"] = [{"name": "Miriam Cohen", "role": "Rabbi of West London Synagogue"}]
    certificate = _issued(registered_entry(cardiff, particulars=particulars))
    text = pdf_text(certificate_pdf(certificate))
    assert "Miriam Cohen, Rabbi of West London Synagogue" in text
    assert "Seremoni grefyddol / Religious ceremony" in text
