"""The security questions in Chromium, in English and Welsh, with and without JavaScript: from
the identity check page to the questions, an unanswered question, and back to the check page,
with axe reporting zero violations on each page."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone

from identity import cases
from identity.models import EvidenceCheck, User
from tests.browser.journeys import sign_in
from tests.factories import document_photo, record_passport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "en": {
        "link": "Answer security questions",
        "start": "Get the questions",
        "send": "Send my answers",
        "error": "Select an answer to question 2",
        "done": "You have answered the security questions.",
        "street": "Which of these streets have you lived on?",
    },
    "cy": {
        "link": "Ateb cwestiynau diogelwch",
        "start": "Cael y cwestiynau",
        "send": "Anfon fy atebion",
        "error": "Dewiswch ateb i gwestiwn 2",
        "done": "Rydych wedi ateb y cwestiynau diogelwch.",
        "street": "Ar ba un o’r strydoedd hyn ydych chi wedi byw?",
    },
}


def _details_given(email: str):
    case = cases.open_case(person=User.objects.get(email=email))
    record_passport(case)
    cases.attach_image(case=case, kind="identity_document", upload=io.BytesIO(document_photo()))
    cases.record_proof_of_address(
        case=case,
        address="1 The Headrow, Leeds",
        postcode="LS1 3AD",
        document_type="bank_statement",
        document_postcode="LS1 3AD",
        document_name="Sarah Morgan",
        issued_on=timezone.localdate(),
    )
    return case


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_security_questions_pass_axe_in_both_languages(checked_page, sandbox_checkers, language, javascript):
    words = WORDS[language]
    checked = checked_page(javascript=javascript)
    email = f"questions-{language}-{int(javascript)}@example.com"
    sign_in(checked, email)
    case = _details_given(email)
    page = checked.goto("/identity/")
    if language == "cy":
        page.get_by_role("link", name="Cymraeg").click()
        checked.check()
        assert page.locator("html").get_attribute("lang") == "cy"
    page.get_by_role("link", name=words["link"]).click()
    checked.check()
    page.get_by_role("button", name=words["start"]).click()
    checked.check()
    assert page.get_by_text(words["street"]).is_visible()
    # The first choice of each sandbox question is the right one; the second is left unanswered.
    groups = page.locator("fieldset")
    groups.nth(0).locator("input[type=radio]").first.check()
    groups.nth(2).locator("input[type=radio]").first.check()
    page.get_by_role("button", name=words["send"]).click()
    checked.check()
    assert words["error"] in page.locator(".govuk-error-summary").inner_text()
    page.locator("fieldset").nth(1).locator("input[type=radio]").first.check()
    page.get_by_role("button", name=words["send"]).click()
    checked.check()
    assert page.url.endswith("/identity/")
    assert words["done"] in page.content()
    check = EvidenceCheck.objects.get(case=case, kind="knowledge")
    assert check.outcome == "passed" and check.sandbox
