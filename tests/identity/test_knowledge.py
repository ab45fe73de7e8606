"""Security questions (knowledge-based verification) with the sandbox provider, on the page and
through the API: right answers raise the verification score as the scoring table says, wrong ones
record a failed check without telling the person, the provider's session stays on the server and
is answered once, before it expires, by the person whose case asked for it, and only a few sets of
questions are given a day."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from identity import cases, knowledge
from identity.models import EvidenceCheck, IdentityCase, KnowledgeAttempt
from identity.refusals import KnowledgeRefused
from identity.verifiers import KnowledgeSession
from identity.verifiers.sandbox import SandboxKnowledgeProvider
from tests.factories import UserFactory, api_client, document_photo, record_passport

pytestmark = pytest.mark.django_db

QUESTIONS_URL = "/identity/questions/"
START_URL = "/identity/questions/start/"
API_QUESTIONS = "/api/v1/identity/case/questions"
API_ANSWERS = "/api/v1/identity/case/questions/answers"
RIGHT = {"sandbox-low": "Station Road", "sandbox-medium": "Sandbox Bank", "sandbox-high": "£500 to £749"}
WRONG = {"sandbox-low": "Mill Lane", "sandbox-medium": "Sandbox Bank", "sandbox-high": "£500 to £749"}


@pytest.fixture(autouse=True)
def _checkers(sandbox_checkers):
    return sandbox_checkers


def _case_for(person, *, surname="Morgan") -> IdentityCase:
    """An open case with the person's details and address given: what the questions are about."""
    case = cases.open_case(person=person)
    record_passport(case, surname=surname)
    cases.attach_image(case=case, kind="identity_document", upload=io.BytesIO(document_photo()))
    cases.record_proof_of_address(
        case=case,
        address="1 The Headrow\nLeeds",
        postcode="LS1 3AD",
        document_type="bank_statement",
        document_postcode="LS1 3AD",
        document_name=f"Sarah {surname}",
        issued_on=timezone.localdate(),
    )
    return IdentityCase.objects.get(pk=case.pk)


@pytest.fixture
def person(client):
    user = UserFactory()
    client.force_login(user)
    return user


@pytest.fixture
def case(person):
    return _case_for(person)


def _form(answers: dict[str, str], attempt: KnowledgeAttempt) -> dict[str, str]:
    """The page's form data for answers keyed by question id (fields are named by position)."""
    return {
        f"question_{number}": answers[question["id"]]
        for number, question in enumerate(attempt.questions, start=1)
        if question["id"] in answers
    }


def _knowledge_checks(case):
    return list(case.checks.filter(kind="knowledge", superseded_at__isnull=True))


def _verification(case) -> int:
    earned, _reasons = cases.score_case(IdentityCase.objects.get(pk=case.pk))
    return earned.scores.verification


# --- The whole step on the page --------------------------------------------------------------


def test_right_answers_on_the_page_raise_the_verification_score(client, case):
    assert _verification(case) == 0
    start = client.get(QUESTIONS_URL)
    html = start.content.decode()
    assert start.status_code == 200
    assert "<title>Answer security questions –" in html and "Get the questions" in html
    assert "Sandbox knowledge questions" in html and "not a real identity check" in html
    assert KnowledgeAttempt.objects.count() == 0  # looking at the page asks the provider nothing

    response = client.post(START_URL)
    assert response.status_code == 302 and response["Location"] == QUESTIONS_URL
    attempt = KnowledgeAttempt.objects.get(case=case)
    page = client.get(QUESTIONS_URL).content.decode()
    assert "<title>Your security questions –" in page
    assert "Which of these streets have you lived on?" in page and 'type="radio"' in page
    assert "Station Road" in page and "None of these" in page
    assert attempt.session_id not in page

    response = client.post(QUESTIONS_URL, _form(RIGHT, attempt), follow=True)
    assert response.redirect_chain == [(reverse("identity:check"), 302)]
    html = response.content.decode()
    assert "You have answered the security questions." in html

    [check] = _knowledge_checks(case)
    assert check.outcome == "passed" and check.sandbox and check.provider == "Sandbox knowledge questions"
    assert check.details == {"correct": {"low": 1, "medium": 1, "high": 1}, "asked": 3}
    # GPG 45: two medium quality questions (or a high one) answered give verification 3.
    assert _verification(case) == 3
    attempt.refresh_from_db()
    assert attempt.answered_at is not None and attempt.questions == [] and attempt.result == check


