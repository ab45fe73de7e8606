"""Managing a booking once made, from the account or from the signed link in every message: see
it, add it to a calendar, name witnesses, move it and cancel it."""

from __future__ import annotations

from django.contrib import messages as flash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.pages import add_refusal, problem_page
from identity.access import citizen_required

from .. import rules, selectors, services
from ..calendar import booking_ics_response
from ..ceremony_notices import CeremonyNotices, ceremony_notices
from ..forms import CancelForm, ChooseSlotForm, WitnessesForm
from ..models import Booking
from ..notifications import booking_for_token
from ..refusals import BookingRefused
from .holds import PROBLEM_TITLE, _own_booking, _refused, _slot_not_found
from .identity_appointments import _identity_search
from .search import _search_page


@citizen_required
def calendar_file(request: HttpRequest, reference: str) -> HttpResponse:
    return booking_ics_response(_own_booking(request, reference))


@citizen_required
def mine(request: HttpRequest) -> HttpResponse:
    return render(request, "booking/mine.html", {"bookings": selectors.bookings_of(request.user)})


def _manage_context(booking: Booking, *, signed: bool) -> dict:
    # Notice is given online in the registration domain's journey; booking reads what it allows.
    notices = ceremony_notices(booking) if booking.kind == Booking.Kind.CEREMONY else CeremonyNotices()
    parties = [
        {
            "party": party,
            "given_on": notices.given.get(party.position),
            "earliest": rules.earliest_notice_date(party.lived_there_since),
        }
        for party in booking.parties.all()
    ]
    ceremony_day = booking.starts_at.astimezone(selectors.UK).date()
    return {
        "booking": booking,
        "parties": parties,
        "notices": notices,
        "witnesses": list(booking.witnesses.all()),
        "signed": signed,
        "notice_deadline": rules.notice_deadline(ceremony_day) if booking.kind == Booking.Kind.CEREMONY else None,
        # The person's own page, whoever opens the link in their message.
        "actions": selectors.actions_open_to(booking, user=booking.person),
    }


@citizen_required
def manage(request: HttpRequest, reference: str) -> HttpResponse:
    booking = _own_booking(request, reference)
    if booking.status == Booking.Status.HELD and not booking.hold_has_run_out():
        if booking.is_identity_appointment:
            return redirect("booking:appointment-check", reference=reference)
        if booking.kind == Booking.Kind.CEREMONY or booking.ceremony_id:
            return redirect("booking:check" if not booking.ceremony_id else "booking:notice-check", reference=reference)
        # A notice interview held from the marriage journey is checked and booked there.
    return render(request, "booking/manage.html", _manage_context(booking, signed=False))


def manage_link(request: HttpRequest, token: str) -> HttpResponse:
    """The link in every message: see and cancel the booking without signing in."""
    booking = booking_for_token(token)
    if booking is None:
        return problem_page(
            request,
            _("This link is not valid or has expired. Sign in to see your bookings"),
            status=404,
            back=reverse("booking:mine"),
            title=PROBLEM_TITLE,
        )
    context = _manage_context(booking, signed=True)
    context["token"] = token
    return render(request, "booking/manage.html", context)


def _cancel(request: HttpRequest, booking: Booking, *, done_url: str, back_url: str) -> HttpResponse:
    form = CancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            if form.cleaned_data["confirm"] == "no":
                return redirect(back_url)
            try:
                services.cancel_booking(booking=booking, actor=booking.person)
            except BookingRefused as refused:
                return _refused(request, refused, back=back_url)
            flash.success(request, _("Your booking %(reference)s is cancelled") % {"reference": booking.reference})
            return redirect(done_url)
        return render(
            request, "booking/cancel.html", {"form": form, "booking": booking, "back_url": back_url}, status=400
        )
    if not booking.allows("cancel"):
        return redirect(back_url)
    return render(request, "booking/cancel.html", {"form": form, "booking": booking, "back_url": back_url})


@citizen_required
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, reference: str) -> HttpResponse:
    booking = _own_booking(request, reference)
    back = reverse("booking:manage", args=[reference])
    return _cancel(request, booking, done_url=back, back_url=back)


