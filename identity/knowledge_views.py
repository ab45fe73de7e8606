"""The security questions pages (knowledge-based verification): what they are and a button to get
them, then the questions as GOV.UK radios. The API's counterpart is in `api_identity`; both call
`knowledge`. Nothing on these pages says which answers were right."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core.pages import refusal_page

from . import knowledge, selectors, verifiers
from .access import citizen_required
from .forms import KnowledgeAnswersForm
from .models import IdentityCase, KnowledgeAttempt
from .refusals import KnowledgeRefused

START_TITLE = gettext_lazy("Answer security questions")
QUESTIONS_TITLE = gettext_lazy("Your security questions")
PROBLEM_TITLE = gettext_lazy("There is a problem with the security questions")


def _refused(request: HttpRequest, refused: KnowledgeRefused) -> HttpResponse:
    return refusal_page(
        request, refused, back=reverse("identity:check"), title=PROBLEM_TITLE, back_label=gettext_lazy("Go back")
    )


def _questions_page(request: HttpRequest, attempt: KnowledgeAttempt, form: KnowledgeAnswersForm, status: int = 200):
    context = {"page_title": QUESTIONS_TITLE, "attempt": attempt, "form": form}
    return render(request, "identity/check_questions.html", context, status=status)


def _start_page(request: HttpRequest, case: IdentityCase) -> HttpResponse:
    context = {
        "page_title": START_TITLE,
        "provider": verifiers.configured(knowledge.ROLE),
        "attempts_left": knowledge.attempts_left(case=case),
        "attempts": settings.IDENTITY_KNOWLEDGE_ATTEMPTS_PER_DAY,
        "minutes": settings.IDENTITY_KNOWLEDGE_MINUTES,
        "answered_before": knowledge.latest_answered(case=case) is not None,
    }
    return render(request, "identity/check_questions.html", context)


@citizen_required
@require_http_methods(["GET", "POST"])
def check_questions(request: HttpRequest) -> HttpResponse:
    case = selectors.current_identity_case(person=request.user)
    try:
        knowledge.check_can_ask(case=case)
    except KnowledgeRefused as refused:
        return _refused(request, refused)
    attempt = knowledge.open_attempt(case=case)
    if request.method == "GET":
        if attempt is not None:
            return _questions_page(request, attempt, KnowledgeAnswersForm(questions=attempt.questions))
        if knowledge.attempts_left(case=case) <= 0:
            return _refused(request, KnowledgeRefused("attempts_used"))
        return _start_page(request, case)
    form = KnowledgeAnswersForm(request.POST, questions=attempt.questions if attempt else [])
    if attempt is not None and not form.is_valid():
        return _questions_page(request, attempt, form, status=400)
    try:
        # Without questions waiting, the service says why: not started, answered, or expired.
        knowledge.answer_questions(case=case, answers=form.answers() if attempt else {})
    except KnowledgeRefused as refused:
        return _refused(request, refused)
    messages.success(request, knowledge.ANSWERED)
    return redirect("identity:check")


@citizen_required
@require_POST
def start_questions(request: HttpRequest) -> HttpResponse:
    case = selectors.current_identity_case(person=request.user)
    try:
        knowledge.start_questions(case=case)
    except KnowledgeRefused as refused:
        return _refused(request, refused)
    return redirect("identity:check-questions")
