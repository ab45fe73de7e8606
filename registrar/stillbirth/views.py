"""The stillbirth pages under /register/stillbirth/: what to expect before starting, the two
certificates the parents download once the stillbirth is registered (their certified copies are
ordered from the certificates pages: certificates.stillbirth_views). The questions themselves are the journey's
pages (registrar.journey_views), as for a birth."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from identity.access import citizen_required

from ..models import Event, Registration
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