def test_wrong_answers_record_a_failed_check_and_the_person_is_told_the_same(client, case):
    client.post(START_URL)
    attempt = KnowledgeAttempt.objects.get(case=case)
    response = client.post(QUESTIONS_URL, _form(WRONG, attempt), follow=True)
    html = response.content.decode()
    assert "You have answered the security questions." in html
    for telling in ("wrong", "incorrect", "not right", "Station Road"):
        assert telling not in html
    [check] = _knowledge_checks(case)
    assert check.outcome == "failed" and check.reasons == ["knowledge_answers_wrong"]
    assert check.details["correct"] == {"low": 0, "medium": 1, "high": 1}
    assert _verification(case) == 0


def test_the_check_page_links_to_the_questions_only_when_they_can_be_answered(client, case, settings):
    page = client.get(reverse("identity:check")).content.decode()
    assert f'href="{QUESTIONS_URL}"' in page and "Security questions" in page
    settings.IDENTITY_VERIFIERS = {**settings.IDENTITY_VERIFIERS, "knowledge": ""}
    assert QUESTIONS_URL not in client.get(reverse("identity:check")).content.decode()
    settings.IDENTITY_VERIFIERS = {
        **settings.IDENTITY_VERIFIERS,
        "knowledge": "identity.verifiers.sandbox.SandboxKnowledgeProvider",
    }
    IdentityCase.objects.filter(pk=case.pk).update(status="with_registrar")
    assert QUESTIONS_URL not in client.get(reverse("identity:check")).content.decode()


def test_questions_pages_have_a_back_link_to_the_check_and_their_own_titles(client, case):
    titles = set()
    for html in (client.get(QUESTIONS_URL).content.decode(), None):
        if html is None:
            client.post(START_URL)
            html = client.get(QUESTIONS_URL).content.decode()
        assert f'<a href="{reverse("identity:check")}" class="govuk-back-link">' in html
        titles.add(html.split("<title>")[1].split("</title>")[0])
    titles.add(client.get(reverse("identity:check")).content.decode().split("<title>")[1].split("</title>")[0])
    assert len(titles) == 3
    assert "style=" not in html and "<script>" not in html


# --- Unanswered, tampered ----------------------------------------------------------------------


def test_an_unanswered_question_is_a_400_with_the_error_summary(client, case):
    client.post(START_URL)
    attempt = KnowledgeAttempt.objects.get(case=case)
    partial = {key: value for key, value in _form(RIGHT, attempt).items() if key != "question_2"}
    response = client.post(QUESTIONS_URL, partial)
    html = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in html and "Select an answer to question 2" in html
    assert '<a href="#id_question_2' in html
    assert "<title>Error: Your security questions –" in html
    # What was chosen stays chosen, and the questions can still be answered.
    assert 'value="Station Road"' in html and "checked" in html
    attempt.refresh_from_db()
    assert attempt.answered_at is None and not _knowledge_checks(case)
    client.post(QUESTIONS_URL, _form(RIGHT, attempt))
    assert _knowledge_checks(case)[0].outcome == "passed"


def test_a_choice_that_was_not_offered_is_an_error_not_an_answer(client, case):
    client.post(START_URL)
    attempt = KnowledgeAttempt.objects.get(case=case)
    response = client.post(QUESTIONS_URL, {**_form(RIGHT, attempt), "question_1": "Anything I like"})
    assert response.status_code == 400 and "Select an answer to question 1" in response.content.decode()
    assert not _knowledge_checks(case)


def test_the_service_refuses_answers_that_leave_a_question_out(case):
    knowledge.start_questions(case=case)
    with pytest.raises(KnowledgeRefused) as refused:
        knowledge.answer_questions(case=case, answers={"sandbox-low": "Station Road"})
    assert refused.value.code == "answer_every_question"
    assert KnowledgeAttempt.objects.get(case=case).answered_at is None


# --- One answer per session, by its own person, in time ---------------------------------------


def test_a_session_is_answered_once_and_the_provider_asked_once(client, case, monkeypatch):
    asked = []
    answer = SandboxKnowledgeProvider.answer

    def counting(self, *, session_id, answers):
        asked.append(session_id)
        return answer(self, session_id=session_id, answers=answers)

    monkeypatch.setattr(SandboxKnowledgeProvider, "answer", counting)
    client.post(START_URL)
    attempt = KnowledgeAttempt.objects.get(case=case)
    form = _form(RIGHT, attempt)
    client.post(QUESTIONS_URL, form)
    again = client.post(QUESTIONS_URL, form)
    assert again.status_code == 409
    assert "You have already answered these security questions." in again.content.decode()
    assert asked == [attempt.session_id]
    assert case.checks.filter(kind="knowledge").count() == 1
    with pytest.raises(KnowledgeRefused) as refused:
        knowledge.answer_questions(case=case, answers=RIGHT)
    assert refused.value.code == "already_answered"


