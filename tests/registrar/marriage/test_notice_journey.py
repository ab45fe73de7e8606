"""Giving notice online, on the pages: starting from a provisional booking or for a religious
marriage, one question per page saved as the person goes, check your answers and sending,
inviting the other person, the couple's page; bad input is a clear 400 that loses nothing, and
nobody sees or changes the other person's notice."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from identity.models import IdentityCase, OutboundMessage
from registrar.marriage import notice_services
from registrar.models import Notice, Proposal
from tests.factories.identity import UserFactory, make_leeds_offices, verify_identity
from tests.factories.marriage import civil_ceremony, verified_person
from tests.factories.marriage_notices import first_notice, notice_pages, started_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(client):
    person = verified_person(full_name="Sarah Morgan")
    client.force_login(person)
    return person


def _answer_all(client, notice: Notice, pages: dict | None = None) -> None:
    for step, data in (pages or notice_pages()).items():
        response = client.post(f"/marry/{notice.reference}/{step}/", data)
        assert response.status_code == 302, (step, response.content.decode()[:2000])


def test_the_start_page_says_what_you_need_and_lists_the_ceremonies_to_start_from(client, person):
    ceremony = civil_ceremony(person=person)
    text = client.get("/marry/").content.decode()
    assert "What you need" in text and "7 full days" in text and "Each of you proves your identity" in text
    assert f"/marry/booking/{ceremony.reference}/" in text
    assert "/marry/religious/" in text


def test_the_start_page_is_open_to_anyone_and_asks_to_sign_in(client):
    response = client.get("/marry/")
    assert response.status_code == 200 and "Sign in to start" in response.content.decode()


def test_the_whole_notice_is_answered_page_by_page_checked_and_sent(client, person):
    ceremony = civil_ceremony(person=person)
    page = client.get(f"/marry/booking/{ceremony.reference}/")
    assert page.status_code == 200 and ceremony.room.venue.name in page.content.decode()
    response = client.post(f"/marry/booking/{ceremony.reference}/", {"kind": "marriage"})
    proposal = Proposal.objects.get(ceremony=ceremony)
    notice = first_notice(proposal)
    assert response["Location"] == f"/marry/{notice.reference}/names/"
    assert proposal.venue == ceremony.room.venue and proposal.district == ceremony.room.venue.office
    assert notice.person == person and notice.party.position == 1
    assert proposal.notices.get(position=2).person is None
    _answer_all(client, notice)
    notice.refresh_from_db()
    assert notice.answers["parents"]["parents"] == [
        {"forenames": "Ann", "surname": "Morgan", "occupation": "Nurse"},
        {"forenames": "David", "surname": "Morgan", "occupation": ""},
    ]
    assert notice.answers["address"]["postcode"] == "LS1 3AD"
    check = client.get(f"/marry/{notice.reference}/check/")
    text = check.content.decode()
    assert check.status_code == 200 and "Sarah Meredyth" in text and "11 March 1990" in text
    assert ceremony.room.venue.name in text
    sent = client.post(f"/marry/{notice.reference}/check/")
    assert sent["Location"] == f"/marry/{notice.reference}/sent/"
    notice.refresh_from_db()
    assert notice.status == Notice.Status.SENT and notice.exempt is True and notice.sent_at is not None
    confirmation = client.get(sent["Location"]).content.decode()
    assert "Notice sent" in confirmation and notice.reference in confirmation
    assert OutboundMessage.objects.filter(key=f"notice:{notice.reference}:sent", to=person.email).exists()
    # Sent: the questions cannot be changed any more.
    assert client.get(f"/marry/{notice.reference}/names/")["Location"] == f"/marry/proposal/{proposal.reference}/"


def test_a_person_not_exempt_is_recorded_so_when_they_send(client, person):
    notice = first_notice(started_proposal(person=person))
    pages = notice_pages()
    pages["nationality"] = {"nationality": "other", "other_nationality": "Brazilian", "immigration_status": "other"}
    _answer_all(client, notice, pages)
    client.post(f"/marry/{notice.reference}/check/")
    notice.refresh_from_db()
    assert notice.status == Notice.Status.SENT and notice.exempt is False


def test_a_religious_marriage_takes_its_district_from_the_buildings_postcode(client, person):
    offices = make_leeds_offices()
    intended = timezone.localdate() + datetime.timedelta(days=90)
    response = client.post(
        "/marry/religious/",
        {
            "building_name": "St Anne's Cathedral",
            "building_address": "Great George Street\nLeeds",
            "postcode": "ls1 3ad",
            "intended_date_0": str(intended.day),
            "intended_date_1": str(intended.month),
            "intended_date_2": str(intended.year),
        },
    )
    proposal = Proposal.objects.get(created_by=person)
    assert response.status_code == 302
    assert proposal.form == "religious" and proposal.kind == "marriage" and proposal.intended_date == intended
    assert proposal.district in list(offices)
    assert "St Anne's Cathedral" in proposal.religious_building and "LS1 3AD" in proposal.religious_building


def test_a_religious_marriage_too_soon_for_notice_is_refused_and_nothing_is_made(client, person):
    soon = timezone.localdate() + datetime.timedelta(days=10)
    response = client.post(
        "/marry/religious/",
        {
            "building_name": "St Anne's",
            "building_address": "Leeds",
            "postcode": "LS1 3AD",
            "intended_date_0": str(soon.day),
            "intended_date_1": str(soon.month),
            "intended_date_2": str(soon.year),
        },
    )
    assert response.status_code == 400 and "The date must be between" in response.content.decode()
    assert not Proposal.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Enter the name of the building"),
        ({"building_name": "X", "building_address": "Y", "postcode": "nonsense"}, "Enter a real postcode"),
        (
            {
                "building_name": "X",
                "building_address": "Y",
                "postcode": "LS1 3AD",
                "intended_date_0": "31",
                "intended_date_1": "2",
                "intended_date_2": "2030",
            },
            "must be a real date",
        ),
    ],
)
def test_bad_input_on_the_religious_start_page_is_a_400_with_the_reason(client, person, data, message):
    response = client.post("/marry/religious/", data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Proposal.objects.exists()


def test_one_proposal_per_ceremony_booking(client, person):
    ceremony = civil_ceremony(person=person)
    client.post(f"/marry/booking/{ceremony.reference}/", {"kind": "marriage"})
    again = client.post(f"/marry/booking/{ceremony.reference}/", {"kind": "civil_partnership"})
    assert again.status_code == 404  # no longer one of the ceremonies to start from
    assert Proposal.objects.filter(ceremony=ceremony).count() == 1


def test_someone_elses_booking_cannot_be_started_from(client, person):
    ceremony = civil_ceremony(person=UserFactory())
    assert client.get(f"/marry/booking/{ceremony.reference}/").status_code == 404
    assert client.post(f"/marry/booking/{ceremony.reference}/", {"kind": "marriage"}).status_code == 404


def test_starting_without_choosing_the_kind_is_a_400(client, person):
    ceremony = civil_ceremony(person=person)
    response = client.post(f"/marry/booking/{ceremony.reference}/", {"kind": "polygamy"})
    assert response.status_code == 400 and "Select marriage or civil partnership" in response.content.decode()
    assert not Proposal.objects.exists()


def test_an_unverified_person_is_sent_to_the_identity_check(client):
    person = UserFactory()
    client.force_login(person)
    ceremony = civil_ceremony(person=person)
    assert client.get(f"/marry/booking/{ceremony.reference}/")["Location"] == "/identity/"
    assert client.get("/marry/religious/")["Location"] == "/identity/"
    assert "Prove your identity" in client.get("/marry/").content.decode()


def test_a_person_whose_check_dropped_below_medium_is_sent_to_the_identity_check_from_a_question(client, person):
    notice = first_notice(started_proposal(person=person))
    IdentityCase.objects.filter(person=person).update(status=IdentityCase.Status.WITH_REGISTRAR)
    response = client.post(f"/marry/{notice.reference}/names/", notice_pages()["names"])
    assert response["Location"] == "/identity/"
    notice.refresh_from_db()
    assert "names" not in notice.answers


@pytest.mark.parametrize(
    ("step", "data", "message"),
    [
        ("names", {"forenames": "Sarah"}, "Enter your surname"),
        ("names", {"forenames": "S" * 101, "surname": "M"}, "100 characters or fewer"),
        ("date_of_birth", {"date_of_birth_0": "31", "date_of_birth_1": "2", "date_of_birth_2": "1990"}, "real date"),
        ("date_of_birth", {"date_of_birth_0": "1", "date_of_birth_1": "1", "date_of_birth_2": "2999"}, "in the past"),
        ("condition", {}, "Select whether you have been married"),
        ("condition", {"condition": "divorced"}, "Enter your former spouse"),
        ("condition", {"condition": "divorced", "former_partner": "Jo Bloggs"}, "Select how the marriage"),
        ("condition", {"condition": "widowed", "former_partner": "Jo Bloggs"}, "Select yes if they died in England"),
        ("address", {"address": "1 Park Row", "postcode": "XX"}, "Enter a real postcode"),
        ("address", {"address": "1 Park Row", "postcode": "LS1 3AD"}, "Enter the date you started living there"),
        ("nationality", {"nationality": "other"}, "Enter your nationality"),
        ("nationality", {"nationality": "martian"}, "Select your nationality"),
        ("venue", {"confirmed": "no"}, "A different venue needs a new booking"),
        ("venue", {}, "Select yes if this is the venue"),
        ("parents", {}, "Enter the name of at least one parent"),
        ("parents", {"parent_2_forenames": "Ann"}, "Enter the surname of parent 2"),
        ("declaration", {}, "Confirm the declaration"),
    ],
)
def test_bad_input_on_every_question_is_a_400_and_keeps_what_was_saved(client, person, step, data, message):
    notice = first_notice(started_proposal(person=person))
    saved = notice_pages()[step]
    assert client.post(f"/marry/{notice.reference}/{step}/", saved).status_code == 302
    notice.refresh_from_db()
    before = dict(notice.answers)
    response = client.post(f"/marry/{notice.reference}/{step}/", data)
    text = response.content.decode()
    assert response.status_code == 400 and message in text and "govuk-error-summary" in text
    assert "<title>Error:" in text
    notice.refresh_from_db()
    assert notice.answers == before


def test_a_question_shows_what_was_saved_again(client, person):
    notice = first_notice(started_proposal(person=person))
    _answer_all(client, notice)
    assert 'value="Sarah Meredyth"' in client.get(f"/marry/{notice.reference}/names/").content.decode()
    parents = client.get(f"/marry/{notice.reference}/parents/").content.decode()
    assert 'value="David"' in parents and 'name="parent_4_forenames"' in parents


def test_an_unknown_question_is_a_404(client, person):
    notice = first_notice(started_proposal(person=person))
    assert client.get(f"/marry/{notice.reference}/favourite_colour/").status_code == 404


def test_check_your_answers_sends_the_person_to_the_first_question_not_answered(client, person):
    notice = first_notice(started_proposal(person=person))
    client.post(f"/marry/{notice.reference}/names/", notice_pages()["names"])
    assert client.get(f"/marry/{notice.reference}/check/")["Location"] == f"/marry/{notice.reference}/date_of_birth/"
    assert client.post(f"/marry/{notice.reference}/check/")["Location"].endswith("/date_of_birth/")
    notice.refresh_from_db()
    assert notice.status == Notice.Status.DRAFT


def test_another_person_cannot_read_or_change_a_notice(client, person):
    notice = first_notice(started_proposal(person=person))
    _answer_all(client, notice)
    stranger = verified_person()
    client.force_login(stranger)
    for url in (
        f"/marry/{notice.reference}/names/",
        f"/marry/{notice.reference}/check/",
        f"/marry/{notice.reference}/evidence/",
        f"/marry/{notice.reference}/sent/",
        f"/marry/proposal/{notice.proposal.reference}/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/marry/{notice.reference}/names/", {"forenames": "X", "surname": "Y"}).status_code == 404
    assert client.post(f"/marry/{notice.reference}/check/").status_code == 404
    notice.refresh_from_db()
    assert notice.answers["names"]["forenames"] == "Sarah Meredyth" and notice.status == Notice.Status.DRAFT


def test_the_other_person_of_the_couple_cannot_change_the_first_persons_notice(client, person):
    proposal = started_proposal(person=person)
    other = verified_person()
    second = notice_services.invite_other_person(proposal=proposal, person=person, email="rhys@example.com")
    notice_services.accept_invitation(token=notice_services.invitation_token(second), person=other)
    client.force_login(other)
    first = first_notice(proposal)
    assert client.get(f"/marry/{first.reference}/names/").status_code == 404
    page = client.get(f"/marry/proposal/{proposal.reference}/")
    assert page.status_code == 200 and "The other person" in page.content.decode()


def test_the_other_person_is_invited_by_email_signs_in_proves_identity_and_joins(client, person):
    proposal = started_proposal(person=person)
    response = client.post(f"/marry/proposal/{proposal.reference}/invite/", {"email": "rhys@example.com"})
    assert response.status_code == 302
    message = OutboundMessage.objects.get(to="rhys@example.com")
    second = proposal.notices.get(position=2)
    link = message.body.split("http://localhost:8000")[-1].strip()
    assert link.startswith("/marry/join/")
    assert second.invited_email == "rhys@example.com" and second.invitation_nonce
    assert second.invitation_nonce not in message.body  # the link is signed, not the nonce itself
    client.logout()
    assert client.get(link)["Location"].startswith("/sign-in/")
    other = UserFactory()
    client.force_login(other)
    page = client.get(link)
    assert page.status_code == 200 and "Prove your identity" in page.content.decode()
    assert client.post(link)["Location"] == "/identity/"
    verify_identity(other)
    joined = client.post(link)
    second.refresh_from_db()
    assert second.person == other and second.invitation_nonce == ""
    assert joined["Location"] == f"/marry/{second.reference}/names/"
    # The link is used: it does not work again, for anyone.
    client.force_login(verified_person())
    assert client.get(link).status_code == 404


def test_the_first_person_cannot_accept_their_own_invitation(client, person):
    proposal = started_proposal(person=person)
    second = notice_services.invite_other_person(proposal=proposal, person=person, email="rhys@example.com")
    link = f"/marry/join/{notice_services.invitation_token(second)}/"
    assert client.get(link).status_code == 403
    assert client.post(link).status_code == 403
    second.refresh_from_db()
    assert second.person is None


def test_a_new_invitation_replaces_the_last(client, person):
    proposal = started_proposal(person=person)
    old = notice_services.invitation_token(
        notice_services.invite_other_person(proposal=proposal, person=person, email="a@example.com")
    )
    notice_services.invite_other_person(proposal=proposal, person=person, email="b@example.com")
    client.force_login(verified_person())
    assert client.get(f"/marry/join/{old}/").status_code == 404
    assert client.get("/marry/join/not-a-token/").status_code == 404


def test_a_bad_email_for_the_invitation_is_a_400_on_the_couples_page(client, person):
    proposal = started_proposal(person=person)
    response = client.post(f"/marry/proposal/{proposal.reference}/invite/", {"email": "not an email"})
    assert response.status_code == 400 and "Enter an email address in the right format" in response.content.decode()
    assert proposal.notices.get(position=2).invited_email == ""


def test_the_couples_page_shows_both_stages_in_words_and_the_panels(client, person):
    proposal = started_proposal(person=person)
    text = client.get(f"/marry/proposal/{proposal.reference}/").content.decode()
    assert "Answering the questions" in text and "Not invited yet" in text
    assert "draft" not in text.replace("Draft", "")  # no raw codes
    assert "Continue your notice" in text and "Invite the other person" in text
    assert "giving_notice" not in text


def test_the_account_lists_the_notices_page(client, person):
    text = client.get("/account/").content.decode()
    assert "/marry/" in text and "Your notice of marriage or civil partnership" in text


def test_the_invitation_suggests_the_other_partys_email_from_the_booking(client, person):
    proposal = started_proposal(person=person)
    party = proposal.notices.get(position=2).party
    assert party is not None and party.email
    assert f'value="{party.email}"' in client.get(f"/marry/proposal/{proposal.reference}/").content.decode()


def test_the_start_page_and_the_couples_page_take_a_few_queries_however_many_proposals(
    client, person, django_assert_max_num_queries
):
    for _ in range(3):
        started_proposal(person=person)
    with django_assert_max_num_queries(15):
        assert client.get("/marry/").status_code == 200
    proposal = Proposal.objects.filter(created_by=person).first()
    with django_assert_max_num_queries(20):
        assert client.get(f"/marry/proposal/{proposal.reference}/").status_code == 200
