"""The new citizen's pages (/citizenship/): accept the invitation from the email link (signed in,
identity proved), see it, choose a group ceremony before the invitation's last day (listed in
words), say how many guests and whether in Welsh, check and book; see, move or cancel the seat;
or ask for a private ceremony instead. Refusals read as the API's do."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from booking.refusals import BookingRefused
from core.pages import refusal_page
from identity.access import citizen_required
from identity.selectors import has_medium_confidence

from ..models import CitizenshipInvitation
from . import selectors, services, words
from .forms import ChooseCeremonyForm, PrivateForm, SeatForm
from .refusals import CitizenshipRefused

PROBLEM_TITLE = _("There is a problem with your citizenship ceremony")
CHOICE_KEY = "citizenship:choice:%s"


def _own(request: HttpRequest, reference: str) -> CitizenshipInvitation:
    invitation = selectors.own_invitation(request.user, reference)
    if invitation is None:
        raise Http404
    return invitation


def _refused(request: HttpRequest, refused, invitation: CitizenshipInvitation | None) -> HttpResponse:
    back = (
        reverse("citizenship:invitation", args=[invitation.reference]) if invitation else reverse("citizenship:start")
    )
    return refusal_page(request, refused, back=back, title=PROBLEM_TITLE)


@citizen_required
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    invitations = list(selectors.own_invitations(request.user))
    if len(invitations) == 1:
        return redirect("citizenship:invitation", reference=invitations[0].reference)
    return render(request, "registrar/citizenship/start.html", {"invitations": invitations})


@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, token: str) -> HttpResponse:
    """From the email: sign in, prove your identity (the link works again afterwards), accept."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("identity:sign-in"))
    if request.user.is_staff:
        raise PermissionDenied
    try:
        invitation = services.invitation_for_link(token)
    except CitizenshipRefused as refused:
        return _refused(request, refused, None)
    if invitation.person_id == request.user.pk:
        return redirect("citizenship:invitation", reference=invitation.reference)
    verified = has_medium_confidence(request.user)
    if request.method == "POST":
        if not verified:
            return redirect("identity:check")
        try:
            invitation = services.accept_invitation(token=token, person=request.user)
        except CitizenshipRefused as refused:
            return _refused(request, refused, None)
        if invitation.status == CitizenshipInvitation.Status.MATCHED:
            return redirect("citizenship:invitation", reference=invitation.reference)
        return render(request, "registrar/citizenship/to_check.html", {"invitation": invitation})
    if invitation.status == CitizenshipInvitation.Status.TO_CHECK and invitation.claimed_by_id == request.user.pk:
        return render(request, "registrar/citizenship/to_check.html", {"invitation": invitation})
    return render(request, "registrar/citizenship/accept.html", {"invitation": invitation, "verified": verified})


@citizen_required
@require_GET
def invitation_page(request: HttpRequest, reference: str) -> HttpResponse:
    invitation = _own(request, reference)
    seat = selectors.live_seat(invitation)
    return render(
        request,
        "registrar/citizenship/invitation.html",
        {
            "invitation": invitation,
            "seat": seat,
            "ceremony": words.ceremony(seat.ceremony) if seat else None,
            "may_book": invitation.status == CitizenshipInvitation.Status.MATCHED
            and selectors.may_still_book(invitation)
            and not invitation.private,
            "attendance": getattr(invitation, "attendance", None),
            "fee": words.pounds(invitation.private_fee_pence or settings.CITIZENSHIP_PRIVATE_FEE_PENCE),
        },
    )


def _may_book(request: HttpRequest, invitation: CitizenshipInvitation) -> HttpResponse | None:
    try:
        services.check_may_book(person=request.user, invitation=invitation)
    except CitizenshipRefused as refused:
        return _refused(request, refused, invitation)
    return None


@citizen_required
@require_http_methods(["GET", "POST"])
def choose(request: HttpRequest, reference: str) -> HttpResponse:
    invitation = _own(request, reference)
    if (refused := _may_book(request, invitation)) is not None:
        return refused
    ceremonies = list(selectors.open_ceremonies(invitation)[:50])
    seat = selectors.live_seat(invitation)
    choices = [
        (c.booking.reference, words.ceremony_label(c)) for c in ceremonies if seat is None or c.pk != seat.ceremony_id
    ]
    form = ChooseCeremonyForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        return redirect("citizenship:seat", reference=invitation.reference, ceremony=form.cleaned_data["ceremony"])
    return render(
        request,
        "registrar/citizenship/choose.html",
        {"invitation": invitation, "form": form, "has_choices": bool(choices), "moving": seat is not None},
        status=400 if form.errors else 200,
    )


