"""The identity case page and the identity queue as a registrar reads them: every reason, score,
shortfall and photo note in words (English and Welsh), never the stored codes; the queue's office
filter lists only the registrar's own offices; and a success banner after a decision and after
ending an assisted session."""

from __future__ import annotations

import re
import time

import pytest
from django.conf import settings
from django.urls import reverse

from identity import assisted, case_display, roles
from identity.models import IdentityCase
from tests.factories import RegisterOfficeFactory, StaffFactory, UserFactory, record_checks, submit_passport_check

pytestmark = pytest.mark.django_db

RAW_CODES = ("fraud_document_reused", "fraud_image_reused", "fraud: 0", "→", "/2;", "identity_document", "MRZ<")


@pytest.fixture
def fraud_case(leeds, waiting_case):
    """A second person sending the same passport and photo: our own fraud signals fire."""
    case = submit_passport_check(postcode="LS1 3AD")
    assert {"fraud_document_reused", "fraud_image_reused"} <= set(case.reasons)
    return case


def _visible(html: str) -> str:
    """The page's text without tags and attribute values, where a raw code would be seen."""
    return re.sub(r"<[^>]+>", " ", html)


def test_the_case_page_shows_fraud_reasons_scores_and_shortfalls_in_words(client, registrar, fraud_case):
    html = client.get(reverse("identity:staff-identity-case", args=[fraud_case.reference])).content.decode()
    text = _visible(html)
    assert "The same document number is on another person&#x27;s identity check" in text
    assert "The same photo of the document was sent on another person&#x27;s identity check" in text
    assert "UK passport" in text and "Strength 4 out of 4, validity" in text
    assert "Identity fraud checks" in text and "0 out of 3" in text
    assert "scores 0, needs at least 1" in text
    assert "Machine readable lines" in text
    for raw in RAW_CODES:
        assert raw not in text, raw


def test_the_case_page_in_welsh_has_the_reasons_and_scores_in_welsh(client, registrar, fraud_case):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    text = _visible(client.get(reverse("identity:staff-identity-case", args=[fraud_case.reference])).content.decode())
    assert "Mae’r un rhif dogfen ar wiriad hunaniaeth rhywun arall" in text
    assert "Gwiriadau twyll hunaniaeth" in text and "0 allan o 3" in text
    assert "sgôr 0, angen o leiaf 1" in text
    assert "Llinellau peiriant-ddarllenadwy" in text
    for raw in RAW_CODES:
        assert raw not in text, raw


def test_photo_notes_are_in_words_with_the_date_in_words(waiting_case):
    image = waiting_case.images.get()
    image.signals = {"captured_at": "2026:11:19 10:30:00", "software": "Camera app 2"}
    image.quality_reasons = ["too_dark", "glare"]
    notes = case_display.image_notes(image)
    assert notes["taken"].strftime("%d %m %Y") == "19 11 2026"
    assert notes["quality"] == ["too dark", "glare on the photo"]
    image.signals = {"captured_at": "not a date"}
    assert case_display.image_notes(image)["taken"] is None


def test_a_reason_without_words_is_said_to_be_unknown_not_shown_as_a_sentence():
    assert case_display.reason_label("fraud_document_reused").startswith("The same document number")
    assert case_display.reason_label("something_new") == "A check gave a reason this service has no words for"


def test_the_queue_shows_reasons_in_words_and_its_reason_filter_is_in_words(client, registrar, fraud_case):
    html = client.get(reverse("identity:staff-identity-queue")).content.decode()
    text = _visible(html)
    assert fraud_case.reference in text
    assert "The same document number is on another person&#x27;s identity check" in text
    assert "fraud_document_reused" not in text
    assert '<option value="fraud_document_reused">The same document number' in html


def _office_options(html: str) -> list[str]:
    select = re.search(r'<select[^>]*name="office"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option value="([^"]*)"', select)


def test_the_office_filter_lists_only_the_registrars_own_offices(client, registrar, leeds, manchester):
    cardiff = RegisterOfficeFactory(code="W-CARDIFF", name="Cardiff Register Office", postcode="CF10 4UW")
    registrar.offices.add(cardiff)
    for n in range(5):
        RegisterOfficeFactory(code=f"E-OTHER{n}", name=f"Other Office {n}", postcode="M1 1AA")
    html = client.get(reverse("identity:staff-identity-queue")).content.decode()
    assert _office_options(html) == ["", "W-CARDIFF", "E-LEEDS"]
    assert "Manchester Register Office" not in html


