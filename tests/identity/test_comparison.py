"""A registrar's live comparison of a person with their identity document: only a registrar who
works the case (its office's, a national role, or one of an office where the person has an
identity appointment), never on their own case; recorded as a trained_comparison check with what
was seen, audited, and the case is scored again. The staff page asks in words and says no with a
clear 4xx."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from identity import comparison, roles
from identity.comparison import record_trained_comparison
from identity.models import AuditEntry, EvidenceCheck, IdentityCase
from identity.refusals import ComparisonRefused
from tests.factories import (
    StaffFactory,
    UserFactory,
    book_identity_appointment,
    identity_slots,
    make_identity_office,
    submit_passport_check,
    verify_identity,
)

pytestmark = pytest.mark.django_db

SAW_IT_ALL = {"face_matches": True, "details_match": True, "document_inspected": True, "observations": ""}


def _compare(case, actor, **answers):
    return record_trained_comparison(
        case=case, actor=actor, method=answers.pop("method", "video"), **(SAW_IT_ALL | answers)
    )


@pytest.fixture
def leeds_registrar(leeds):
    staff = StaffFactory(roles=[roles.REGISTRAR], full_name="Rhian Desk")
    staff.offices.add(leeds)
    return staff


def test_a_registrar_of_the_cases_office_records_what_they_saw(waiting_case, leeds_registrar):
    check = _compare(waiting_case, leeds_registrar, observations="  Held the passport to the camera.  ")
    assert check.kind == "trained_comparison" and check.outcome == "passed"
    assert check.provider == "Registrar Rhian Desk" and check.performed_by == leeds_registrar
    assert check.sandbox is False and check.reasons == [] and check.superseded_at is None
    assert check.details == {
        "method": "video",
        "face_matches": True,
        "details_match": True,
        "document_inspected": True,
        "observations": "Held the passport to the camera.",
    }
    entry = AuditEntry.objects.get(action="identity_case.trained_comparison")
    assert entry.actor == leeds_registrar and entry.subject == waiting_case.person
    assert entry.object_id == waiting_case.reference
    assert entry.detail["outcome"] == "passed" and entry.detail["method"] == "video"
    assert "observations" not in entry.detail  # what was seen stays with the check


@pytest.mark.parametrize(
    ("answers", "reasons"),
    [
        ({"face_matches": False}, ["comparison_face_mismatch"]),
        ({"details_match": False}, ["comparison_details_mismatch"]),
        ({"face_matches": False, "details_match": False}, ["comparison_face_mismatch", "comparison_details_mismatch"]),
    ],
)
def test_it_fails_unless_both_the_face_and_the_details_match(waiting_case, leeds_registrar, answers, reasons):
    check = _compare(waiting_case, leeds_registrar, method="in_person", observations="Not the same person.", **answers)
    assert check.outcome == "failed" and check.reasons == reasons
    assert check.details["method"] == "in_person"


def test_an_uninspected_document_still_passes_but_is_noted(waiting_case, leeds_registrar):
    check = _compare(waiting_case, leeds_registrar, document_inspected=False, observations="Camera too blurry.")
    assert check.outcome == "passed" and check.reasons == ["comparison_document_not_inspected"]
    assert check.details["document_inspected"] is False


def test_the_case_is_scored_again_after_the_comparison(waiting_case, leeds_registrar, monkeypatch):
    seen = []
    real = comparison.reassess_case

    def spy(*, case):
        seen.append(case.pk)
        assert EvidenceCheck.objects.filter(case=case, kind="trained_comparison").exists()
        return real(case=case)

    monkeypatch.setattr(comparison, "reassess_case", spy)
    _compare(waiting_case, leeds_registrar)
    assert seen == [waiting_case.pk]


def test_a_later_comparison_supersedes_the_earlier_one(waiting_case, leeds_registrar):
    first = _compare(waiting_case, leeds_registrar, face_matches=False, observations="Poor light.")
    second = _compare(waiting_case, leeds_registrar)
    first.refresh_from_db()
    assert first.superseded_at is not None and second.superseded_at is None
    live = EvidenceCheck.objects.filter(case=waiting_case, kind="trained_comparison", superseded_at__isnull=True)
    assert list(live) == [second]


@pytest.mark.parametrize(
    ("answers", "code", "status"),
    [
        ({"method": "carrier pigeon"}, "unknown_method", 400),
        ({"face_matches": False}, "observations_required", 400),
        ({"document_inspected": False, "observations": "   "}, "observations_required", 400),
        ({"observations": "x" * 2001}, "observations_too_long", 400),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_recorded(waiting_case, leeds_registrar, answers, code, status):
    with pytest.raises(ComparisonRefused) as refused:
        _compare(waiting_case, leeds_registrar, **answers)
    assert (refused.value.code, refused.value.status) == (code, status)
    assert not EvidenceCheck.objects.filter(case=waiting_case).exists()
    assert not AuditEntry.objects.filter(action="identity_case.trained_comparison").exists()


@pytest.mark.parametrize(
    ("role", "office", "code"),
    [
        (roles.REGISTRAR, "manchester", "other_office"),
        (roles.SUPERINTENDENT_REGISTRAR, "leeds", None),
        # The Registrar General's office authorises late registrations; it does not work identity cases.
        (roles.REGISTRAR_GENERAL, None, "not_allowed"),
        (roles.PHONE_SUPPORT, "leeds", "not_allowed"),
        (roles.SERVICE_ADMIN, "leeds", "not_allowed"),
    ],
)
def test_who_may_record_a_comparison_by_role_and_office(request, waiting_case, role, office, code):
    staff = StaffFactory(roles=[role])
    if office:
        staff.offices.add(request.getfixturevalue(office))
    if code is None:
        assert _compare(waiting_case, staff).outcome == "passed"
    else:
        with pytest.raises(ComparisonRefused) as refused:
            _compare(waiting_case, staff)
        assert refused.value.code == code
        assert not EvidenceCheck.objects.filter(case=waiting_case).exists()


def test_a_registrar_of_the_office_with_the_persons_appointment_may_compare(leeds, manchester):
    make_identity_office(manchester)
    person = UserFactory()
    case = submit_passport_check(person=person, postcode="LS1 3AD")
    assert case.office.code != manchester.code
    registrar = StaffFactory(roles=[roles.REGISTRAR])
    registrar.offices.add(manchester)
    with pytest.raises(ComparisonRefused):
        _compare(case, registrar)
    book_identity_appointment(
        identity_slots("identity_in_person", office_ids=frozenset([manchester.pk]))[0], person=person
    )
    assert _compare(case, registrar, method="in_person").outcome == "passed"


def test_nobody_compares_themselves(leeds):
    registrar = StaffFactory(roles=[roles.REGISTRAR])
    registrar.offices.add(leeds)
    own = IdentityCase.objects.create(person=registrar, reference="ID-OWN1", status="with_registrar", office=leeds)
    with pytest.raises(ComparisonRefused) as refused:
        _compare(own, registrar)
    assert (refused.value.code, refused.value.status) == ("own_case", 403)


def test_a_decided_case_takes_no_comparison(leeds, leeds_registrar):
    person = UserFactory()
    case = verify_identity(person)
    IdentityCase.objects.filter(pk=case.pk).update(office=leeds)
    with pytest.raises(ComparisonRefused) as refused:
        _compare(case, leeds_registrar)
    assert (refused.value.code, refused.value.status) == ("case_decided", 409)


@pytest.mark.parametrize("code", sorted(ComparisonRefused.reasons))
def test_every_comparison_refusal_reads_in_english_and_welsh(code):
    refusal = ComparisonRefused(code)
    english = refusal.message
    with translation.override("cy"):
        welsh = refusal.message
    assert english and welsh != english and "%(" not in english + welsh


def test_a_registrar_completes_the_comparison_and_the_case_is_verified(waiting_case, leeds_registrar):
    assert waiting_case.status == "with_registrar"
    _compare(waiting_case, leeds_registrar, method="in_person")
    waiting_case.refresh_from_db()
    assert waiting_case.status == "verified"


# --- The staff page ------------------------------------------------------------------------------


def _page(case):
    return reverse("identity:staff-identity-compare", args=[case.reference])


def test_the_page_asks_in_words_and_records_the_comparison(client, registrar, waiting_case):
    page = client.get(_page(waiting_case) + "?method=in_person")
    html = page.content.decode()
    assert page.status_code == 200
    for words in (
        "The person&#x27;s face matches the photo on the document",
        "The details on the document match the details given",
        "I checked the document&#x27;s visible security features",
        "What you saw",
        "By video call",
    ):
        assert words in html, words
    assert page.context["form"].initial["method"] == "in_person"
    assert waiting_case.surname in html
    assert AuditEntry.objects.filter(action="identity_case.comparison_viewed", subject=waiting_case.person).exists()
    done = client.post(
        _page(waiting_case),
        {"method": "video", "confirmed": ["face_matches", "details_match", "document_inspected"], "observations": ""},
    )
    assert done.status_code == 302 and done.url == _page(waiting_case)
    check = EvidenceCheck.objects.get(case=waiting_case, kind="trained_comparison")
    assert check.outcome == "passed" and check.performed_by == registrar
    after = client.get(done.url).content.decode()
    assert "What you saw is recorded" in after and check.provider in after


def test_the_page_answers_bad_input_with_400_and_an_error_summary(client, registrar, waiting_case):
    missing = client.post(_page(waiting_case), {"confirmed": ["face_matches"]})
    assert missing.status_code == 400 and "Select how you saw the person" in missing.content.decode()
    unexplained = client.post(_page(waiting_case), {"method": "video", "confirmed": ["face_matches"]})
    html = unexplained.content.decode()
    assert unexplained.status_code == 400 and "There is a problem" in html and "Say what you saw" in html
    made_up = client.post(_page(waiting_case), {"method": "video", "confirmed": ["telepathy"], "observations": "x"})
    assert made_up.status_code == 400
    assert not EvidenceCheck.objects.filter(case=waiting_case).exists()


def test_the_page_is_a_404_for_another_offices_case_and_403_for_ones_own(client, registrar, leeds, manchester):
    other = submit_passport_check(postcode="M1 1AA")
    assert other.office == manchester
    assert client.get(_page(other)).status_code == 404
    assert (
        client.post(_page(other), {"method": "video", "confirmed": ["face_matches", "details_match"]}).status_code
        == 404
    )
    unknown = client.get(reverse("identity:staff-identity-compare", args=["ID-NOPE-NOPE"]))
    assert unknown.status_code == 404
    own = IdentityCase.objects.create(person=registrar, reference="ID-MINE", status="with_registrar", office=leeds)
    assert client.get(_page(own)).status_code == 403


def test_phone_support_cannot_open_the_page(client, support, waiting_case):
    assert client.get(_page(waiting_case)).status_code == 403


def test_the_staff_case_page_links_to_the_comparison(client, registrar, waiting_case):
    html = client.get(reverse("identity:staff-identity-case", args=[waiting_case.reference])).content.decode()
    assert _page(waiting_case) in html
