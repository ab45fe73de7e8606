"""Citizen pages: search the national calendar, hold a slot, enter both people's details,
check answers, book, and then manage the booking (witnesses, notice appointments, move,
cancel) from the account or from the signed link in every message; and identity appointments
with a registrar (by video or in person) for a person whose identity check is with a registrar.
Phone support books for a person through these same pages inside an assisted session."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages as flash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core.pages import add_refusal, problem_page, refusal_page
from core.private_search import private_search
from core.replica import reads_may_lag
from identity.access import citizen_required
from identity.selectors import current_identity_case

from . import forms, rules, selectors, services
from .calendar import booking_ics_response
from .ceremony_notices import CeremonyNotices, ceremony_notices
from .forms import CancelForm, ChooseSlotForm, IdentityAppointmentForm, PartyForm, SearchForm, WitnessesForm
from .models import Booking, Venue
from .notifications import booking_for_token
from .refusals import BookingRefused

PROBLEM_TITLE = gettext_lazy("There is a problem with your booking")
# Which question of the details page a refusal is about.
PARTY_FIELDS = {"too_young": "date_of_birth", "lived_since_future": "lived_there_since"}


def _own_booking(request: HttpRequest, reference: str) -> Booking:
    """Someone else's booking is a 404, not a 403: references are not to be probed."""
    return get_object_or_404(
        Booking.objects.select_related("person", "room__venue__office"), reference=reference, person=request.user
    )


def start(request: HttpRequest) -> HttpResponse:
    return render(request, "booking/start.html")


# Result pages of one search: "Show later times" pages on through the same search, up to the
# most results a search may ask for.
RESULT_PAGES = forms.MAX_RESULTS // forms.DEFAULT_RESULTS


def _result_page(value: str | None) -> int:
    """Any page number is harmless: nonsense shows the first page, beyond the last the last."""
    try:
        return max(1, min(int(value or 1), RESULT_PAGES))
    except ValueError:
        return 1


def _search_page(
    request: HttpRequest,
    *,
    kind: str,
    name: str,
    template_context: dict,
    extra_search: dict | None = None,
    by_place: bool | None = None,
):
    """The search form and its results. A postcode or town is personal: the search is posted,
    and its results shown and paged at a token URL (`core.private_search`)."""
    search = private_search(request, name)
    initial = {"order": "date", "venue_kind": ""}
    form = SearchForm(search.data, kind=kind, initial=initial, by_place=by_place)
    slots = None
    status = 200
    page = _result_page(request.GET.get("page"))
    more = False
    if search.data is not None:
        if form.is_valid():
            if search.posted:
                return search.redirect_to_results()
            # One more than the page shows, to know whether later times follow.
            shown = page * forms.DEFAULT_RESULTS
            found = selectors.find_slots(form.search(**(extra_search or {}) | {"limit": shown + 1}))
            more = len(found) > shown and page < RESULT_PAGES
            slots = found[shown - forms.DEFAULT_RESULTS : shown]
        else:
            status = 400
    first, last = selectors.bookable_dates(kind)
    context = {
        "form": form,
        "slots": slots,
        "kind": kind,
        "first_bookable": first,
        "last_bookable": last,
        "guests": form.cleaned_data.get("guests") if form.is_bound and form.is_valid() else 0,
        "search_expired": search.expired,
        **template_context,
    }
    if slots is not None:
        if more:
            context["later_url"] = search.page_url(page + 1)
        if page > 1:
            context["earlier_url"] = search.page_url(page - 1)
    return render(request, "booking/search.html", context, status=status)


@reads_may_lag
@require_http_methods(["GET", "POST"])
def search(request: HttpRequest) -> HttpResponse:
    return _search_page(
        request,
        kind=Booking.Kind.CEREMONY,
        name="booking-ceremonies",
        template_context={"choose_url": reverse("booking:hold"), "heading": _("Find a ceremony date and venue")},
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


@citizen_required
def notice_check(request: HttpRequest, reference: str) -> HttpResponse:
    """Check your answers for a held appointment: a notice appointment or an identity appointment."""
    booking = _held(request, reference)
    if isinstance(booking, HttpResponse):
        return booking
    return render(request, "booking/check.html", {"booking": booking, "parties": [], **_hold_context(booking)})


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