@citizen_required
@require_http_methods(["GET", "POST"])
def seat(request: HttpRequest, reference: str, ceremony: str) -> HttpResponse:
    """Guests (up to the ceremony's limit) and the Welsh oath where it is offered."""
    invitation = _own(request, reference)
    if (refused := _may_book(request, invitation)) is not None:
        return refused
    chosen = selectors.open_ceremony(invitation, ceremony)
    if chosen is None:
        return _refused(request, CitizenshipRefused("citizenship_no_ceremony"), invitation)
    kwargs = {"welsh_offered": chosen.welsh_available, "guest_limit": chosen.guests_per_attendee}
    data = request.POST.copy() if request.method == "POST" else None
    if data is not None:
        data["ceremony"] = chosen.booking.reference
    form = SeatForm(data, initial={"ceremony": chosen.booking.reference, "guests": 0}, **kwargs)
    if data is not None and form.is_valid():
        if form.cleaned_data["guests"] > chosen.guests_per_attendee:
            form.add_error(
                "guests", BookingRefused("citizenship_too_many_guests", guests=chosen.guests_per_attendee).message
            )
        else:
            request.session[CHOICE_KEY % invitation.reference] = {
                "ceremony": chosen.booking.reference,
                "guests": form.cleaned_data["guests"],
                "welsh_oath": form.cleaned_data.get("welsh_oath", False),
            }
            return redirect("citizenship:check", reference=invitation.reference)
    return render(
        request,
        "registrar/citizenship/seat.html",
        {"invitation": invitation, "form": form, "ceremony": words.ceremony(chosen)},
        status=400 if form.errors else 200,
    )


@citizen_required
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, reference: str) -> HttpResponse:
    invitation = _own(request, reference)
    if (refused := _may_book(request, invitation)) is not None:
        return refused
    choice = request.session.get(CHOICE_KEY % invitation.reference)
    if not isinstance(choice, dict):
        return redirect("citizenship:choose", reference=invitation.reference)
    ceremony = selectors.ceremony_by_reference(str(choice.get("ceremony", "")))
    if ceremony is None:
        return _refused(request, CitizenshipRefused("citizenship_no_ceremony"), invitation)
    if request.method == "POST":
        try:
            services.book(
                person=request.user,
                invitation=invitation,
                ceremony=ceremony,
                guests=int(choice.get("guests", 0)),
                welsh_oath=bool(choice.get("welsh_oath")),
            )
        except (CitizenshipRefused, BookingRefused) as refused:
            return _refused(request, refused, invitation)
        request.session.pop(CHOICE_KEY % invitation.reference, None)
        return redirect("citizenship:invitation", reference=invitation.reference)
    return render(
        request,
        "registrar/citizenship/check.html",
        {
            "invitation": invitation,
            "ceremony": words.ceremony(ceremony),
            "guests": choice.get("guests", 0),
            "welsh_oath": bool(choice.get("welsh_oath")),
            "moving": selectors.live_seat(invitation) is not None,
        },
    )


@citizen_required
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, reference: str) -> HttpResponse:
    invitation = _own(request, reference)
    seat = selectors.live_seat(invitation)
    if seat is None:
        return _refused(request, CitizenshipRefused("citizenship_no_seat"), invitation)
    if request.method == "POST":
        try:
            services.cancel(person=request.user, invitation=invitation)
        except (CitizenshipRefused, BookingRefused) as refused:
            return _refused(request, refused, invitation)
        return redirect("citizenship:invitation", reference=invitation.reference)
    return render(
        request,
        "registrar/citizenship/cancel.html",
        {"invitation": invitation, "ceremony": words.ceremony(seat.ceremony)},
    )


@citizen_required
@require_http_methods(["GET", "POST"])
def private(request: HttpRequest, reference: str) -> HttpResponse:
    invitation = _own(request, reference)
    welsh_offered = bool(invitation.office and invitation.office.in_wales)
    form = PrivateForm(request.POST or None, welsh_offered=welsh_offered)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_private(
                person=request.user,
                invitation=invitation,
                pledge=form.cleaned_data["pledge_form"],
                welsh=form.cleaned_data.get("welsh", False),
            )
        except CitizenshipRefused as refused:
            return _refused(request, refused, invitation)
        return redirect("citizenship:invitation", reference=invitation.reference)
    if request.method == "GET":
        try:
            services._own_open(request.user, invitation)
            if invitation.private:
                raise CitizenshipRefused("citizenship_private_requested")
        except CitizenshipRefused as refused:
            return _refused(request, refused, invitation)
    return render(
        request,
        "registrar/citizenship/private.html",
        {"invitation": invitation, "form": form, "fee": words.pounds(settings.CITIZENSHIP_PRIVATE_FEE_PENCE)},
        status=400 if form.errors else 200,
    )
