"""Running the configured checkers at submission (identity/verification.py): with the sandboxes a
passport, its photo and a selfie reach medium, labelled sandbox; a sandbox trigger fails the
face match and the case goes to a registrar saying why; a checker that cannot be reached
scores nothing and loses nothing; with no checker configured, nothing is claimed."""

from __future__ import annotations

import io

import pytest

from identity import cases, scoring, verification
from identity.models import EvidenceCheck, EvidenceImage, IdentityCase
from tests.factories import UserFactory, document_photo, record_passport

pytestmark = pytest.mark.django_db


def _passport_with_selfie(surname_line1=None) -> IdentityCase:
    case = cases.open_case(person=UserFactory())
    if surname_line1:
        record_passport(case, mrz_line1=surname_line1)
    else:
        assert record_passport(case) == []
    cases.attach_image(case=case, kind=EvidenceImage.Kind.IDENTITY_DOCUMENT, upload=io.BytesIO(document_photo()))
    cases.attach_image(case=case, kind=EvidenceImage.Kind.SELFIE, upload=io.BytesIO(document_photo((800, 1000))))
    return IdentityCase.objects.get(pk=case.pk)


def test_a_passport_photo_and_selfie_reach_medium_with_the_sandboxes_and_say_sandbox(sandbox_checkers):
    case = cases.submit_case(case=_passport_with_selfie())
    assert case.status == IdentityCase.Status.VERIFIED and case.profile == "M1A"
    assert case.scores["sandbox"] is True
    kinds = set(case.checks.filter(superseded_at__isnull=True).values_list("kind", flat=True))
    assert {"document_authenticity", "liveness", "face_match", "issuer_validation", "fraud", "activity"} <= kinds
    assert all(check.sandbox for check in case.checks.all())
    assert {row.element: row.score for row in scoring.rows_behind(case.scores)}["verification"] == 3


def test_a_sandbox_stranger_fails_the_face_match_and_goes_to_a_registrar(sandbox_checkers):
    # The sandbox document platform finds the face is someone else's for the surname Stranger.
    case = _passport_with_selfie()
    IdentityCase.objects.filter(pk=case.pk).update(surname="Stranger")
    case = cases.submit_case(case=IdentityCase.objects.get(pk=case.pk))
    assert case.status == IdentityCase.Status.WITH_REGISTRAR
    assert case.scores["verification"] == 0 and "face_no_match" in case.reasons
    # They gave a selfie already: the advice is the appointment, not another selfie.
    assert "Book an identity appointment" in " ".join(item["advice"] for item in case.missing)


def test_an_unreachable_checker_scores_nothing_and_keeps_the_evidence(settings):
    settings.IDENTITY_VERIFIERS = {
        **settings.IDENTITY_VERIFIERS,
        "passport": "identity.verifiers.http.HttpPassportValidator",
    }
    settings.IDENTITY_PASSPORT_VALIDATOR_URL = "http://127.0.0.1:9"  # nothing listens on the discard port
    settings.IDENTITY_PASSPORT_VALIDATOR_KEY = "test-key"
    case = cases.submit_case(case=_passport_with_selfie())
    assert case.status == IdentityCase.Status.WITH_REGISTRAR
    check = case.checks.get(kind="issuer_validation")
    assert check.outcome == EvidenceCheck.Outcome.UNAVAILABLE and check.reasons == ["provider_unreachable"]
    assert "issuer_validation_unavailable" in case.reasons
    assert case.images.filter(deleted_at__isnull=True).count() == 2 and case.document_number == "123456789"


def test_with_no_checker_configured_nothing_is_claimed(settings):
    settings.IDENTITY_VERIFIERS = dict.fromkeys(settings.IDENTITY_VERIFIERS, "")
    case = cases.submit_case(case=_passport_with_selfie())
    assert case.checks.count() == 0
    assert (case.scores["evidence"][0]["validity"], case.scores["verification"], case.scores["activity"]) == (1, 0, 0)
    assert case.status == IdentityCase.Status.WITH_REGISTRAR and case.scores["sandbox"] is False


def test_a_checker_that_raises_is_recorded_as_not_done(settings, monkeypatch, sandbox_checkers):
    def broken(self, **kwargs):
        raise RuntimeError("Sarah Morgan 123456789")  # personal data must not reach the log

    monkeypatch.setattr("identity.verifiers.sandbox.SandboxFraudProvider.check", broken)
    results = verification.run_checks(case=_passport_with_selfie())
    fraud = [check for check in results if check.kind == "fraud"]
    assert [check.outcome for check in fraud] == ["unavailable"] and fraud[0].reasons == ["checker_failed"]


def test_running_the_checks_again_replaces_each_checkers_earlier_answer(sandbox_checkers):
    case = _passport_with_selfie()
    verification.run_checks(case=case)
    verification.run_checks(case=case)
    current = case.checks.filter(superseded_at__isnull=True)
    assert current.filter(kind="fraud").count() == 1
    assert case.checks.filter(kind="fraud").count() == 2
