"""A certificate from the coroner finds the death the coroner was referred: by the MCCD's
reference, or (without one) by the one referred death of that person, day and district. After
inquest the coroner's block is lifted and the family's registration waits for the registrar to
register the death from the certificate; an open inquest keeps the block."""

from __future__ import annotations

import pytest
from django.utils import timezone

from registrar.models import Registration
from tests.factories import MedicalCertificateFactory, death_answers, make_registration, submit_as_informant
from tests.factories.inquest import record_certificate

pytestmark = pytest.mark.django_db


@pytest.fixture
def referred(leeds):
    return MedicalCertificateFactory(
        reference="MCCD-REF-0001", referred_to_coroner=True, district=leeds, deceased_surname="Whitaker"
    )


@pytest.fixture
def blocked(referred, relative):
    registration = make_registration(event="death", informant=relative, answers=death_answers(referred))
    registration = submit_as_informant(registration)
    assert registration.status == Registration.Status.BLOCKED_BY_CORONER
    return registration


def _same_death(mccd) -> dict:
    return {"date_of_death": mccd.date_of_death.isoformat(), "inquest_date": timezone.localdate().isoformat()}


def test_the_mccd_reference_links_the_blocked_registration_and_lifts_the_block(west_yorkshire, referred, blocked):
    certificate = record_certificate(west_yorkshire, mccd_reference="mccd-ref-0001", **_same_death(referred))
    assert certificate.medical_certificate == referred and certificate.registration == blocked
    referred.refresh_from_db()
    assert referred.coroner_released_at is not None and not referred.blocks_registration
    blocked.refresh_from_db()
    # Registered from the coroner's certificate, not by the informant's answers.
    assert blocked.status == Registration.Status.BLOCKED_BY_CORONER
    assert not hasattr(blocked, "entry") or blocked.entry is None


def test_without_a_reference_the_one_referred_death_of_that_person_and_day_is_found(west_yorkshire, referred, blocked):
    certificate = record_certificate(west_yorkshire, **_same_death(referred))
    assert certificate.medical_certificate == referred and certificate.registration == blocked


def test_a_different_person_is_not_matched(west_yorkshire, referred, blocked):
    certificate = record_certificate(west_yorkshire, deceased_surname="Hartley", **_same_death(referred))
    assert certificate.medical_certificate is None and certificate.registration is None
    referred.refresh_from_db()
    assert referred.blocks_registration


def test_an_open_inquest_keeps_the_block(west_yorkshire, referred, blocked):
    record_certificate(
        west_yorkshire,
        kind="interim_fact_of_death",
        cause_of_death="",
        conclusion="",
        mccd_reference=referred.reference,
        **_same_death(referred),
    )
    referred.refresh_from_db()
    assert referred.blocks_registration and referred.inquest_open
    blocked.refresh_from_db()
    assert blocked.status == Registration.Status.BLOCKED_BY_CORONER
