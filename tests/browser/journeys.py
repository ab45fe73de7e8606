"""Steps the browser journeys share: signing in as a citizen (code from the development outbox)
or as staff (password and authenticator app), and filling GOV.UK inputs."""

from __future__ import annotations

import re

import pyotp

from identity.models import StaffAuthenticator
from tests.factories import STAFF_PASSWORD


def code_from_outbox(checked) -> str:
    page = checked.goto("/dev/outbox/")
    body = page.get_by_test_id("message-body").first.inner_text()
    return re.search(r"\b(\d{6})\b", body).group(1)


def sign_in(checked, email: str) -> None:
    page = checked.goto("/")
    page.get_by_role("button", name="Start now").click()
    checked.check()
    assert page.title().startswith("Sign in with your email address")
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Continue").click()
    checked.check()
    assert page.get_by_role("heading", name="Check your email").is_visible()
    code = code_from_outbox(checked)
    checked.goto("/sign-in/code/")
    page.get_by_label("Security code").fill(code)
    page.get_by_role("button", name="Continue").click()
    checked.check()


def staff_sign_in(checked, staff) -> None:
    page = checked.goto("/staff/sign-in/")
    page.get_by_label("Email address").fill(staff.email)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    checked.check()
    secret = StaffAuthenticator.objects.get(user=staff).secret
    page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Continue").click()
    checked.check()


def fill_date(page, prefix, value):
    page.locator(f"#id_{prefix}_0").fill(str(value.day))
    page.locator(f"#id_{prefix}_1").fill(str(value.month))
    page.locator(f"#id_{prefix}_2").fill(str(value.year))


def party_details(page, name, postcode="LS1 3AD"):
    page.get_by_label("Full name").fill(name)
    page.locator("#id_date_of_birth_0").fill("17")
    page.locator("#id_date_of_birth_1").fill("5")
    page.locator("#id_date_of_birth_2").fill("1990")
    page.get_by_label("Postcode of their home address").fill(postcode)
    page.locator("#id_lived_there_since_0").fill("1")
    page.locator("#id_lived_there_since_1").fill("2")
    page.locator("#id_lived_there_since_2").fill("2020")
    page.get_by_role("button", name="Continue").click()
