"""Staff pages for registration casework: the exception queue shared with identity cases, a
case with its answers, evidence, reasons, likely duplicates and decisions, and finding and
correcting register entries. Staff see only their offices' cases and entries unless their role
is national; every view and action is audited."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.audit import audit_request
from core.pages import add_refusal
from identity.access import staff_required
from identity.models import User
from identity.selectors import current_identity_case

from . import case_selectors, casework, presentation
from .answers import value
from .casework import CORRECT, WORK
from .models import RegisterEntry, Registration
from .refusals import CaseRefused
from .register import current_particulars
from .staff_forms import AssignForm, CorrectionForm, DecisionForm, FindEntryForm, QueueFilterForm

# --- The queue -------------------------------------------------------------------------------------


@staff_required(WORK)
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    offices = case_selectors.offices_for(request.user).order_by("name")
    form = QueueFilterForm(
        request.GET or None, offices=offices, reasons=case_selectors.queue_reason_codes(user=request.user)
    )
    valid = form.is_valid() if request.GET else True
    filters = form.cleaned_data if request.GET and valid else {}
    items = case_selectors.case_queue(
        user=request.user,
        office_code=filters.get("office") or "",
        kind=filters.get("kind") or "",
        reason=filters.get("reason") or "",
        older_than_days=filters.get("older_than_days"),
        deadline_within_days=filters.get("deadline_within_days"),
        assigned=filters.get("assigned") or "",
    )
    audit_request(request, action="registration_queue.viewed", filters=case_selectors.given_filters(filters))
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "registrar/staff/queue.html",
        {"form": form, "page": page, "query": query.urlencode()},
        status=200 if valid else 400,
    )


# --- One case --------------------------------------------------------------------------------------


def _case_or_404(request: HttpRequest, reference: str) -> Registration:
    registration = case_selectors.registration_case(user=request.user, reference=reference)
    if registration is None:
        raise Http404
    return registration


def _summary(registration: Registration) -> dict:
    answers = registration.answers or {}

    def joined(step: str, *names: str) -> str:
        return " ".join(str(value(answers, step, name, "") or "") for name in names).strip()

    person = {"birth": "child", "stillbirth": "name"}.get(registration.event, "deceased")
    return {
        "name": joined(person, "forenames", "surname") or "—",
        "mother": joined("mother", "forenames", "surname") if registration.event in ("birth", "stillbirth") else "",
        "date": registration.event_date,
        "district": registration.district.name if registration.district else "—",
    }


def _side_by_side(registration: Registration, duplicates) -> list[dict]:
    ours = _summary(registration)
    rows = []
    for entry in duplicates.entries:
        particulars = entry.particulars or {}
        mother = " ".join(str(particulars.get(key, "")) for key in ("mother_forenames", "mother_surname")).strip()
        theirs = {
            "name": f"{entry.forenames} {entry.surname}",
            "mother": mother,
            "date": entry.event_date,
            "district": entry.district.name,
        }
        rows.append({"label": entry.entry_reference, "kind": "entry", "ours": ours, "theirs": theirs})
    for other in duplicates.registrations:
        rows.append(
            {
                "label": other.reference,
                "kind": "registration",
                "status": other.get_status_display(),
                "ours": ours,
                "theirs": _summary(other),
            }
        )
    return rows


def _case_page(
    request: HttpRequest,
    registration: Registration,
    *,
    decision_form: DecisionForm | None = None,
    assign_form: AssignForm | None = None,
    error_form=None,
    status: int = 200,
) -> HttpResponse:
    decisions = casework.decisions_open_to(request.user, registration)
    colleagues = case_selectors.colleagues(registration=registration).exclude(pk=request.user.pk)
    decision_form = decision_form or DecisionForm(decisions=decisions)
    decision_form.helper.form_action = reverse("registrar-staff:decide", args=[registration.reference])
    assign_form = assign_form or AssignForm(colleagues=colleagues)
    assign_form.helper.form_action = reverse("registrar-staff:assign", args=[registration.reference])
    identity_case = current_identity_case(person=registration.informant)
    duplicates = case_selectors.likely_duplicates(registration)
    context = {
        "case": registration,
        "answers": presentation.answer_sections(registration, with_declaration=True),
        "reasons": [presentation.reason_in_words(code) for code in registration.reasons or []],
        "event_date_label": presentation.event_date_label(registration.event),
        "identity_case": identity_case,
        "can_open_identity_case": request.user.has_perm("identity.work_cases"),
        "certificate": registration.medical_certificate,
        "duplicates": _side_by_side(registration, duplicates),
        "actions": registration.case_actions.select_related("actor", "assignee"),
        "told": case_selectors.events_for_registration(registration),
        "decision_form": decision_form if decisions else None,
        "assign_form": assign_form if casework.may_assign(request.user, registration) else None,
        "error_form": error_form,
        "own_case": casework.is_about(request.user, registration),
        "late": case_selectors.needs_registrar_generals_authority(registration),
        "authority_given": case_selectors.late_authority_given(registration),
        "entry": RegisterEntry.objects.filter(registration=registration).select_related("district").first(),
    }
    return render(request, "registrar/staff/case.html", context, status=status)


@staff_required(WORK)
@require_GET
def case(request: HttpRequest, reference: str) -> HttpResponse:
    registration = _case_or_404(request, reference)
    audit_request(
        request,
        action="registration_case.viewed",
        subject=registration.informant,
        object_type="registration",
        object_id=registration.reference,
    )
    return _case_page(request, registration)


@staff_required(WORK)
@require_POST
def decide(request: HttpRequest, reference: str) -> HttpResponse:
    registration = _case_or_404(request, reference)
    decisions = casework.decisions_open_to(request.user, registration)
    form = DecisionForm(request.POST, decisions=decisions)
    if not decisions:
        # A second submit after the case was decided, or a case about oneself: say why, cleanly.
        refused = CaseRefused("own_case" if casework.is_about(request.user, registration) else "already_decided")
        form.errors.clear()
        add_refusal(form, refused)
        return _case_page(request, registration, decision_form=form, error_form=form, status=refused.status)
    if not form.is_valid():
        return _case_page(request, registration, decision_form=form, error_form=form, status=400)
    try:
        casework.decide(
            registration=registration,
            actor=request.user,
            decision=form.cleaned_data["decision"],
            reason=form.cleaned_data.get("reason") or "",
        )
    except CaseRefused as refused:
        add_refusal(form, refused)
        registration.refresh_from_db()
        return _case_page(request, registration, decision_form=form, error_form=form, status=refused.status)
    return redirect(reverse("registrar-staff:case", args=[registration.reference]) + "?decided=1")


@staff_required(WORK)
@require_POST
def assign(request: HttpRequest, reference: str) -> HttpResponse:
    registration = _case_or_404(request, reference)
    colleagues = case_selectors.colleagues(registration=registration).exclude(pk=request.user.pk)
    form = AssignForm(request.POST, colleagues=colleagues)
    if not form.is_valid():
        return _case_page(request, registration, assign_form=form, error_form=form, status=400)
    value = form.cleaned_data["assignee"]
    assignee = request.user if value == "me" else User.objects.get(pk=int(value))
    try:
        casework.assign_case(registration=registration, assignee=assignee, actor=request.user)
    except CaseRefused as refused:
        add_refusal(form, refused)
        return _case_page(request, registration, assign_form=form, error_form=form, status=refused.status)
    return redirect("registrar-staff:case", registration.reference)


# --- Entries and corrections ---------------------------------------------------------------------------


def _entry_url(entry: RegisterEntry) -> str:
    return reverse("registrar-staff:entry", args=[entry.district.code, entry.letter, entry.year, entry.number])


@staff_required(CORRECT)
@require_http_methods(["GET", "POST"])
def find_entry(request: HttpRequest) -> HttpResponse:
    """Posted, as every search is: a found entry redirects to its page, which names it by its
    reference only."""
    form = FindEntryForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            reference = form.cleaned_data["reference"]
            entry = case_selectors.find_entry(user=request.user, reference=reference)
            audit_request(request, action="register_entry.searched", reference=reference, found=bool(entry))
            if entry is not None:
                return redirect(_entry_url(entry))
            refused = CaseRefused("entry_not_found")
            add_refusal(form, refused, "reference")
            status = refused.status
    return render(request, "registrar/staff/find_entry.html", {"form": form, "error_form": form}, status=status)


def _entry_or_404(request: HttpRequest, district: str, letter: str, year: int, number: int) -> RegisterEntry:
    entry = case_selectors.entry_by_parts(user=request.user, district=district, letter=letter, year=year, number=number)
    if entry is None:
        raise Http404
    return entry


def _entry_page(request: HttpRequest, entry: RegisterEntry, form: CorrectionForm | None = None, status: int = 200):
    form = form or CorrectionForm(particulars=entry.particulars, event=entry.event)
    form.helper.form_action = _entry_url(entry) + "correct/"
    current = current_particulars(entry)
    context = {
        "entry": entry,
        "particulars": presentation.particular_sections(entry.event, entry.particulars or {}, current),
        "corrections": [
            {
                "label": presentation.particular_choice_label(entry.event, correction.field),
                "old": presentation.format_particular(entry.event, correction.field, correction.old_value),
                "new": presentation.format_particular(entry.event, correction.field, correction.new_value),
                "correction": correction,
            }
            for correction in entry.corrections.select_related("corrected_by")
        ],
        "told": case_selectors.events_for_entry(entry),
        "form": form,
        "error_form": form if status != 200 else None,
        "own_entry": bool(entry.registration_id and casework.is_about(request.user, entry.registration)),
    }
    return render(request, "registrar/staff/entry.html", context, status=status)


@staff_required(CORRECT)
@require_GET
def entry(request: HttpRequest, district: str, letter: str, year: int, number: int) -> HttpResponse:
    found = _entry_or_404(request, district, letter, year, number)
    audit_request(
        request,
        action="register_entry.viewed",
        subject=found.registration.informant if found.registration_id else None,
        object_type="register_entry",
        object_id=found.pk,
        entry=found.entry_reference,
    )
    return _entry_page(request, found)


@staff_required(CORRECT)
@require_http_methods(["GET", "POST"])
def correct(request: HttpRequest, district: str, letter: str, year: int, number: int) -> HttpResponse:
    found = _entry_or_404(request, district, letter, year, number)
    if request.method == "GET":
        return redirect(_entry_url(found) + "#correct")
    form = CorrectionForm(request.POST, particulars=found.particulars, event=found.event)
    if not form.is_valid():
        return _entry_page(request, found, form, status=400)
    try:
        casework.correct_entry(entry=found, actor=request.user, **form.cleaned_data)
    except CaseRefused as refused:
        add_refusal(form, refused)
        return _entry_page(request, found, form, status=refused.status)
    return redirect(_entry_url(found) + "?corrected=1")