def test_filtering_by_an_office_one_does_not_work_in_is_a_400_with_an_error_summary(client, registrar, manchester):
    submit_passport_check(postcode="M1 1AA")
    response = client.get(reverse("identity:staff-identity-queue"), {"office": "E-MANCHESTER"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html and 'href="#id_office"' in html
    assert "Select one of your offices" in html
    assert "No cases match." in html


def test_a_national_role_may_filter_by_every_office(client, sign_in_staff, leeds, manchester):
    national = StaffFactory(roles=[roles.REGISTRAR], is_superuser=True)
    sign_in_staff(client, national)
    html = client.get(reverse("identity:staff-identity-queue")).content.decode()
    assert _office_options(html) == ["", "E-LEEDS", "E-MANCHESTER"]


@pytest.mark.parametrize(
    ("outcome", "banner"),
    [
        ("accept", "accepted. The person has been emailed."),
        ("reject", "rejected. The person has been emailed your reason."),
        ("more_evidence", "More evidence asked for on identity check"),
    ],
)
def test_a_decision_lands_on_the_queue_with_a_success_banner(client, registrar, waiting_case, outcome, banner):
    record_checks(waiting_case, "trained_comparison", provider="Registrar")
    response = client.post(
        reverse("identity:staff-identity-case", args=[waiting_case.reference]),
        {"outcome": outcome, "reason": "Compared the photo with the document"},
        follow=True,
    )
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("identity:staff-identity-queue")
    assert "govuk-notification-banner--success" in html and banner in html and waiting_case.reference in html
    # Once: the next page has no banner.
    assert (
        "govuk-notification-banner--success"
        not in client.get(reverse("identity:staff-identity-queue")).content.decode()
    )


def test_a_decision_banner_in_welsh(client, registrar, waiting_case):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    response = client.post(
        reverse("identity:staff-identity-case", args=[waiting_case.reference]),
        {"outcome": "reject", "reason": "Not the same person"},
        follow=True,
    )
    assert "wedi’i wrthod. Mae’r person wedi cael e-bost gyda’ch rheswm." in response.content.decode()
    assert IdentityCase.objects.get(pk=waiting_case.pk).status == "rejected"


def test_a_refused_decision_shows_no_success_banner(client, registrar, waiting_case):
    response = client.post(
        reverse("identity:staff-identity-case", args=[waiting_case.reference]),
        {"outcome": "accept", "reason": "Looks fine"},
    )
    assert response.status_code >= 400 and "govuk-notification-banner--success" not in response.content.decode()


@pytest.fixture
def support(client, sign_in_staff):
    staff = StaffFactory(roles=[roles.PHONE_SUPPORT])
    sign_in_staff(client, staff)
    return staff


def _open_session(client, support):
    person = UserFactory()
    session = client.session
    session["support_found_people"] = {str(person.pk): int(time.time())}
    session.save()
    code = assisted.issue_consent_code(person=person)
    assert client.post(reverse("identity:support-consent", args=[person.pk]), {"code": code}).status_code == 302
    return person


def test_ending_an_assisted_session_lands_on_the_console_with_a_success_banner(client, support):
    _open_session(client, support)
    response = client.post(reverse("identity:support-end"), follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("identity:support-home")
    assert "govuk-notification-banner--success" in html and "The assisted session has ended" in html


def test_ending_an_assisted_session_in_welsh(client, support):
    _open_session(client, support)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    html = client.post(reverse("identity:support-end"), follow=True).content.decode()
    assert "Mae’r sesiwn â chymorth wedi dod i ben" in html


def test_ending_when_no_session_is_open_shows_no_banner(client, support):
    html = client.post(reverse("identity:support-end"), follow=True).content.decode()
    assert "govuk-notification-banner--success" not in html


def test_the_queues_next_page_keeps_every_filter(client, registrar, leeds):
    for _ in range(51):
        submit_passport_check(postcode="LS1 3AD")
    html = client.get(reverse("identity:staff-identity-queue"), {"office": "E-LEEDS", "older_than_days": "0"})
    assert 'href="?office=E-LEEDS&amp;older_than_days=0&amp;page=2"' in html.content.decode()
