"""Registering a death from a certificate after inquest: one entry in the register of deaths of
the district, numbered after the others, indexed, the coroner's statement in the informant's
column, audited and published; only by a registrar of the district; never twice. The family is
told with the entry's reference and can order death certificates at once."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates.models import CertificateOrder
from certificates.services import issue_order
from identity import roles
from identity.models import AuditEntry, OutboundMessage
from registrar.inquest import services
from registrar.inquest.refusals import InquestRefused
from registrar.models import CoronerCertificate, IndexName, RegisterEvent, Registration
from registrar.statistics import year_figures
from tests.factories import (
    MedicalCertificateFactory,
    StaffFactory,
    UserFactory,
    death_answers,
    make_entry,
    make_registration,
    submit_as_informant,
)
from tests.factories.certificates import certificate_pdf, paid_certificate_order, pdf_page_text
from tests.factories.inquest import record_certificate

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(west_yorkshire):
    return record_certificate(west_yorkshire)


def test_the_death_is_registered_from_the_certificate_without_an_informant(certificate, leeds_registrar, leeds):
    entry = services.register_from_certificate(certificate=certificate, actor=leeds_registrar)
    assert entry.event == "death" and entry.district == leeds and entry.registered_by == leeds_registrar
    assert (entry.surname, entry.forenames) == ("Whitaker", "Margaret Ann")
    held = certificate.inquest_date
    statement = (
        f"Certificate received from Kevin McLoughlin, Coroner for West Yorkshire (Eastern). "
        f"Inquest held {held.day} {held:%B %Y}"
    )
    particulars = entry.particulars
    assert particulars["informant"] == statement and particulars["informant_name"] == ""
    assert particulars["cause_of_death"] == "1a Drowning" and particulars["inquest_conclusion"] == "Accident"
    assert particulars["age"] == certificate.date_of_death.year - 1938 - (
        (certificate.date_of_death.month, certificate.date_of_death.day) < (7, 21)
    )
    line = IndexName.objects.get(entry=entry)
    assert (line.surname, line.forenames, line.age) == ("Whitaker", "Margaret Ann", particulars["age"])
    certificate.refresh_from_db()
    assert certificate.status == CoronerCertificate.Status.REGISTERED and certificate.entry == entry
    assert AuditEntry.objects.filter(action="inquest.registered_from_certificate", object_id=certificate.reference)
    assert AuditEntry.objects.filter(action="register.entry_written", object_id=str(entry.pk))
    assert RegisterEvent.objects.filter(kind="registered", entry=entry).exists()


def test_the_entry_is_numbered_after_the_districts_other_deaths(certificate, leeds_registrar, leeds):
    earlier = make_entry(district=leeds, event="death", particulars={"deceased_surname": "Brown"})
    entry = services.register_from_certificate(certificate=certificate, actor=leeds_registrar)
    assert entry.year == earlier.year and entry.number == earlier.number + 1
    assert entry.entry_reference == f"E-LEEDS/D/{entry.year}/{entry.number:06d}"


def test_a_registrar_of_another_district_cannot_register_it(certificate, garforth_registrar):
    with pytest.raises(InquestRefused) as refused:
        services.register_from_certificate(certificate=certificate, actor=garforth_registrar)
    assert refused.value.code == "inquest_wrong_office"
    certificate.refresh_from_db()
    assert certificate.status == CoronerCertificate.Status.WAITING and certificate.entry is None


@pytest.mark.parametrize("role", [roles.PHONE_SUPPORT, roles.CORONER, None])
def test_only_staff_who_work_registrations_register_it(certificate, leeds, role):
    actor = StaffFactory(roles=[role]) if role else UserFactory()
    actor.offices.add(leeds)
    with pytest.raises(InquestRefused) as refused:
        services.register_from_certificate(certificate=certificate, actor=actor)
    assert refused.value.code == "inquest_not_permitted"
    assert not CoronerCertificate.objects.filter(entry__isnull=False).exists()


def test_a_certificate_is_registered_once(certificate, leeds_registrar):
    services.register_from_certificate(certificate=certificate, actor=leeds_registrar)
    with pytest.raises(InquestRefused) as refused:
        services.register_from_certificate(certificate=certificate, actor=leeds_registrar)
    assert refused.value.code == "inquest_already_registered"
    assert IndexName.objects.count() == 1


def test_an_interim_certificate_is_never_registered(west_yorkshire, leeds_registrar):
    interim = record_certificate(west_yorkshire, kind="interim_fact_of_death", cause_of_death="", conclusion="")
    with pytest.raises(InquestRefused) as refused:
        services.register_from_certificate(certificate=interim, actor=leeds_registrar)
    assert refused.value.code == "inquest_interim"


def test_the_family_is_told_with_the_entry_and_a_link_to_order(certificate, leeds_registrar):
    entry = services.register_from_certificate(certificate=certificate, actor=leeds_registrar)
    message = OutboundMessage.objects.get(to="susan.whitaker@example.org")
    assert entry.entry_reference in message.body and "Kevin McLoughlin" in message.body
    line = IndexName.objects.get(entry=entry)
    assert f"http://testserver/certificates/order/{line.pk}/" in message.body
    assert "Whitaker" not in message.body.split("http://testserver")[1]  # no name in the link


def test_the_family_can_order_death_certificates_at_once(certificate, leeds_registrar, client):
    entry = services.register_from_certificate(certificate=certificate, actor=leeds_registrar)
    link = OutboundMessage.objects.get(to="susan.whitaker@example.org").body.split("http://testserver")[1]
    client.force_login(UserFactory(email="susan.whitaker@example.org"))
    page = client.get(link)
    assert page.status_code == 200 and "WHITAKER, Margaret Ann" in page.content.decode()
    response = client.post(link, {"kind": "death", "copies": 2})
    assert response.status_code == 302
    order = CertificateOrder.objects.get()
    assert order.entry == entry and order.kind == "death" and order.copies == 2
    applicant = {"full_name": "Susan Whitaker", "email": "susan.whitaker@example.org", "address": "4 Oak Road"}
    response = client.post(
        reverse("certificates:applicant", args=[order.reference]), {**applicant, "postcode": "LS6 1AA"}
    )
    assert response.url == reverse("certificates:check", args=[order.reference])
    assert client.get(response.url).status_code == 200


def test_the_familys_blocked_registration_is_registered_by_the_same_entry(west_yorkshire, leeds, relative):
    referred = MedicalCertificateFactory(referred_to_coroner=True, district=leeds, deceased_surname="Whitaker")
    blocked = submit_as_informant(make_registration(event="death", informant=relative, answers=death_answers(referred)))
    certificate = record_certificate(
        west_yorkshire,
        mccd_reference=referred.reference,
        date_of_death=referred.date_of_death.isoformat(),
        inquest_date=timezone.localdate().isoformat(),
    )
    registrar = StaffFactory(roles=[roles.REGISTRAR])
    registrar.offices.add(leeds)
    entry = services.register_from_certificate(certificate=certificate, actor=registrar)
    blocked.refresh_from_db()
    assert blocked.status == Registration.Status.REGISTERED and blocked.entry == entry
    assert blocked.case_actions.filter(kind="registered").exists()
    told = set(OutboundMessage.objects.filter(key__startswith="inquest:").values_list("to", flat=True))
    assert told == {"susan.whitaker@example.org", relative.email}


def test_a_family_registration_decided_meanwhile_stops_the_registration(west_yorkshire, leeds, relative):
    referred = MedicalCertificateFactory(referred_to_coroner=True, district=leeds, deceased_surname="Whitaker")
    blocked = submit_as_informant(make_registration(event="death", informant=relative, answers=death_answers(referred)))
    certificate = record_certificate(
        west_yorkshire,
        mccd_reference=referred.reference,
        date_of_death=referred.date_of_death.isoformat(),
        inquest_date=timezone.localdate().isoformat(),
    )
    Registration.objects.filter(pk=blocked.pk).update(status=Registration.Status.WITHDRAWN)
    registrar = StaffFactory(roles=[roles.REGISTRAR])
    registrar.offices.add(leeds)
    with pytest.raises(InquestRefused) as refused:
        services.register_from_certificate(certificate=certificate, actor=registrar)
    assert refused.value.code == "inquest_registration_decided"
    assert not IndexName.objects.exists()


def test_deaths_registered_after_an_inquest_are_counted_among_the_deaths_and_apart(
    certificate, leeds_registrar, leeds, client
):
    make_entry(district=leeds, event="death", particulars={"deceased_surname": "Brown"})
    entry = services.register_from_certificate(certificate=certificate, actor=leeds_registrar)
    figures = year_figures(entry.year)
    assert figures.totals["deaths"] == 2 and figures.totals["after_inquest"] == 1
    month = figures.months[timezone.localdate(entry.registered_at).month - 1]
    assert month.after_inquest == 1


def test_the_death_certificate_shows_the_coroners_statement_and_the_conclusion(certificate, leeds_registrar):
    entry = services.register_from_certificate(certificate=certificate, actor=leeds_registrar)
    order = paid_certificate_order(entry, kind="death")
    issue_order(order_id=order.pk)
    text = pdf_page_text(certificate_pdf(order.certificates.get()))
    assert "Certificate received from Kevin McLoughlin, Coroner for West Yorkshire (Eastern)." in text
    assert "Conclusion of the inquest" in text and "Accident" in text and "1a Drowning" in text
