"""Staff pages for deaths after an inquest: "Certificates from coroners" (the certificates after
inquest waiting in the user's offices) and one certificate's particulars in words, with
"Register this death". Every view and action is audited; the service checks office and
permission again."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from core.audit import audit_request
from core.pages import add_refusal
from identity.access import staff_required

from . import selectors, services
from .forms import RegisterFromCertificateForm
from .particulars import informant_statement
from .refusals import InquestRefused

WORK = services.WORK_REGISTRATIONS


@staff_required(WORK)
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    certificates = list(selectors.waiting_certificates(request.user)[:500])
    audit_request(request, action="coroner_certificates.viewed", count=len(certificates))
    return render(request, "registrar/inquest/queue.html", {"certificates": certificates})


def _certificate_or_404(request: HttpRequest, reference: str):
    certificate = selectors.certificate_for(request.user, reference)
    if certificate is None:
        raise Http404
    return certificate


def _page(request: HttpRequest, certificate, *, form=None, status: int = 200) -> HttpResponse:
    may_register = certificate.allows("register") and services.may_register(request.user, certificate)
    form = form or RegisterFromCertificateForm()
    context = {
        "certificate": certificate,
        "rows": selectors.particulars_in_words(certificate),
        "statement": informant_statement(certificate),
        "form": form if may_register else None,
        "error_form": form if form.errors else None,
        "registration": certificate.registration,
    }
    return render(request, "registrar/inquest/certificate.html", context, status=status)


@staff_required(WORK)
@require_GET
def certificate(request: HttpRequest, reference: str) -> HttpResponse:
    found = _certificate_or_404(request, reference)
    audit_request(
        request, action="coroner_certificate.viewed", object_type="coroner_certificate", object_id=found.reference
    )
    return _page(request, found)


@staff_required(WORK)
@require_POST
def register(request: HttpRequest, reference: str) -> HttpResponse:
    found = _certificate_or_404(request, reference)
    form = RegisterFromCertificateForm(request.POST)
    if not form.is_valid():
        return _page(request, found, form=form, status=400)
    try:
        services.register_from_certificate(certificate=found, actor=request.user)
    except InquestRefused as refused:
        add_refusal(form, refused)
        found.refresh_from_db()
        return _page(request, found, form=form, status=refused.status)
    return redirect(reverse("registrar-staff:coroner-certificate", args=[found.reference]) + "?registered=1")
