"""The person's pages for booking their interview, once their notice is sent: search the national
calendar for a time at any register office (by postcode or town, their own district or another),
hold it, check and book it. The booking is then theirs to move or cancel on booking's pages, and
booking's reminders come before it."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from booking import services as booking_services
from booking import views as booking_views
from booking.forms import ChooseSlotForm
from booking.models import Booking, Venue
from booking.refusals import BookingRefused
from core.pages import problem_page, refusal_page
from identity.access import citizen_required

from ..models import Notice
from . import interview_services
from .refusals import MarriageRefused

PROBLEM_TITLE = _("There is a problem with your interview")


def _own_notice(request: HttpRequest, reference: str) -> Notice:
    notice = Notice.objects.filter(reference=reference, person=request.user).select_related("proposal").first()
    if notice is None:
        raise Http404
    return notice


def _refused(request: HttpRequest, refused, notice: Notice) -> HttpResponse:
    return refusal_page(
        request, refused, back=reverse("marriage:interview-book", args=[notice.reference]), title=PROBLEM_TITLE
    )


def _hold_context(booking: Booking) -> dict:
    return {
        "hold_expires_at": booking.hold_expires_at,
        "hold_seconds_left": max(0, int((booking.hold_expires_at - timezone.now()).total_seconds())),
        "warning_seconds": settings.BOOKING_HOLD_WARNING_SECONDS,
    }


# The interview pages name the way to meet in their address.
WAYS = {"in-person": Notice.InterviewMode.IN_PERSON, "video": Notice.InterviewMode.VIDEO}


def _mode(way: str) -> str:
    if way not in WAYS:
        raise Http404
    return WAYS[way]


def _back(notice: Notice) -> str:
    return reverse("marriage:proposal", args=[notice.proposal.reference]) if _has_proposal_page() else "/"


def _refused_to_book(request: HttpRequest, notice: Notice) -> HttpResponse | None:
    try:
        interview_services.check_may_book(person=request.user, notice=notice)
    except MarriageRefused as refused:
        return refusal_page(request, refused, back=_back(notice), title=PROBLEM_TITLE)
    return None


@citizen_required
@require_GET
def book(request: HttpRequest, reference: str) -> HttpResponse:
    """The interview: the one booked, or how to have it (in person at any register office, or by
    video)."""
    notice = _own_notice(request, reference)
    interview = interview_services.live_interview(notice)
    if interview is not None and notice.status == Notice.Status.SENT:
        return render(request, "registrar/marriage/interview/booked.html", {"notice": notice, "booking": interview})
    refused = _refused_to_book(request, notice)
    if refused is not None:
        return refused
    return render(request, "registrar/marriage/interview/start.html", {"notice": notice, "back": _back(notice)})


@citizen_required
@require_http_methods(["GET", "POST"])
def search(request: HttpRequest, reference: str, way: str) -> HttpResponse:
    """Search the national calendar: in person at any register office (by postcode or town, their
    own district's or another), or a video call with a registrar of any office."""
    mode = _mode(way)
    notice = _own_notice(request, reference)
    refused = _refused_to_book(request, notice)
    if refused is not None:
        return refused
    video = mode == Notice.InterviewMode.VIDEO
    heading = _("Book a video interview for your notice") if video else _("Book the interview for your notice")
    return booking_views._search_page(
        request,
        kind=interview_services.KIND_OF_MODE[mode],
        name=f"marriage-interview-{notice.pk}-{way}",
        template_context={
            "choose_url": reverse("marriage:interview-hold", args=[notice.reference, way]),
            "heading": heading,
            "identity_back": reverse("marriage:interview-book", args=[notice.reference]),
        },
        extra_search={"one_per_time": True} if video else {"venue_kind": Venue.Kind.REGISTER_OFFICE},
        by_place=not video,  # in person: near a postcode or town, at any register office
    )


def _has_proposal_page() -> bool:
    """The couple's page is the notices part's; until it exists, back goes home."""
    try:
        reverse("marriage:proposal", args=["MP"])
    except NoReverseMatch:
        return False
    return True


@citizen_required
@require_POST
def hold(request: HttpRequest, reference: str, way: str) -> HttpResponse:
    mode = _mode(way)
    notice = _own_notice(request, reference)
    form = ChooseSlotForm(request.POST)
    if not form.is_valid():
        return problem_page(
            request,
            _("That time could not be found. Search again to choose a time"),
            status=400,
            back=reverse("marriage:interview-search", args=[notice.reference, way]),
            title=PROBLEM_TITLE,
        )
    try:
        booking = interview_services.hold_interview(
            person=request.user,
            notice=notice,
            room=form.cleaned_data["room"],
            starts_at=form.cleaned_data["starts_at"],
            mode=mode,
        )
    except (MarriageRefused, BookingRefused) as refused:
        return _refused(request, refused, notice)
    return redirect("marriage:interview-check", reference=notice.reference, booking=booking.reference)


def _held(request: HttpRequest, notice: Notice, booking_reference: str) -> Booking:
    booking = interview_services.held_interview(person=request.user, reference=booking_reference)
    if booking is None:
        raise Http404
    return booking


@citizen_required
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, reference: str, booking: str) -> HttpResponse:
    """Check the time held, then book it (POST)."""
    notice = _own_notice(request, reference)
    held = _held(request, notice, booking)
    if request.method == "POST":
        try:
            interview_services.confirm_interview(person=request.user, notice=notice, booking=held)
        except (MarriageRefused, BookingRefused) as refused:
            return _refused(request, refused, notice)
        return redirect("marriage:interview-book", reference=notice.reference)
    if held.status != Booking.Status.HELD or held.hold_has_run_out():
        return _refused(request, MarriageRefused("interview_not_held"), notice)
    return render(
        request,
        "registrar/marriage/interview/check.html",
        {"notice": notice, "booking": held, **_hold_context(held)},
    )


@citizen_required
@require_POST
def extend(request: HttpRequest, reference: str, booking: str) -> HttpResponse:
    notice = _own_notice(request, reference)
    held = _held(request, notice, booking)
    try:
        booking_services.extend_hold(booking=held)
    except BookingRefused:
        return _refused(request, MarriageRefused("interview_not_held"), notice)
    return redirect("marriage:interview-check", reference=notice.reference, booking=held.reference)
