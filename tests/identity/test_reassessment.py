"""Re-assessing existing identity checks under the scoring table: a case verified on contact
codes goes back to a registrar with the reason; one whose checks earn medium stays; the report
says how many change level and why; a dry run changes nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from identity import cases
from identity.models import EvidenceImage, IdentityCase, OutboundMessage
from identity.reassessment import DROPPED_REASON, reassess_all
from identity.selectors import has_medium_confidence
from registrar import selectors as registrar_selectors
from tests.factories import UserFactory, document_photo, mrz_line2, record_checks, record_passport

pytestmark = pytest.mark.django_db


def _submitted(*checks, number="123456789", photo_size=(1200, 800)) -> IdentityCase:
    person = UserFactory(mobile_number="+447700900982", mobile_verified_at=timezone.now())
    case = cases.open_case(person=person)
    # Each person their own passport: one used by two people is a fraud signal.
    assert record_passport(case, document_number=number, mrz_line2=mrz_line2(number=number)) == []
    photo = io.BytesIO(document_photo(photo_size))
    cases.attach_image(case=case, kind=EvidenceImage.Kind.IDENTITY_DOCUMENT, upload=photo)
    if checks:
        record_checks(case, *checks)
    return cases.submit_case(case=IdentityCase.objects.get(pk=case.pk))


def _verified_under_the_old_rules() -> IdentityCase:
    """A case the old scores verified: passport 4/2 and 'verification 2' from an SMS code."""
    case = _submitted()
    IdentityCase.objects.filter(pk=case.pk).update(
        status=IdentityCase.Status.VERIFIED,
        decided_at=timezone.now(),
        profile="M1A",
        missing=[],
        scores={"evidence": [{"strength": 4, "validity": 2, "kind": "passport"}], "verification": 2},
    )
    return IdentityCase.objects.get(pk=case.pk)


def test_a_case_verified_on_a_contact_code_goes_back_to_a_registrar_with_the_reason():
    case = _verified_under_the_old_rules()
    report = reassess_all()
    case.refresh_from_db()
    assert case.status == IdentityCase.Status.WITH_REGISTRAR and DROPPED_REASON in case.reasons
    assert case.scores["verification"] == 0
    assert (report.checked, report.dropped, report.stayed_medium) == (1, 1, 0)
    assert report.dropped_because == {"validity": 1, "verification": 1}
    assert OutboundMessage.objects.filter(to=case.person.email, body__contains="check your identity again").exists()


def test_a_case_whose_checks_earn_medium_stays_verified():
    case = _submitted("document_authenticity", "face_match")
    assert case.status == IdentityCase.Status.VERIFIED
    report = reassess_all()
    case.refresh_from_db()
    assert case.status == IdentityCase.Status.VERIFIED and report.stayed_medium == 1 and report.dropped == 0


def test_a_case_with_a_registrar_that_now_reaches_medium_is_verified():
    case = _submitted()
    record_checks(case, "trained_comparison", provider="Registrar")
    report = reassess_all()
    case.refresh_from_db()
    assert case.status == IdentityCase.Status.VERIFIED and report.raised == 1


def test_a_dry_run_reports_and_changes_nothing():
    case = _verified_under_the_old_rules()
    messages = OutboundMessage.objects.count()
    report = reassess_all(dry_run=True)
    case.refresh_from_db()
    assert report.dropped == 1
    assert case.status == IdentityCase.Status.VERIFIED and DROPPED_REASON not in case.reasons
    assert OutboundMessage.objects.count() == messages


def test_a_person_with_another_check_open_is_reported_not_moved():
    case = _verified_under_the_old_rules()
    IdentityCase.objects.create(person=case.person, reference="ID-OPEN-0001")
    report = reassess_all()
    case.refresh_from_db()
    assert report.not_moved == [case.reference] and case.status == IdentityCase.Status.VERIFIED


def test_the_command_prints_the_report(capsys):
    _verified_under_the_old_rules()
    _submitted("document_authenticity", "face_match", number="987654321", photo_size=(800, 1200))
    call_command("reassess_identity_cases")
    out = capsys.readouterr().out
    assert "Identity checks re-assessed: 2" in out
    assert "verified, still at medium: 1" in out and "go back to a registrar: 1" in out
    assert "short on person matched to the identity: 1" in out


def test_a_case_that_drops_stops_counting_downstream():
    # Automatic registration and the other parent's confirmation both ask registrar's
    # identity_verified, which asks identity's has_medium_confidence.
    case = _verified_under_the_old_rules()
    assert registrar_selectors.identity_verified(case.person) and has_medium_confidence(case.person)
    reassess_all()
    assert not registrar_selectors.identity_verified(case.person)
    assert not has_medium_confidence(case.person)
