"""The staff dashboard: figures for the staff member's offices (every office for a national
role) over a range of days, as a page and as CSV. Every view is audited."""

from __future__ import annotations

import csv
import io

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.audit import audit_request
from identity.access import staff_required
from identity.roles import is_national
from registrar.marriage import schedule_selectors

from .dashboard import WORK, StaffDashboard, dashboard_offices, staff_dashboard
from .dashboard_charts import amount, charts, hours, percent
from .staff_forms import DashboardForm, default_range


def _figures(request: HttpRequest) -> tuple[DashboardForm, StaffDashboard | None]:
    offices = dashboard_offices(request.user).order_by("name")
    form = DashboardForm(request.GET or None, offices=offices, national=is_national(request.user))
    if request.GET and not form.is_valid():
        return form, None
    if request.GET:
        cleaned = form.cleaned_data
    else:
        first, last = default_range()
        cleaned = {"date_from": first, "date_to": last, "office": ""}
    figures = staff_dashboard(
        user=request.user,
        first_day=cleaned["date_from"],
        last_day=cleaned["date_to"],
        office_code=cleaned.get("office") or "",
    )
    audit_request(
        request,
        action="registrar_dashboard.viewed",
        office=cleaned.get("office") or "",
        date_from=cleaned["date_from"].isoformat(),
        date_to=cleaned["date_to"].isoformat(),
    )
    return form, figures


@staff_required(WORK)
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    form, figures = _figures(request)
    if figures is None:
        return render(request, "performance/staff/dashboard.html", {"form": form, "error_form": form}, status=400)
    schedule_offices = figures.offices
    unreturned = schedule_selectors.unreturned_schedules(today=timezone.localdate(), offices=schedule_offices)
    return render(
        request,
        "performance/staff/dashboard.html",
        {
            "form": form,
            "figures": figures,
            "charts": charts(figures),
            "rows": rows_in_words(figures),
            "unreturned_schedules": schedule_selectors.unreturned_rows(unreturned[:50]),
            "return_days": settings.SCHEDULE_RETURN_DAYS,
            "today": timezone.localdate(),
            "event_rows": [
                (period, [figures.events[event][index] for event in figures.events])
                for index, period in enumerate(figures.periods)
            ],
            "booking_rows": [
                (kind, figures.bookings_made.get(kind, 0), figures.cancellations.get(kind, 0))
                for kind in dict.fromkeys([*figures.bookings_made, *figures.cancellations])
            ],
            "room_share": percent(figures.room_utilisation.share),
            "officer_share": percent(figures.officer_utilisation.share),
            "query": request.GET.urlencode(),
        },
    )


def rows_in_words(figures: StaffDashboard) -> dict[str, list]:
    """The tables beside the charts, every number formatted for the reader's language."""
    return {
        "rooms": [
            (row.label, hours(row.booked_minutes), hours(row.available_minutes), percent(row.share))
            for row in figures.rooms
        ],
        "officers": [
            (row.label, hours(row.booked_minutes), hours(row.available_minutes), percent(row.share))
            for row in figures.officers
        ],
        "spreads": [
            (label, spread.count, amount(spread.median), amount(spread.high), spread.high_percent)
            for label, spread in spreads(figures)
        ],
    }


def spreads(figures: StaffDashboard) -> list:
    return [
        (_("Hours from sending a registration to its entry"), figures.hours_to_entry),
        (_("Days from booking a ceremony to the ceremony"), figures.ceremony_lead_days),
        (_("Hours from paying for certificates to their issue"), figures.hours_to_issue),
        (_("Hours an identity check waited for a registrar's decision"), figures.hours_with_registrar),
    ]


def csv_rows(figures: StaffDashboard) -> list[list]:
    """The page's figures, one per row: section, figure, what it is of, value."""
    rows: list[list] = [["section", "figure", "of", "value"]]
    for index, period in enumerate(figures.periods):
        for event in figures.events:
            rows.append(
                [
                    "events",
                    "week" if figures.by_week else "day",
                    f"{period.isoformat()} {event}",
                    figures.events[event][index],
                ]
            )
    rows.append(["registrations", "registered", "", figures.registered])
    rows.append(["registrations", "registered_automatically", "", figures.registered_automatically])
    for key, spread in zip(
        ("hours_to_entry", "ceremony_lead_days", "hours_to_issue", "hours_with_registrar"),
        (s for _l, s in spreads(figures)),
        strict=True,
    ):
        rows.append([key, "count", "", spread.count])
        rows.append([key, "median", "", spread.median])
        rows.append([key, f"p{spread.high_percent}", "", spread.high])
    for kind, count in figures.bookings_made.items():
        rows.append(["bookings", "made", kind, count])
    for kind, count in figures.cancellations.items():
        rows.append(["bookings", "cancelled", kind, count])
    for section, utilisations in (("rooms", figures.rooms), ("officers", figures.officers)):
        for row in utilisations:
            rows.append([section, "booked_minutes", row.label, row.booked_minutes])
            rows.append([section, "available_minutes", row.label, row.available_minutes])
    for status, count in figures.orders_by_status:
        rows.append(["certificate_orders", "by_status", status, count])
    for outcome, count in figures.verifications_by_outcome:
        rows.append(["certificate_checks", "by_outcome", outcome, count])
    for kind, count in figures.verifications_by_kind:
        rows.append(["certificate_checks", "by_kind", kind, count])
    for outcome, count in figures.identity_outcomes:
        rows.append(["identity_checks", "by_status", outcome, count])
    for reason, count in figures.identity_reasons:
        rows.append(["identity_checks", "by_reason", reason, count])
    return rows


@staff_required(WORK)
@require_GET
def dashboard_csv(request: HttpRequest) -> HttpResponse:
    form, figures = _figures(request)
    if figures is None:
        message = " ".join(str(error) for errors in form.errors.values() for error in errors)
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(csv_rows(figures))
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"dashboard-{figures.first_day.isoformat()}-{figures.last_day.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
