"""Registrars' pages of citizenship ceremonies (/staff/citizenship/): their offices' group
ceremonies, the invitations waiting for a check (names or date of birth not matching the proved
identity) and private ceremonies asked for; a ceremony's page on the day (each attendee: oath or
affirmation, English or Welsh, pledge, certificate handed over, or did not attend); an
invitation's page (the check, the extension). Every view and decision is audited."""

from __future__ import annotations

from datetime import timedelta

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.audit import audit_request
from core.pages import add_refusal
from identity.access import staff_required

from ..models import WORK_CITIZENSHIP
from . import selectors, services, words
from .forms import AttendanceForm, ExtendForm, MatchForm
from .refusals import CitizenshipRefused


@staff_required(WORK_CITIZENSHIP)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    since = timezone.localdate() - timedelta(days=7)
    ceremonies = [
        {"booking": booking, "about": words.ceremony(booking.citizenship)}
        for booking in selectors.staff_ceremonies(request.user, since=since)[:100]
    ]
    audit_request(request, action="citizenship_ceremonies.viewed")
    return render(
        request,
        "registrar/citizenship/staff/index.html",
        {
            "ceremonies": ceremonies,
            "to_check": selectors.invitations_to_check(request.user)[:100],
            "private": selectors.private_requests(request.user)[:100],
        },
    )


def _ceremony_or_404(request: HttpRequest, reference: str):
    booking = selectors.staff_ceremony(request.user, reference)
    if booking is None:
        raise Http404
    return booking


def _ceremony_page(request, booking, *, forms=None, status=200) -> HttpResponse:
    forms = forms or {}
    rows = []
    for row in selectors.attendees(booking):
        seat = row["seat"]
        row["form"] = forms.get(seat.reference) or AttendanceForm(prefix=seat.reference)
        rows.append(row)
    return render(
        request,
        "registrar/citizenship/staff/ceremony.html",
        {
            "booking": booking,
            "about": words.ceremony(booking.citizenship),
            "rows": rows,
            "started": booking.starts_at <= timezone.now(),
            "error_form": next((form for form in forms.values() if form.errors), None),
        },
        status=status,
    )


@staff_required(WORK_CITIZENSHIP)
@require_GET
def ceremony(request: HttpRequest, reference: str) -> HttpResponse:
    booking = _ceremony_or_404(request, reference)
    audit_request(request, action="citizenship_ceremony.viewed", object_type="booking", object_id=booking.reference)
    return _ceremony_page(request, booking)


@staff_required(WORK_CITIZENSHIP)
@require_POST
def record(request: HttpRequest, reference: str, seat: str) -> HttpResponse:
    booking = _ceremony_or_404(request, reference)
    form = AttendanceForm(request.POST, prefix=seat)
    if form.is_valid():
        try:
            services.record_attendance(
                actor=request.user,
                ceremony=booking,
                seat_reference=seat,
                attended=form.attended,
                pledge_form=form.cleaned_data.get("pledge_form") or "",
                language=form.cleaned_data.get("language") or "",
                made_pledge=bool(form.cleaned_data.get("made_pledge")),
                certificate_number=form.cleaned_data.get("certificate_number") or "",
            )
        except CitizenshipRefused as refused:
            add_refusal(form, refused)
        else:
            return redirect("citizenship-staff:ceremony", reference=booking.reference)
    status = 409 if form.non_field_errors() else 400
    return _ceremony_page(request, booking, forms={seat: form}, status=status)


def _invitation_or_404(request: HttpRequest, reference: str):
    invitation = selectors.staff_invitation(request.user, reference)
    if invitation is None:
        raise Http404
    return invitation


def _invitation_page(request, invitation, *, match_form=None, extend_form=None, status=200) -> HttpResponse:
    identity = selectors.verified_identity(invitation.claimed_by) if invitation.claimed_by_id else None
    match_form = match_form or MatchForm()
    match_form.helper.form_action = reverse("citizenship-staff:match", args=[invitation.reference])
    extend_form = extend_form or ExtendForm()
    extend_form.helper.form_action = reverse("citizenship-staff:extend", args=[invitation.reference])
    return render(
        request,
        "registrar/citizenship/staff/invitation.html",
        {
            "invitation": invitation,
            "identity": identity,
            "seat": selectors.live_seat(invitation),
            "match_form": match_form,
            "extend_form": extend_form,
            "attendance": getattr(invitation, "attendance", None),
            "error_form": next((form for form in (match_form, extend_form) if form.is_bound and form.errors), None),
        },
        status=status,
    )


@staff_required(WORK_CITIZENSHIP)
@require_GET
def invitation(request: HttpRequest, reference: str) -> HttpResponse:
    found = _invitation_or_404(request, reference)
    audit_request(
        request,
        action="citizenship_invitation.viewed",
        subject=found.person or found.claimed_by,
        object_type="citizenship_invitation",
        object_id=found.reference,
    )
    return _invitation_page(request, found)


@staff_required(WORK_CITIZENSHIP)
@require_http_methods(["POST"])
def match(request: HttpRequest, reference: str) -> HttpResponse:
    found = _invitation_or_404(request, reference)
    form = MatchForm(request.POST)
    if form.is_valid():
        try:
            services.decide_match(
                actor=request.user,
                invitation=found,
                same_person=form.cleaned_data["same_person"],
                reason=form.cleaned_data["reason"],
            )
        except CitizenshipRefused as refused:
            add_refusal(form, refused)
        else:
            return redirect("citizenship-staff:invitation", reference=found.reference)
    return _invitation_page(request, found, match_form=form, status=409 if form.non_field_errors() else 400)


@staff_required(WORK_CITIZENSHIP)
@require_http_methods(["POST"])
def extend(request: HttpRequest, reference: str) -> HttpResponse:
    found = _invitation_or_404(request, reference)
    form = ExtendForm(request.POST)
    if form.is_valid():
        try:
            services.extend(actor=request.user, invitation=found, reason=form.cleaned_data["reason"])
        except CitizenshipRefused as refused:
            add_refusal(form, refused)
        else:
            return redirect("citizenship-staff:invitation", reference=found.reference)
    return _invitation_page(request, found, extend_form=form, status=409 if form.non_field_errors() else 400)
