"""From a hold to a booking: hold a slot, enter both people's details, check the answers, extend
the hold and book it. Also what the other citizen pages share: the person's own booking, and
the pages that say why a step was refused."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core.pages import add_refusal, problem_page, refusal_page
from identity.access import citizen_required

from .. import services
from ..forms import ChooseSlotForm, PartyForm
from ..models import Booking
from ..refusals import BookingRefused

PROBLEM_TITLE = gettext_lazy("There is a problem with your booking")
# Which question of the details page a refusal is about.
PARTY_FIELDS = {"too_young": "date_of_birth", "lived_since_future": "lived_there_since"}


def _own_booking(request: HttpRequest, reference: str) -> Booking:
    """Someone else's booking is a 404, not a 403: references are not to be probed."""
    return get_object_or_404(
        Booking.objects.select_related("person", "room__venue__office"), reference=reference, person=request.user
    )


@require_POST
@citizen_required
def hold(request: HttpRequest) -> HttpResponse:
    form = ChooseSlotForm(request.POST)
    if not form.is_valid():
        return _slot_not_found(request, back=reverse("booking:search"))
    data = form.cleaned_data
    try:
        booking = services.hold_published_slot(
            person=request.user,
            room=data["room"],
            starts_at=data["starts_at"],
            kind=Booking.Kind.CEREMONY,
            guests=data.get("guests") or 0,
        )
    except BookingRefused as refused:
        return _refused(request, refused)
    return redirect("booking:party", reference=booking.reference, position=1)


def _back_from(booking: Booking) -> str:
    """Where a refused step of this booking goes back to."""
    if booking.is_identity_appointment:
        return reverse("booking:identity-start")
    return reverse("booking:search")


def _refused(request: HttpRequest, refused: BookingRefused, *, back: str | None = None) -> HttpResponse:
    return refusal_page(request, refused, back=back or reverse("booking:search"), title=PROBLEM_TITLE)


def _slot_not_found(request: HttpRequest, *, back: str) -> HttpResponse:
    return problem_page(
        request,
        _("That time could not be found. Search again to choose a time"),
        status=400,
        back=back,
        title=PROBLEM_TITLE,
    )


def _held(request: HttpRequest, reference: str) -> Booking | HttpResponse:
    booking = _own_booking(request, reference)
    if booking.status != Booking.Status.HELD:
        return redirect("booking:manage", reference=booking.reference)
    if booking.hold_has_run_out():
        return _refused(request, BookingRefused("hold_expired"), back=_back_from(booking))
    return booking


@citizen_required
@require_http_methods(["GET", "POST"])
def party(request: HttpRequest, reference: str, position: int) -> HttpResponse:
    booking = _own_booking(request, reference)
    if position not in (1, 2) or booking.kind != Booking.Kind.CEREMONY:
        raise Http404
    if booking.hold_has_run_out():
        return _refused(request, BookingRefused("hold_expired"))
    if not booking.allows("change_details"):
        return redirect("booking:manage", reference=booking.reference)
    existing = booking.parties.filter(position=position).first()
    initial = (
        {
            "full_name": existing.full_name,
            "date_of_birth": existing.date_of_birth,
            "email": existing.email,
            "postcode": existing.postcode,
            "lived_there_since": existing.lived_there_since,
        }
        if existing
        else {"email": request.user.email if position == 1 else ""}
    )
    form = PartyForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_party(booking=booking, position=position, details=form.cleaned_data)
            except BookingRefused as refused:
                add_refusal(form, refused, PARTY_FIELDS.get(refused.code))
            else:
                if booking.status != Booking.Status.HELD:
                    return redirect("booking:manage", reference=booking.reference)
                if position == 1 and not booking.parties.filter(position=2).exists():
                    return redirect("booking:party", reference=booking.reference, position=2)
                return redirect("booking:check", reference=booking.reference)
        status = 400
    title = _("Your details") if position == 1 else _("Your partner's details")
    return render(
        request,
        "booking/party.html",
        {
            "form": form,
            "booking": booking,
            "page_title": title,
            "position": position,
            **(_hold_context(booking) if booking.status == Booking.Status.HELD else {}),
        },
        status=status,
    )


@citizen_required
def check(request: HttpRequest, reference: str) -> HttpResponse:
    booking = _held(request, reference)
    if isinstance(booking, HttpResponse):
        return booking
    parties = list(booking.parties.all())
    if booking.kind == Booking.Kind.CEREMONY and len(parties) != 2:
        return redirect("booking:party", reference=booking.reference, position=1 if not parties else 2)
    return render(request, "booking/check.html", {"booking": booking, "parties": parties, **_hold_context(booking)})


def _hold_context(booking: Booking) -> dict:
    return {
        "hold_expires_at": booking.hold_expires_at,
        "hold_seconds_left": max(0, int((booking.hold_expires_at - timezone.now()).total_seconds())),
        "warning_seconds": settings.BOOKING_HOLD_WARNING_SECONDS,
    }


@require_POST
@citizen_required
def confirm(request: HttpRequest, reference: str) -> HttpResponse:
    booking = _own_booking(request, reference)
    try:
        # The details were saved page by page; booking the hold checks them once more.
        services.book_held_slot(booking=booking, actor=request.user)
    except BookingRefused as refused:
        if refused.code == "details_missing":
            return redirect("booking:party", reference=booking.reference, position=1)
        return _refused(request, refused, back=_back_from(booking))
    return redirect("booking:confirmation", reference=booking.reference)


@require_POST
@citizen_required
def extend(request: HttpRequest, reference: str) -> HttpResponse:
    booking = _own_booking(request, reference)
    try:
        services.extend_hold(booking=booking)
    except BookingRefused as refused:
        return _refused(request, refused)
    next_url = request.POST.get("next", "")
    allowed = {reverse("booking:check", args=[booking.reference])} | {
        reverse("booking:party", args=[booking.reference, position]) for position in (1, 2)
    }
    if booking.ceremony_id:
        allowed.add(reverse("booking:notice-check", args=[booking.reference]))
    if booking.is_identity_appointment:
        allowed.add(reverse("booking:appointment-check", args=[booking.reference]))
    return redirect(next_url if next_url in allowed else reverse("booking:check", args=[booking.reference]))


@citizen_required
def confirmation(request: HttpRequest, reference: str) -> HttpResponse:
    booking = _own_booking(request, reference)
    if not booking.is_booked:
        return redirect("booking:manage", reference=booking.reference)
    return render(request, "booking/confirmation.html", {"booking": booking})


@citizen_required
def notice_check(request: HttpRequest, reference: str) -> HttpResponse:
    """Check your answers for a held appointment: a notice appointment or an identity appointment."""
    booking = _held(request, reference)
    if isinstance(booking, HttpResponse):
        return booking
    return render(request, "booking/check.html", {"booking": booking, "parties": [], **_hold_context(booking)})
