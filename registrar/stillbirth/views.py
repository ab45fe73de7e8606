"""The stillbirth pages under /register/stillbirth/: what to expect before starting, the two
certificates the parents download once the stillbirth is registered, and ordering certified
copies (only the parents named in the entry may). The questions themselves are the journey's
pages (registrar.journey_views), as for a birth."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from certificates.models import CertificateKind
from certificates.refusals import OrderRefused
from certificates.services import start_order
from core.pages import refusal_page
from identity.access import citizen_required

from ..models import Event, RegisterEntry, Registration
from . import selectors


def start(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "registrar/stillbirth/start.html",
        {"weeks": settings.STILLBIRTH_MINIMUM_WEEKS, "days": settings.STILLBIRTH_DAYS},
    )


def _registered(request: HttpRequest, reference: str) -> Registration:
    """A registered stillbirth the signed-in person is a parent in (or the informant of);
    anything else is a 404, so references cannot be probed."""
    registration = get_object_or_404(
        Registration.objects.select_related("entry__district", "informant"),
        reference=reference,
        event=Event.STILLBIRTH,
        status=Registration.Status.REGISTERED,
    )
    if request.user.pk != registration.informant_id and request.user.pk not in selectors.parents_of(registration.entry):
        raise Http404
    return registration


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@citizen_required
def certificate_of_registration(request: HttpRequest, reference: str) -> HttpResponse:
    registration = _registered(request, reference)
    from . import documents  # reportlab: loaded when a PDF is asked for, not by every web process

    return _pdf(documents.certificate_of_registration_pdf(registration), f"certificate-of-registration-{reference}.pdf")


@citizen_required
def burial_or_cremation(request: HttpRequest, reference: str) -> HttpResponse:
    registration = _registered(request, reference)
    from . import documents

    return _pdf(documents.burial_or_cremation_pdf(registration), f"burial-or-cremation-{reference}.pdf")


@citizen_required
@require_http_methods(["GET", "POST"])
def copies(request: HttpRequest) -> HttpResponse:
    """Certified copies of the still-birth entries the person is a parent in. The rule itself is
    the certificates service's (start_order refuses anyone else)."""
    entries = selectors.entries_for_parent(request.user)
    if request.method == "POST":
        entry = get_object_or_404(
            RegisterEntry.objects.select_related("district", "registration"),
            pk=request.POST.get("entry") if str(request.POST.get("entry", "")).isdigit() else None,
            event=Event.STILLBIRTH,
        )
        try:
            order = start_order(person=request.user, entry=entry, kind=CertificateKind.STILLBIRTH, copies=1)
        except OrderRefused as refused:
            return refusal_page(
                request,
                refused,
                back=reverse("registrar:stillbirth-copies"),
                title=_("You cannot order a copy of this entry"),
                back_label=_("Go back"),
            )
        return redirect("certificates:certificate", reference=order.reference)
    return render(request, "registrar/stillbirth/copies.html", {"entries": entries})
