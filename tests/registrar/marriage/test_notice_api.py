"""Giving notice through the API: start a proposal, read it, invite and accept, answer each step
with the pages' own forms, upload the final order, send; every error in the one shape, nobody
else's notice reachable, and the same answers and refusals as the pages."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from booking.rules import add_months
from identity.models import IdentityCase
from registrar.marriage import notice_selectors, notice_services
from registrar.marriage.refusals import MarriageRefused
from registrar.models import Notice, Proposal
from tests.factories.identity import UserFactory, api_client, document_photo, make_leeds_offices
from tests.factories.marriage import civil_ceremony, verified_person
from tests.factories.marriage_notices import first_notice, notice_json, notice_pages, started_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return verified_person()


@pytest.fixture
def api(person):
    return api_client(person)


def _put(api, notice, step, body):
    return api.put(f"/api/v1/marriage/notices/{notice.reference}/answers/{step}", body, format="json")


def _answer_all(api, notice) -> None:
    for step, body in notice_json().items():
        response = _put(api, notice, step, body)
        assert response.status_code == 200, (step, response.json())


def test_a_notice_is_started_answered_and_sent_through_the_api(api, person):
    ceremony = civil_ceremony(person=person)
    created = api.post("/api/v1/marriage/proposals", {"booking": ceremony.reference, "kind": "marriage"}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["ceremony"] == ceremony.reference and body["kind"] == "marriage"
    assert body["district"] == ceremony.room.venue.office.code
    mine, other = body["notices"]
    assert mine["yours"] is True and mine["next_step"] == "names" and other["yours"] is False
    assert other["answers"] is None and other["status_label"] == "Not invited yet"
    notice = Notice.objects.get(reference=mine["reference"])
    _answer_all(api, notice)
    read = api.get(f"/api/v1/marriage/notices/{notice.reference}").json()
    assert read["missing_steps"] == [] and read["answers"]["parents"]["parents"][1]["forenames"] == "David"
    sent = api.post(f"/api/v1/marriage/notices/{notice.reference}/submit")
    assert sent.status_code == 200, sent.json()
    assert sent.json()["status"] == "sent" and sent.json()["exempt"] is True
    again = api.post(f"/api/v1/marriage/notices/{notice.reference}/submit")
    assert again.status_code == 409 and again.json()["error"]["code"] == "notice_not_editable"
    late = _put(api, notice, "names", {"forenames": "X", "surname": "Y"})
    assert late.status_code == 409


def test_a_religious_marriage_is_started_through_the_api(api, person):
    make_leeds_offices()
    intended = (timezone.localdate() + datetime.timedelta(days=90)).isoformat()
    body = {"building_name": "St Anne's", "building_address": "Leeds", "postcode": "LS1 3AD", "intended_date": intended}
    created = api.post("/api/v1/marriage/proposals", body, format="json")
    assert created.status_code == 201 and created.json()["form"] == "religious"
    partnership = api.post("/api/v1/marriage/proposals", {**body, "kind": "civil_partnership"}, format="json")
    assert partnership.status_code == 400 and partnership.json()["error"]["code"] == "partnership_not_religious"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"booking": 5, "kind": "marriage"},
        {"building_name": "X", "building_address": "Y", "postcode": "nowhere", "intended_date": "2030-02-31"},
        [],
    ],
)
def test_bad_bodies_to_start_a_proposal_are_400s_in_the_one_shape(api, body):
    response = api.post("/api/v1/marriage/proposals", body, format="json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid"
    assert not Proposal.objects.exists()


def test_another_persons_booking_or_one_already_started_is_refused(api, person):
    other = civil_ceremony(person=UserFactory())
    refused = api.post("/api/v1/marriage/proposals", {"booking": other.reference, "kind": "marriage"}, format="json")
    assert refused.status_code == 404 and refused.json()["error"]["code"] == "booking_not_yours"
    ceremony = civil_ceremony(person=person)
    api.post("/api/v1/marriage/proposals", {"booking": ceremony.reference, "kind": "marriage"}, format="json")
    twice = api.post("/api/v1/marriage/proposals", {"booking": ceremony.reference, "kind": "marriage"}, format="json")
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "booking_has_proposal"


def test_an_unverified_person_is_refused_with_what_to_do(person):
    person_without_check = UserFactory()
    ceremony = civil_ceremony(person=person_without_check)
    response = api_client(person_without_check).post(
        "/api/v1/marriage/proposals", {"booking": ceremony.reference, "kind": "marriage"}, format="json"
    )
    assert response.status_code == 403 and response.json()["error"]["code"] == "notice_identity_not_verified"
    assert "Prove your identity" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("step", "body", "field"),
    [
        ("names", {"forenames": "Sarah"}, "surname"),
        ("names", {"forenames": ["a"], "surname": "M"}, "forenames"),
        ("date_of_birth", {"date_of_birth": "1990-02-31"}, "date_of_birth"),
        ("condition", {"condition": "divorced"}, "former_partner"),
        ("address", {"address": "1 Park Row", "postcode": "LS1 3AD", "lived_there_since": "soon"}, "lived_there_since"),
        ("nationality", {"nationality": "other"}, "other_nationality"),
        ("venue", {"confirmed": False}, "confirmed"),
        ("parents", {"parents": []}, "parent_1_forenames"),
        ("parents", {"parents": "Ann"}, "parent_1_forenames"),
        ("declaration", {"confirmed": False}, "confirmed"),
    ],
)
def test_bad_answers_are_400s_naming_the_field_and_keep_what_was_saved(api, person, step, body, field):
    notice = first_notice(started_proposal(person=person))
    assert _put(api, notice, step, notice_json()[step]).status_code == 200
    notice.refresh_from_db()
    before = dict(notice.answers)
    response = _put(api, notice, step, body)
    assert response.status_code == 400 and field in response.json()["error"]["fields"], response.json()
    notice.refresh_from_db()
    assert notice.answers == before


def test_an_unknown_step_or_a_body_that_is_not_an_object(api, person):
    notice = first_notice(started_proposal(person=person))
    assert _put(api, notice, "shoe_size", {}).json()["error"]["code"] == "notice_unknown_step"
    assert _put(api, notice, "names", ["Sarah"]).status_code == 400


def test_nobody_else_reads_or_changes_a_notice_or_proposal(api, person):
    proposal = started_proposal(person=person)
    notice = first_notice(proposal)
    _put(api, notice, "names", notice_json()["names"])
    stranger = api_client(verified_person())
    assert stranger.get(f"/api/v1/marriage/proposals/{proposal.reference}").status_code == 404
    assert stranger.get(f"/api/v1/marriage/notices/{notice.reference}").status_code == 404
    assert _put(stranger, notice, "names", {"forenames": "X", "surname": "Y"}).status_code == 404
    assert stranger.post(f"/api/v1/marriage/notices/{notice.reference}/submit").status_code == 404
    photo = SimpleUploadedFile("a.jpg", document_photo(), content_type="image/jpeg")
    upload = stranger.post(
        f"/api/v1/marriage/notices/{notice.reference}/ending-evidence", {"photo": photo}, format="multipart"
    )
    assert upload.status_code == 404
    invite = stranger.post(
        f"/api/v1/marriage/proposals/{proposal.reference}/invitation", {"email": "x@example.com"}, format="json"
    )
    assert invite.status_code == 404
    notice.refresh_from_db()
    assert notice.answers["names"]["forenames"] == "Sarah Meredyth"


def test_the_other_person_is_invited_and_accepts_through_the_api(api, person):
    proposal = started_proposal(person=person)
    invited = api.post(
        f"/api/v1/marriage/proposals/{proposal.reference}/invitation", {"email": "rhys@example.com"}, format="json"
    )
    assert invited.status_code == 200 and invited.json()["notices"][1]["status_label"] == "Invited, not joined yet"
    token = notice_services.invitation_token(proposal.notices.get(position=2))
    own = api.post("/api/v1/marriage/invitations/accept", {"token": token}, format="json")
    assert own.status_code == 403 and own.json()["error"]["code"] == "invitation_own"
    unverified = UserFactory()
    refused = api_client(unverified).post("/api/v1/marriage/invitations/accept", {"token": token}, format="json")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "notice_identity_not_verified"
    other = verified_person()
    accepted = api_client(other).post("/api/v1/marriage/invitations/accept", {"token": token}, format="json")
    assert accepted.status_code == 200
    assert [notice["yours"] for notice in accepted.json()["notices"]] == [False, True]
    assert accepted.json()["notices"][0]["answers"] is None
    taken = api_client(verified_person()).post("/api/v1/marriage/invitations/accept", {"token": token}, format="json")
    assert taken.status_code == 404  # the link is used up
    bad = api_client(other).post("/api/v1/marriage/invitations/accept", {"token": "nonsense"}, format="json")
    assert bad.status_code == 404 and bad.json()["error"]["code"] == "notice_invitation_invalid"
    again = api.post(
        f"/api/v1/marriage/proposals/{proposal.reference}/invitation", {"email": "rhys@example.com"}, format="json"
    )
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_joined"
    bad_email = api.post(f"/api/v1/marriage/proposals/{proposal.reference}/invitation", {"email": "x"}, format="json")
    assert bad_email.status_code in (400, 409)


def test_only_the_first_person_invites(api, person):
    proposal = started_proposal(person=person)
    other = verified_person()
    second = notice_services.invite_other_person(proposal=proposal, person=person, email="rhys@example.com")
    notice_services.accept_invitation(token=notice_services.invitation_token(second), person=other)
    with pytest.raises(MarriageRefused) as refused:
        notice_services.invite_other_person(proposal=proposal, person=other, email="someone@example.com")
    assert refused.value.code == "not_first_person"


def test_the_final_order_is_uploaded_as_multipart_and_damaged_files_are_refused(api, person):
    notice = first_notice(started_proposal(person=person))
    divorced = {
        "condition": "divorced",
        "former_partner": "Jo Bloggs",
        "how_ended": "divorce",
        "ended_on": "2019-06-01",
    }
    assert _put(api, notice, "condition", divorced).json()["evidence_needed"] is True
    url = f"/api/v1/marriage/notices/{notice.reference}/ending-evidence"
    damaged = SimpleUploadedFile("a.jpg", document_photo()[:1500], content_type="image/jpeg")
    refused = api.post(url, {"photo": damaged}, format="multipart")
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "photo_damaged"
    notice.refresh_from_db()
    assert not notice.ending_evidence
    missing = api.post(url, {}, format="multipart")
    assert missing.status_code == 400 and "photo" in missing.json()["error"]["fields"]
    good = api.post(
        url, {"photo": SimpleUploadedFile("a.jpg", document_photo(), content_type="image/jpeg")}, format="multipart"
    )
    assert good.status_code == 201 and good.json()["evidence_needed"] is False
    as_json = api.post(url, {"photo": "x"}, format="json")
    assert as_json.status_code == 415


def test_sending_with_questions_unanswered_lists_them(api, person):
    notice = first_notice(started_proposal(person=person))
    _put(api, notice, "names", notice_json()["names"])
    response = api.post(f"/api/v1/marriage/notices/{notice.reference}/submit")
    assert response.status_code == 400 and response.json()["error"]["code"] == "notice_incomplete"
    assert "date_of_birth" in response.json()["error"]["fields"] and "names" not in response.json()["error"]["fields"]


def test_a_person_whose_identity_check_dropped_cannot_answer(api, person):
    notice = first_notice(started_proposal(person=person))
    IdentityCase.objects.filter(person=person).update(status=IdentityCase.Status.WITH_REGISTRAR)
    response = _put(api, notice, "names", notice_json()["names"])
    assert response.status_code == 403 and response.json()["error"]["code"] == "notice_identity_not_verified"


def test_staff_are_kept_out_of_the_citizen_api():
    from tests.factories.identity import StaffFactory

    response = api_client(StaffFactory()).get("/api/v1/marriage/proposals")
    assert response.status_code == 403


# --- The pages and the API say the same ----------------------------------------------------------


def test_the_page_and_the_api_save_the_same_answers(client, api, person):
    by_api = first_notice(started_proposal(person=person))
    _answer_all(api, by_api)
    by_page = first_notice(started_proposal(person=person))
    client.force_login(person)
    for step, data in notice_pages().items():
        assert client.post(f"/marry/{by_page.reference}/{step}/", data).status_code == 302
    by_api.refresh_from_db()
    by_page.refresh_from_db()
    for answers in (by_api.answers, by_page.answers):
        answers.pop("declaration")
    assert by_api.answers == by_page.answers


def test_the_page_and_the_api_refuse_a_different_venue_and_too_young_in_the_same_words(client, api, person):
    notice = first_notice(started_proposal(person=person))
    client.force_login(person)
    page = client.post(f"/marry/{notice.reference}/venue/", {"confirmed": "no"}).content.decode()
    api_message = _put(api, notice, "venue", {"confirmed": False}).json()["error"]["fields"]["confirmed"][0]
    assert api_message == MarriageRefused("different_venue").message and api_message in page
    too_young = add_months(notice_selectors.ceremony_date(notice.proposal), -216) + datetime.timedelta(days=1)
    page = client.post(
        f"/marry/{notice.reference}/date_of_birth/",
        {"date_of_birth_0": too_young.day, "date_of_birth_1": too_young.month, "date_of_birth_2": too_young.year},
    ).content.decode()
    api_message = _put(api, notice, "date_of_birth", {"date_of_birth": too_young.isoformat()}).json()["error"]
    assert api_message["fields"]["date_of_birth"][0] in page and "18 or over" in page


def test_the_page_and_the_api_refuse_sending_too_soon_after_moving_in_in_the_same_words(client, api, person):
    moved_in = timezone.localdate() - datetime.timedelta(days=3)
    notice = first_notice(started_proposal(person=person))
    _answer_all(api, notice)
    _put(api, notice, "address", {**notice_json()["address"], "lived_there_since": moved_in.isoformat()})
    client.force_login(person)
    page = client.post(f"/marry/{notice.reference}/check/")
    response = api.post(f"/api/v1/marriage/notices/{notice.reference}/submit")
    assert page.status_code == response.status_code == 409
    message = response.json()["error"]["message"]
    assert response.json()["error"]["code"] == "residence_too_short"
    assert message.replace("'", "&#x27;") in page.content.decode()
