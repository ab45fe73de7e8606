"""Staff pages for an office's booking diary: day and week views, a booking with its notices
and officers, rooms and their weekly opening times, the rota and absences, closures, bulk
re-booking after a closure or an absence, and secret calendar feeds. Staff manage only the
offices they belong to."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import date, timedelta
from functools import wraps

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.client import client_address
from identity.access import staff_required
from identity.audit import record_audit
from identity.models import RegisterOffice, User
from identity.roles import REGISTRAR, SUPERINTENDENT_REGISTRAR

from . import selectors, services
from .calendar import diary_ics
from .messages import refusal_message
from .models import Booking, CalendarFeed, Closure, OfficerAbsence, Party, Room, RoomPattern, RotaShift, Venue
from .staff_forms import (
    AbsenceForm,
    ClosureForm,
    FeedForm,
    NoticeGivenForm,
    PatternForm,
    ReassignForm,
    ShiftForm,
)

MANAGE_DIARY = "booking.manage_diary"
RECORD_NOTICE = "booking.record_notice"
STAFF_REFUSALS = {
    "shift_exists": lambda: _("This officer already has a shift starting then on that day"),
    "ends_before_start": lambda: _("The end must be after the start"),
}


def _refusal(reason: str) -> str:
    message = STAFF_REFUSALS.get(reason)
    return str(message()) if message else refusal_message(reason)


def office_page(permission: str = MANAGE_DIARY):
    """Verified staff holding `permission` who belong to the office named in the address.
    An unknown office is a 404; someone else's office is a 403."""

    def decorator(view):
        @staff_required(permission)
        @wraps(view)
        def wrapped(request: HttpRequest, office_code: str, *args, **kwargs):
            office = get_object_or_404(RegisterOffice, code=office_code)
            if not request.user.offices.filter(pk=office.pk).exists():
                raise PermissionDenied
            return view(request, office, *args, **kwargs)

        return wrapped

    return decorator


def _problem(request: HttpRequest, office: RegisterOffice | None, title: str, message: str, status: int):
    return render(
        request, "booking/staff/problem.html", {"office": office, "title": title, "message": message}, status=status
    )


# --- Offices and the diary ----------------------------------------------------------------------


@staff_required(MANAGE_DIARY)
@require_GET
def offices(request: HttpRequest) -> HttpResponse:
    return render(request, "booking/staff/offices.html", {"offices": selectors.staff_offices(request.user)})


def _parse_diary_day(value: str | None) -> date | None:
    if not value:
        return timezone.localdate()
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        return None
    # Far-off years would only overflow the previous and next links.
    return day if 2000 <= day.year <= 2200 else None


@office_page()
@require_GET
def diary(request: HttpRequest, office: RegisterOffice) -> HttpResponse:
    view = request.GET.get("view") or "day"
    day = _parse_diary_day(request.GET.get("date"))
    if view not in ("day", "week"):
        return _problem(request, office, _("Diary"), _("Choose a day view or a week view"), 400)
    if day is None:
        return _problem(
            request,
            office,
            _("Diary"),
            _("Enter the date as year-month-day, like 2027-06-12, between 2000 and 2200"),
            400,
        )
    if view == "week":
        first = day - timedelta(days=day.weekday())
        last, step = first + timedelta(days=6), timedelta(days=7)
    else:
        first = last = day
        step = timedelta(days=1)
    bookings = selectors.office_diary(office_id=office.pk, first=first, last=last).select_related(
        "notice_of_marriage__party", "ceremony"
    )
    by_day: dict[date, list[Booking]] = defaultdict(list)
    for booking in bookings:
        by_day[booking.starts_at.astimezone(selectors.UK).date()].append(booking)
    days = [(first + timedelta(days=n), by_day[first + timedelta(days=n)]) for n in range((last - first).days + 1)]
    record_audit(
        actor=request.user,
        action="booking.diary_viewed",
        object_type="office",
        object_id=office.code,
        detail={"from": first.isoformat(), "to": last.isoformat()},
        client_address=client_address(request),
    )
    return render(
        request,
        "booking/staff/diary.html",
        {
            "office": office,
            "view": view,
            "day": day,
            "first": first,
            "last": last,
            "days": days,
            "previous": (day - step).isoformat(),
            "next": (day + step).isoformat(),
            "today": timezone.localdate().isoformat(),
            "count": sum(len(items) for _day, items in days),
        },
    )


