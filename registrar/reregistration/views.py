"""The parents' pages: the birth entries they may re-register, why, the new particulars, the
check and confirmation, the page while the other parent is asked, and the other parent's page
from the emailed invitation."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from core.pages import add_refusal, refusal_page
from identity.access import citizen_required

from ..models import ReRegistration, ReRegistrationReason
from ..register import current_particulars
from . import selectors, services
from .forms import ConfirmForm, DeclineForm, DetailsForm, OtherParentConfirmForm, StartForm
from .refusals import ReRegistrationRefused


def _own(request: HttpRequest, reference: str) -> ReRegistration:
    found = selectors.own_reregistration(request.user, reference)
    if found is None:
        raise Http404
    return found


def _page(reregistration: ReRegistration) -> HttpResponse:
    return redirect("reregistration:check", reference=reregistration.reference)


@citizen_required
@require_http_methods(["GET"])
def start(request: HttpRequest) -> HttpResponse:
    """The person's birth entries, each with a way to start, and their re-registrations so far."""
    return render(
        request,
        "registrar/reregistration/start.html",
        {
            "entries": selectors.startable_entries(request.user),
            "reregistrations": selectors.reregistrations_of(request.user),
            "verified": selectors.identity_verified(request.user),
            "deadline_months": settings.REREGISTRATION_AFTER_MARRIAGE_MONTHS,
        },
    )


@citizen_required
@require_http_methods(["GET", "POST"])
def reason(request: HttpRequest, district: str, year: int, number: int) -> HttpResponse:
    entry = selectors.entry_by_reference(f"{district}/B/{year}/{number}")
    if entry is None or not selectors.may_start(request.user, entry):
        raise Http404
    form = StartForm(request.POST or None, initial={"entry": entry.entry_reference})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                reregistration = services.start(person=request.user, entry=entry, reason=form.cleaned_data["reason"])
            except ReRegistrationRefused as refused:
                if refused.code in ("rr_identity_not_verified", "rr_already_reregistered", "rr_already_open"):
                    return refusal_page(request, refused, back=reverse("reregistration:start"))
                add_refusal(form, refused, "reason")
            else:
                return redirect("reregistration:details", reference=reregistration.reference)
        status = 400
    return render(request, "registrar/reregistration/reason.html", {"form": form, "entry": entry}, status=status)


@citizen_required
@require_http_methods(["GET", "POST"])
def details(request: HttpRequest, reference: str) -> HttpResponse:
    reregistration = _own(request, reference)
    if reregistration.status != ReRegistration.Status.DRAFT:
        return _page(reregistration)
    legitimation = reregistration.reason == ReRegistrationReason.LEGITIMATION
    given = reregistration.particulars or {}
    initial = {**given, "other_parent_email": reregistration.other_parent_email}
    if given.get("married_on"):
        initial["married_on"] = given["married_on"]
    form = DetailsForm(request.POST or None, legitimation=legitimation, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_details(reregistration=reregistration, person=request.user, data=form.cleaned_data)
            except ReRegistrationRefused as refused:
                field = "married_on" if refused.code.startswith("rr_marriage") else None
                add_refusal(form, refused, field)
                status = refused.status
            else:
                return _page(reregistration)
        else:
            status = 400
    return render(
        request,
        "registrar/reregistration/details.html",
        {"form": form, "reregistration": reregistration, "legitimation": legitimation},
        status=status,
    )


@citizen_required
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, reference: str) -> HttpResponse:
    """Draft: check and confirm (the other parent is then emailed). After: where it is now."""
    reregistration = _own(request, reference)
    form = ConfirmForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if reregistration.status != ReRegistration.Status.DRAFT:
            return _page(reregistration)
        if form.is_valid():
            try:
                services.confirm_and_invite(reregistration=reregistration, person=request.user)
            except ReRegistrationRefused as refused:
                if refused.code == "rr_details_missing":
                    return redirect("reregistration:details", reference=reregistration.reference)
                add_refusal(form, refused)
                status = refused.status
            else:
                return _page(reregistration)
        else:
            status = 400
    elif reregistration.status == ReRegistration.Status.DRAFT and not services.has_details(reregistration):
        return redirect("reregistration:details", reference=reregistration.reference)
    return render(request, "registrar/reregistration/check.html", _context(reregistration, form=form), status=status)