def test_an_answer_sent_while_the_provider_marks_the_first_is_refused(case, monkeypatch):
    """The attempt is claimed before the provider is asked, so a parallel second answer (here sent
    from inside the provider's call) finds it taken and never reaches the provider."""
    knowledge.start_questions(case=case)
    answer = SandboxKnowledgeProvider.answer
    inner = []

    def racing(self, *, session_id, answers):
        if not inner:
            with pytest.raises(KnowledgeRefused) as refused:
                inner.append(knowledge.answer_questions(case=case, answers=RIGHT))
            inner.append(refused.value.code)
        return answer(self, session_id=session_id, answers=answers)

    monkeypatch.setattr(SandboxKnowledgeProvider, "answer", racing)
    knowledge.answer_questions(case=case, answers=RIGHT)
    assert inner == ["already_answered"]
    assert case.checks.filter(kind="knowledge").count() == 1


def test_another_person_cannot_answer_my_questions(client, case):
    knowledge.start_questions(case=case)
    mine = KnowledgeAttempt.objects.get(case=case)
    other = UserFactory()
    others_case = _case_for(other, surname="Jones")
    client.force_login(other)
    # Their page offers them their own start, never my questions; answering finds none of theirs.
    page = client.get(QUESTIONS_URL).content.decode()
    assert "Get the questions" in page and "Which of these streets" not in page
    response = client.post(QUESTIONS_URL, _form(RIGHT, mine))
    assert response.status_code == 409 and "There are no security questions waiting" in response.content.decode()
    api = api_client(other)
    assert api.get(API_QUESTIONS).status_code == 409
    assert api.post(API_ANSWERS, {"answers": RIGHT}, format="json").status_code == 409
    mine.refresh_from_db()
    assert mine.answered_at is None and mine.questions
    assert not case.checks.filter(kind="knowledge").exists()
    assert not others_case.checks.filter(kind="knowledge").exists()


def test_expired_questions_are_refused_and_forgotten(client, case):
    client.post(START_URL)
    attempt = KnowledgeAttempt.objects.get(case=case)
    form = _form(RIGHT, attempt)
    later = timezone.now() + timedelta(minutes=settings.IDENTITY_KNOWLEDGE_MINUTES, seconds=1)
    with time_machine.travel(later):
        # The page no longer shows them; it offers new ones.
        assert "Get the questions" in client.get(QUESTIONS_URL).content.decode()
        response = client.post(QUESTIONS_URL, form)
        assert response.status_code == 410
        assert "The security questions have expired" in response.content.decode()
        assert f"within {settings.IDENTITY_KNOWLEDGE_MINUTES} minutes" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.answered_at is None and attempt.questions == []
    assert not _knowledge_checks(case)


def test_unanswered_questions_are_forgotten_by_the_beat_task(case):
    knowledge.start_questions(case=case)
    assert knowledge.forget_expired_questions() == 0
    later = timezone.now() + timedelta(minutes=settings.IDENTITY_KNOWLEDGE_MINUTES + 1)
    assert knowledge.forget_expired_questions(now=later) == 1
    assert KnowledgeAttempt.objects.get(case=case).questions == []
    assert knowledge.forget_expired_questions(now=later) == 0


def test_answers_count_only_for_the_details_the_questions_were_asked_about(case):
    knowledge.start_questions(case=case)
    record_passport(case, given_names="Someone", surname="Else")
    case.refresh_from_db()
    with pytest.raises(KnowledgeRefused) as refused:
        knowledge.answer_questions(case=case, answers=RIGHT)
    assert refused.value.code == "details_changed"
    assert not _knowledge_checks(case)
    # New questions can be had about the details given now.
    assert knowledge.start_questions(case=case).questions


def test_a_check_passed_before_the_details_changed_stops_counting(case):
    knowledge.start_questions(case=case)
    knowledge.answer_questions(case=case, answers=RIGHT)
    assert _verification(case) == 3
    record_passport(case, surname="Else")
    assert _verification(case) == 0


# --- How many, and when there are none -------------------------------------------------------