# --- One booking: notices and officers ----------------------------------------------------------


def _office_booking(office: RegisterOffice, reference: str) -> Booking:
    return get_object_or_404(
        Booking.objects.select_related(
            "room__venue__office", "person", "superintendent", "registrar", "ceremony", "notice_of_marriage__party"
        ),
        reference=reference,
        room__venue__office=office,
    )


def _notice_party(booking: Booking) -> Party | None:
    notice = getattr(booking, "notice_of_marriage", None)
    return notice.party if notice is not None else None


def _reassign_form(booking: Booking, office: RegisterOffice, data=None) -> ReassignForm:
    return ReassignForm(
        data,
        booking=booking,
        superintendents=selectors.rota_officers(office_id=office.pk, roles=(SUPERINTENDENT_REGISTRAR,)),
        registrars=selectors.rota_officers(
            office_id=office.pk,
            roles=(REGISTRAR,) if booking.kind == Booking.Kind.CEREMONY else (REGISTRAR, SUPERINTENDENT_REGISTRAR),
        ),
        action=reverse("booking-staff:reassign", args=[office.code, booking.reference]),
    )


def _render_booking(
    request: HttpRequest,
    office: RegisterOffice,
    booking: Booking,
    *,
    notice_forms: dict[int, NoticeGivenForm] | None = None,
    reassign_form: ReassignForm | None = None,
    status: int = 200,
) -> HttpResponse:
    parties = list(booking.parties.select_related("notice__office", "notice__appointment", "notice__recorded_by"))
    if booking.kind == Booking.Kind.NOTICE and _notice_party(booking) is not None:
        party = _notice_party(booking)
        parties = list(
            Party.objects.filter(pk=party.pk).select_related(
                "booking", "notice__office", "notice__appointment", "notice__recorded_by"
            )
        )
    ceremony = booking.ceremony if booking.kind == Booking.Kind.NOTICE else booking
    can_record = (
        request.user.has_perm(RECORD_NOTICE)
        and ceremony is not None
        and ceremony.status in (Booking.Status.PROVISIONAL, Booking.Status.CONFIRMED)
    )
    notice_forms = notice_forms or {}
    rows = []
    for party in parties:
        form = None
        if can_record:
            form = notice_forms.get(party.position) or NoticeGivenForm(
                prefix=f"notice-{party.position}",
                action=reverse("booking-staff:record-notice", args=[office.code, booking.reference, party.position]),
            )
        rows.append({"party": party, "notice": getattr(party, "notice", None), "form": form})
    can_reassign = booking.status in (Booking.Status.PROVISIONAL, Booking.Status.CONFIRMED)
    forms_with_errors = [form for form in [*notice_forms.values(), reassign_form] if form is not None and form.errors]
    return render(
        request,
        "booking/staff/booking.html",
        {
            "office": office,
            "booking": booking,
            "ceremony": ceremony,
            "parties": rows,
            "witnesses": list(booking.witnesses.all()),
            "reassign_form": (reassign_form or _reassign_form(booking, office)) if can_reassign else None,
            "error_form": forms_with_errors[0] if forms_with_errors else None,
            "diary_url": reverse("booking-staff:diary", args=[office.code])
            + f"?date={booking.starts_at.astimezone(selectors.UK).date().isoformat()}",
        },
        status=status,
    )


@office_page()
@require_GET
def booking_detail(request: HttpRequest, office: RegisterOffice, reference: str) -> HttpResponse:
    booking = _office_booking(office, reference)
    record_audit(
        actor=request.user,
        action="booking.viewed",
        subject=booking.person,
        object_type="booking",
        object_id=booking.reference,
        client_address=client_address(request),
    )
    return _render_booking(request, office, booking)


