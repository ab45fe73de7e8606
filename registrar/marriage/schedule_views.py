"""Pages of the schedule: the couple's schedule (with a printable PDF) for a religious marriage;
for staff, the superintendent registrar's authority from the case panel, the on-the-day page of
a ceremony (a phone's width, keyboard only, no JavaScript), the paper schedule, the ceremony that
did not take place and its new booking, and the schedules not returned in time."""

from __future__ import annotations

import io

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from booking.models import Booking
from core.audit import audit_request
from core.pages import add_refusal, refusal_page
from identity.access import citizen_required, staff_required
from identity.roles import is_national

from ..models import IndexName, Notice, Proposal
from ..models.marriages import WORK_NOTICES
from . import particulars as particulars_module
from . import rules, schedule_selectors, schedule_services
from .refusals import MarriageRefused
from .schedule_forms import NotTakenPlaceForm, RebookForm, ScheduleDayForm

# --- The couple's schedule ---------------------------------------------------------------------------


def _own_proposal(request: HttpRequest, reference: str) -> Proposal:
    proposal = (
        Proposal.objects.select_related("ceremony__room__venue", "venue", "district")
        .filter(reference=str(reference).strip().upper())
        .first()
    )
    if proposal is None or not schedule_selectors.is_one_of_the_couple(request.user, proposal):
        raise Http404
    return proposal


def _parties(particulars: dict) -> list[dict]:
    """Both parties' particulars, with the condition in words."""
    conditions = dict(Notice.Condition.choices)
    parties = []
    for position in (1, 2):
        party = particulars_module.party(particulars, position)
        party["condition"] = conditions.get(party["condition"], party["condition"])
        parties.append(party | {"position": position})
    return parties


def _proposal_page_url(proposal: Proposal) -> str:
    try:
        return reverse("marriage:proposal", args=[proposal.reference])
    except NoReverseMatch:
        return reverse("marriage:schedule", args=[proposal.reference])


@citizen_required
@require_GET
def schedule(request: HttpRequest, reference: str) -> HttpResponse:
    proposal = _own_proposal(request, reference)
    schedule = schedule_selectors.schedule_of(proposal)
    context = {
        "proposal": proposal,
        "schedule": schedule,
        "parties": _parties(schedule.particulars) if schedule else [],
        "ceremony_date": schedule_selectors.ceremony_date(proposal),
        "place": schedule_selectors.ceremony_place(proposal),
        "back": _proposal_page_url(proposal),
        "certificate_lines": _certificate_lines(schedule),
        "return_days": settings.SCHEDULE_RETURN_DAYS,
    }
    return render(request, "registrar/marriage/schedule/schedule.html", context)


def _certificate_lines(schedule) -> list[IndexName]:
    if schedule is None or schedule.entry_id is None:
        return []
    return list(IndexName.objects.filter(entry_id=schedule.entry_id).order_by("pk"))


