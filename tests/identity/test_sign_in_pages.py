"""Citizen sign-in pages: same answer whether or not an account exists, GOV.UK errors for bad
input, a session only after a correct code, mobile verification by SMS code."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from identity.models import OutboundMessage, User
from tests.conftest import latest_code_for
from tests.factories import StaffFactory, UserFactory, api_client

pytestmark = pytest.mark.django_db(transaction=True)


def _start(client, email):
    return client.post(reverse("identity:sign-in"), {"email": email})


def _enter(client, code):
    return client.post(reverse("identity:sign-in-code"), {"code": code})


def test_sign_in_gives_the_same_answer_for_known_and_unknown_addresses(client):
    UserFactory(email="known@example.com")
    known = _start(client, "known@example.com")
    other = client.__class__()
    unknown = _start(other, "unknown@example.com")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("identity:sign-in-code")
    page_known = client.get(known["Location"]).content.decode().replace("known@example.com", "X")
    page_unknown = other.get(unknown["Location"]).content.decode().replace("unknown@example.com", "X")
    strip = lambda html: "\n".join(line for line in html.splitlines() if "csrf" not in line)  # noqa: E731
    assert strip(page_known) == strip(page_unknown)


def test_first_sign_in_creates_the_account_only_after_the_code(client):
    _start(client, "New.Person@Example.com")
    assert not User.objects.filter(email="new.person@example.com").exists()
    response = _enter(client, latest_code_for("new.person@example.com"))
    assert response.status_code == 302 and response["Location"] == reverse("identity:account")
    user = User.objects.get(email="new.person@example.com")
    assert user.email_verified_at is not None
    page = client.get(reverse("identity:account")).content.decode()
    assert "new.person@example.com" in page


@pytest.mark.parametrize(
    "email, message",
    [
        ("", "Enter your email address"),
        ("not-an-email", "Enter an email address in the correct format"),
        ("a@b", "Enter an email address in the correct format"),
        ("x" * 250 + "@example.com", "254 characters or fewer"),
        ("<script>@example.com", "Enter an email address in the correct format"),
    ],
)
def test_bad_email_shows_a_govuk_error(client, email, message):
    response = _start(client, email)
    html = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in html and message in html
    assert "<title>Error:" in html
    assert OutboundMessage.objects.count() == 0


def test_wrong_code_shows_an_error_and_does_not_sign_in(client):
    _start(client, "ada@example.com")
    code = latest_code_for("ada@example.com")
    response = _enter(client, f"{(int(code) + 1) % 1_000_000:06d}")
    assert response.status_code == 400
    assert "The security code is incorrect" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("code", ["", "12345", "abcdef", "1234567", "١٢٣٤٥٦"])
def test_malformed_code_is_a_form_error(client, code):
    _start(client, "ada@example.com")
    response = _enter(client, code)
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()


def test_expired_code_says_so(client):
    _start(client, "ada@example.com")
    code = latest_code_for("ada@example.com")
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        response = _enter(client, code)
    assert "The security code has expired" in response.content.decode()


def test_brute_force_locks_the_code_page(client):
    _start(client, "ada@example.com")
    code = latest_code_for("ada@example.com")
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    statuses = [_enter(client, wrong).status_code for _ in range(5)]
    assert statuses == [400] * 5
    response = _enter(client, code)
    assert response.status_code == 429
    assert "wrong code too many times" in response.content.decode()


def test_code_page_without_an_email_goes_back_to_sign_in(client):
    assert client.get(reverse("identity:sign-in-code"))["Location"] == reverse("identity:sign-in")
    assert _enter(client, "123456")["Location"] == reverse("identity:sign-in")


def test_resend_too_soon_is_refused_kindly(client):
    _start(client, "ada@example.com")
    response = client.post(reverse("identity:sign-in-resend"))
    assert response.status_code == 429
    assert "too many codes" in response.content.decode()


def test_resend_after_a_minute_sends_a_new_code(client):
    _start(client, "ada@example.com")
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        response = client.post(reverse("identity:sign-in-resend"))
    assert response.status_code == 302
    assert OutboundMessage.objects.filter(to="ada@example.com").count() == 2


def test_staff_address_cannot_sign_in_with_a_code(client):
    StaffFactory(email="registrar@registrar.example")
    _start(client, "registrar@registrar.example")
    response = _enter(client, latest_code_for("registrar@registrar.example"))
    assert response.status_code == 403
    assert "staff account" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_next_url_is_followed_only_when_it_is_on_this_site(client):
    client.post(reverse("identity:sign-in") + "?next=https://evil.example/", {"email": "ada@example.com"})
    response = _enter(client, latest_code_for("ada@example.com"))
    assert response["Location"] == reverse("identity:account")


def test_account_page_needs_sign_in(client):
    response = client.get(reverse("identity:account"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("identity:sign-in"))


def test_sign_out_needs_post_and_ends_the_session(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("identity:sign-out")).status_code == 405
    client.post(reverse("identity:sign-out"))
    assert client.get(reverse("identity:account")).status_code == 302


def test_mobile_number_is_verified_by_sms_code(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("identity:mobile"), {"mobile_number": "07700 900 982"})
    assert response["Location"] == reverse("identity:mobile-code")
    message = OutboundMessage.objects.get(to="+447700900982")
    assert message.channel == "sms"
    response = client.post(reverse("identity:mobile-code"), {"code": latest_code_for("+447700900982")})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.mobile_verified and user.mobile_number == "+447700900982"


@pytest.mark.parametrize("number", ["", "12345", "01132 496 000", "+1 202 555 0100", "07700 90098x"])
def test_bad_mobile_number_is_a_form_error(client, number):
    client.force_login(UserFactory())
    response = client.post(reverse("identity:mobile"), {"mobile_number": number})
    assert response.status_code == 400
    assert "Enter a UK mobile phone number" in response.content.decode()
    assert OutboundMessage.objects.count() == 0


def test_someone_elses_sms_code_does_not_verify_my_number(client):
    other = UserFactory()
    other_client = client.__class__()
    other_client.force_login(other)
    other_client.post(reverse("identity:mobile"), {"mobile_number": "07700900001"})
    code = latest_code_for("+447700900001")
    me = UserFactory()
    client.force_login(me)
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        client.post(reverse("identity:mobile"), {"mobile_number": "07700900002"})
        response = client.post(reverse("identity:mobile-code"), {"code": code})
    assert response.status_code == 400
    me.refresh_from_db()
    assert not me.mobile_verified


def test_the_code_page_and_the_api_say_how_long_a_code_lives_as_settings_say(client, settings):
    settings.OTP_EMAIL_LIFETIME_MINUTES = 20
    client.post(reverse("identity:sign-in"), {"email": "ada@example.com"})
    assert "The code expires in 20 minutes" in client.get(reverse("identity:sign-in-code")).content.decode()
    accepted = api_client().post("/api/v1/auth/code", {"email": "bo@example.com"}, format="json")
    assert accepted.status_code == 202 and "It expires in 20 minutes" in accepted.json()["detail"]
