"""Each of a couple is written to in their own stored language, never once for both nor in the
language of the registrar's page or the daily task; an objector, who has no account, in the
language of the page they objected on; an invited partner without an account in the inviter's."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
import time_machine
from django.utils import translation
from django.utils.formats import date_format

from identity import roles
from identity.models import OutboundMessage
from registrar.marriage import (
    interview_referral,
    interview_services,
    notice_services,
    objection_services,
    schedule_selectors,
    schedule_services,
)
from registrar.models import Objection
from registrar.tasks import marriage_schedules
from tests.factories.marriage import verified_person
from tests.factories.marriage_notices import started_proposal
from tests.factories.marriage_objections import displayed_proposal, staff_at
from tests.factories.marriage_schedules import authorised_proposal

pytestmark = pytest.mark.django_db

WELSH_CEREMONY = "Gall eich priodas fynd yn ei blaen"


def _couple():
    return verified_person(language="cy"), verified_person(language="en")


def _to(person, prefix: str) -> OutboundMessage:
    return OutboundMessage.objects.get(to=person.email, key__contains=prefix)


def test_the_authority_is_told_to_each_of_the_couple_in_their_own_language():
    welsh, english = _couple()
    translation.activate("en")  # the daily task
    authorised_proposal(people=(welsh, english))
    assert _to(welsh, ":authority:").subject == WELSH_CEREMONY
    assert _to(english, ":authority:").subject == "Your marriage can go ahead"


def test_a_schedule_chased_by_the_daily_task_reaches_each_of_the_couple_in_their_language():
    welsh, english = _couple()
    proposal = authorised_proposal(form="religious", people=(welsh, english))
    day = schedule_selectors.ceremony_date(proposal)
    translation.activate("en")
    with time_machine.travel(
        datetime.datetime.combine(day + datetime.timedelta(days=22), datetime.time(10)), tick=False
    ):
        assert marriage_schedules.chase_unreturned_schedules() == 1
    to_welsh, to_english = _to(welsh, "schedule-reminder"), _to(english, "schedule-reminder")
    assert to_welsh.subject == "Nid yw eich atodlen wedi’i dychwelyd"
    with translation.override("cy"):
        assert date_format(day, "j F Y") in to_welsh.body
    assert to_english.subject == "Your schedule has not been returned"
    assert f"{day.day} {day:%B %Y}" in to_english.body


def test_an_objector_is_answered_in_the_language_of_their_page_and_the_couple_each_in_theirs():
    welsh, english = _couple()
    with time_machine.travel(datetime.datetime(2027, 3, 10, 12), tick=False):
        notice = displayed_proposal(given_on=datetime.date(2027, 3, 1), people=(welsh, english)).notices.get(position=2)
        with translation.override("cy"):
            objection = objection_services.raise_objection(
                notice_reference=notice.reference,
                name="Pat Objector",
                email="pat.objector@example.com",
                grounds="Mae Rhys eisoes yn briod.",
                client_address="192.0.2.1",
            )
        acknowledgement = OutboundMessage.objects.get(to="pat.objector@example.com")
        assert acknowledgement.subject == f"Mae eich gwrthwynebiad {objection.reference} wedi dod i law"
        assert _to(welsh, ":raised").subject == "Mae gwrthwynebiad wedi’i wneud i hysbysiad"
        assert _to(english, ":raised").subject == "An objection has been made to a notice"
        translation.activate("en")  # the superintendent registrar's page, days later
        objection_services.decide_objection(
            objection=objection,
            actor=staff_at(notice.office, roles.SUPERINTENDENT_REGISTRAR),
            decision="dismiss",
            reason="The earlier marriage ended in divorce in 2021.",
        )
    told = OutboundMessage.objects.get(key=f"objection:{objection.reference}:decided:objector")
    assert told.subject == f"Mae penderfyniad wedi’i wneud ar eich gwrthwynebiad {objection.reference}"
    assert _to(welsh, ":decided").subject == "Cafodd gwrthwynebiad i’ch hysbysiad ei wrthod"
    assert _to(english, ":decided").subject == "An objection to your notice was dismissed"


@pytest.mark.parametrize(
    ("status", "welsh_subject", "english_subject"),
    [
        (Objection.Status.UPHELD, "Cafodd gwrthwynebiad i’ch hysbysiad ei gadarnhau", "was upheld"),
        (Objection.Status.DISMISSED, "Cafodd gwrthwynebiad i’ch hysbysiad ei wrthod", "was dismissed"),
    ],
)
def test_an_objection_decision_is_written_in_each_persons_language(status, welsh_subject, english_subject):
    objection = SimpleNamespace(status=status, reference="OB-TEST", notice=SimpleNamespace(reference="NT-TEST"))
    proposal = SimpleNamespace(reference="MP-TEST")
    welsh, english = _couple()
    assert objection_services.objection_decided_message(welsh, objection, proposal)[0] == welsh_subject
    assert objection_services.objection_decided_message(english, objection, proposal)[0].endswith(english_subject)
    told = objection_services.objector_told_decision_message("cy", objection)
    assert told[0] == "Mae penderfyniad wedi’i wneud ar eich gwrthwynebiad OB-TEST"


def test_a_suspicion_report_that_could_not_be_sent_is_told_to_the_registrar_in_their_language():
    report = SimpleNamespace(reference="SR-TEST", proposal=SimpleNamespace(reference="MP-TEST"), send_attempts=5)
    welsh = objection_services.suspicion_report_not_sent_message(verified_person(language="cy"), report)
    english = objection_services.suspicion_report_not_sent_message(verified_person(language="en"), report)
    assert welsh[0] == "Ni chafodd adroddiad amheuaeth SR-TEST ei anfon"
    assert english[0] == "Suspicion report SR-TEST was not sent" and "after 5 attempts" in english[1]


def test_a_partner_invited_without_an_account_is_written_to_in_the_inviters_language():
    inviter = verified_person(language="cy")
    proposal = started_proposal(person=inviter, kind="civil_partnership")
    translation.activate("en")
    notice_services.invite_other_person(proposal=proposal, person=inviter, email="rhys@example.com")
    invitation = OutboundMessage.objects.get(to="rhys@example.com")
    assert invitation.subject == "Rhoi hysbysiad o’ch partneriaeth sifil"


def test_a_partner_invited_with_an_account_is_written_to_in_their_own_language():
    inviter = verified_person(language="cy")
    verified_person(email="rhys@example.com", language="en")
    proposal = started_proposal(person=inviter, kind="civil_partnership")
    notice_services.invite_other_person(proposal=proposal, person=inviter, email="rhys@example.com")
    assert OutboundMessage.objects.get(to="rhys@example.com").subject == "Give notice of your civil partnership"


def test_notice_news_is_written_in_the_persons_language():
    notice = SimpleNamespace(reference="NT-TEST", display_until=datetime.date(2027, 3, 29))
    welsh, english = _couple()
    assert notice_services.notice_sent_message(welsh, notice)[0] == "Mae eich hysbysiad NT-TEST wedi’i anfon"
    given = interview_services.notice_given_message(welsh, notice, datetime.date(2027, 3, 1))
    assert given[0] == "Mae eich hysbysiad wedi’i roi"
    assert "1 Mawrth 2027" in given[1] and "29 Mawrth 2027" in given[1]
    assert interview_services.notice_given_message(english, notice, datetime.date(2027, 3, 1))[1].startswith(
        "Your notice NT-TEST was given on 1 March 2027"
    )
    refused = interview_services.notice_not_accepted_message(welsh, notice, "Dim tystiolaeth")
    assert refused[0] == "Ni chafodd eich hysbysiad ei dderbyn" and "Dim tystiolaeth" in refused[1]


def test_a_ceremony_that_must_move_is_told_in_the_persons_language():
    proposal = SimpleNamespace(reference="MP-TEST")
    welsh, english = _couple()
    subject, body = interview_referral.ceremony_must_move_message(welsh, proposal, datetime.date(2027, 6, 1))
    assert subject == "Rhaid newid dyddiad eich seremoni" and "1 Mehefin 2027" in body
    assert interview_referral.ceremony_must_move_message(english, proposal, datetime.date(2027, 6, 1))[0] == (
        "Your ceremony date must change"
    )


def test_registered_and_not_taken_place_are_written_in_the_persons_language():
    proposal = SimpleNamespace(kind="marriage", reference="MP-TEST")
    entry = SimpleNamespace(entry_reference="E-LEEDS/M/2027/1")
    welsh, english = _couple()
    assert schedule_services.registered_message(welsh, proposal, entry, "https://x.test/o")[0] == (
        "Mae eich priodas wedi’i chofrestru"
    )
    assert schedule_services.registered_message(english, proposal, entry, "")[0] == "Your marriage is registered"
    not_held = schedule_services.not_taken_place_message(welsh, datetime.date(2027, 12, 1))
    assert not_held[0] == "Ni chynhaliwyd eich seremoni" and "1 Rhagfyr 2027" in not_held[1]
