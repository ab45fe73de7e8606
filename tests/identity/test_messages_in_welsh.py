"""Messages are written for each recipient in their stored language (`written_for`,
`in_language_of`), and an address with no account in the language of whoever gave it
(`language_at`): codes, the consent text message and identity check results."""

from __future__ import annotations

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from identity import assisted, cases, roles, services
from identity.models import CodeChannel, CodePurpose, OutboundMessage
from identity.notifications import language_at, language_of, written_for
from tests.factories import StaffFactory, UserFactory, submit_passport_check

pytestmark = pytest.mark.django_db


@written_for
def _account_message(recipient, extra: str):
    return gettext_lazy("Your account"), gettext_lazy("Your account") + extra


def test_a_message_kind_is_written_in_its_recipients_language_and_forced_there():
    translation.activate("en")
    subject, body = _account_message(UserFactory.build(language="cy"), "!")
    assert (subject, body) == ("Eich cyfrif", "Eich cyfrif!")
    assert type(subject) is str  # lazy text is turned into words inside the recipient's language
    assert _account_message(UserFactory.build(language="en"), "")[0] == "Your account"
    assert _account_message("cy", "")[0] == "Eich cyfrif"
    assert translation.get_language() == "en"


def test_a_language_code_or_nothing_stands_for_a_recipient_without_an_account():
    assert language_of("cy") == "cy" and language_of("en") == "en"
    assert language_of("fr") == "en" and language_of(None) == "en"


def test_an_address_without_an_account_is_written_to_in_the_language_of_whoever_gave_it():
    welsh = UserFactory(language="cy")
    UserFactory(email="arranger@example.com", language="en", mobile_number="+447700900123")
    assert language_at("nobody@example.com", otherwise=welsh) == "cy"
    assert language_at("nobody@example.com", otherwise="cy") == "cy"
    assert language_at("nobody@example.com", otherwise=None) == "en"
    assert language_at(" ARRANGER@example.com ", otherwise=welsh) == "en"
    assert language_at("+447700900123", otherwise=welsh) == "en"
    assert language_at("", otherwise=welsh) == "cy"


@pytest.mark.parametrize(("language", "subject"), [("cy", "Cadarnhewch eich rhif ffôn symudol"), ("en", "Confirm")])
def test_a_code_for_an_account_is_in_its_language_whatever_the_page(language, subject):
    person = UserFactory(language=language)
    translation.activate("en" if language == "cy" else "cy")
    services.request_code(
        destination="+447700900982",
        channel=CodeChannel.SMS,
        purpose=CodePurpose.VERIFY_MOBILE,
        client_address=None,
        user=person,
    )
    assert OutboundMessage.objects.get(to="+447700900982").subject.startswith(subject)


def test_a_sign_in_code_resent_by_phone_support_is_in_the_persons_language():
    person = UserFactory(language="cy", email="ffion@example.com")
    support = StaffFactory(roles=[roles.PHONE_SUPPORT])
    translation.activate("en")
    assisted.resend_sign_in_code(staff=support, person=person)
    message = OutboundMessage.objects.get(to="ffion@example.com")
    assert message.subject.startswith("Eich cod diogelwch") and message.body.startswith("Eich cod diogelwch yw")
    assert translation.get_language() == "en"


@pytest.mark.parametrize(
    ("language", "phrase"),
    [("cy", "Eich cod caniatâd ar gyfer y tîm cymorth ffôn yw"), ("en", "Your consent code for phone support is")],
)
def test_the_consent_code_text_is_in_the_persons_language(language, phrase):
    person = UserFactory(language=language, mobile_number="+447700900982", mobile_verified_at=timezone.now())
    code = assisted.issue_consent_code(person=person, by_text=True)
    message = OutboundMessage.objects.get(to="+447700900982")
    assert message.channel == "sms" and message.body.startswith(phrase) and code in message.body


@pytest.mark.parametrize(
    ("language", "subject", "phrase"),
    [
        ("cy", "Gwirio pwy ydych chi", "Bydd cofrestrydd yn adolygu"),
        ("en", "Your identity check", "A registrar will review your identity check"),
    ],
)
def test_the_identity_check_result_is_in_the_persons_language(leeds, language, subject, phrase):
    person = UserFactory(language=language)
    case = submit_passport_check(person=person)
    message = OutboundMessage.objects.get(to=person.email, key__startswith="identity-result:")
    assert message.subject == subject and message.body.startswith(phrase) and case.reference in message.body


def test_a_registrars_decision_made_on_an_english_page_reaches_a_welsh_speaker_in_welsh(leeds):
    person = UserFactory(language="cy")
    case = submit_passport_check(person=person)
    registrar = StaffFactory(roles=[roles.REGISTRAR])
    registrar.offices.add(leeds)
    translation.activate("en")
    cases.decide_case(case=case, actor=registrar, outcome="reject", reason="Llun aneglur")
    message = OutboundMessage.objects.get(key__startswith="identity-decision:")
    assert message.subject == "Gwirio pwy ydych chi"
    assert message.body.startswith("Nid oedd cofrestrydd yn gallu cadarnhau pwy ydych chi") and "Llun aneglur" in (
        message.body
    )


def test_the_comparison_message_is_in_the_persons_language():
    from identity.comparison import identity_confirmed_by_comparison_message

    case = type("Case", (), {"reference": "ID-TEST-0001"})()
    welsh = identity_confirmed_by_comparison_message(UserFactory.build(language="cy"), case)
    english = identity_confirmed_by_comparison_message(UserFactory.build(language="en"), case)
    assert welsh[0] == "Gwirio pwy ydych chi" and "ID-TEST-0001" in welsh[1] and "registrar" not in welsh[1]
    assert english[1].startswith("A registrar has compared you with your document")
