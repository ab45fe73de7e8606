"""A refusal reads the same on the page and in the API, in English and in Welsh, and the numbers
in its message come from settings."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from identity import assisted, refusals
from identity.models import AuditEntry
from tests.conftest import latest_code_for
from tests.factories import UserFactory, api_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return UserFactory(full_name="Sarah Morgan")


def _in(language: str, refusal: refusals.Refusal) -> str:
    with translation.override(language):
        return refusal.message


def _page_in(client, language: str) -> None:
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language


@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_wrong_consent_code_reads_the_same_on_the_page_and_in_the_api(client, support, person, found, language):
    expected = _in(language, refusals.ConsentRefused("consent_incorrect"))
    assisted.issue_consent_code(person=person)
    found(client, person)
    _page_in(client, language)
    page = client.post(reverse("identity:support-consent", args=[person.pk]), {"code": "AAAA-AAAA"})
    api = api_client(support).post(
        "/api/v1/support/sessions",
        {"person_id": person.pk, "consent_code": "AAAA-AAAA"},
        format="json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert page.status_code == api.status_code == 400
    assert escape(expected) in page.content.decode()
    assert api.json()["error"] == {"code": "consent_incorrect", "message": expected}
    if language == "cy":
        assert expected != _in("en", refusals.ConsentRefused("consent_incorrect"))


@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_wrong_sign_in_code_reads_the_same_on_the_page_and_in_the_api(client, language):
    expected = _in(language, refusals.CodeRejected("code_incorrect"))
    email = "ada@example.com"
    _page_in(client, language)
    client.post(reverse("identity:sign-in"), {"email": email})
    wrong = f"{(int(latest_code_for(email)) + 1) % 1_000_000:06d}"
    page = client.post(reverse("identity:sign-in-code"), {"code": wrong})
    api = api_client().post(
        "/api/v1/auth/token", {"email": email, "code": wrong}, format="json", HTTP_ACCEPT_LANGUAGE=language
    )
    assert page.status_code == api.status_code == 400
    assert escape(expected) in page.content.decode()
    assert api.json()["error"] == {"code": "code_incorrect", "message": expected}


def test_the_consent_lock_says_the_minutes_settings_give(settings, support, person):
    settings.ASSISTED_CONSENT_LOCK_MINUTES = 20
    assert "Wait 20 minutes" in refusals.ConsentRefused("consent_locked").message
    with translation.override("cy"):
        assert "20 munud" in refusals.ConsentRefused("consent_locked").message


def test_the_code_lock_and_the_note_limit_say_the_numbers_settings_give(settings):
    settings.OTP_LOCKOUT_MINUTES = 30
    settings.ASSISTED_NOTE_MAX_CHARACTERS = 800
    assert "Wait 30 minutes" in refusals.CodeRejected("code_locked").message
    assert "800 characters" in refusals.SupportRefused("text_too_long").message


def test_a_note_over_the_limit_settings_give_is_refused_on_the_page(client, support, person, found, settings):
    settings.ASSISTED_NOTE_MAX_CHARACTERS = 10
    found(client, person)
    response = client.post(reverse("identity:support-person", args=[person.pk]), {"action": "note", "text": "x" * 11})
    assert response.status_code == 400 and "The note must be 10 characters or fewer" in response.content.decode()
    assert not AuditEntry.objects.filter(action="assisted.note_raised").exists()


@pytest.mark.parametrize(
    "seconds, words", [(30, "Wait 1 minute, then"), (60, "Wait 1 minute, then"), (61, "Wait 2 minutes, then")]
)
def test_the_code_throttle_counts_whole_minutes(seconds, words):
    assert words in refusals.CodeThrottled(seconds).message


def test_every_identity_refusal_has_a_message_in_both_languages():
    classes = [
        refusals.CodeThrottled,
        refusals.CodeRejected,
        refusals.SignInRefused,
        refusals.UploadRejected,
        refusals.CheckRefused,
        refusals.DecisionRefused,
        refusals.ConsentRefused,
        refusals.SupportRefused,
    ]
    for refusal_class in classes:
        for code, reason in refusal_class.reasons.items():
            params = {"minutes": 5}
            english = reason.render(params)
            with translation.override("cy"):
                welsh = reason.render(params)
            assert english and welsh and 400 <= reason.status < 500, code
            assert welsh != english, f"{refusal_class.__name__}.{code} has no Welsh translation"
