"""Citizen pages for giving notice online (mounted at /marry/): the start page, starting from a
provisional ceremony booking or for a religious marriage, inviting the other person and their
joining, one question per page, the evidence that an earlier marriage ended, check your answers
and sending, and the couple's page with both notices' stages."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages as flash
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import YES_NO, GovukDateField
from core.pages import refusal_page
from identity.access import citizen_required
from identity.refusals import UploadRejected

from ..models import Notice, Proposal
from . import answers as answers_module
from . import notice_selectors as selectors
from . import notice_services as services
from .notice_forms import (
    STEP_FORMS,
    STEP_TITLES,
    BookingKindForm,
    EvidenceForm,
    InviteForm,
    ReligiousForm,
)
from .refusals import MarriageRefused

CAPTION = gettext_lazy("Give notice of marriage or civil partnership")
PROBLEM_TITLE = gettext_lazy("There is a problem with your notice")
EVIDENCE_TITLES = {
    "final_order": gettext_lazy("Upload the final order or decree absolute"),
    "death_certificate": gettext_lazy("Upload the death certificate"),
}


def _refused(request: HttpRequest, refused: MarriageRefused, *, back: str) -> HttpResponse:
    return refusal_page(request, refused, back=back, title=PROBLEM_TITLE, back_label=_("Go back"))


def _own(request: HttpRequest, reference: str) -> Notice:
    """The person's own notice: the other person's, or anyone else's, is a 404."""
    try:
        return selectors.own_notice(person=request.user, reference=reference)
    except MarriageRefused as refused:
        raise Http404 from refused


def _proposal(request: HttpRequest, reference: str) -> Proposal:
    try:
        return selectors.proposal_for(person=request.user, reference=reference)
    except MarriageRefused as refused:
        raise Http404 from refused


def _step_url(notice: Notice, step: str | None) -> str:
    if step is None:
        return reverse("marriage:check", args=[notice.reference])
    return reverse("marriage:question", args=[notice.reference, step])


def _after(notice: Notice, step: str) -> str:
    """Where the person goes once a page is saved: after the condition, the evidence page when
    evidence is needed; then the next question not yet answered, then check your answers."""
    if step == "condition" and selectors.evidence_needed(notice):
        return reverse("marriage:evidence", args=[notice.reference])
    return _step_url(notice, selectors.next_step(notice))


def _previous(notice: Notice, step: str) -> str:
    index = answers_module.STEPS.index(step)
    if index == 0:
        return reverse("marriage:proposal", args=[notice.proposal.reference])
    return _step_url(notice, answers_module.STEPS[index - 1])


def start(request: HttpRequest) -> HttpResponse:
    """What you need, that each of you proves your identity, and what happens next; for a
    signed-in person, their proposals and the ceremonies they can start from."""
    context: dict[str, Any] = {
        "caption": CAPTION,
        "residence_days": settings.NOTICE_RESIDENCE_DAYS,
        "display_days": settings.NOTICE_DISPLAY_DAYS,
        "wait_days": settings.NOTICE_WAIT_DAYS,
        "referred_days": settings.NOTICE_REFERRED_WAIT_DAYS,
    }
    if request.user.is_authenticated and not request.user.is_staff:
        context.update(
            proposals=[
                {
                    "proposal": proposal,
                    "notices": [(notice, selectors.notice_stage(notice)) for notice in proposal.notices.all()],
                }
                for proposal in selectors.proposals_of(request.user)
            ],
            ceremonies=selectors.provisional_ceremonies_of(request.user),
            verified=selectors.identity_verified(request.user),
            signed_in=True,
        )
    return render(request, "registrar/marriage/notice/start.html", context)


def _unverified(request: HttpRequest) -> HttpResponse | None:
    """An unverified person is sent to the identity check."""
    if selectors.identity_verified(request.user):
        return None
    flash.info(request, _("Prove your identity first: each person giving notice proves their own identity."))
    return redirect("identity:check")