@citizen_required
@require_GET
def schedule_pdf(request: HttpRequest, reference: str) -> HttpResponse:
    proposal = _own_proposal(request, reference)
    schedule = schedule_selectors.schedule_of(proposal)
    if schedule is None:
        return refusal_page(request, MarriageRefused("not_authorised"), back=_proposal_page_url(proposal))
    response = HttpResponse(_schedule_pdf(proposal, schedule), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{schedule.reference}.pdf"'
    return response


def _schedule_pdf(proposal: Proposal, schedule) -> bytes:
    """A printable A4 copy of the schedule for the officiant: both parties' particulars, the
    ceremony, and blank lines for the day's record and signatures."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    from core.pdf_fonts import pdf_fonts

    regular, bold = pdf_fonts()
    output = io.BytesIO()
    pdf = canvas.Canvas(output, pagesize=A4)
    width, height = A4
    y = height - 20 * mm
    title = _("Marriage schedule") if proposal.kind == Proposal.Kind.MARRIAGE else _("Civil partnership schedule")
    pdf.setTitle(f"{title} {schedule.reference}")
    pdf.setFont(bold, 16)
    pdf.drawString(20 * mm, y, f"{title} {schedule.reference}")
    y -= 10 * mm
    pdf.setFont(regular, 10)
    day = schedule_selectors.ceremony_date(proposal)
    for label, value in (
        (_("Place"), schedule_selectors.ceremony_place(proposal)),
        (_("Date intended"), day.strftime("%d/%m/%Y") if day else ""),
        (_("Register office"), proposal.district.name),
    ):
        pdf.drawString(20 * mm, y, f"{label}: {value}")
        y -= 6 * mm
    for party in _parties(schedule.particulars):
        y -= 4 * mm
        pdf.setFont(bold, 12)
        pdf.drawString(20 * mm, y, _("Party %(n)s") % {"n": party["position"]})
        y -= 6 * mm
        pdf.setFont(regular, 10)
        parents = "; ".join(
            f"{p.get('forenames', '')} {p.get('surname', '')} ({p.get('occupation', '')})"
            for p in party["parents"] or []
        )
        for label, value in (
            (_("Name"), f"{party['forenames']} {party['surname']}"),
            (_("Age"), party["age"]),
            (_("Condition"), party["condition"]),
            (_("Occupation"), party["occupation"]),
            (_("Address"), (party["address"] or "").replace("\n", ", ")),
            (_("Parents"), parents),
        ):
            pdf.drawString(25 * mm, y, f"{label}: {value}"[:110])
            y -= 6 * mm
    y -= 6 * mm
    pdf.setFont(bold, 12)
    pdf.drawString(20 * mm, y, _("On the day"))
    y -= 8 * mm
    pdf.setFont(regular, 10)
    for label in (
        _("Date of the ceremony"),
        _("Signature of party 1"),
        _("Signature of party 2"),
        _("Witness 1 (name and signature)"),
        _("Witness 2 (name and signature)"),
        _("Officiant (name, role and signature)"),
    ):
        pdf.drawString(20 * mm, y, f"{label}: " + "_" * 50)
        y -= 9 * mm
    pdf.drawString(
        20 * mm,
        y,
        _("Return this schedule to %(office)s within %(days)s days of the ceremony.")
        % {"office": proposal.district.name, "days": settings.SCHEDULE_RETURN_DAYS},
    )
    pdf.showPage()
    pdf.save()
    return output.getvalue()


# --- Staff: the authority ---------------------------------------------------------------------------------


def _staff_proposal(request: HttpRequest, reference: str) -> Proposal:
    proposal = schedule_selectors.proposal_for_staff(request.user, reference)
    if proposal is None:
        raise Http404
    return proposal


def _case_url(proposal: Proposal) -> str:
    try:
        return reverse("marriage-staff:case", args=[proposal.reference])
    except NoReverseMatch:
        return reverse("marriage-staff:ceremony", args=[proposal.reference])


@staff_required(WORK_NOTICES)
@require_POST
def issue_authority(request: HttpRequest, reference: str) -> HttpResponse:
    proposal = _staff_proposal(request, reference)
    try:
        schedule_services.issue_authority(proposal, actor=request.user)
    except MarriageRefused as refused:
        return refusal_page(request, refused, back=_case_url(proposal))
    return redirect(_case_url(proposal) + "?authority=1")


# --- Staff: the day -------------------------------------------------------------------------------------


def _initial(proposal: Proposal) -> dict:
    initial = {
        "ceremony_date": schedule_selectors.ceremony_date(proposal),
        "ceremony_place": schedule_selectors.ceremony_place(proposal),
    }
    booking = proposal.ceremony
    if booking is not None:
        if booking.superintendent_id:
            initial["officiant_1_name"] = booking.superintendent.get_full_name()
            initial["officiant_1_role"] = _("Superintendent registrar")
        if booking.registrar_id:
            initial["officiant_2_name"] = booking.registrar.get_full_name()
            initial["officiant_2_role"] = _("Registrar")
        for witness in booking.witnesses.all()[:2]:
            initial[f"witness_{witness.position}_name"] = witness.full_name
    return initial


def _officiants_needed(proposal: Proposal) -> int:
    return 1 if proposal.form == Proposal.Form.RELIGIOUS else 2


def _day_form(proposal: Proposal, route: str, **kwargs) -> ScheduleDayForm:
    label = _("Register from the paper schedule") if route == schedule_services.ROUTE_PAPER else None
    return ScheduleDayForm(officiants_needed=_officiants_needed(proposal), submit_label=label, **kwargs)


def _day_page(request, proposal, *, route, form=None, not_held_form=None, rebook_form=None, status=200):
    schedule = schedule_selectors.schedule_of(proposal)
    form = form or _day_form(proposal, route, initial=_initial(proposal))
    context = {
        "proposal": proposal,
        "schedule": schedule,
        "route": route,
        "form": form,
        "error_form": next((f for f in (form, not_held_form, rebook_form) if f is not None and f.errors), None),
        "not_held_form": not_held_form or NotTakenPlaceForm(),
        "rebook_form": rebook_form or RebookForm(religious=proposal.form == Proposal.Form.RELIGIOUS),
        "parties": _parties(schedule.particulars) if schedule else [],
        "ceremony_date": schedule_selectors.ceremony_date(proposal),
        "place": schedule_selectors.ceremony_place(proposal),
        "registered": bool(schedule and schedule.entry_id),
        "expires": rules.notices_expire(proposal),
        "case_url": _case_url(proposal),
    }
    return render(request, "registrar/marriage/schedule/day.html", context, status=status)


def _register_from(request: HttpRequest, reference: str, route: str) -> HttpResponse:
    proposal = _staff_proposal(request, reference)
    if request.method == "GET":
        audit_request(request, action="marriage_ceremony.viewed", object_type="proposal", object_id=proposal.reference)
        return _day_page(request, proposal, route=route)
    schedule = schedule_selectors.schedule_of(proposal)
    form = _day_form(proposal, route, data=request.POST)
    if schedule is None:
        refused = MarriageRefused("not_authorised")
        form.is_valid()
        form.errors.clear()
        add_refusal(form, refused)
        return _day_page(request, proposal, route=route, form=form, status=refused.status)
    if not form.is_valid():
        return _day_page(request, proposal, route=route, form=form, status=400)
    try:
        schedule_services.register_schedule(schedule=schedule, record=form.record(), actor=request.user, route=route)
    except MarriageRefused as refused:
        add_refusal(form, refused)
        proposal.refresh_from_db()
        return _day_page(request, proposal, route=route, form=form, status=refused.status)
    name = "marriage-staff:ceremony" if route == schedule_services.ROUTE_CEREMONY else "marriage-staff:paper-schedule"
    return redirect(reverse(name, args=[proposal.reference]) + "?registered=1")


@staff_required(WORK_NOTICES)
@require_http_methods(["GET", "POST"])
def ceremony(request: HttpRequest, reference: str) -> HttpResponse:
    return _register_from(request, reference, schedule_services.ROUTE_CEREMONY)


@staff_required(WORK_NOTICES)
@require_http_methods(["GET", "POST"])
def paper_schedule(request: HttpRequest, reference: str) -> HttpResponse:
    return _register_from(request, reference, schedule_services.ROUTE_PAPER)


@staff_required(WORK_NOTICES)
@require_POST
def not_taken_place(request: HttpRequest, reference: str) -> HttpResponse:
    proposal = _staff_proposal(request, reference)
    form = NotTakenPlaceForm(request.POST)
    route = schedule_services.ROUTE_CEREMONY
    if not form.is_valid():
        return _day_page(request, proposal, route=route, not_held_form=form, status=400)
    schedule = schedule_selectors.schedule_of(proposal)
    try:
        if schedule is None:
            raise MarriageRefused("not_authorised")
        schedule_services.record_not_taken_place(
            schedule=schedule, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except MarriageRefused as refused:
        add_refusal(form, refused)
        proposal.refresh_from_db()
        return _day_page(request, proposal, route=route, not_held_form=form, status=refused.status)
    return redirect(reverse("marriage-staff:ceremony", args=[proposal.reference]) + "?not_held=1")


@staff_required(WORK_NOTICES)
@require_POST
def rebook(request: HttpRequest, reference: str) -> HttpResponse:
    proposal = _staff_proposal(request, reference)
    religious = proposal.form == Proposal.Form.RELIGIOUS
    form = RebookForm(request.POST, religious=religious)
    route = schedule_services.ROUTE_CEREMONY
    if not form.is_valid():
        return _day_page(request, proposal, route=route, rebook_form=form, status=400)
    try:
        if religious:
            schedule_services.rebook(
                proposal=proposal, actor=request.user, intended_date=form.cleaned_data["intended_date"]
            )
        else:
            booking = Booking.objects.filter(reference=form.cleaned_data["booking"].strip().upper()).first()
            if booking is None:
                raise MarriageRefused("booking_not_found")
            schedule_services.rebook(proposal=proposal, actor=request.user, ceremony=booking)
    except MarriageRefused as refused:
        add_refusal(form, refused, "intended_date" if religious else "booking")
        proposal.refresh_from_db()
        return _day_page(request, proposal, route=route, rebook_form=form, status=refused.status)
    return redirect(reverse("marriage-staff:ceremony", args=[proposal.reference]) + "?rebooked=1")


# --- Staff: schedules not returned ------------------------------------------------------------------------


def offices_of(user):
    return None if is_national(user) else user.offices.all()


@staff_required(WORK_NOTICES)
@require_GET
def schedules(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = schedule_selectors.unreturned_rows(
        schedule_selectors.unreturned_schedules(today=today, offices=offices_of(request.user))[:500]
    )
    audit_request(request, action="marriage_schedules.viewed", count=len(rows))
    return render(
        request,
        "registrar/marriage/schedule/list.html",
        {"rows": rows, "today": today, "return_days": settings.SCHEDULE_RETURN_DAYS},
    )