@office_page(RECORD_NOTICE)
@require_POST
def record_notice(request: HttpRequest, office: RegisterOffice, reference: str, position: int) -> HttpResponse:
    booking = _office_booking(office, reference)
    ceremony = booking.ceremony if booking.kind == Booking.Kind.NOTICE else booking
    party = None
    if booking.kind == Booking.Kind.NOTICE:
        notice_party = _notice_party(booking)
        if notice_party is not None and notice_party.position == position:
            party = notice_party
    elif ceremony is not None:
        party = ceremony.parties.filter(position=position).first()
    if party is None:
        raise Http404
    form = NoticeGivenForm(
        request.POST,
        prefix=f"notice-{position}",
        action=reverse("booking-staff:record-notice", args=[office.code, reference, position]),
    )
    status = 400
    if form.is_valid():
        notice = services.notice_for_party(party=party, office=office)
        try:
            services.record_notice_given(
                notice=notice,
                actor=request.user,
                given_on=form.cleaned_data["given_on"],
                referred=form.cleaned_data["referred"] == "yes",
            )
        except services.BookingRefused as refused:
            form.add_error(None, refusal_message(refused.reason))
            status = 409 if refused.reason == "ceremony_not_booked" else 400
        else:
            flash.success(request, _("Notice recorded for %(name)s") % {"name": party.full_name})
            return redirect("booking-staff:booking", office.code, reference)
    return _render_booking(request, office, booking, notice_forms={position: form}, status=status)


@office_page()
@require_POST
def reassign(request: HttpRequest, office: RegisterOffice, reference: str) -> HttpResponse:
    booking = _office_booking(office, reference)
    form = _reassign_form(booking, office, request.POST)
    status = 400
    if form.is_valid():
        try:
            services.reassign_officers(
                booking=booking,
                superintendent=form.cleaned_data.get("superintendent"),
                registrar=form.cleaned_data["registrar"],
                actor=request.user,
            )
        except services.SlotUnavailable:
            form.add_error(None, _("One of those officers is busy at that time, or travelling. Choose someone else"))
            status = 409
        except services.BookingRefused as refused:
            form.add_error(None, refusal_message(refused.reason))
            status = 409 if refused.reason == "not_active" else 400
        else:
            flash.success(request, _("Officers changed. The couple have been told."))
            return redirect("booking-staff:booking", office.code, reference)
    return _render_booking(request, office, booking, reassign_form=form, status=status)


# --- Rooms and their weekly opening times ---------------------------------------------------------


def _office_rooms(office: RegisterOffice):
    return Room.objects.filter(venue__office=office).select_related("venue").order_by("venue__name", "name")


def _render_rooms(request: HttpRequest, office: RegisterOffice, form: PatternForm | None = None, status: int = 200):
    venues = Venue.objects.filter(office=office).prefetch_related(
        Prefetch("rooms", queryset=Room.objects.prefetch_related("patterns"))
    )
    form = form or PatternForm(
        rooms=_office_rooms(office), action=reverse("booking-staff:add-pattern", args=[office.code])
    )
    return render(
        request, "booking/staff/rooms.html", {"office": office, "venues": venues, "form": form}, status=status
    )


@office_page()
@require_GET
def rooms(request: HttpRequest, office: RegisterOffice) -> HttpResponse:
    return _render_rooms(request, office)