@citizen_required
@require_http_methods(["GET", "POST"])
def start_from_booking(request: HttpRequest, reference: str) -> HttpResponse:
    booking = selectors.provisional_ceremonies_of(request.user).filter(reference=reference).first()
    if booking is None:
        raise Http404
    if (sent := _unverified(request)) is not None:
        return sent
    form = BookingKindForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                proposal = services.start_from_booking(
                    person=request.user, booking_reference=booking.reference, kind=form.cleaned_data["kind"]
                )
            except MarriageRefused as refused:
                return _refused(request, refused, back=reverse("marriage:start"))
            notice = proposal.notices.get(position=1)
            return redirect("marriage:question", reference=notice.reference, step=answers_module.STEPS[0])
        status = 400
    return render(
        request,
        "registrar/marriage/notice/start_from_booking.html",
        {"form": form, "booking": booking, "caption": CAPTION},
        status=status,
    )


@citizen_required
@require_http_methods(["GET", "POST"])
def start_religious(request: HttpRequest) -> HttpResponse:
    if (sent := _unverified(request)) is not None:
        return sent
    form = ReligiousForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                proposal = services.start_religious(person=request.user, **form.cleaned_data)
            except MarriageRefused as refused:
                form.add_error("postcode", refused.message)
            else:
                notice = proposal.notices.get(position=1)
                return redirect("marriage:question", reference=notice.reference, step=answers_module.STEPS[0])
        status = 400
    return render(
        request, "registrar/marriage/notice/start_religious.html", {"form": form, "caption": CAPTION}, status=status
    )


# --- The couple's page and the invitation ---------------------------------------------------------


def _proposal_page(request: HttpRequest, proposal: Proposal, *, invite_form=None, status: int = 200) -> HttpResponse:
    notices = list(proposal.notices.select_related("person", "party").order_by("position"))
    mine = next((notice for notice in notices if notice.person_id == request.user.pk), None)
    rows = [
        {
            "notice": notice,
            "mine": notice.person_id == request.user.pk,
            "stage": selectors.notice_stage(notice),
            "name": notice.full_name if notice.person_id == request.user.pk else "",
        }
        for notice in notices
    ]
    second = notices[1] if len(notices) > 1 else None
    may_invite = bool(
        mine
        and mine.position == 1
        and second
        and second.person_id is None
        and proposal.status == Proposal.Status.GIVING_NOTICE
    )
    # The other party's email from the ceremony booking, when the booking has one.
    suggested = (second.invited_email or (second.party.email if second.party_id else "")) if second else ""
    invite_form = invite_form or InviteForm(initial={"email": suggested})
    invite_form.helper.form_action = reverse("marriage:invite", args=[proposal.reference])
    return render(
        request,
        "registrar/marriage/notice/proposal.html",
        {
            "proposal": proposal,
            "notices": notices,
            "rows": rows,
            "mine": mine,
            # Once the authority is issued (or the marriage is barred), the schedule's panel says what is next.
            "what_next": _what_next(mine, second)
            if proposal.status in (Proposal.Status.GIVING_NOTICE, Proposal.Status.WAITING)
            else "",
            "continue_url": _step_url(mine, selectors.next_step(mine))
            if mine and mine.status == Notice.Status.DRAFT
            else "",
            "may_invite": may_invite,
            "invited_email": second.invited_email if second and may_invite else "",
            "invite_form": invite_form,
            "ceremony_date": selectors.ceremony_date(proposal),
            "venue": selectors.venue_words(proposal),
            "caption": CAPTION,
        },
        status=status,
    )


def _what_next(mine: Notice | None, second: Notice | None) -> str:
    if mine is None:
        return ""
    if mine.status == Notice.Status.DRAFT:
        return _("Answer the questions of your notice, check them and send it.")
    if mine.status == Notice.Status.SENT:
        return _(
            "Book your interview with a registrar, in person or by video. Notice is given once you are interviewed."
        )
    if mine.status == Notice.Status.GIVEN:
        if second and second.status != Notice.Status.GIVEN:
            return _("Your notice has been given. The other person must give their notice too.")
        return _(
            "Both notices have been given. They are displayed publicly for %(days)s days; the ceremony can take "
            "place when the waiting period ends."
        ) % {"days": settings.NOTICE_DISPLAY_DAYS}
    return _("Contact the register office about this notice.")


@citizen_required
def proposal_page(request: HttpRequest, reference: str) -> HttpResponse:
    return _proposal_page(request, _proposal(request, reference))


