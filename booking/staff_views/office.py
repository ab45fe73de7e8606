"""Who may use an office's staff pages, the list of one's offices, and the diary by day or week.
Staff see only the offices they belong to; the services refuse any change for another office,
and the pages show the refusal with `office_problem`/`office_refusal`."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.audit import audit_request
from core.pages import problem_page, refusal_page
from identity.access import staff_required
from identity.models import RegisterOffice

from .. import selectors
from ..models import MANAGE_DIARY, Booking
from ..refusals import BookingRefused
from ..staff_forms import DIARY_FIRST_YEAR, DIARY_LAST_YEAR, DiaryDateForm


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


def office_problem(request: HttpRequest, office: RegisterOffice, title: str, message: str, status: int) -> HttpResponse:
    back = reverse("booking-staff:diary", args=[office.code])
    return problem_page(request, message, status=status, back=back, title=title, caption=office.name)


def office_refusal(request: HttpRequest, office: RegisterOffice, title: str, refused: BookingRefused) -> HttpResponse:
    return refusal_page(
        request, refused, back=reverse("booking-staff:diary", args=[office.code]), title=title, caption=office.name
    )


@staff_required(MANAGE_DIARY)
@require_GET
def offices(request: HttpRequest) -> HttpResponse:
    return render(request, "booking/staff/offices.html", {"offices": selectors.staff_offices(request.user)})


def _parse_diary_day(value: str | None) -> date | None:
    """The day a diary link names (year-month-day, made by the pages themselves)."""
    if not value:
        return timezone.localdate()
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        return None
    return day if DIARY_FIRST_YEAR <= day.year <= DIARY_LAST_YEAR else None


@office_page()
@require_GET
def diary(request: HttpRequest, office: RegisterOffice) -> HttpResponse:
    view = request.GET.get("view") or "day"
    if view not in ("day", "week"):
        return office_problem(request, office, _("Diary"), _("Choose a day view or a week view"), 400)
    status = 200
    if any(f"go_to_{n}" in request.GET for n in range(3)):
        # The "go to date" form: day, month and year boxes.
        form = DiaryDateForm(request.GET)
        if form.is_valid():
            day = form.cleaned_data["go_to"]
        else:
            day, status = timezone.localdate(), 400
    else:
        day = _parse_diary_day(request.GET.get("date"))
        if day is None:
            return office_problem(
                request,
                office,
                _("Diary"),
                _("The diary has no such day. Go to a date with the day, month and year boxes."),
                400,
            )
        form = DiaryDateForm(initial={"go_to": day})
    if view == "week":
        first = day - timedelta(days=day.weekday())
        last, step = first + timedelta(days=6), timedelta(days=7)
    else:
        first = last = day
        step = timedelta(days=1)
    bookings = selectors.office_diary(office_id=office.pk, first=first, last=last).select_related("ceremony")
    by_day: dict[date, list[Booking]] = defaultdict(list)
    for booking in bookings:
        by_day[booking.starts_at.astimezone(selectors.UK).date()].append(booking)
    days = [(first + timedelta(days=n), by_day[first + timedelta(days=n)]) for n in range((last - first).days + 1)]
    audit_request(
        request,
        action="booking.diary_viewed",
        object_type="office",
        object_id=office.code,
        **{"from": first.isoformat(), "to": last.isoformat()},
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
            "form": form,
        },
        status=status,
    )
