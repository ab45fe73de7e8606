"""Closures, and re-booking the bookings a closure or an absence affects: the alternatives for
each, and the outcome of moving them (decided by `services.rebook_affected`)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.pages import add_refusal
from identity.models import RegisterOffice, User

from .. import selectors, services
from ..models import Venue
from ..refusals import BookingRefused
from ..staff_forms import ClosureForm, RebookSubjectForm
from .office import office_page, office_refusal


@office_page()
@require_http_methods(["GET", "POST"])
def closures(request: HttpRequest, office: RegisterOffice) -> HttpResponse:
    form = ClosureForm(
        request.POST if request.method == "POST" else None,
        venues=Venue.objects.filter(office=office),
        action=reverse("booking-staff:closures", args=[office.code]),
    )
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
            except BookingRefused as refused:
                add_refusal(form, refused)
            else:
                return redirect(reverse("booking-staff:rebook", args=[office.code]) + f"?closure={closure.pk}")
    return render(
        request,
        "booking/staff/closures.html",
        {"office": office, "form": form, "closures": selectors.upcoming_closures(office)},
        status=status,
    )


ALTERNATIVE_LABELS = {
    "officers": lambda slot: _("Same time and place, other officers"),
    "time": lambda slot: _("Same venue, another time"),
    "venue": lambda slot: _("Nearby venue, same day (%(km)s km away)") % {"km": f"{slot.distance_km or 0:.0f}"},
}


def _proposal_rows(proposals: list[selectors.Proposal]) -> list[dict]:
    officers = User.objects.in_bulk(
        {
            pk
            for proposal in proposals
            for slot in proposal.alternatives
            for pk in (slot.superintendent_id, slot.registrar_id)
            if pk
        }
    )
    return [
        {
            "booking": proposal.booking,
            "options": [
                {
                    "value": slot.choice,
                    "slot": slot,
                    "label": ALTERNATIVE_LABELS[proposal.alternative_kind(slot)](slot),
                    "officers": [
                        officers[pk].full_name or officers[pk].email
                        for pk in (slot.superintendent_id, slot.registrar_id)
                        if pk in officers
                    ],
                }
                for slot in proposal.alternatives
            ],
        }
        for proposal in proposals
    ]


def _choose_subject(request: HttpRequest, office: RegisterOffice) -> HttpResponse:
    """The first view of re-booking, from the office's pages: choose the closure or absence."""
    form = RebookSubjectForm(
        request.GET if "subject" in request.GET else None,
        closures=selectors.upcoming_closures(office),
        absences=selectors.upcoming_absences(office),
    )
    if form.is_bound and form.is_valid():
        kind, number = form.chosen()
        return redirect(reverse("booking-staff:rebook", args=[office.code]) + f"?{kind}={number}")
    return render(
        request,
        "booking/staff/rebook_choose.html",
        {"office": office, "form": form, "choices": form.fields["subject"].choices},
        status=400 if form.is_bound else 200,
    )


@office_page()
@require_http_methods(["GET", "POST"])
def rebook(request: HttpRequest, office: RegisterOffice) -> HttpResponse:
    title = _("Re-book affected bookings")
    if request.method == "GET" and "closure" not in request.GET and "absence" not in request.GET:
        return _choose_subject(request, office)
    try:
        subject = selectors.rebooking_subject(
            office=office, closure=request.GET.get("closure"), absence=request.GET.get("absence")
        )
    except BookingRefused as refused:
        return office_refusal(request, office, title, refused)
    if subject is None:
        raise Http404
    outcomes, status, error = [], 200, ""
    if request.method == "POST":
        choices = {
            key.removeprefix("choice-"): value for key, value in request.POST.items() if key.startswith("choice-")
        }
        try:
            outcomes = services.rebook_affected(
                office=office, subject=subject, actor=request.user, choices=choices, move_all="move_all" in request.POST
            )
        except BookingRefused as refused:
            error, status = refused.message, refused.status
        else:
            status = 409 if any(not outcome.moved for outcome in outcomes) else 200
    # Read again: bookings moved above are no longer affected.
    proposals = selectors.rebooking_proposals(bookings=list(subject.affected.all()), reason=subject.reason)
    return render(
        request,
        "booking/staff/rebook.html",
        {
            "office": office,
            "subject": subject.cause,
            "reason": subject.reason,
            "rows": _proposal_rows(proposals),
            "results": outcomes,
            "error": error,
        },
        status=status,
    )
