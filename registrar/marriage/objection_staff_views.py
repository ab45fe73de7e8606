"""Staff pages for objections and suspicion reports: the open objections in the staff member's
offices, one objection with its grounds, notice and proposal and the superintendent registrar's
decision, and the report of a suspected sham or forced marriage. Every view and action is audited."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from core.audit import audit_request
from core.pages import add_refusal
from identity.access import staff_required

from ..models import WORK_NOTICES, Objection, Proposal
from . import display_selectors, objection_selectors, objection_services, rules
from .objection_forms import ObjectionDecisionForm, SuspicionForm
from .refusals import MarriageRefused


@staff_required(WORK_NOTICES)
@require_GET
def objections(request: HttpRequest) -> HttpResponse:
    items = objection_selectors.open_objections(user=request.user)
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    audit_request(request, action="objections.viewed")
    return render(request, "registrar/marriage/objection/staff_list.html", {"page": page})


def _objection_or_404(request: HttpRequest, reference: str) -> Objection:
    objection = objection_selectors.objection_case(user=request.user, reference=reference)
    if objection is None:
        raise Http404
    return objection


def _objection_page(
    request: HttpRequest, objection: Objection, form: ObjectionDecisionForm | None = None, *, status: int = 200
) -> HttpResponse:
    problem = objection_services.decision_problem(request.user, objection)
    form = form or ObjectionDecisionForm()
    form.helper.form_action = reverse("marriage-staff:objection", args=[objection.reference])
    proposal = objection.notice.proposal
    context = {
        "objection": objection,
        "notice": objection.notice,
        "shown": display_selectors.public(objection.notice),
        "proposal": proposal,
        "venue": display_selectors.venue_of(proposal),
        "others": objection_selectors.objections_of(proposal).exclude(pk=objection.pk),
        "form": form if problem is None or status != 200 else None,
        "error_form": form if status != 200 else None,
        "problem": MarriageRefused(problem).message if problem and problem != "objection_decided" else "",
        "authority_problem": rules.authority_problem(proposal, today=timezone.localdate()),
    }
    return render(request, "registrar/marriage/objection/staff_objection.html", context, status=status)


@staff_required(WORK_NOTICES)
@require_http_methods(["GET", "POST"])
def objection(request: HttpRequest, reference: str) -> HttpResponse:
    found = _objection_or_404(request, reference)
    if request.method == "GET":
        audit_request(
            request,
            action="objection.viewed",
            subject=found.notice.person,
            object_type="objection",
            object_id=found.reference,
        )
        return _objection_page(request, found)
    form = ObjectionDecisionForm(request.POST)
    if not form.is_valid():
        return _objection_page(request, found, form, status=400)
    try:
        objection_services.decide_objection(
            objection=found,
            actor=request.user,
            decision=form.cleaned_data["decision"],
            reason=form.cleaned_data["reason"],
        )
    except MarriageRefused as refused:
        add_refusal(form, refused)
        found.refresh_from_db()
        return _objection_page(request, found, form, status=refused.status)
    return redirect(reverse("marriage-staff:objection", args=[found.reference]) + "?decided=1")


# --- Suspicion reports ------------------------------------------------------------------------------------


def _proposal_or_404(request: HttpRequest, reference: str) -> Proposal:
    proposal = objection_selectors.proposal_case(user=request.user, reference=reference)
    if proposal is None:
        raise Http404
    return proposal


def _suspicion_page(request: HttpRequest, proposal: Proposal, form: SuspicionForm, *, status: int = 200):
    form.helper.form_action = reverse("marriage-staff:suspicion", args=[proposal.reference])
    context = {
        "proposal": proposal,
        "notices": list(proposal.notices.all()),
        "reports": objection_selectors.suspicion_reports_of(proposal),
        "form": form,
        "error_form": form if status != 200 else None,
    }
    return render(request, "registrar/marriage/objection/staff_suspicion.html", context, status=status)


@staff_required(WORK_NOTICES)
@require_http_methods(["GET", "POST"])
def suspicion(request: HttpRequest, reference: str) -> HttpResponse:
    proposal = _proposal_or_404(request, reference)
    if request.method == "GET":
        audit_request(request, action="suspicion_reports.viewed", object_type="proposal", object_id=proposal.reference)
        return _suspicion_page(request, proposal, SuspicionForm())
    form = SuspicionForm(request.POST)
    if not form.is_valid():
        return _suspicion_page(request, proposal, form, status=400)
    try:
        objection_services.report_suspicion(proposal=proposal, actor=request.user, **form.cleaned_data)
    except MarriageRefused as refused:
        add_refusal(form, refused)
        return _suspicion_page(request, proposal, form, status=refused.status)
    return redirect(reverse("marriage-staff:suspicion", args=[proposal.reference]) + "?reported=1")