@require_POST
@citizen_required
def invite(request: HttpRequest, reference: str) -> HttpResponse:
    proposal = _proposal(request, reference)
    if (sent := _unverified(request)) is not None:
        return sent
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _proposal_page(request, proposal, invite_form=form, status=400)
    try:
        services.invite_other_person(proposal=proposal, person=request.user, email=form.cleaned_data["email"])
    except MarriageRefused as refused:
        return _refused(request, refused, back=reverse("marriage:proposal", args=[proposal.reference]))
    flash.success(request, _("We have emailed the invitation to %(email)s.") % {"email": form.cleaned_data["email"]})
    return redirect("marriage:proposal", reference=proposal.reference)


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, token: str) -> HttpResponse:
    """The other person's page from the invitation: sign in with their own account, prove their
    identity (the link works again afterwards), then accept and give notice 2."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("identity:sign-in"))
    if request.user.is_staff:
        raise PermissionDenied
    try:
        notice = services.notice_for_invitation(token)
    except MarriageRefused as refused:
        return _refused(request, refused, back=reverse("marriage:start"))
    proposal = notice.proposal
    if notice.person_id == request.user.pk:
        return redirect("marriage:proposal", reference=proposal.reference)
    verified = selectors.identity_verified(request.user)
    if request.method == "POST":
        if not verified:
            return redirect("identity:check")
        try:
            notice = services.accept_invitation(token=token, person=request.user)
        except MarriageRefused as refused:
            return _refused(request, refused, back=reverse("marriage:start"))
        flash.success(request, _("You have joined. Now answer the questions of your own notice."))
        return redirect("marriage:question", reference=notice.reference, step=answers_module.STEPS[0])
    if proposal.notices.filter(position=1, person=request.user).exists():
        return _refused(
            request, MarriageRefused("invitation_own"), back=reverse("marriage:proposal", args=[proposal.reference])
        )
    return render(
        request,
        "registrar/marriage/notice/join.html",
        {
            "proposal": proposal,
            "verified": verified,
            "venue": selectors.venue_words(proposal),
            "ceremony_date": selectors.ceremony_date(proposal),
            "caption": CAPTION,
        },
    )


# --- The questions -------------------------------------------------------------------------------


def _editable_or_redirect(request: HttpRequest, notice: Notice) -> HttpResponse | None:
    if (sent := _unverified(request)) is not None:
        return sent
    if notice.status not in Notice.EDITABLE or notice.proposal.status != Proposal.Status.GIVING_NOTICE:
        return redirect("marriage:proposal", reference=notice.proposal.reference)
    return None


@citizen_required
@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, reference: str, step: str) -> HttpResponse:
    notice = _own(request, reference)
    form_class = STEP_FORMS.get(step)
    if form_class is None:
        raise Http404
    if (elsewhere := _editable_or_redirect(request, notice)) is not None:
        return elsewhere
    section = (notice.answers or {}).get(step, {})
    form = form_class(
        request.POST if request.method == "POST" else None,
        notice=notice,
        initial=form_class.initial_from(section if isinstance(section, dict) else {}, notice=notice),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                notice = services.save_answer(
                    notice=notice, person=request.user, step=step, values=form.answer_values()
                )
            except MarriageRefused as refused:
                return _refused(request, refused, back=reverse("marriage:proposal", args=[notice.proposal.reference]))
            return redirect(_after(notice, step))
        status = 400
    return render(
        request,
        "registrar/marriage/notice/question.html",
        {
            "form": form,
            "notice": notice,
            "step": step,
            "page_title": STEP_TITLES[step],
            "caption": notice.proposal.get_kind_display(),
            "back": _previous(notice, step),
            "parents": step == "parents",
            "parents_max": settings.NOTICE_PARENTS_MAX,
        },
        status=status,
    )


@citizen_required
@require_http_methods(["GET", "POST"])
def evidence(request: HttpRequest, reference: str) -> HttpResponse:
    notice = _own(request, reference)
    if (elsewhere := _editable_or_redirect(request, notice)) is not None:
        return elsewhere
    if answers_module.condition(notice.answers or {}) in ("", Notice.Condition.NEVER):
        return redirect(_step_url(notice, selectors.next_step(notice)))
    form = EvidenceForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.attach_ending_evidence(notice=notice, person=request.user, upload=form.cleaned_data["photo"])
            except (UploadRejected, MarriageRefused) as refused:
                form.add_error("photo", refused.message)
                status = refused.status
            else:
                notice.refresh_from_db()
                return redirect(_step_url(notice, selectors.next_step(notice)))
        else:
            status = 400
    kind = selectors.evidence_kind(notice)
    return render(
        request,
        "registrar/marriage/notice/evidence.html",
        {
            "form": form,
            "notice": notice,
            "kind": kind,
            "page_title": EVIDENCE_TITLES[kind],
            "caption": notice.proposal.get_kind_display(),
            "back": _step_url(notice, "condition"),
            "has_evidence": bool(notice.ending_evidence),
        },
        status=status,
    )


def _display(field: forms.Field, saved: Any) -> str:
    if saved in (None, ""):
        return _("Not given")
    if isinstance(field, GovukDateField):
        return date_format(date.fromisoformat(saved), "j F Y")
    if isinstance(field, forms.TypedChoiceField) and field.choices == YES_NO:
        return _("Yes") if saved else _("No")
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(saved, saved))
    return str(saved)


def summary_sections(notice: Notice) -> list[dict[str, Any]]:
    """Check your answers: each question with its answers and a link to change them."""
    sections = []
    for step in answers_module.STEPS:
        if step == "declaration":
            continue
        section = (notice.answers or {}).get(step, {})
        form = STEP_FORMS[step](notice=notice)
        rows = []
        if step == "parents":
            for row, parent in enumerate(section.get("parents", []), start=1):
                words = " ".join(part for part in (parent.get("forenames"), parent.get("surname")) if part)
                if parent.get("occupation"):
                    words += f" ({parent['occupation']})"
                rows.append({"label": _("Parent %(row)s") % {"row": row}, "value": words})
        elif step == "venue":
            rows.append({"label": _("Venue"), "value": selectors.venue_words(notice.proposal)})
        else:
            for name, field in form.fields.items():
                if name not in section or (section[name] in (None, "") and not field.required):
                    continue
                rows.append({"label": field.label, "value": _display(field, section[name])})
        sections.append({"title": STEP_TITLES[step], "rows": rows, "change": _step_url(notice, step), "step": step})
    return sections


def _check_page(request: HttpRequest, notice: Notice, *, error: str = "", status: int = 200) -> HttpResponse:
    earliest = selectors.earliest_sending_date(notice)
    return render(
        request,
        "registrar/marriage/notice/check.html",
        {
            "notice": notice,
            "sections": summary_sections(notice),
            "caption": notice.proposal.get_kind_display(),
            "back": _step_url(notice, "declaration"),
            "error": error,
            # The refusal sending would give, said before the person tries.
            "send_from": MarriageRefused("residence_too_short", **{"from": date_format(earliest, "j F Y")}).message
            if earliest and earliest > timezone.localdate()
            else "",
            "evidence_needed": selectors.evidence_needed(notice),
            "death_found": notice.former_partner_death_id is not None,
            "has_evidence": bool(notice.ending_evidence),
        },
        status=status,
    )


@citizen_required
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, reference: str) -> HttpResponse:
    notice = _own(request, reference)
    if (elsewhere := _editable_or_redirect(request, notice)) is not None:
        return elsewhere
    missing = selectors.missing_steps(notice)
    if missing:
        return redirect(_step_url(notice, missing[0]))
    if request.method == "POST":
        try:
            services.send_notice(notice=notice, person=request.user)
        except MarriageRefused as refused:
            if refused.code == "notice_incomplete":
                return redirect(_step_url(notice, refused.params["steps"][0]))
            if refused.code == "notice_not_editable":
                return redirect("marriage:proposal", reference=notice.proposal.reference)
            return _check_page(request, notice, error=refused.message, status=refused.status)
        return redirect("marriage:sent", reference=notice.reference)
    return _check_page(request, notice)


@citizen_required
def sent(request: HttpRequest, reference: str) -> HttpResponse:
    notice = _own(request, reference)
    if notice.status == Notice.Status.DRAFT:
        return redirect(_step_url(notice, selectors.next_step(notice)))
    return render(
        request,
        "registrar/marriage/notice/sent.html",
        {"notice": notice, "proposal": notice.proposal, "caption": notice.proposal.get_kind_display()},
    )
