"""Staff pages of the interview: an office's interviews, and the notice case page (both notices'
answers in words, the identity checks, the evidence that a previous marriage ended, the Home
Office referral and the outcome form for an interview at the registrar's office). Staff see only
the cases of the offices they work in; every view and decision is audited."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from core.audit import audit_request
from core.pages import add_refusal
from identity.access import staff_required
from identity.selectors import current_identity_case

from ..models import WORK_NOTICES, Notice, Proposal
from . import answers, interview_referral, interview_services, rules, selectors
from .interview_forms import OutcomeForm
from .refusals import MarriageRefused

HOW_ENDED = {
    "divorce": _("Divorce"),
    "dissolution": _("Dissolution"),
    "annulment": _("Annulment"),
    "death": _("Death of the former spouse or civil partner"),
}
NATIONALITY = {"british": _("British"), "irish": _("Irish"), "other": _("Another nationality")}
IMMIGRATION_STATUS = {
    "settled": _("Settled status"),
    "pre_settled": _("Pre-settled status"),
    "marriage_visa": _("A marriage visa"),
    "other": _("Another status"),
    "": _("Not needed"),
}
YES = _("Yes")
NO = _("No")


def _day(value):
    return value.strftime("%-d %B %Y") if value else "—"


def answer_rows(notice: Notice) -> list[tuple[str, str]]:
    """The notice's answers in words, question by question (never the stored codes)."""
    given = notice.answers or {}
    condition = given.get("condition", {})
    nationality = given.get("nationality", {})
    rows = [
        (_("Name"), answers.full_name(given) or "—"),
        (_("Date of birth"), _day(answers.date_of_birth(given))),
        (_("Condition"), str(Notice.Condition(condition["condition"]).label) if condition.get("condition") else "—"),
    ]
    if condition.get("condition") and condition["condition"] != Notice.Condition.NEVER:
        rows += [
            (_("Former spouse or civil partner"), condition.get("former_partner") or "—"),
            (_("How it ended"), str(HOW_ENDED.get(condition.get("how_ended", ""), "—"))),
            (_("When it ended"), _day(answers._date(condition.get("ended_on")))),
        ]
    rows += [
        (_("Occupation"), answers.occupation(given) or _("None")),
        (_("Address"), answers.address(given) or "—"),
        (_("Postcode"), answers.postcode(given) or "—"),
        (_("Lived there since"), _day(answers.lived_there_since(given))),
        (
            _("Nationality"),
            nationality.get("other_nationality") or str(NATIONALITY.get(answers.nationality(given), "—")),
        ),
        (_("Immigration status"), str(IMMIGRATION_STATUS.get(answers.immigration_status(given), "—"))),
        (_("Immigration reference"), nationality.get("immigration_reference") or "—"),
        (_("Exempt from immigration control"), "—" if notice.exempt is None else (YES if notice.exempt else NO)),
        (_("Confirmed the venue"), YES if given.get("venue", {}).get("confirmed") else NO),
    ]
    for index, parent in enumerate(answers.parents(given), start=1):
        name = " ".join(part for part in (parent.get("forenames", ""), parent.get("surname", "")) if part)
        occupation = parent.get("occupation") or ""
        rows.append((_("Parent %(number)s") % {"number": index}, f"{name}, {occupation}" if occupation else name))
    rows.append((_("Declaration made"), YES if given.get("declaration", {}).get("declared_at") else NO))
    return rows


def _case_or_404(request: HttpRequest, reference: str) -> Proposal:
    proposal = selectors.notice_case(user=request.user, reference=reference)
    if proposal is None:
        raise Http404
    return proposal


def _notice_or_404(request: HttpRequest, reference: str) -> Notice:
    notice = Notice.objects.filter(reference=reference).select_related("proposal").first()
    if notice is None or selectors.notice_case(user=request.user, reference=notice.proposal.reference) is None:
        raise Http404
    return notice


def _may_record(request: HttpRequest, notice: Notice) -> bool:
    if notice.status != Notice.Status.SENT or not notice.interview_id:
        return False
    try:
        interview_services.check_may_record(request.user, notice)
    except MarriageRefused:
        return False
    return True


