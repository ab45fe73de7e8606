"""Staff pages for an office's group citizenship ceremonies: the list from today, scheduling one
(a room and two officers held as for a wedding, with its seats), one ceremony with who is booked,
changing its numbers, and cancelling it (which tells everyone booked)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages as flash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.audit import audit_request
from core.pages import add_refusal
from identity.models import RegisterOffice
from identity.roles import REGISTRAR, SUPERINTENDENT_REGISTRAR

from .. import selectors, services
from ..citizenship_forms import CancelCeremonyForm, CeremonyNumbersForm, GroupCeremonyForm
from ..models import Booking, CitizenshipCeremony
from ..refusals import BookingRefused
from ..selectors.citizenship import ceremony_seats, office_ceremonies, office_ceremony
from .office import office_page


def group_ceremony_form(office: RegisterOffice, data=None) -> GroupCeremonyForm:
    """The scheduling form with the office's rooms and rota officers (the API uses it too)."""
    return GroupCeremonyForm(data, **group_ceremony_choices(office), **_new_form_extra(office))


def group_ceremony_choices(office: RegisterOffice) -> dict:
    return {
        "rooms": selectors.office_rooms(office),
        "superintendents": selectors.rota_officers(office_id=office.pk, roles=(SUPERINTENDENT_REGISTRAR,)),
        "registrars": selectors.rota_officers(office_id=office.pk, roles=(REGISTRAR,)),
    }


def _new_form_extra(office: RegisterOffice) -> dict:
    return {
        "action": reverse("booking-staff:citizenship-new", args=[office.code]),
        "initial": {
            "guests_per_attendee": settings.CITIZENSHIP_DEFAULT_GUESTS_PER_ATTENDEE,
            "welsh_available": "yes" if office.in_wales else "no",
        },
    }


def schedule_from_form(form: GroupCeremonyForm, office: RegisterOffice, actor) -> CitizenshipCeremony:
    data = form.cleaned_data
    starts_at, ends_at = form.times()
    return services.schedule_group_ceremony(
        office=office,
        room=data["room"],
        starts_at=starts_at,
        ends_at=ends_at,
        superintendent=data["superintendent"],
        registrar=data["registrar"],
        seats=data["seats"],
        guests_per_attendee=data["guests_per_attendee"],
        guest_places=data["guest_places"],
        welsh_available=data["welsh_available"],
        actor=actor,
    )


@office_page()
@require_GET
def citizenship_ceremonies(request: HttpRequest, office: RegisterOffice) -> HttpResponse:
    return render(
        request,
        "booking/staff/citizenship_list.html",
        {"office": office, "ceremonies": office_ceremonies(office)},
    )


@office_page()
@require_http_methods(["GET", "POST"])
def schedule_citizenship(request: HttpRequest, office: RegisterOffice) -> HttpResponse:
    form = group_ceremony_form(office, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                ceremony = schedule_from_form(form, office, request.user)
            except BookingRefused as refused:
                add_refusal(form, refused)
                status = refused.status
            else:
                flash.success(request, _("Ceremony scheduled. It is open for booking now."))
                return redirect("booking-staff:citizenship-ceremony", office.code, ceremony.booking.reference)
    return render(request, "booking/staff/citizenship_new.html", {"office": office, "form": form}, status=status)


def _ceremony_or_404(office: RegisterOffice, reference: str) -> CitizenshipCeremony:
    ceremony = office_ceremony(office, reference)
    if ceremony is None:
        raise Http404
    return ceremony


def _numbers_form(office: RegisterOffice, ceremony: CitizenshipCeremony, data=None) -> CeremonyNumbersForm:
    return CeremonyNumbersForm(
        data,
        initial={
            "seats": ceremony.seats,
            "guests_per_attendee": ceremony.guests_per_attendee,
            "guest_places": ceremony.guest_places,
            "welsh_available": "yes" if ceremony.welsh_available else "no",
        },
        action=reverse("booking-staff:citizenship-capacity", args=[office.code, ceremony.booking.reference]),
    )


def _cancel_form(office: RegisterOffice, ceremony: CitizenshipCeremony, data=None) -> CancelCeremonyForm:
    return CancelCeremonyForm(
        data,
        prefix="cancel",
        action=reverse("booking-staff:citizenship-cancel", args=[office.code, ceremony.booking.reference]),
    )


def _render_ceremony(
    request: HttpRequest,
    office: RegisterOffice,
    ceremony: CitizenshipCeremony,
    *,
    numbers_form: CeremonyNumbersForm | None = None,
    cancel_form: CancelCeremonyForm | None = None,
    status: int = 200,
) -> HttpResponse:
    is_on = ceremony.booking.status in Booking.BOOKED
    forms_with_errors = [form for form in (numbers_form, cancel_form) if form is not None and form.errors]
    return render(
        request,
        "booking/staff/citizenship_ceremony.html",
        {
            "office": office,
            "ceremony": ceremony,
            "booking": ceremony.booking,
            "is_on": is_on,
            "seats": list(ceremony_seats(ceremony)),
            "numbers_form": (numbers_form or _numbers_form(office, ceremony)) if is_on else None,
            "cancel_form": (cancel_form or _cancel_form(office, ceremony)) if is_on else None,
            "error_form": forms_with_errors[0] if forms_with_errors else None,
            "diary_url": reverse("booking-staff:diary", args=[office.code])
            + f"?date={ceremony.booking.starts_at.astimezone(selectors.UK).date().isoformat()}",
        },
        status=status,
    )


@office_page()
@require_GET
def citizenship_ceremony(request: HttpRequest, office: RegisterOffice, reference: str) -> HttpResponse:
    ceremony = _ceremony_or_404(office, reference)
    audit_request(request, action="booking.citizenship_ceremony_viewed", object_type="booking", object_id=reference)
    return _render_ceremony(request, office, ceremony)


@office_page()
@require_POST
def citizenship_capacity(request: HttpRequest, office: RegisterOffice, reference: str) -> HttpResponse:
    ceremony = _ceremony_or_404(office, reference)
    form = _numbers_form(office, ceremony, request.POST)
    status = 400
    if form.is_valid():
        try:
            services.change_ceremony_capacity(ceremony=ceremony, actor=request.user, **form.cleaned_data)
        except BookingRefused as refused:
            add_refusal(form, refused)
            status = refused.status
        else:
            flash.success(request, _("The ceremony's numbers are changed."))
            return redirect("booking-staff:citizenship-ceremony", office.code, reference)
    return _render_ceremony(request, office, ceremony, numbers_form=form, status=status)


@office_page()
@require_POST
def citizenship_cancel(request: HttpRequest, office: RegisterOffice, reference: str) -> HttpResponse:
    ceremony = _ceremony_or_404(office, reference)
    form = _cancel_form(office, ceremony, request.POST)
    status = 400
    if form.is_valid():
        try:
            services.cancel_group_ceremony(ceremony=ceremony, actor=request.user, reason=form.cleaned_data["reason"])
        except BookingRefused as refused:
            add_refusal(form, refused)
            status = refused.status
        else:
            flash.success(request, _("The ceremony is cancelled. Everyone booked has been told."))
            return redirect("booking-staff:citizenship-ceremony", office.code, reference)
    return _render_ceremony(request, office, ceremony, cancel_form=form, status=status)
