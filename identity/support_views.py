"""Phone support's console: find a person (minimum shown), open an assisted session with the
consent code the person reads out, see the session, end it; the citizen's page that gives the
code; and the supervisor's report. Every search, view and action is audited."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages as flash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.audit import audit_request
from core.client import client_address
from core.pages import add_refusal
from core.private_search import private_search

from . import assisted, selectors
from .access import citizen_required, staff_required
from .audit import record_audit
from .forms import ConsentCodeForm, SupportNoteForm, SupportSearchForm
from .models import SupportNote, User
from .refusals import ConsentRefused, SupportRefused


@citizen_required
@require_http_methods(["GET", "POST"])
def consent_code(request: HttpRequest) -> HttpResponse:
    """The person asks for a code to read to phone support. Shown once; asking again replaces it."""
    code = None
    problem = ""
    status = 200
    if request.method == "POST":
        by_text = request.POST.get("send") == "text"
        try:
            code = assisted.issue_consent_code(person=request.user, by_text=by_text)
        except ConsentRefused as refused:
            problem, status = refused.message, refused.status
    return render(
        request,
        "identity/consent_code.html",
        {
            "code": code,
            "texted": code is not None and request.POST.get("send") == "text",
            "problem": problem,
            "minutes": settings.ASSISTED_CONSENT_CODE_MINUTES,
            "session_minutes": settings.ASSISTED_SESSION_MINUTES,
            "mobile_verified": request.user.mobile_verified,
        },
        status=status,
    )


@staff_required("identity.assist_citizens")
@require_http_methods(["GET", "POST"])
def support_home(request: HttpRequest) -> HttpResponse:
    """The search is posted (a name, date of birth and postcode never go into a URL) and its
    results shown at a token URL (`core.private_search`)."""
    search = private_search(request, "identity-support")
    form = SupportSearchForm(search.data)
    matches = None
    if search.data is not None and form.is_valid():
        if search.posted:
            return search.redirect_to_results()
        data = form.cleaned_data
        matches = assisted.find_people(
            staff=request.user,
            reference=data.get("reference") or "",
            full_name=data.get("full_name") or "",
            birth_date=data.get("birth_date"),
            postcode=data.get("postcode") or "",
            client_address=client_address(request),
        )
        _remember_found(request, matches)
    session = assisted.current_session(staff=request.user)
    return render(
        request,
        "identity/support_home.html",
        {"form": form, "matches": matches, "session": session, "search_expired": search.expired},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


FOUND_SESSION_KEY = "support_found_people"


def _remember_found(request: HttpRequest, matches) -> None:
    """People a search found, for the next hour: phone support reaches a person's page only
    through a search, never by walking through account numbers."""
    now = int(time.time())
    found = {
        key: at
        for key, at in request.session.get(FOUND_SESSION_KEY, {}).items()
        if now - at < settings.ASSISTED_FOUND_PEOPLE_SECONDS
    }
    found.update({str(match.person_id): now for match in matches})
    request.session[FOUND_SESSION_KEY] = found


def _assistable_person(request: HttpRequest, person_id: int) -> User:
    found_at = request.session.get(FOUND_SESSION_KEY, {}).get(str(person_id))
    if found_at is None or time.time() - found_at >= settings.ASSISTED_FOUND_PEOPLE_SECONDS:
        raise Http404
    return get_object_or_404(User, pk=person_id, is_staff=False, is_active=True)


@staff_required("identity.assist_citizens")
@require_http_methods(["GET", "POST"])
def support_consent(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _assistable_person(request, person_id)
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
            except ConsentRefused as refused:
                add_refusal(form, refused, "code")
                status = refused.status
            else:
                return redirect("identity:support-session")
        else:
            status = 400
    return render(
        request,
        "identity/support_consent.html",
        {"form": form, "person": person, "shown": assisted.before_consent(person)},
        status=status,
    )


@staff_required("identity.assist_citizens")
def support_session(request: HttpRequest) -> HttpResponse:
    session = assisted.current_session(staff=request.user)
    if session is None:
        return redirect("identity:support-home")
    # A console page, not a request made as the person, so `audit_request` would not name them.
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
    session = assisted.current_session(staff=request.user)
    if session is not None:
        assisted.close_assisted_session(session=session, actor=request.user)
        flash.success(request, _("The assisted session has ended. You are no longer acting for the person."))
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
    audit_request(request, action="assisted.report_viewed", days=days)
    return render(request, "identity/support_report.html", {"rows": rows, "days": days})


@staff_required("identity.assist_citizens")
@require_http_methods(["GET", "POST"])
def support_person(request: HttpRequest, person_id: int) -> HttpResponse:
    """Help without consent: explain where their checks are, send a new sign-in code to their
    own email address, or write a note (and ask a registrar to look). The minimum is shown."""
    person = _assistable_person(request, person_id)
    form = SupportNoteForm(request.POST if request.POST.get("action") == "note" else None)
    status = 200
    problem = ""
    if request.method == "POST" and request.POST.get("action") == "resend":
        try:
            assisted.resend_sign_in_code(staff=request.user, person=person, client_address=client_address(request))
        except SupportRefused as refused:
            problem, status = refused.message, refused.status
        else:
            flash.success(request, _("A new sign-in code is on its way to their email address."))
            return redirect("identity:support-person", person_id=person.pk)
    if request.method == "POST" and form.is_bound:
        if form.is_valid():
            try:
                assisted.raise_support_note(
                    staff=request.user,
                    person=person,
                    text=form.cleaned_data["text"],
                    for_registrar=form.cleaned_data["for_registrar"],
                )
            except SupportRefused as refused:
                add_refusal(form, refused, "text")
                status = refused.status
            else:
                flash.success(request, _("Your note is saved."))
                return redirect("identity:support-person", person_id=person.pk)
        else:
            status = 400
    audit_request(request, action="assisted.person_viewed", subject=person)
    return render(
        request,
        "identity/support_person.html",
        {
            "person": person,
            "name": assisted.name_before_consent(person),
            "form": form,
            "cases": selectors.person_summary(person=person),
            "notes": SupportNote.objects.filter(person=person).select_related("staff")[:20],
            "problem": problem,
        },
        status=status,
    )


@staff_required("identity.work_cases")
@require_http_methods(["GET", "POST"])
def support_notes(request: HttpRequest) -> HttpResponse:
    """Notes phone support raised to a registrar, oldest first, until someone deals with them."""
    if request.method == "POST":
        raw = request.POST.get("note", "")
        note = get_object_or_404(SupportNote, pk=int(raw) if raw.isdigit() else 0, for_registrar=True)
        try:
            assisted.mark_note_handled(note=note, actor=request.user)
        except SupportRefused as refused:
            return _notes_page(request, problem=refused.message, status=refused.status)
        flash.success(request, _("The note is marked as dealt with."))
        return redirect("identity:support-notes")
    return _notes_page(request)


def _notes_page(request: HttpRequest, *, problem: str = "", status: int = 200) -> HttpResponse:
    notes = SupportNote.objects.filter(for_registrar=True, handled_at__isnull=True).select_related("person", "staff")
    audit_request(request, action="assisted.notes_viewed")
    return render(
        request,
        "identity/support_notes.html",
        {"notes": notes.order_by("created_at")[:200], "problem": problem},
        status=status,
    )
