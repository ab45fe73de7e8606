"""The family of someone whose death went to an inquest is written to in the language of the
account at the address the coroner gave, or of the person who started registering the death."""

from __future__ import annotations

import pytest
from django.utils import timezone, translation

from identity.models import OutboundMessage
from tests.factories import MedicalCertificateFactory, UserFactory
from tests.factories.inquest import record_certificate

pytestmark = pytest.mark.django_db

INTERIM = {"kind": "interim_fact_of_death", "cause_of_death": "", "conclusion": ""}


def _interim(west_yorkshire, leeds):
    referred = MedicalCertificateFactory(reference="MCCD-INT-0001", referred_to_coroner=True, district=leeds)
    return record_certificate(
        west_yorkshire,
        **INTERIM,
        mccd_reference=referred.reference,
        date_of_death=referred.date_of_death.isoformat(),
        inquest_date=timezone.localdate().isoformat(),
    )


def test_the_interim_certificate_reaches_a_welsh_speaking_family_in_welsh(west_yorkshire, leeds):
    UserFactory(email="susan.whitaker@example.org", language="cy")
    translation.activate("en")  # the coroner's API call
    _interim(west_yorkshire, leeds)
    message = OutboundMessage.objects.get(to="susan.whitaker@example.org", key__contains=":interim:")
    assert message.subject.startswith("Tystysgrif interim o ffaith marwolaeth")
    assert "not a death certificate" not in message.body


def test_the_interim_certificate_reaches_a_family_without_an_account_in_english(west_yorkshire, leeds):
    _interim(west_yorkshire, leeds)
    message = OutboundMessage.objects.get(to="susan.whitaker@example.org", key__contains=":interim:")
    assert message.subject.startswith("Interim certificate of the fact of death of")
    assert "not a death certificate" in message.body
