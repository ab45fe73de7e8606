"""Every message about a registration is written in the language its recipient chose, also when a
task sends it or a registrar's English page causes it; an invited parent with no account yet is
written to in the language of the parent who invited them."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from identity.models import OutboundMessage
from registrar import casework, services, tasks
from registrar.citizenship import services as citizenship
from registrar.reregistration import services as reregistration
from registrar.staff_registration import services as staff_registration
from tests.factories import (
    MedicalCertificateFactory,
    RegistrationFactory,
    UserFactory,
    birth_answers,
    death_answers,
    make_leeds_offices,
    make_registration,
    submit_as_informant,
    verify_identity,
)

pytestmark = pytest.mark.django_db

JOINT = {
    "relationship": {"parents_married": False, "register_jointly": True},
    "second_parent": {"channel": "email", "email": "daniel@example.com", "mobile": ""},
}


def _informant(language: str, email: str = "emma@example.com"):
    make_leeds_offices()
    person = UserFactory(email=email, language=language)
    verify_identity(person)
    return person


def _in(language: str, day: datetime.date) -> str:
    with translation.override(language):
        return date_format(day, "j F Y")


@pytest.mark.parametrize(
    ("language", "subject"), [("cy", "Cofrestrwch yr enedigaeth erbyn %s"), ("en", "Register the birth by %s")]
)
def test_a_deadline_reminder_sent_by_the_task_is_in_the_informants_stored_language(language, subject):
    person = _informant(language)
    born = timezone.localdate() - datetime.timedelta(days=28)  # the deadline is in 14 days
    registration = make_registration(informant=person, answers=birth_answers(born, declaration=None))
    translation.activate("en")  # a worker has no request: English is active
    assert tasks.send_registration_reminders() == 1
    message = OutboundMessage.objects.get(key__contains=f"{registration.reference}:reminder")
    assert message.subject == subject % _in(language, registration.deadline)
    assert ("Gorffennwch gofrestriad" in message.body) is (language == "cy")


def test_a_welsh_mother_and_the_father_she_invites_without_an_account_are_written_to_in_welsh():
    mother = _informant("cy")
    submit_as_informant(make_registration(informant=mother, answers=birth_answers(**JOINT)))
    invitation = OutboundMessage.objects.get(to="daniel@example.com")
    assert invitation.subject == "Cadarnhewch gofrestriad genedigaeth Olivia Rose"
    told = OutboundMessage.objects.get(to="emma@example.com", key__contains=":invited")
    assert told.subject.startswith("Eich cofrestriad ")
    assert "We have asked" not in told.body


def test_an_invited_father_with_an_account_is_written_to_in_his_own_language():
    mother = _informant("cy")
    UserFactory(email="daniel@example.com", language="en")
    submit_as_informant(make_registration(informant=mother, answers=birth_answers(**JOINT)))
    invitation = OutboundMessage.objects.get(to="daniel@example.com")
    assert invitation.subject == "Confirm the registration of Olivia Rose's birth"
    assert OutboundMessage.objects.get(to="emma@example.com", key__contains=":invited").subject.startswith(
        "Eich cofrestriad "
    )


def test_an_english_mother_and_the_father_she_invites_are_written_to_in_english():
    mother = _informant("en")
    submit_as_informant(make_registration(informant=mother, answers=birth_answers(**JOINT)))
    assert OutboundMessage.objects.get(to="daniel@example.com").subject.startswith("Confirm the registration")
    told = OutboundMessage.objects.get(to="emma@example.com", key__contains=":invited")
    assert "We have asked the other parent" in told.body


@pytest.mark.parametrize(
    ("language", "subject"),
    [("cy", "Ni chafodd eich cofrestriad RG-WAIT-0001 ei gofrestru"), ("en", "Your registration RG-WAIT-0001 was")],
)
def test_a_registrars_decision_reaches_the_informant_in_their_language(registrar, waiting, language, subject):
    waiting.informant.language = language
    waiting.informant.save(update_fields=["language"])
    casework.decide(registration=waiting, actor=registrar, decision="reject", reason="Born in Bradford")
    message = OutboundMessage.objects.get(to=waiting.informant.email)
    assert message.subject.startswith(subject) and "Born in Bradford" in message.body


@pytest.mark.parametrize(
    ("language", "subject", "phrase"),
    [
        ("cy", "Tystysgrif ar gyfer claddu neu amlosgi", "Albert Brown"),
        ("en", "Certificate for burial or cremation", "The death of Albert Brown has been registered"),
    ],
)
def test_the_green_form_email_is_in_the_language_given(language, subject, phrase):
    entry = SimpleNamespace(forenames="Albert", surname="Brown")
    written = services.green_form_message(language, entry=entry, link="https://example.com/g")
    assert written[0] == subject and phrase in written[1] and "https://example.com/g" in written[1]
    assert ("has been registered" in written[1]) is (language == "en")


@pytest.mark.parametrize(
    ("language", "subject"),
    [("cy", "Cofrestru marw-enedigaeth eich babi"), ("en", "Registering your baby's stillbirth")],
)
def test_the_stillbirth_invitation_is_in_the_language_given(language, subject):
    written = services.stillbirth_parent_invitation_message(language, informant="Emma", link="https://x.test/j")
    assert written[0] == subject and "Emma" in written[1]


@pytest.mark.parametrize(
    ("language", "subject"),
    [("cy", "Gwneud y datganiad ar gyfer cofrestriad RG-DECL-0001"), ("en", "Declare registration RG-DECL-0001")],
)
def test_the_declaration_link_is_in_the_informants_language(language, subject):
    registration = RegistrationFactory(reference="RG-DECL-0001", informant=UserFactory(language=language))
    translation.activate("en")  # the registrar's page
    written = staff_registration.declaration_link_message(registration.informant, registration)
    assert written[0] == subject
    assert ("enter the code we sent you" in written[1]) is (language == "en")


@pytest.mark.parametrize(
    ("language", "subject"),
    [("cy", "Cadarnhau ailgofrestru genedigaeth"), ("en", "Confirm the re-registration of a birth")],
)
def test_the_reregistration_invitation_is_in_the_language_given(language, subject):
    written = reregistration.reregistration_invitation_message(
        language, parent="Emma", child="Olivia", link="https://x.test/r"
    )
    assert written[0] == subject and "Olivia" in written[1] and "https://x.test/r" in written[1]


def test_reregistration_news_is_written_in_each_parents_language():
    news = SimpleNamespace(reference="RR-TEST")

    def body():
        return translation.gettext("Your account")

    assert reregistration.reregistration_news_message(UserFactory.build(language="cy"), news, body) == (
        "Ailgofrestriad RR-TEST",
        "Eich cyfrif",
    )
    assert reregistration.reregistration_news_message(UserFactory.build(language="en"), news, body)[1] == (
        "Your account"
    )


@pytest.mark.parametrize(
    ("language", "subject", "phrase"),
    [
        ("cy", "Archebu eich seremoni ddinasyddiaeth", "1 Mawrth 2027"),
        ("en", "Book your citizenship ceremony", "1 March 2027"),
    ],
)
def test_the_citizenship_invitation_is_in_the_language_given(language, subject, phrase):
    invitation = SimpleNamespace(reference="CI-TEST", link_nonce="n", attend_by=datetime.date(2027, 3, 1))
    written = citizenship.citizenship_invitation_message(language, invitation)
    assert written[0] == subject and phrase in written[1]


def test_the_citizenship_match_decision_is_in_the_claimants_language():
    welsh = citizenship.invitation_checked_message(UserFactory.build(language="cy"), same_person=True)
    english = citizenship.invitation_checked_message(UserFactory.build(language="en"), same_person=False)
    assert welsh[0] == "Eich gwahoddiad i seremoni ddinasyddiaeth" and "registrar" not in welsh[1]
    assert english[1].startswith("A registrar could not match your account")


def test_a_welsh_informant_and_the_funeral_arranger_they_name_are_told_of_a_death_in_welsh(
    offices, relative, django_capture_on_commit_callbacks
):
    relative.language = "cy"
    relative.save(update_fields=["language"])
    answers = death_answers(MedicalCertificateFactory())
    with django_capture_on_commit_callbacks(execute=True):
        registration = submit_as_informant(make_registration(event="death", informant=relative, answers=answers))
    told = OutboundMessage.objects.get(key=f"registration:{registration.reference}:registered")
    expires = timezone.localdate() + datetime.timedelta(days=28)
    assert told.subject.startswith("Eich cofrestriad ") and _in("cy", expires) in told.body
    assert expires.isoformat() not in told.body
    arranger = OutboundMessage.objects.get(key=f"registration:{registration.reference}:green-form")
    assert arranger.subject == "Tystysgrif ar gyfer claddu neu amlosgi"