@office_page()
@require_POST
def add_pattern(request: HttpRequest, office: RegisterOffice) -> HttpResponse:
    form = PatternForm(
        request.POST, rooms=_office_rooms(office), action=reverse("booking-staff:add-pattern", args=[office.code])
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_room_pattern(
                room=data["room"],
                kind=data["kind"],
                weekday=data["weekday"],
                opens=data["opens"],
                closes=data["closes"],
                duration_minutes=data["duration_minutes"],
                gap_minutes=data["gap_minutes"],
                actor=request.user,
            )
        except services.BookingRefused as refused:
            form.add_error(None, _refusal(refused.reason))
        else:
            flash.success(request, _("Opening times added"))
            return redirect("booking-staff:rooms", office.code)
    return _render_rooms(request, office, form, status=400)


@office_page()
@require_POST
def delete_pattern(request: HttpRequest, office: RegisterOffice, pk: int) -> HttpResponse:
    pattern = get_object_or_404(RoomPattern, pk=pk, room__venue__office=office)
    services.remove_room_pattern(pattern=pattern, actor=request.user)
    flash.success(request, _("Opening times removed"))
    return redirect("booking-staff:rooms", office.code)


# --- Rota and absences ----------------------------------------------------------------------------


def _shift_form(office: RegisterOffice, data=None) -> ShiftForm:
    return ShiftForm(
        data,
        prefix="shift",
        officers=selectors.office_officers(office_id=office.pk),
        action=reverse("booking-staff:add-shift", args=[office.code]),
    )


def _absence_form(office: RegisterOffice, data=None) -> AbsenceForm:
    return AbsenceForm(
        data,
        prefix="absence",
        officers=selectors.office_officers(office_id=office.pk),
        action=reverse("booking-staff:add-absence", args=[office.code]),
    )


def _render_rota(request, office, *, shift_form=None, absence_form=None, status=200) -> HttpResponse:
    shifts = RotaShift.objects.filter(office=office).select_related("officer").order_by("officer__full_name", "weekday")
    officers = list(selectors.office_officers(office_id=office.pk))
    absences = (
        OfficerAbsence.objects.filter(officer__in=officers, ends_on__gte=timezone.localdate())
        .select_related("officer")
        .order_by("starts_on")
    )
    forms_with_errors = [form for form in (shift_form, absence_form) if form is not None and form.errors]
    return render(
        request,
        "booking/staff/rota.html",
        {
            "office": office,
            "shifts": shifts,
            "absences": absences,
            "shift_form": shift_form or _shift_form(office),
            "absence_form": absence_form or _absence_form(office),
            "error_form": forms_with_errors[0] if forms_with_errors else None,
        },
        status=status,
    )


@office_page()
@require_GET
def rota(request: HttpRequest, office: RegisterOffice) -> HttpResponse:
    return _render_rota(request, office)


@office_page()
@require_POST
def add_shift(request: HttpRequest, office: RegisterOffice) -> HttpResponse:
    form = _shift_form(office, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_rota_shift(
                officer=data["officer"],
                office=office,
                weekday=data["weekday"],
                starts=data["starts"],
                ends=data["ends"],
                actor=request.user,
            )
        except services.BookingRefused as refused:
            form.add_error(None, _refusal(refused.reason))
        else:
            flash.success(request, _("Shift added"))
            return redirect("booking-staff:rota", office.code)
    return _render_rota(request, office, shift_form=form, status=400)


@office_page()
@require_POST
def delete_shift(request: HttpRequest, office: RegisterOffice, pk: int) -> HttpResponse:
    shift = get_object_or_404(RotaShift.objects.select_related("officer", "office"), pk=pk, office=office)
    services.remove_rota_shift(shift=shift, actor=request.user)
    flash.success(request, _("Shift removed"))
    return redirect("booking-staff:rota", office.code)


@office_page()
@require_POST
def add_absence(request: HttpRequest, office: RegisterOffice) -> HttpResponse:
    form = _absence_form(office, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            absence = services.record_absence(
                officer=data["officer"],
                kind=data["kind"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                note=data["note"],
                actor=request.user,
            )
        except services.BookingRefused as refused:
            form.add_error(None, _refusal(refused.reason))
        else:
            return redirect(reverse("booking-staff:rebook", args=[office.code]) + f"?absence={absence.pk}")
    return _render_rota(request, office, absence_form=form, status=400)


# --- Closures and re-booking ----------------------------------------------------------------------


def _closure_form(office: RegisterOffice, data=None) -> ClosureForm:
    return ClosureForm(
        data,
        venues=Venue.objects.filter(office=office),
        action=reverse("booking-staff:closures", args=[office.code]),
    )


@office_page()
@require_http_methods(["GET", "POST"])
def closures(request: HttpRequest, office: RegisterOffice) -> HttpResponse:
    form = _closure_form(office, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                closure = services.add_closure(
                    venue=data["venue"],
                    room=data["room"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    reason=data["reason"],
                    actor=request.user,
                )
            except services.BookingRefused as refused:
                form.add_error(None, _refusal(refused.reason))
            else:
                return redirect(reverse("booking-staff:rebook", args=[office.code]) + f"?closure={closure.pk}")
    upcoming = (
        Closure.objects.filter(venue__office=office, ends_on__gte=timezone.localdate())
        .select_related("venue", "room")
        .order_by("starts_on")
    )
    return render(
        request, "booking/staff/closures.html", {"office": office, "form": form, "closures": upcoming}, status=status
    )


def _option_value(slot: selectors.Slot) -> str:
    return f"{slot.room.pk}|{slot.starts_at.isoformat()}|{slot.superintendent_id or ''}|{slot.registrar_id or ''}"


def _proposal_rows(proposals: list[selectors.Proposal]) -> list[dict]:
    officer_ids = {
        pk
        for proposal in proposals
        for slot in proposal.alternatives
        for pk in (slot.superintendent_id, slot.registrar_id)
    }
    officers = User.objects.in_bulk([pk for pk in officer_ids if pk])
    rows = []
    for proposal in proposals:
        booking = proposal.booking
        options = []
        for slot in proposal.alternatives:
            if slot.room.pk == booking.room_id and slot.starts_at == booking.starts_at:
                label = _("Same time and place, other officers")
            elif slot.room.venue_id == booking.room.venue_id:
                label = _("Same venue, another time")
            else:
                label = _("Nearby venue, same day (%(km)s km away)") % {"km": f"{slot.distance_km or 0:.0f}"}
            names = [
                officers[pk].full_name or officers[pk].email
                for pk in (slot.superintendent_id, slot.registrar_id)
                if pk and pk in officers
            ]
            options.append({"value": _option_value(slot), "slot": slot, "label": label, "officers": names})
        rows.append({"booking": booking, "options": options})
    return rows


def _rebooking_subject(request: HttpRequest, office: RegisterOffice):
    """The closure or absence named in the query string, with the bookings it affects; or a
    message saying what is wrong with the address."""
    closure_id, absence_id = request.GET.get("closure"), request.GET.get("absence")
    if bool(closure_id) == bool(absence_id):
        return None, None, _("Choose one closure or one absence to re-book")
    raw = closure_id or absence_id
    if not raw.isdigit() or len(raw) > 18:
        return None, None, _("The closure or absence number is not valid")
    if closure_id:
        closure = Closure.objects.filter(pk=int(raw), venue__office=office).select_related("venue", "room").first()
        if closure is None:
            raise Http404
        return closure, selectors.bookings_affected_by_closure(closure), None
    absence = (
        OfficerAbsence.objects.filter(pk=int(raw))
        .filter(Q(officer__rota_shifts__office=office) | Q(officer__offices=office))
        .select_related("officer")
        .distinct()
        .first()
    )
    if absence is None:
        raise Http404
    return absence, selectors.bookings_affected_by_absence(absence), None


def _apply_choices(request, proposals, *, move_all: bool) -> list[dict]:
    results = []
    for proposal in proposals:
        booking = proposal.booking
        if move_all:
            candidates = proposal.alternatives
        else:
            chosen = request.POST.get(f"choice-{booking.reference}", "")
            if not chosen or chosen == "keep":
                continue
            candidates = [slot for slot in proposal.alternatives if _option_value(slot) == chosen]
            if not candidates:
                results.append(
                    {"booking": booking, "moved": False, "message": _("That time is no longer free. Choose another")}
                )
                continue
        outcome = {"booking": booking, "moved": False, "message": _("No alternative is free. Contact the couple")}
        for slot in candidates:
            try:
                moved = services.apply_rebooking(booking=booking, slot=slot, actor=request.user)
            except services.SlotUnavailable:
                outcome["message"] = _("That time is no longer free. Choose another")
                continue
            except services.BookingRefused as refused:
                outcome["message"] = refusal_message(refused.reason)
                continue
            outcome = {"booking": moved, "moved": True, "message": ""}
            break
        results.append(outcome)
    return results


@office_page()
@require_http_methods(["GET", "POST"])
def rebook(request: HttpRequest, office: RegisterOffice) -> HttpResponse:
    subject, affected, problem = _rebooking_subject(request, office)
    if problem:
        return _problem(request, office, _("Re-book affected bookings"), problem, 400)
    reason = "closure" if isinstance(subject, Closure) else "absence"
    results, status, error = [], 200, ""
    if request.method == "POST":
        move_all = "move_all" in request.POST
        proposals = selectors.rebooking_proposals(bookings=list(affected.all()), reason=reason)
        results = _apply_choices(request, proposals, move_all=move_all)
        if not results:
            error, status = _("Choose a new time for at least one booking"), 400
        elif any(not result["moved"] for result in results):
            status = 409
    # Read again: bookings moved above are no longer affected.
    proposals = selectors.rebooking_proposals(bookings=list(affected.all()), reason=reason)
    return render(
        request,
        "booking/staff/rebook.html",
        {
            "office": office,
            "subject": subject,
            "reason": reason,
            "rows": _proposal_rows(proposals),
            "results": results,
            "error": error,
        },
        status=status,
    )


# --- Calendar feeds -------------------------------------------------------------------------------


def _feed_form(office: RegisterOffice, data=None) -> FeedForm:
    return FeedForm(
        data,
        office=office,
        officers=selectors.office_officers(office_id=office.pk),
        action=reverse("booking-staff:feeds", args=[office.code]),
    )


def _office_feeds(office: RegisterOffice):
    officers = selectors.office_officers(office_id=office.pk)
    return (
        CalendarFeed.objects.filter(Q(office=office) | Q(officer__in=officers))
        .select_related("office", "officer", "created_by")
        .order_by("-created_at")
    )


@office_page()
@require_http_methods(["GET", "POST"])
def feeds(request: HttpRequest, office: RegisterOffice) -> HttpResponse:
    form = _feed_form(office, request.POST if request.method == "POST" else None)
    status, new_url = 200, ""
    if request.method == "POST":
        status = 400
        if form.is_valid():
            officer = form.officer()
            _feed, token = services.create_calendar_feed(
                actor=request.user, office=None if officer else office, officer=officer
            )
            new_url = request.build_absolute_uri(reverse("booking-staff:feed", args=[token]))
            status = 201
            form = _feed_form(office)
    return render(
        request,
        "booking/staff/feeds.html",
        {"office": office, "form": form, "feeds": _office_feeds(office), "new_url": new_url},
        status=status,
    )


@office_page()
@require_POST
def revoke_feed(request: HttpRequest, office: RegisterOffice, pk: int) -> HttpResponse:
    feed = get_object_or_404(_office_feeds(office), pk=pk)
    services.revoke_calendar_feed(feed=feed, actor=request.user)
    flash.success(request, _("Calendar feed revoked. Its address no longer works."))
    return redirect("booking-staff:feeds", office.code)


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The secret URL is the credential: calendar apps cannot sign in. Unknown and revoked
    tokens look the same."""
    if len(token) > 100:
        raise Http404
    calendar_feed = (
        CalendarFeed.objects.filter(token_hash=hashlib.sha256(token.encode()).hexdigest())
        .select_related("office", "officer")
        .first()
    )
    if calendar_feed is None:
        raise Http404
    if calendar_feed.office is not None:
        name = calendar_feed.office.name
        bookings = selectors.feed_bookings(office_id=calendar_feed.office_id)
    else:
        name = calendar_feed.officer.full_name or calendar_feed.officer.email
        bookings = selectors.feed_bookings(officer_id=calendar_feed.officer_id)
    response = HttpResponse(diary_ics(name, bookings), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response
