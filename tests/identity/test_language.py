"""A person's chosen language is stored — by the language switch when signed in, on the account
page, and from a choice made before signing in — so messages sent later by tasks are written in
it (`identity.notifications.in_language_of`)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext

from identity.models import User
from identity.notifications import in_language_of, language_of
from tests.conftest import latest_code_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def sign_in(client, email):
    client.post(reverse("identity:sign-in"), {"email": email})
    return client.post(reverse("identity:sign-in-code"), {"code": latest_code_for(email)})


def test_the_language_switch_remembers_the_choice_of_a_signed_in_person(client):
    person = UserFactory()
    client.force_login(person)
    client.get("/language/cy/?next=/account/")
    assert User.objects.get(pk=person.pk).language == "cy"
    client.get("/language/en/?next=/account/")
    assert User.objects.get(pk=person.pk).language == "en"


def test_the_switch_works_for_someone_not_signed_in_and_stores_nothing(client):
    response = client.get("/language/cy/?next=/")
    assert response.status_code == 302 and response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "cy"


def test_a_choice_made_before_signing_in_is_kept_on_the_account(client):
    UserFactory(email="ffion@example.com")
    client.get("/language/cy/?next=/sign-in/")
    sign_in(client, "ffion@example.com")
    assert User.objects.get(email="ffion@example.com").language == "cy"


def test_signing_in_on_a_new_device_brings_back_the_persons_language(client):
    UserFactory(email="ffion@example.com", language="cy")
    response = sign_in(client, "ffion@example.com")
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "cy"
    assert User.objects.get(email="ffion@example.com").language == "cy"


def test_the_account_page_shows_and_changes_the_language(client):
    person = UserFactory()
    client.force_login(person)
    assert "Language for emails, texts and letters" in client.get("/account/").content.decode()
    page = client.get(reverse("identity:language"))
    assert page.status_code == 200 and "Which language should we write to you in?" in page.content.decode()
    saved = client.post(reverse("identity:language"), {"language": "cy"})
    assert saved.status_code == 302 and saved["Location"].endswith("?language=saved")
    assert saved.cookies[settings.LANGUAGE_COOKIE_NAME].value == "cy"
    assert User.objects.get(pk=person.pk).language == "cy"


@pytest.mark.parametrize("value", ["", "fr", "x" * 500])
def test_a_bad_choice_is_a_400_with_the_error_and_nothing_changes(client, value):
    person = UserFactory(language="cy")
    client.force_login(person)
    response = client.post(reverse("identity:language"), {"language": value})
    assert response.status_code == 400
    assert "Choose English or Welsh" in response.content.decode()
    assert User.objects.get(pk=person.pk).language == "cy"


def test_the_language_page_needs_sign_in(client):
    response = client.get(reverse("identity:language"))
    assert response.status_code == 302 and reverse("identity:sign-in") in response["Location"]


def test_messages_built_for_a_person_are_in_their_language():
    welsh, english = UserFactory.build(language="cy"), UserFactory.build(language="en")
    with in_language_of(welsh):
        assert gettext("Your account") == "Eich cyfrif"
    with in_language_of(english):
        assert gettext("Your account") == "Your account"
    assert language_of(UserFactory.build(language="")) == "en"
