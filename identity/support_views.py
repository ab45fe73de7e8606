"""Phone support's console: find a person (minimum shown), open an assisted session with the
consent code the person reads out, see the session, end it; the citizen's page that gives the
code; and the supervisor's report. Every search, view and action is audited."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import assisted, selectors
from .access import citizen_required, staff_required
from .audit import record_audit
from .client import client_address
from .forms import ConsentCodeForm, SupportSearchForm
from .models import AssistedSession, User

CONSENT_REFUSALS = {
    "incorrect": _("That consent code is not right. Ask the person to read it again, or to get a new one"),
    "expired": _("That consent code has expired. Ask the person to get a new one from their account page"),
    "locked": _("Too many wrong codes. Wait 15 minutes before trying again"),
    "not_allowed": _("You cannot open an assisted session for this person"),
}


@citizen_required
@require_http_methods(["GET", "POST"])
def consent_code(request: HttpRequest) -> HttpResponse:
    """The person asks for a code to read to phone support. Shown once; asking again replaces it."""
    code = None
    if request.method == "POST":
        code = assisted.issue_consent_code(person=request.user)
    return render(
        request,
        "identity/consent_code.html",
        {"code": code, "minutes": settings.ASSISTED_CONSENT_CODE_MINUTES},
    )


def _current_session(request: HttpRequest) -> AssistedSession | None:
    return (
        AssistedSession.objects.select_related("person")
        .filter(staff=request.user, closed_at__isnull=True)
        .order_by("-opened_at")
        .first()
    )


@staff_required("identity.assist_citizens")
def support_home(request: HttpRequest) -> HttpResponse:
    submitted = bool(request.GET)
    form = SupportSearchForm(request.GET if submitted else None)
    matches = None
    if submitted and form.is_valid():
        data = form.cleaned_data
        matches = assisted.find_people(
            staff=request.user,
            reference=data.get("reference") or "",
            full_name=data.get("full_name") or "",
            birth_date=data.get("birth_date"),
            postcode=data.get("postcode") or "",
            client_address=client_address(request),
        )
    session = _current_session(request)
    return render(
        request,
        "identity/support_home.html",
        {"form": form, "matches": matches, "session": session if session and session.is_open() else None},
        status=400 if submitted and not form.is_valid() else 200,
    )


def _assistable_person(person_id: int) -> User:
    return get_object_or_404(User, pk=person_id, is_staff=False, is_active=True)


@staff_required("identity.assist_citizens")
@require_http_methods(["GET", "POST"])
def support_consent(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _assistable_person(person_id)
    form = ConsentCodeForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                assisted.open_assisted_session(
                    staff=request.user,
                    person=person,
                    code=form.cleaned_data["code"],
                    client_address=client_address(request),
                )
            except assisted.ConsentRefused as refused:
                form.add_error("code", CONSENT_REFUSALS[refused.reason])
                status = 429 if refused.reason == "locked" else 403 if refused.reason == "not_allowed" else 400
            else:
                return redirect("identity:support-session")
        else:
            status = 400
    return render(request, "identity/support_consent.html", {"form": form, "person": person}, status=status)


@staff_required("identity.assist_citizens")
def support_session(request: HttpRequest) -> HttpResponse:
    session = _current_session(request)
    if session is None or not session.is_open():
        return redirect("identity:support-home")
    record_audit(
        actor=request.user,
        action="assisted.session_viewed",
        subject=session.person,
        on_behalf_of=session.person,
        object_type="assisted_session",
        object_id=session.pk,
        client_address=client_address(request),
    )
    sections = [{"url": reverse(name), "label": label} for name, label in settings.ASSISTED_SECTIONS]
    return render(
        request,
        "identity/support_session.html",
        {"session": session, "cases": selectors.person_summary(person=session.person), "sections": sections},
    )


@staff_required("identity.assist_citizens")
@require_POST
def support_end(request: HttpRequest) -> HttpResponse:
    session = _current_session(request)
    if session is not None:
        assisted.close_assisted_session(session=session, actor=request.user)
    return redirect("identity:support-home")


@staff_required("identity.supervise_support")
def support_report(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("days", "7")
    if not raw.isdigit() or not 1 <= int(raw) <= 90:
        return render(
            request,
            "identity/support_report.html",
            {"error": _("Enter a number of days from 1 to 90"), "days": 7, "rows": []},
            status=400,
        )
    days = int(raw)
    rows = selectors.support_activity(days=days)
    record_audit(actor=request.user, action="assisted.report_viewed", detail={"days": days})
    return render(request, "identity/support_report.html", {"rows": rows, "days": days})