@require_http_methods(["GET", "POST"])
def cancel_by_link(request: HttpRequest, token: str) -> HttpResponse:
    booking = booking_for_token(token)
    if booking is None:
        raise Http404
    back = reverse("booking:manage-link", args=[token])
    return _cancel(request, booking, done_url=back, back_url=back)


def _witnesses_closed(booking: Booking) -> BookingRefused | None:
    """Why witnesses can no longer be named: the booking is cancelled, released or finished (the
    manage page offers the link by the same rule, `selectors.actions_open_to`)."""
    if "change_details" not in selectors.actions_open_to(booking, user=booking.person):
        return BookingRefused("not_active")
    return None


@citizen_required
@require_http_methods(["GET", "POST"])
def witnesses(request: HttpRequest, reference: str) -> HttpResponse:
    booking = _own_booking(request, reference)
    if booking.kind != Booking.Kind.CEREMONY:
        raise Http404
    # A cancelled, released or past ceremony has no witnesses to name: say so, on a GET too.
    closed = _witnesses_closed(booking)
    if closed is not None:
        return _refused(request, closed, back=reverse("booking:manage", args=[reference]))
    names = {f"witness_{w.position}": w.full_name for w in booking.witnesses.all()}
    form = WitnessesForm(request.POST if request.method == "POST" else None, initial=names)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.save_witnesses(
                    booking=booking,
                    names=[data["witness_1"], data["witness_2"]],
                    aged_16_or_over=data["aged_16_or_over"],
                )
            except BookingRefused as refused:
                add_refusal(form, refused)
            else:
                flash.success(request, _("Witnesses saved"))
                return redirect("booking:manage", reference=reference)
        return render(request, "booking/witnesses.html", {"form": form, "booking": booking}, status=400)
    return render(request, "booking/witnesses.html", {"form": form, "booking": booking})


@citizen_required
@require_http_methods(["GET", "POST"])
def move(request: HttpRequest, reference: str) -> HttpResponse:
    booking = _own_booking(request, reference)
    if not booking.allows("move"):
        return redirect("booking:manage", reference=reference)
    return _search_page(
        request,
        kind=booking.kind,
        name=f"booking-move-{booking.pk}",
        template_context={
            "choose_url": reverse("booking:move-to", args=[reference]),
            "heading": _("Choose a new date and time"),
            "moving": booking,
        },
        extra_search={"exclude_booking_id": booking.pk}
        | ({"venue_ids": frozenset([booking.room.venue_id])} if booking.kind == Booking.Kind.NOTICE else {})
        | (_identity_search(booking.kind, booking.identity_case) if booking.is_identity_appointment else {}),
    )


def _chosen_move(request: HttpRequest, booking: Booking) -> tuple[ChooseSlotForm, HttpResponse | None]:
    """The new time posted for `booking`, or the page that says why it cannot be had."""
    form = ChooseSlotForm(request.POST)
    back = reverse("booking:move", args=[booking.reference])
    if not form.is_valid():
        return form, _slot_not_found(request, back=back)
    return form, None


@require_POST
@citizen_required
def move_to(request: HttpRequest, reference: str) -> HttpResponse:
    """Check your new time: the time chosen from the results, checked as the move checks it,
    beside the booking's time now. Nothing moves until the person confirms."""
    booking = _own_booking(request, reference)
    form, problem = _chosen_move(request, booking)
    if problem is not None:
        return problem
    data = form.cleaned_data
    try:
        slot = services.check_reschedule(
            booking=booking, room=data["room"], starts_at=data["starts_at"], actor=request.user
        )
    except BookingRefused as refused:
        return _refused(request, refused, back=reverse("booking:move", args=[reference]))
    return render(request, "booking/move_check.html", {"booking": booking, "slot": slot})


@require_POST
@citizen_required
def move_confirm(request: HttpRequest, reference: str) -> HttpResponse:
    booking = _own_booking(request, reference)
    form, problem = _chosen_move(request, booking)
    if problem is not None:
        return problem
    try:
        services.reschedule_booking(
            booking=booking,
            room=form.cleaned_data["room"],
            starts_at=form.cleaned_data["starts_at"],
            actor=request.user,
        )
    except BookingRefused as refused:
        return _refused(request, refused, back=reverse("booking:move", args=[reference]))
    flash.success(request, _("Your booking has moved. We have emailed you the new details"))
    return redirect("booking:manage", reference=reference)