def _context(reregistration: ReRegistration, **extra) -> dict:
    given = reregistration.particulars or {}
    original = current_particulars(reregistration.original)
    return {
        "reregistration": reregistration,
        "given": given,
        "original": original,
        "late": services.late_after_marriage(reregistration),
        "deadline_months": settings.REREGISTRATION_AFTER_MARRIAGE_MONTHS,
        "married_on": date.fromisoformat(given["married_on"]) if given.get("married_on") else None,
        **extra,
    }


@citizen_required
@require_POST
def change(request: HttpRequest, reference: str) -> HttpResponse:
    reregistration = _own(request, reference)
    try:
        services.withdraw_invitation(reregistration=reregistration, person=request.user)
    except ReRegistrationRefused as refused:
        return refusal_page(request, refused, back=reverse("reregistration:check", args=[reference]))
    return redirect("reregistration:details", reference=reference)


@citizen_required
@require_POST
def cancel(request: HttpRequest, reference: str) -> HttpResponse:
    reregistration = _own(request, reference)
    try:
        services.cancel(reregistration=reregistration, person=request.user)
    except ReRegistrationRefused as refused:
        return refusal_page(request, refused, back=reverse("reregistration:check", args=[reference]))
    return redirect("reregistration:start")


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The other parent's page: sign in, verify identity, then confirm (the new entry is written
    now) or say what is wrong."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("identity:sign-in"))
    if request.user.is_staff:
        raise PermissionDenied
    try:
        reregistration = services.reregistration_for_token(token)
    except ReRegistrationRefused as refused:
        return refusal_page(request, refused, back=reverse("home"))
    if reregistration.first_parent_id == request.user.pk:
        return refusal_page(
            request,
            ReRegistrationRefused("rr_same_person"),
            back=reverse("reregistration:check", args=[reregistration.reference]),
        )
    verified = selectors.identity_verified(request.user)
    confirm_form = OtherParentConfirmForm()
    decline_form = DeclineForm()
    status = 200
    if reregistration.status == ReRegistration.Status.AWAITING_OTHER_PARENT and request.method == "POST" and verified:
        if request.POST.get("action") == "decline":
            decline_form = DeclineForm(request.POST)
            if decline_form.is_valid():
                try:
                    services.decline_as_other_parent(
                        reregistration=reregistration, person=request.user, reason=decline_form.cleaned_data["reason"]
                    )
                except ReRegistrationRefused as refused:
                    return refusal_page(request, refused, back=request.path)
                return render(
                    request,
                    "registrar/reregistration/invitation_done.html",
                    {"declined": True, "reregistration": reregistration},
                )
        else:
            confirm_form = OtherParentConfirmForm(request.POST)
            if confirm_form.is_valid():
                try:
                    reregistration = services.confirm_as_other_parent(
                        reregistration=reregistration, person=request.user
                    )
                except ReRegistrationRefused as refused:
                    return refusal_page(request, refused, back=request.path)
                return render(
                    request, "registrar/reregistration/invitation_done.html", {"reregistration": reregistration}
                )
        status = 400
    elif reregistration.status != ReRegistration.Status.AWAITING_OTHER_PARENT:
        return render(request, "registrar/reregistration/invitation_done.html", {"reregistration": reregistration})
    elif request.method == "POST":
        status = 403
    return render(
        request,
        "registrar/reregistration/invitation.html",
        _context(
            reregistration,
            verified=verified,
            confirm_form=confirm_form,
            decline_form=decline_form,
            error_form=confirm_form if confirm_form.errors else (decline_form if decline_form.errors else None),
        ),
        status=status,
    )
