"""Phone support's console pages: who may use them, the consent code page, search with the
minimum shown, opening and ending a session, the supervisor report, and bad input."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from identity import assisted, cases, roles
from identity.models import AssistedSession, AuditEntry, IdentityCase
from tests.factories import StaffFactory, UserFactory
from tests.identity.test_registrar_queue import _sign_in_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def support(client):
    staff = StaffFactory(roles=[roles.PHONE_SUPPORT])
    _sign_in_staff(client, staff)
    return staff


@pytest.fixture
def person():
    someone = UserFactory(full_name="Sarah Morgan", mobile_number="+447700900982")
    case = cases.open_case(person=someone)
    IdentityCase.objects.filter(pk=case.pk).update(
        given_names="Sarah", surname="Morgan", birth_date=date(1990, 5, 1), postcode="LS1 3AD"
    )
    return someone


def test_a_citizen_gets_a_consent_code_shown_once(client, person):
    client.force_login(person)
    page = client.get(reverse("identity:consent-code")).content.decode()
    assert "Get a consent code" in page
    response = client.post(reverse("identity:consent-code"))
    html = response.content.decode()
    assert response.status_code == 200 and "Your consent code" in html and "30 minutes" in html
    assert "Let phone support help you" in client.get(reverse("identity:account")).content.decode()


def test_staff_cannot_get_a_consent_code(client, support):
    assert client.get(reverse("identity:consent-code")).status_code == 403


def test_search_by_reference_shows_only_name_reference_and_stage(client, support, person):
    reference = IdentityCase.objects.get(person=person).reference
    html = client.get(reverse("identity:support-home"), {"reference": reference}).content.decode()
    assert "Sarah Morgan" in html and reference in html and "In progress" in html
    assert person.email not in html and "07700" not in html and "+447700900982" not in html
    assert AuditEntry.objects.filter(action="assisted.search", actor=support).count() == 1


def test_search_by_name_birth_date_and_postcode(client, support, person):
    query = {
        "full_name": "Sarah Morgan",
        "birth_date_0": "1",
        "birth_date_1": "5",
        "birth_date_2": "1990",
        "postcode": "ls13ad",
    }
    html = client.get(reverse("identity:support-home"), query).content.decode()
    assert "Sarah Morgan" in html and "Ask for consent" in html


@pytest.mark.parametrize(
    "query, message",
    [
        ({"full_name": "Sarah Morgan"}, "full name, date of birth and postcode together"),
        ({"postcode": "ZZ ZZZ", "full_name": "x"}, "Enter a real postcode"),
        (
            {
                "full_name": "Sarah",
                "birth_date_0": "31",
                "birth_date_1": "2",
                "birth_date_2": "1990",
                "postcode": "LS1 3AD",
            },
            "must be a real date",
        ),
        ({"reference": "x" * 31}, "Ensure this value has at most 30 characters"),
    ],
)
def test_bad_searches_are_a_clear_400(client, support, query, message):
    response = client.get(reverse("identity:support-home"), query)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html and message in html
    assert not AuditEntry.objects.filter(action="assisted.search").exists()


def test_the_consent_code_opens_a_session_page_and_ending_it_closes_it(client, support, person):
    code = assisted.issue_consent_code(person=person)
    response = client.post(reverse("identity:support-consent", args=[person.pk]), {"code": code})
    assert response.status_code == 302 and response["Location"] == reverse("identity:support-session")
    html = client.get(reverse("identity:support-session")).content.decode()
    assert "Helping Sarah Morgan" in html and person.email in html
    viewed = AuditEntry.objects.get(action="assisted.session_viewed")
    assert viewed.actor == support and viewed.on_behalf_of == person
    client.post(reverse("identity:support-end"))
    assert not AssistedSession.objects.get().is_open()
    assert client.get(reverse("identity:support-session"))["Location"] == reverse("identity:support-home")


@pytest.mark.parametrize("code, message, status", [("", "Enter the consent code", 400), ("ABC", "must be 8", 400)])
def test_malformed_consent_codes_are_a_clear_400(client, support, person, code, message, status):
    response = client.post(reverse("identity:support-consent", args=[person.pk]), {"code": code})
    assert response.status_code == status and message in response.content.decode()


def test_a_wrong_consent_code_is_refused_and_repeated_guesses_lock(client, support, person):
    assisted.issue_consent_code(person=person)
    for _ in range(5):
        response = client.post(reverse("identity:support-consent", args=[person.pk]), {"code": "AAAA-AAAA"})
        assert response.status_code == 400 and "not right" in response.content.decode()
    response = client.post(reverse("identity:support-consent", args=[person.pk]), {"code": "AAAA-AAAA"})
    assert response.status_code == 429 and "Too many wrong codes" in response.content.decode()
    assert not AssistedSession.objects.exists()


def test_staff_people_and_unknown_people_cannot_be_assisted(client, support):
    colleague = StaffFactory()
    assert client.get(reverse("identity:support-consent", args=[colleague.pk])).status_code == 404
    assert client.get(reverse("identity:support-consent", args=[999999])).status_code == 404


@pytest.mark.parametrize("role", [roles.REGISTRAR, roles.SUPERINTENDENT_REGISTRAR])
def test_other_staff_cannot_use_the_console(client, role, person):
    _sign_in_staff(client, StaffFactory(roles=[role]))
    for url in (
        reverse("identity:support-home"),
        reverse("identity:support-consent", args=[person.pk]),
        reverse("identity:support-session"),
        reverse("identity:support-report"),
    ):
        assert client.get(url).status_code == 403


def test_citizens_and_anonymous_people_cannot_use_the_console(client, person):
    url = reverse("identity:support-home")
    assert client.get(url)["Location"].startswith(reverse("identity:staff-sign-in"))
    client.force_login(person)
    assert client.get(url)["Location"].startswith(reverse("identity:staff-sign-in"))


def test_supervisor_report_counts_and_flags(client, settings, person):
    settings.ASSISTED_FLAG_SEARCHES = 3
    busy = StaffFactory(roles=[roles.PHONE_SUPPORT], email="busy@registrar.example")
    for _ in range(4):
        assisted.find_people(staff=busy, reference="ID-NONE-NONE")
    _sign_in_staff(client, StaffFactory(roles=[roles.SERVICE_ADMIN]))
    html = client.get(reverse("identity:support-report")).content.decode()
    assert "busy@registrar.example" in html and "Many searches without consent" in html
    assert AuditEntry.objects.filter(action="assisted.report_viewed").exists()


@pytest.mark.parametrize("days", ["0", "91", "x", "-1"])
def test_supervisor_report_refuses_bad_periods(client, days):
    _sign_in_staff(client, StaffFactory(roles=[roles.SERVICE_ADMIN]))
    response = client.get(reverse("identity:support-report"), {"days": days})
    assert response.status_code == 400 and "from 1 to 90" in response.content.decode()


def test_phone_support_cannot_see_the_supervisor_report(client, support):
    assert client.get(reverse("identity:support-report")).status_code == 403
