"""One booking of an office's diary: its parties and when they gave notice, and changing its
officers."""

from __future__ import annotations

from django.contrib import messages as flash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.audit import audit_request
from core.pages import add_refusal
from identity.models import RegisterOffice
from identity.roles import REGISTRAR, SUPERINTENDENT_REGISTRAR

from .. import selectors, services
from ..ceremony_notices import CeremonyNotices, ceremony_notices
from ..models import Booking
from ..refusals import BookingRefused
from ..staff_forms import ReassignForm
from .office import office_page


def _office_booking(office: RegisterOffice, reference: str) -> Booking:
    booking = selectors.office_booking(office=office, reference=reference)
    if booking is None:
        raise Http404
    return booking


def _reassign_form(booking: Booking, office: RegisterOffice, data=None) -> ReassignForm:
    return ReassignForm(
        data,
        booking=booking,
        superintendents=selectors.rota_officers(office_id=office.pk, roles=(SUPERINTENDENT_REGISTRAR,)),
        registrars=selectors.rota_officers(
            office_id=office.pk,
            roles=(REGISTRAR,) if booking.kind in Booking.TWO_OFFICER_KINDS else (REGISTRAR, SUPERINTENDENT_REGISTRAR),
        ),
        action=reverse("booking-staff:reassign", args=[office.code, booking.reference]),
    )


def _render_booking(
    request: HttpRequest,
    office: RegisterOffice,
    booking: Booking,
    *,
    reassign_form: ReassignForm | None = None,
    status: int = 200,
) -> HttpResponse:
    ceremony = booking.ceremony_booking
    # Notice is given in the registration domain's journey; its case page records the interviews.
    notices = ceremony_notices(ceremony) if ceremony is not None else CeremonyNotices()
    rows = [{"party": party, "given_on": notices.given.get(party.position)} for party in selectors.parties_of(booking)]
    can_reassign = "change_officers" in selectors.actions_open_to(booking, user=request.user)
    forms_with_errors = [form for form in [reassign_form] if form is not None and form.errors]
    return render(
        request,
        "booking/staff/booking.html",
        {
            "office": office,
            "booking": booking,
            "ceremony": ceremony,
            "parties": rows,
            "notices": notices,
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
    audit_request(
        request, action="booking.viewed", subject=booking.person, object_type="booking", object_id=booking.reference
    )
    return _render_booking(request, office, booking)


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
        except BookingRefused as refused:
            add_refusal(form, refused)
            status = refused.status
        else:
            flash.success(request, _("Officers changed. The couple have been told."))
            return redirect("booking-staff:booking", office.code, reference)
    return _render_booking(request, office, booking, reassign_form=form, status=status)
