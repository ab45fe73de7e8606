"""An office's rooms and their weekly opening times, and its officers' rota and absences."""

from __future__ import annotations

from django.contrib import messages as flash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.pages import add_refusal
from identity.models import RegisterOffice

from .. import selectors, services
from ..models import RoomPattern, RotaShift
from ..refusals import BookingRefused
from ..staff_forms import AbsenceForm, PatternForm, ShiftForm
from .office import office_page, office_refusal


def _pattern_form(office: RegisterOffice, data=None) -> PatternForm:
    return PatternForm(
        data, rooms=selectors.office_rooms(office), action=reverse("booking-staff:add-pattern", args=[office.code])
    )


def _render_rooms(request: HttpRequest, office: RegisterOffice, form: PatternForm | None = None, status: int = 200):
    return render(
        request,
        "booking/staff/rooms.html",
        {
            "office": office,
            "venues": selectors.office_venues_with_patterns(office),
            "form": form or _pattern_form(office),
        },
        status=status,
    )


@office_page()
@require_GET
def rooms(request: HttpRequest, office: RegisterOffice) -> HttpResponse:
    return _render_rooms(request, office)


@office_page()
@require_POST
def add_pattern(request: HttpRequest, office: RegisterOffice) -> HttpResponse:
    form = _pattern_form(office, request.POST)
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
        except BookingRefused as refused:
            add_refusal(form, refused)
        else:
            flash.success(request, _("Opening times added"))
            return redirect("booking-staff:rooms", office.code)
    return _render_rooms(request, office, form, status=400)


@office_page()
@require_POST
def delete_pattern(request: HttpRequest, office: RegisterOffice, pk: int) -> HttpResponse:
    pattern = get_object_or_404(RoomPattern.objects.select_related("room__venue"), pk=pk, room__venue__office=office)
    try:
        services.remove_room_pattern(pattern=pattern, actor=request.user)
    except BookingRefused as refused:
        return office_refusal(request, office, _("Rooms and opening times"), refused)
    flash.success(request, _("Opening times removed"))
    return redirect("booking-staff:rooms", office.code)


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
    forms_with_errors = [form for form in (shift_form, absence_form) if form is not None and form.errors]
    return render(
        request,
        "booking/staff/rota.html",
        {
            "office": office,
            "shifts": selectors.office_rota(office),
            "absences": selectors.upcoming_absences(office),
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
        except BookingRefused as refused:
            add_refusal(form, refused)
        else:
            flash.success(request, _("Shift added"))
            return redirect("booking-staff:rota", office.code)
    return _render_rota(request, office, shift_form=form, status=400)


@office_page()
@require_POST
def delete_shift(request: HttpRequest, office: RegisterOffice, pk: int) -> HttpResponse:
    shift = get_object_or_404(RotaShift.objects.select_related("officer", "office"), pk=pk, office=office)
    try:
        services.remove_rota_shift(shift=shift, actor=request.user)
    except BookingRefused as refused:
        return office_refusal(request, office, _("Rota and absences"), refused)
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
                office=office,
                officer=data["officer"],
                kind=data["kind"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                note=data["note"],
                actor=request.user,
            )
        except BookingRefused as refused:
            add_refusal(form, refused)
        else:
            return redirect(reverse("booking-staff:rebook", args=[office.code]) + f"?absence={absence.pk}")
    return _render_rota(request, office, absence_form=form, status=400)
