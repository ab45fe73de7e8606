"""The scoring table (identity/scoring.py), row by row: each row's facts earn exactly its score,
any one of them missing earns less, a failed check of an element sets it to 0; and at case
level, contact codes earn no verification and typed MRZ + a photo + an SMS code is not medium."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone

from identity import cases, scoring
from identity.confidence import assess
from identity.models import EvidenceImage, IdentityCase
from tests.factories import UserFactory, document_photo, record_checks, record_passport

ROWS = list(enumerate(scoring.TABLE))


def _id(value):
    index, row = value
    return f"{index}-{row.element}-{row.score}"


@pytest.mark.parametrize("numbered", ROWS, ids=_id)
def test_each_row_earns_its_score_from_its_facts(numbered):
    _index, row = numbered
    assert scoring.score_for(row.element, set(row.needs))[0] == row.score


@pytest.mark.parametrize("numbered", ROWS, ids=_id)
def test_each_fact_of_a_row_is_needed(numbered):
    _index, row = numbered
    for fact in row.needs:
        assert scoring.score_for(row.element, set(row.needs) - {fact})[0] < row.score, fact


@pytest.mark.parametrize("numbered", ROWS, ids=_id)
def test_each_row_cites_gpg45_and_says_why_in_words(numbered):
    _index, row = numbered
    assert row.cites.startswith("GPG 45") and "score" in row.cites
    assert str(row.because)


@pytest.mark.parametrize("element", ["validity", "verification", "fraud"])
def test_a_failed_check_sets_its_element_to_zero(element):
    every_fact = set().union(*(row.needs for row in scoring.TABLE))
    for blocking in scoring.BLOCKING[element]:
        unsettled = every_fact - {fact for fact, settled in scoring.SETTLED_BY.items() if blocking in settled}
        assert scoring.score_for(element, unsettled | {blocking})[0] == 0, blocking


def test_a_registrars_passed_comparison_settles_a_failed_automated_face_match():
    facts = {"genuine_evidence", "face_match_failed", "liveness_failed"}
    assert scoring.score_for("verification", facts)[0] == 0
    assert scoring.score_for("verification", facts | {"trained_comparison"})[0] == 3
    assert scoring.score_for("verification", facts | {"trained_comparison", "trained_comparison_failed"})[0] == 0


def test_no_fact_names_a_contact_code():
    every_fact = set().union(*(row.needs for row in scoring.TABLE))
    assert not {fact for fact in every_fact if "email" in fact or "sms" in fact or "mobile" in fact}


# Case level -------------------------------------------------------------------------------------


@pytest.fixture
def person_with_confirmed_contacts():
    person = UserFactory(mobile_number="+447700900982")
    person.mobile_verified_at = timezone.now()
    person.email_verified_at = timezone.now()
    person.save()
    return person


def _passport_case(person):
    case = cases.open_case(person=person)
    assert record_passport(case) == []
    cases.attach_image(case=case, kind=EvidenceImage.Kind.IDENTITY_DOCUMENT, upload=io.BytesIO(document_photo()))
    return IdentityCase.objects.get(pk=case.pk)


@pytest.mark.django_db
def test_typed_mrz_a_photo_and_an_sms_code_no_longer_reach_medium(person_with_confirmed_contacts):
    case = cases.submit_case(case=_passport_case(person_with_confirmed_contacts))
    assert case.status == IdentityCase.Status.WITH_REGISTRAR
    assert case.scores["verification"] == 0
    assert case.scores["evidence"][0] == {"strength": 4, "validity": 1, "kind": "passport"}
    assert case.profile == "M1A"
    assert {m["element"] for m in case.missing} == {"validity", "verification"}


@pytest.mark.django_db
def test_email_and_sms_codes_score_no_verification(person_with_confirmed_contacts):
    earned, _reasons = cases.score_case(_passport_case(person_with_confirmed_contacts))
    assert earned.scores.verification == 0


@pytest.mark.django_db
def test_a_face_match_without_liveness_scores_lower_than_with_it(person_with_confirmed_contacts):
    case = _passport_case(person_with_confirmed_contacts)
    record_checks(case, "document_authenticity", "face_match")
    without, _ = cases.score_case(case)
    record_checks(case, "liveness")
    with_liveness, _ = cases.score_case(case)
    assert (without.scores.verification, with_liveness.scores.verification) == (2, 3)


@pytest.mark.django_db
def test_checked_genuine_and_matched_to_the_person_reaches_medium_and_says_why(person_with_confirmed_contacts):
    case = _passport_case(person_with_confirmed_contacts)
    record_checks(case, "document_authenticity", "face_match", "liveness")
    case = cases.submit_case(case=case)
    assert case.status == IdentityCase.Status.VERIFIED and case.profile == "M1A"
    assert case.scores["sandbox"] is False
    why = {row.element: row.score for row in scoring.rows_behind(case.scores)}
    assert why == {"validity": 2, "verification": 3, "fraud": 1}


@pytest.mark.django_db
def test_a_sandbox_checkers_answer_marks_the_scores_as_sandbox(person_with_confirmed_contacts):
    case = _passport_case(person_with_confirmed_contacts)
    record_checks(case, "document_authenticity", "face_match", sandbox=True, provider="Sandbox document checker")
    case = cases.submit_case(case=case)
    assert case.status == IdentityCase.Status.VERIFIED and case.scores["sandbox"] is True


@pytest.mark.django_db
def test_a_failed_face_match_counts_over_a_passed_one(person_with_confirmed_contacts):
    case = _passport_case(person_with_confirmed_contacts)
    record_checks(case, "document_authenticity", "face_match", "liveness")
    record_checks(case, "face_match", outcome="failed", provider="Offline face matcher")
    case = cases.submit_case(case=case)
    assert case.status == IdentityCase.Status.WITH_REGISTRAR
    assert case.scores["verification"] == 0 and "face_match_failed" in case.reasons


@pytest.mark.django_db
def test_a_check_that_could_not_be_done_scores_nothing_and_says_so(person_with_confirmed_contacts):
    case = _passport_case(person_with_confirmed_contacts)
    record_checks(case, "document_authenticity", outcome="unavailable")
    earned, reasons = cases.score_case(case)
    assert earned.scores.evidence[0].validity == 1
    assert "document_authenticity_unavailable" in reasons
    assert "Could not be done" in scoring.reason_words("document_authenticity_unavailable")


@pytest.mark.django_db
def test_changing_the_evidence_sets_its_checks_aside(person_with_confirmed_contacts):
    case = _passport_case(person_with_confirmed_contacts)
    record_checks(case, "document_authenticity", "face_match", "liveness")
    cases.attach_image(case=case, kind=EvidenceImage.Kind.IDENTITY_DOCUMENT, upload=io.BytesIO(document_photo()))
    earned, _ = cases.score_case(case)
    assert earned.scores.verification == 0 and earned.scores.evidence[0].validity == 1


@pytest.mark.django_db
def test_activity_and_a_fraud_provider_come_only_from_their_checks(person_with_confirmed_contacts):
    case = _passport_case(person_with_confirmed_contacts)
    before, _ = cases.score_case(case)
    record_checks(case, "fraud", "activity")
    after, _ = cases.score_case(case)
    assert (before.scores.activity, before.scores.fraud) == (0, 1)
    assert (after.scores.activity, after.scores.fraud) == (4, 2)


@pytest.mark.django_db
def test_a_registrars_live_comparison_verifies_a_case_with_the_registrar(person_with_confirmed_contacts):
    case = cases.submit_case(case=_passport_case(person_with_confirmed_contacts))
    assert case.status == IdentityCase.Status.WITH_REGISTRAR
    record_checks(case, "trained_comparison", provider="Registrar")
    case = cases.reassess_case(case=case)
    assert case.status == IdentityCase.Status.VERIFIED and case.profile == "M1A"
    assert assess(cases.score_case(case)[0].scores).medium


@pytest.mark.django_db
def test_a_face_match_with_a_document_not_shown_genuine_scores_nothing(person_with_confirmed_contacts):
    # GPG 45 compares the person with the photo on genuine evidence; validity 1 is not that.
    case = _passport_case(person_with_confirmed_contacts)
    record_checks(case, "face_match", "liveness")
    earned, _ = cases.score_case(case)
    assert earned.scores.evidence[0].validity == 1 and earned.scores.verification == 0
