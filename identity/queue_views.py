"""The registrar's identity queue: identity checks waiting for a registrar in their offices, one
case with its evidence, and the decision. Which cases a registrar may see is
`selectors.identity_cases_for`; whether they may decide is `cases.decide_case`'s to say."""

from __future__ import annotations

from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from core.audit import audit_request
from core.client import client_address
from core.pages import add_refusal

from . import case_display, cases, scoring, selectors
from .access import staff_required
from .check_views import evidence_image_response
from .forms import DecisionForm, QueueFilterForm
from .models import CaseDecision, EvidenceImage, IdentityCase
from .refusals import DecisionRefused

# What the registrar is told on the queue once their decision is saved.
DECISION_RECORDED = {
    CaseDecision.Outcome.ACCEPT: gettext_lazy("Identity check %(reference)s accepted. The person has been emailed."),
    CaseDecision.Outcome.REJECT: gettext_lazy(
        "Identity check %(reference)s rejected. The person has been emailed your reason."
    ),
    CaseDecision.Outcome.MORE_EVIDENCE: gettext_lazy(
        "More evidence asked for on identity check %(reference)s. The person has been emailed your reason."
    ),
}


@staff_required(selectors.WORK_CASES)
def staff_identity_queue(request: HttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET or None, offices=selectors.offices_for(user=request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    queue = selectors.identity_queue(
        user=request.user,
        office_code=filters.get("office") or "",
        reason=filters.get("reason") or "",
        older_than_days=filters.get("older_than_days"),
    )
    audit_request(
        request,
        action="identity_queue.viewed",
        office=filters.get("office"),
        reason_code=filters.get("reason"),
        older_than_days=filters.get("older_than_days"),
    )
    page = Paginator(queue, 50).get_page(request.GET.get("page"))
    # The other pages of the list keep every filter, not only the office.
    kept = request.GET.copy()
    kept.pop("page", None)
    return render(
        request,
        "identity/staff_queue.html",
        {
            "form": form,
            "page": page,
            "rows": [(case, [case_display.reason_label(code) for code in case.reasons]) for case in page],
            "filter_query": kept.urlencode() if form.is_valid() else "",
        },
        status=200 if form.is_valid() or not request.GET else 400,
    )


def _staff_case(request: HttpRequest, reference: str) -> IdentityCase:
    case = selectors.identity_case_for(user=request.user, reference=reference)
    if case is None:
        raise Http404
    return case


@staff_required(selectors.WORK_CASES)
@require_http_methods(["GET", "POST"])
def staff_identity_case(request: HttpRequest, reference: str) -> HttpResponse:
    case = _staff_case(request, reference)
    form = DecisionForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                cases.decide_case(
                    case=case,
                    actor=request.user,
                    outcome=form.cleaned_data["outcome"],
                    reason=form.cleaned_data["reason"],
                    client_address=client_address(request),
                )
            except DecisionRefused as refused:
                add_refusal(form, refused)
                status = refused.status
            else:
                flash.success(request, DECISION_RECORDED[form.cleaned_data["outcome"]] % {"reference": case.reference})
                return redirect("identity:staff-identity-queue")
    else:
        audit_request(
            request,
            action="identity_case.viewed",
            subject=case.person,
            object_type="identity_case",
            object_id=case.reference,
        )
    context = {
        "case": case,
        "form": form,
        "decisions_open": cases.decisions_open_to(case=case, user=request.user),
        "images": [(image, case_display.image_notes(image)) for image in case.images.filter(deleted_at__isnull=True)],
        "reasons": case_display.reason_rows(case),
        "score_rows": case_display.score_rows(case),
        "shortfalls": case_display.shortfall_rows(case),
        "checks": case.checks.filter(superseded_at__isnull=True).select_related("performed_by"),
        "because": scoring.rows_behind(case.scores),
        "decisions": case.decisions.select_related("decided_by"),
    }
    return render(request, "identity/staff_case.html", context, status=status)


@staff_required(selectors.WORK_CASES)
def staff_evidence_image(request: HttpRequest, reference: str, image_id: int) -> HttpResponse:
    case = _staff_case(request, reference)
    image = get_object_or_404(EvidenceImage, pk=image_id, case=case, deleted_at__isnull=True)
    audit_request(
        request,
        action="identity_case.evidence_viewed",
        subject=case.person,
        object_type="evidence_image",
        object_id=image.pk,
    )
    return evidence_image_response(image)
