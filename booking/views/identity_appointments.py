"""Identity appointments with a registrar, by video or in person, for a person whose identity check
is with a registrar: choose the way to meet, search and hold a time."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from identity.access import citizen_required
from identity.selectors import current_identity_case

from .. import selectors, services
from ..forms import ChooseSlotForm, IdentityAppointmentForm
from ..models import Booking, Venue
from ..refusals import BookingRefused
from .holds import _refused, _slot_not_found
from .search import _search_page

# The identity appointment pages name the way to meet in their address.
IDENTITY_WAYS = {"video": Booking.Kind.IDENTITY_VIDEO, "in-person": Booking.Kind.IDENTITY_IN_PERSON}
WAY_OF_KIND = {kind: way for way, kind in IDENTITY_WAYS.items()}


def _identity_search(kind: str, case) -> dict:
    """A video call may be with a registrar of any office, one result per time, the check's own
    office first; in person, at any register office."""
    if kind == Booking.Kind.IDENTITY_VIDEO:
        return {"one_per_time": True, "prefer_office_id": case.office_id if case else None}
    return {"venue_kind": Venue.Kind.REGISTER_OFFICE}


def _identity_refusal(request: HttpRequest) -> BookingRefused | None:
    try:
        services.identity_case_needing_appointment(request.user)
    except BookingRefused as refused:
        return refused
    return None


@citizen_required
@require_http_methods(["GET", "POST"])
def identity_start(request: HttpRequest) -> HttpResponse:
    """Book an identity appointment: by video or in person. Shows the appointment already
    booked, or why none is needed (a confirmed identity) or possible yet."""
    appointment = selectors.identity_appointment_of(request.user)
    refusal = _identity_refusal(request)
    form = IdentityAppointmentForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if refusal is not None:
            return _refused(request, refusal, back=reverse("identity:check"))
        if appointment is not None:
            return _refused(request, BookingRefused("identity_appointment_booked"), back=reverse("identity:check"))
        if form.is_valid():
            return redirect("booking:identity-search", way=WAY_OF_KIND[form.cleaned_data["kind"]])
        status = 400
    return render(
        request,
        "booking/identity_start.html",
        {
            "form": form,
            "refusal": refusal,
            "appointment": appointment if appointment is not None and appointment.is_booked else None,
        },
        status=status,
    )


def _identity_kind(way: str) -> str:
    kind = IDENTITY_WAYS.get(way)
    if kind is None:
        raise Http404
    return kind


@citizen_required
@require_http_methods(["GET", "POST"])
def identity_search(request: HttpRequest, way: str) -> HttpResponse:
    kind = _identity_kind(way)
    back = reverse("booking:identity-start")
    refusal = _identity_refusal(request)
    if refusal is not None:
        return _refused(request, refusal, back=back)
    existing = selectors.identity_appointment_of(request.user)
    if existing is not None and existing.is_booked:
        return redirect("booking:manage", reference=existing.reference)
    case = current_identity_case(person=request.user)
    heading = (
        _("Choose a time for your video call with a registrar")
        if kind == Booking.Kind.IDENTITY_VIDEO
        else _("Choose a register office and a time")
    )
    return _search_page(
        request,
        kind=kind,
        name=f"booking-identity-{way}",
        template_context={
            "choose_url": reverse("booking:identity-hold", args=[way]),
            "heading": heading,
            "identity_back": back,
        },
        extra_search=_identity_search(kind, case),
    )


@require_POST
@citizen_required
def identity_hold(request: HttpRequest, way: str) -> HttpResponse:
    kind = _identity_kind(way)
    form = ChooseSlotForm(request.POST)
    back = reverse("booking:identity-search", args=[way])
    if not form.is_valid():
        return _slot_not_found(request, back=back)
    try:
        appointment = services.hold_published_slot(
            person=request.user,
            room=form.cleaned_data["room"],
            starts_at=form.cleaned_data["starts_at"],
            kind=kind,
        )
    except BookingRefused as refused:
        return _refused(request, refused, back=back)
    return redirect("booking:appointment-check", reference=appointment.reference)
