"""How pages show a refusal: as a problem page with the refusal's own status and message, or as
an error on the form that asked. The API's counterpart is `core.api_errors.refusal_response`."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from .refusals import Refusal

DEFAULT_TITLE = _("There is a problem")


def problem_page(
    request: HttpRequest,
    message: str,
    *,
    status: int,
    back: str,
    title: str | None = None,
    caption: str = "",
    back_label: str | None = None,
) -> HttpResponse:
    context = {"message": message, "back": back, "title": title or DEFAULT_TITLE, "caption": caption}
    if back_label:
        context["back_label"] = back_label
    return render(request, "problem.html", context, status=status)


def refusal_page(
    request: HttpRequest, refusal: Refusal, *, back: str, title: str | None = None, **kwargs
) -> HttpResponse:
    response = problem_page(request, refusal.message, status=refusal.status, back=back, title=title, **kwargs)
    if refusal.retry_after is not None:
        response["Retry-After"] = str(refusal.retry_after)
    return response


def add_refusal(form: forms.Form, refusal: Refusal, field: str | None = None) -> None:
    """The refusal as an error of the form (GOV.UK error summary), for a refusal about what was typed."""
    form.add_error(field, refusal.message)
