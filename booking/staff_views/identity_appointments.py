"""The day's identity appointments at an office, by video and in person, for the registrars who
compare each person with their identity document; each links to identity's comparison page."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.audit import audit_request
from identity.models import RegisterOffice
from identity.selectors import WORK_CASES

from .. import selectors
from .office import _parse_diary_day, office_page, office_problem


@office_page(WORK_CASES)
@require_GET
def identity_appointments(request: HttpRequest, office: RegisterOffice) -> HttpResponse:
    day = _parse_diary_day(request.GET.get("date"))
    if day is None:
        return office_problem(
            request,
            office,
            _("Identity appointments"),
            _("Enter the date as year-month-day, like 2027-06-12, between 2000 and 2200"),
            400,
        )
    appointments = list(selectors.office_identity_appointments(office=office, day=day))
    rows = [
        {
            "booking": appointment,
            "case": appointment.identity_case,
            "compare_url": reverse("identity:staff-identity-compare", args=[appointment.identity_case.reference])
            + ("?method=video" if appointment.is_video else "?method=in_person"),
        }
        for appointment in appointments
    ]
    audit_request(
        request,
        action="booking.identity_appointments_viewed",
        object_type="office",
        object_id=office.code,
        day=day.isoformat(),
    )
    return render(
        request,
        "booking/staff/identity_appointments.html",
        {
            "office": office,
            "day": day,
            "rows": rows,
            "previous": (day - timedelta(days=1)).isoformat(),
            "next": (day + timedelta(days=1)).isoformat(),
            "today": timezone.localdate().isoformat(),
        },
    )