def _case_page(
    request: HttpRequest, proposal: Proposal, *, failed: Notice | None = None, form=None, status: int = 200
) -> HttpResponse:
    notices = list(
        proposal.notices.select_related("person", "interview__room__venue__office", "office", "former_partner_death")
    )
    rows = []
    for notice in notices:
        outcome_form = None
        if _may_record(request, notice):
            action = reverse("marriage-staff:interview-outcome", args=[notice.reference])
            outcome_form = (form if failed is not None and failed.pk == notice.pk else None) or OutcomeForm(
                prefix=f"notice{notice.position}", action=action
            )
        rows.append(
            {
                "notice": notice,
                "answers": answer_rows(notice),
                "identity_case": current_identity_case(person=notice.person) if notice.person_id else None,
                "outcome_form": outcome_form,
                "interview_day_to_come": bool(
                    notice.interview_id and notice.interview.starts_at.date() > timezone.localdate()
                ),
            }
        )
    context = {
        "proposal": proposal,
        "notices": notices,
        "rows": rows,
        "error_form": form if form is not None and form.errors else None,
        "waiting_ends": rules.waiting_ends(proposal),
        "notices_expire": rules.notices_expire(proposal),
        "must_move_to": selectors.must_move_to(proposal),
        "needs_referral": rules.needs_referral(proposal),
        "ceremony_day": selectors.ceremony_day(proposal),
    }
    return render(request, "registrar/marriage/staff/case.html", context, status=status)


@staff_required(WORK_NOTICES)
@require_GET
def case(request: HttpRequest, reference: str) -> HttpResponse:
    proposal = _case_or_404(request, reference)
    audit_request(request, action="marriage_case.viewed", object_type="proposal", object_id=proposal.reference)
    return _case_page(request, proposal)


@staff_required(WORK_NOTICES)
@require_POST
def outcome(request: HttpRequest, reference: str) -> HttpResponse:
    notice = _notice_or_404(request, reference)
    proposal = notice.proposal
    action = reverse("marriage-staff:interview-outcome", args=[notice.reference])
    form = OutcomeForm(request.POST, prefix=f"notice{notice.position}", action=action)
    if not form.is_valid():
        return _case_page(request, proposal, failed=notice, form=form, status=400)
    try:
        interview_services.record_outcome(
            actor=request.user,
            notice=notice,
            outcome=form.cleaned_data["outcome"],
            reason=form.cleaned_data.get("reason") or "",
        )
    except MarriageRefused as refused:
        add_refusal(form, refused)
        proposal.refresh_from_db()
        return _case_page(request, proposal, failed=notice, form=form, status=refused.status)
    return redirect(reverse("marriage-staff:case", args=[proposal.reference]) + "?recorded=1")


@staff_required(WORK_NOTICES)
@require_POST
def send_referral_again(request: HttpRequest, reference: str) -> HttpResponse:
    proposal = _case_or_404(request, reference)
    try:
        interview_referral.send_again(actor=request.user, proposal=proposal)
    except MarriageRefused as refused:
        return render(
            request,
            "problem.html",
            {
                "message": refused.message,
                "back": reverse("marriage-staff:case", args=[proposal.reference]),
                "title": _("There is a problem"),
            },
            status=refused.status,
        )
    return redirect(reverse("marriage-staff:case", args=[proposal.reference]) + "?resent=1")


@staff_required(WORK_NOTICES)
@require_GET
def evidence(request: HttpRequest, reference: str) -> HttpResponse:
    """The uploaded photo of the final order or decree absolute: to staff of the case's offices
    only, never cached, audited."""
    notice = _notice_or_404(request, reference)
    if not notice.ending_evidence:
        raise Http404
    audit_request(
        request,
        action="marriage_evidence.viewed",
        subject=notice.person,
        object_type="notice",
        object_id=notice.reference,
    )
    response = FileResponse(notice.ending_evidence.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@staff_required(WORK_NOTICES)
@require_GET
def interviews(request: HttpRequest) -> HttpResponse:
    notices = selectors.office_interviews(user=request.user, on_or_after=timezone.localdate())
    audit_request(request, action="marriage_interviews.viewed")
    page = Paginator(notices, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "registrar/marriage/interview/staff_interviews.html",
        {"page": page, "alerts": selectors.referral_alerts(user=request.user)[:50]},
    )
