"""Phone support's console pages: who may use them, the consent code page, search with the
minimum shown, opening and ending a session, the supervisor report, and bad input."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from identity import assisted, cases, roles
from identity.models import AssistedSession, AuditEntry, IdentityCase, OutboundMessage, SupportNote
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


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
    html = client.post(reverse("identity:support-home"), {"reference": reference}, follow=True).content.decode()
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
    response = client.post(reverse("identity:support-home"), query)
    assert response.status_code == 303
    results_url = response["Location"]
    # Nothing typed is in the results' address: a token that means something only in this session.
    assert re.fullmatch(re.escape(reverse("identity:support-home")) + r"\?search=[A-Za-z0-9_-]{20,}", results_url)
    html = client.get(results_url).content.decode()
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
    response = client.post(reverse("identity:support-home"), query)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html and message in html
    assert not AuditEntry.objects.filter(action="assisted.search").exists()


def test_the_consent_code_opens_a_session_page_and_ending_it_closes_it(client, support, person, found):
    found(client, person)
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
def test_malformed_consent_codes_are_a_clear_400(client, support, person, code, message, status, found):
    found(client, person)
    response = client.post(reverse("identity:support-consent", args=[person.pk]), {"code": code})
    assert response.status_code == status and message in response.content.decode()


def test_a_wrong_consent_code_is_refused_and_repeated_guesses_lock(client, support, person, found):
    found(client, person)
    assisted.issue_consent_code(person=person)
    for _ in range(5):
        response = client.post(reverse("identity:support-consent", args=[person.pk]), {"code": "AAAA-AAAA"})
        assert response.status_code == 400 and "not right" in response.content.decode()
    response = client.post(reverse("identity:support-consent", args=[person.pk]), {"code": "AAAA-AAAA"})
    assert response.status_code == 429 and "Too many wrong codes" in response.content.decode()
    assert not AssistedSession.objects.exists()


def test_staff_people_and_unknown_people_cannot_be_assisted(client, support, found):
    colleague = StaffFactory()
    found(client, colleague)
    assert client.get(reverse("identity:support-consent", args=[colleague.pk])).status_code == 404
    assert client.get(reverse("identity:support-consent", args=[999999])).status_code == 404


@pytest.mark.parametrize("role", [roles.REGISTRAR, roles.SUPERINTENDENT_REGISTRAR])
def test_other_staff_cannot_use_the_console(client, role, person, sign_in_staff):
    sign_in_staff(client, StaffFactory(roles=[role]))
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


def test_supervisor_report_counts_and_flags(client, settings, person, sign_in_staff):
    settings.ASSISTED_FLAG_SEARCHES = 3
    busy = StaffFactory(roles=[roles.PHONE_SUPPORT], email="busy@registrar.example")
    for _ in range(4):
        assisted.find_people(staff=busy, reference="ID-NONE-NONE")
    sign_in_staff(client, StaffFactory(roles=[roles.SERVICE_ADMIN]))
    html = client.get(reverse("identity:support-report")).content.decode()
    assert "busy@registrar.example" in html and "Many searches without consent" in html
    assert AuditEntry.objects.filter(action="assisted.report_viewed").exists()


@pytest.mark.parametrize("days", ["0", "91", "x", "-1"])
def test_supervisor_report_refuses_bad_periods(client, days, sign_in_staff):
    sign_in_staff(client, StaffFactory(roles=[roles.SERVICE_ADMIN]))
    response = client.get(reverse("identity:support-report"), {"days": days})
    assert response.status_code == 400 and "from 1 to 90" in response.content.decode()


def test_phone_support_cannot_see_the_supervisor_report(client, support):
    assert client.get(reverse("identity:support-report")).status_code == 403


def test_a_person_is_reached_only_through_a_search(client, support, person):
    url = reverse("identity:support-consent", args=[person.pk])
    assert client.get(url).status_code == 404
    assert client.get(reverse("identity:support-person", args=[person.pk])).status_code == 404
    reference = IdentityCase.objects.get(person=person).reference
    client.post(reverse("identity:support-home"), {"reference": reference}, follow=True)
    assert client.get(url).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(hours=1, seconds=1)):
        assert client.get(url).status_code == 404


def test_without_consent_support_sees_the_minimum_resends_a_code_and_writes_notes(client, support, person, found):
    found(client, person)
    url = reverse("identity:support-person", args=[person.pk])
    html = client.get(url).content.decode()
    assert "Sarah Morgan" in html and "In progress" in html
    assert person.email not in html and "+447700900982" not in html
    response = client.post(url, {"action": "resend"})
    assert response.status_code == 302
    assert OutboundMessage.objects.filter(to=person.email).count() == 1
    throttled = client.post(url, {"action": "resend"})
    assert throttled.status_code == 429 and "sent very recently" in throttled.content.decode()
    assert (
        client.post(url, {"action": "note", "text": "Asked about their birth registration", "for_registrar": "on"})[
            "Location"
        ]
        == url
    )
    note = SupportNote.objects.get()
    assert note.for_registrar and note.staff == support and note.person == person
    assert {"assisted.code_resent", "assisted.note_raised", "assisted.person_viewed"} <= set(
        AuditEntry.objects.filter(subject=person).values_list("action", flat=True)
    )


@pytest.mark.parametrize(("text", "message"), [("", "Enter the note"), ("x" * 5001, "5000 characters or fewer")])
def test_a_bad_note_is_a_clear_400(client, support, person, text, message, found):
    found(client, person)
    response = client.post(reverse("identity:support-person", args=[person.pk]), {"action": "note", "text": text})
    assert response.status_code == 400 and message in response.content.decode()
    assert not SupportNote.objects.exists()


def test_a_registrar_sees_notes_raised_to_them_and_deals_with_each_once(client, person, sign_in_staff):
    support = StaffFactory(roles=[roles.PHONE_SUPPORT])
    assisted.raise_support_note(
        staff=support, person=person, text="Please call back about the MCCD", for_registrar=True
    )
    assisted.raise_support_note(staff=support, person=person, text="Only for the record", for_registrar=False)
    registrar = StaffFactory(roles=[roles.REGISTRAR])
    sign_in_staff(client, registrar)
    html = client.get(reverse("identity:support-notes")).content.decode()
    assert "Please call back about the MCCD" in html and "Only for the record" not in html
    note = SupportNote.objects.get(for_registrar=True)
    assert client.post(reverse("identity:support-notes"), {"note": note.pk}).status_code == 302
    again = client.post(reverse("identity:support-notes"), {"note": note.pk})
    assert again.status_code == 409 and "already been dealt with" in again.content.decode()
    assert client.post(reverse("identity:support-notes"), {"note": "x"}).status_code == 404
    note.refresh_from_db()
    assert note.handled_by == registrar


def test_phone_support_cannot_deal_with_notes(client, support):
    assert client.get(reverse("identity:support-notes")).status_code == 403


def test_a_citizen_can_get_the_consent_code_by_text(client, person):
    person.mobile_verified_at = timezone.now()
    person.save()
    client.force_login(person)
    assert "Get a code by text message" in client.get(reverse("identity:consent-code")).content.decode()
    response = client.post(reverse("identity:consent-code"), {"send": "text"})
    html = response.content.decode()
    assert response.status_code == 200 and "We have also sent it to your mobile phone" in html
    message = OutboundMessage.objects.get(to="+447700900982")
    code = re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}", message.body).group(0)
    assert code in html
    for _ in range(4):
        client.post(reverse("identity:consent-code"), {"send": "text"})
    refused = client.post(reverse("identity:consent-code"), {"send": "text"})
    assert refused.status_code == 429 and "too many texts" in refused.content.decode()


def test_no_text_without_a_confirmed_mobile(client):
    someone = UserFactory(mobile_number="+447700900111")
    client.force_login(someone)
    assert "Get a code by text message" not in client.get(reverse("identity:consent-code")).content.decode()
    response = client.post(reverse("identity:consent-code"), {"send": "text"})
    assert response.status_code == 400 and "confirm a mobile number" in response.content.decode()
    assert not OutboundMessage.objects.filter(to="+447700900111").exists()


def test_a_search_in_the_query_string_is_never_run(client, support, person):
    """A link carrying a name is worth nothing: only a posted search is searched."""
    query = {"full_name": "Sarah Morgan", "birth_date_0": "1", "birth_date_1": "5", "birth_date_2": "1990"}
    response = client.get(reverse("identity:support-home"), {**query, "postcode": "LS1 3AD"})
    assert response.status_code == 200 and "Results" not in response.content.decode()
    assert not AuditEntry.objects.filter(action="assisted.search").exists()


def test_a_search_token_works_only_in_its_session_and_only_for_a_while(
    client, support, person, settings, sign_in_staff
):
    reference = IdentityCase.objects.get(person=person).reference
    results_url = client.post(reverse("identity:support-home"), {"reference": reference})["Location"]
    assert "Sarah Morgan" in client.get(results_url).content.decode()
    with time_machine.travel(timezone.now() + timedelta(minutes=settings.PRIVATE_SEARCH_MINUTES, seconds=1)):
        html = client.get(results_url).content.decode()
    assert "That search has expired" in html and "Sarah Morgan" not in html
    client.logout()
    sign_in_staff(client, StaffFactory(roles=[roles.PHONE_SUPPORT]))
    html = client.get(results_url).content.decode()
    assert "That search has expired" in html and "Sarah Morgan" not in html


@pytest.mark.parametrize("token", ["", "nonsense", "x" * 500, "%00", "<script>"])
def test_made_up_search_tokens_show_the_empty_search(client, support, token):
    response = client.get(reverse("identity:support-home"), {"search": token})
    assert response.status_code == 200 and "Results" not in response.content.decode()


def test_the_search_form_posts_with_its_csrf_token_in_the_body(client, support):
    html = client.get(reverse("identity:support-home")).content.decode()
    form = re.search(r"<form[^>]*>", html[html.index("Help a person by phone</h1>") :]).group(0)
    assert 'method="post"' in form and "novalidate" in form