def test_only_so_many_sets_of_questions_a_day(client, case):
    limit = settings.IDENTITY_KNOWLEDGE_ATTEMPTS_PER_DAY
    for _attempt in range(limit):
        client.post(START_URL)
        # Asking again while questions wait gives the same questions, not another attempt.
        client.post(START_URL)
        client.get(QUESTIONS_URL)
        attempt = case.knowledge_attempts.first()
        client.post(QUESTIONS_URL, _form(WRONG, attempt))
    assert case.knowledge_attempts.count() == limit
    page = client.get(QUESTIONS_URL)
    assert page.status_code == 429
    assert f"You can get security questions {limit} times in 24 hours" in page.content.decode()
    assert client.post(START_URL).status_code == 429
    refused = api_client(case.person).post(API_QUESTIONS)
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "attempts_used"
    assert case.knowledge_attempts.count() == limit
    with time_machine.travel(timezone.now() + timedelta(hours=24, seconds=1)):
        client.force_login(case.person)  # a day later the sign-in itself has ended
        assert client.post(START_URL)["Location"] == QUESTIONS_URL
    assert case.knowledge_attempts.count() == limit + 1


def test_the_latest_answers_count(case):
    knowledge.start_questions(case=case)
    knowledge.answer_questions(case=case, answers=WRONG)
    knowledge.start_questions(case=case)
    knowledge.answer_questions(case=case, answers=RIGHT)
    [check] = _knowledge_checks(case)
    assert check.outcome == "passed" and _verification(case) == 3


def test_with_no_knowledge_provider_the_page_is_a_clear_refusal(client, case, settings):
    settings.IDENTITY_VERIFIERS = {**settings.IDENTITY_VERIFIERS, "knowledge": ""}
    for response in (client.get(QUESTIONS_URL), client.post(START_URL), client.post(QUESTIONS_URL, {})):
        html = response.content.decode()
        assert response.status_code == 404
        assert "Answering security questions is not offered on this service" in html
        assert "There is a problem with the security questions" in html and "govuk-back-link" in html
    api = api_client(case.person)
    for response in (api.get(API_QUESTIONS), api.post(API_QUESTIONS), api.post(API_ANSWERS, {}, format="json")):
        assert response.status_code == 404
        assert response.json()["error"] == {
            "code": "not_offered",
            "message": "Answering security questions is not offered on this service. "
            "A registrar can check your identity.",
        }
    assert not KnowledgeAttempt.objects.exists()


def test_questions_need_the_persons_details_first(client, person):
    response = client.get(QUESTIONS_URL)
    assert response.status_code == 409 and "Enter your name, date of birth and address" in response.content.decode()
    cases.open_case(person=person)
    assert client.post(START_URL).status_code == 409
    assert not KnowledgeAttempt.objects.exists()


def test_a_case_with_a_registrar_gets_no_questions(client, case):
    IdentityCase.objects.filter(pk=case.pk).update(status="with_registrar")
    response = client.get(QUESTIONS_URL)
    assert response.status_code == 409 and "cannot be changed now" in response.content.decode()
    assert client.post(START_URL).status_code == 409


@pytest.mark.parametrize(
    "surname, code, status, reason",
    [
        ("Nofile", "no_questions", 409, "knowledge_no_questions"),
        ("Offline", "provider_unavailable", 503, "provider_unreachable"),
    ],
)
def test_a_provider_without_questions_is_recorded_and_explained(client, person, surname, code, status, reason):
    case = _case_for(person, surname=surname)
    response = client.post(START_URL)
    assert response.status_code == status
    [check] = _knowledge_checks(case)
    assert check.outcome == "unavailable" and check.reasons == [reason]
    # It is not the person's fault: no attempt is used up.
    assert not KnowledgeAttempt.objects.exists()
    api = api_client(person).post(API_QUESTIONS)
    assert api.status_code == status and api.json()["error"]["code"] == code


def test_an_outage_does_not_replace_answers_already_given(case, monkeypatch):
    knowledge.start_questions(case=case)
    knowledge.answer_questions(case=case, answers=RIGHT)
    monkeypatch.setattr(
        SandboxKnowledgeProvider,
        "start",
        lambda self, *, person: KnowledgeSession(session_id="unavailable:provider_timeout", questions=()),
    )
    with pytest.raises(KnowledgeRefused) as refused:
        knowledge.start_questions(case=case)
    assert refused.value.code == "provider_unavailable"
    [check] = _knowledge_checks(case)
    assert check.outcome == "passed" and _verification(case) == 3


def test_a_fault_in_the_adapter_is_an_unavailable_answer(case, monkeypatch):
    knowledge.start_questions(case=case)

    def broken(self, *, session_id, answers):
        raise RuntimeError("answers for Sarah Morgan")

    monkeypatch.setattr(SandboxKnowledgeProvider, "answer", broken)
    with pytest.raises(KnowledgeRefused) as refused:
        knowledge.answer_questions(case=case, answers=RIGHT)
    assert refused.value.code == "provider_unavailable"
    [check] = _knowledge_checks(case)
    assert check.outcome == "unavailable" and check.reasons == ["checker_failed"]
    # The session was claimed before the provider was asked, so it is never answered again.
    assert KnowledgeAttempt.objects.get(case=case).answered_at is not None


