"""The family's link to the coroner's interim certificate of the fact of death: signed, no account
needed (as the funeral arranger's link to the green form), answering the signed PDF."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from core.pages import refusal_page
from registrar.inquest.refusals import InquestRefused
from registrar.inquest.services import interim_for_token


@require_GET
def download(request: HttpRequest, token: str) -> HttpResponse:
    try:
        certificate = interim_for_token(token)
    except InquestRefused as refused:
        return refusal_page(request, refused, back=reverse("home"))
    from .interim import interim_pdf  # reportlab and pyHanko: loaded when a PDF is asked for

    response = HttpResponse(interim_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="interim-certificate-of-the-fact-of-death.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