# --- The API mirrors the page -----------------------------------------------------------------


def test_the_api_asks_and_answers_the_same_questions(case):
    api = api_client(case.person)
    none_yet = api.get(API_QUESTIONS)
    assert none_yet.status_code == 409 and none_yet.json()["error"]["code"] == "not_started"
    started = api.post(API_QUESTIONS)
    assert started.status_code == 201
    body = started.json()
    attempt = KnowledgeAttempt.objects.get(case=case)
    assert [question["id"] for question in body["questions"]] == ["sandbox-low", "sandbox-medium", "sandbox-high"]
    assert body["questions"][0]["choices"][0] == "Station Road" and body["sandbox"] is True
    assert attempt.session_id not in started.content.decode()
    assert api.get(API_QUESTIONS).json() == body
    assert api.post(API_QUESTIONS).json() == body  # the questions waiting, not new ones
    answered = api.post(API_ANSWERS, {"answers": RIGHT}, format="json")
    assert answered.status_code == 200
    assert answered.json() == {"detail": str(knowledge.ANSWERED)}
    assert _verification(case) == 3
    again = api.post(API_ANSWERS, {"answers": RIGHT}, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_answered"


def test_the_api_names_an_unanswered_question_as_the_page_does(case):
    api = api_client(case.person)
    api.post(API_QUESTIONS)
    partial = {key: value for key, value in RIGHT.items() if key != "sandbox-medium"}
    response = api.post(API_ANSWERS, {"answers": {**partial, "sandbox-high": ["a list"]}}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "sandbox-medium": ["Select an answer to question 2"],
        "sandbox-high": ["Select an answer to question 3"],
    }
    for hostile in ({}, {"answers": "Station Road"}, ["not", "an", "object"]):
        response = api.post(API_ANSWERS, hostile, format="json")
        assert response.status_code == 400, hostile
    assert KnowledgeAttempt.objects.get(case=case).answered_at is None


def test_the_api_says_when_questions_expired(case):
    api = api_client(case.person)
    api.post(API_QUESTIONS)
    with time_machine.travel(timezone.now() + timedelta(minutes=settings.IDENTITY_KNOWLEDGE_MINUTES, seconds=1)):
        response = api.post(API_ANSWERS, {"answers": RIGHT}, format="json")
    assert response.status_code == 410 and response.json()["error"]["code"] == "expired"


# --- Welsh ---------------------------------------------------------------------------------------


def test_the_questions_pages_are_in_welsh(client, case):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    start = client.get(QUESTIONS_URL).content.decode()
    assert '<html lang="cy"' in start
    assert "Answer security questions" not in start and "Get the questions" not in start
    client.post(START_URL)
    page = client.get(QUESTIONS_URL).content.decode()
    assert "Ar ba un o’r strydoedd hyn ydych chi wedi byw?" in page and "Dim un o’r rhain" in page
    assert "Your security questions" not in page and "Send my answers" not in page
    attempt = KnowledgeAttempt.objects.get(case=case)
    error = client.post(QUESTIONS_URL, {}).content.decode()
    assert "Select an answer to question 1" not in error and "govuk-error-summary" in error
    done = client.post(QUESTIONS_URL, _form(RIGHT, attempt), follow=True).content.decode()
    assert "You have answered the security questions." not in done
    assert _knowledge_checks(case)[0].outcome == "passed"


def test_a_refusal_reads_the_same_in_welsh_on_the_page_and_the_api(client, case, settings):
    settings.IDENTITY_VERIFIERS = {**settings.IDENTITY_VERIFIERS, "knowledge": ""}
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    page = client.get(QUESTIONS_URL).content.decode()
    api = api_client(case.person).get(API_QUESTIONS, HTTP_ACCEPT_LANGUAGE="cy")
    message = api.json()["error"]["message"]
    assert "Answering security questions" not in message
    assert message.split(".")[0] in page


def test_welsh_question_texts_answered_in_english_still_count(client, case):
    """The sandbox's right choices are the same in both languages."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    client.post(START_URL)
    attempt = KnowledgeAttempt.objects.get(case=case)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.post(QUESTIONS_URL, _form(RIGHT, attempt))
    assert EvidenceCheck.objects.get(case=case, kind="knowledge").outcome == "passed"
