"""Citizen pages for registering a birth or a death: one question per page (saved as the person
goes, so they can come back), check answers, declaration and sending, the status page of each
registration, the other parent's review of a joint registration, and the green form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages as flash
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import fill_in_later, setting_later
from core.pages import refusal_page
from identity.access import citizen_required

from . import answers as answers_module
from . import casework, presentation, rules, selectors, services
from .case_selectors import events_for_registration
from .forms import FORMS, ConfirmSecondParentForm, DeclineForm, initial_from_answers
from .models import Event, Registration
from .refusals import CaseRefused, RegistrationRefused

EVENT_TITLES = {
    Event.BIRTH: gettext_lazy("Register a birth"),
    Event.DEATH: gettext_lazy("Register a death"),
    Event.STILLBIRTH: gettext_lazy("Register a stillbirth"),
}
PROBLEM_TITLE = gettext_lazy("There is a problem with your registration")
# Pages with an explanation above the questions (the legal consequences of an answer).
HELP_TEMPLATES = {
    (Event.BIRTH, "informant"): "registrar/journey/help/birth_informant.html",
    (Event.BIRTH, "relationship"): "registrar/journey/help/relationship.html",
    (Event.BIRTH, "second_parent"): "registrar/journey/help/second_parent.html",
    (Event.DEATH, "informant"): "registrar/journey/help/death_informant.html",
    (Event.BIRTH, "late_reason"): "registrar/journey/help/late.html",
    (Event.DEATH, "late_reason"): "registrar/journey/help/late.html",
    (Event.STILLBIRTH, "informant"): "registrar/stillbirth/help/informant.html",
    (Event.STILLBIRTH, "certificate"): "registrar/stillbirth/help/certificate.html",
    (Event.STILLBIRTH, "relationship"): "registrar/stillbirth/help/relationship.html",
    (Event.STILLBIRTH, "second_parent"): "registrar/stillbirth/help/second_parent.html",
    (Event.STILLBIRTH, "late_reason"): "registrar/journey/help/late.html",
}
# Births and stillbirths share the parents' questions and the other parent's confirmation.
PARENTS_EVENTS = (Event.BIRTH, Event.STILLBIRTH)


def _own(request: HttpRequest, reference: str) -> Registration:
    """Someone else's registration is a 404: references are not to be probed."""
    return get_object_or_404(
        Registration.objects.select_related("district", "medical_certificate"),
        reference=reference,
        informant=request.user,
    )


def _acting(request: HttpRequest):
    """Who is doing this: the phone-support member in an assisted session, else the person."""
    return getattr(request, "assisted_by", None) or request.user


def _refused(request: HttpRequest, refused: RegistrationRefused, *, back: str) -> HttpResponse:
    return refusal_page(request, refused, back=back, title=PROBLEM_TITLE, back_label=_("Go back"))


def start(request: HttpRequest) -> HttpResponse:
    return render(request, "registrar/journey/start.html")


@citizen_required
@require_http_methods(["GET", "POST"])
def before_you_start(request: HttpRequest, event: str) -> HttpResponse:
    if event not in EVENT_TITLES:
        raise Http404
    if request.method == "POST":
        registration = services.start_registration(informant=request.user, event=event)
        return redirect("registrar:question", reference=registration.reference, step="informant")
    drafts = selectors.registrations_of(request.user).filter(event=event, status__in=Registration.EDITABLE)
    return render(
        request,
        "registrar/journey/before_you_start.html",
        {
            "event": event,
            "title": EVENT_TITLES[event],
            "drafts": drafts,
            "identity_verified": selectors.identity_verified(request.user),
        },
    )


@citizen_required
def mine(request: HttpRequest) -> HttpResponse:
    return render(request, "registrar/journey/mine.html", {"registrations": selectors.registrations_of(request.user)})


def _step_url(registration: Registration, step: str | None) -> str:
    if step is None or step == "declaration":
        return reverse("registrar:check", args=[registration.reference])
    return reverse("registrar:question", args=[registration.reference, step])


def _previous_url(registration: Registration, step: str) -> str:
    names = [item.name for item in answers_module.steps_for(registration)]
    if step == "declaration":
        return reverse("registrar:check", args=[registration.reference])
    if step in names and names.index(step) > 0:
        return _step_url(registration, names[names.index(step) - 1])
    return reverse("registrar:status", args=[registration.reference])


@citizen_required
@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, reference: str, step: str) -> HttpResponse:
    registration = _own(request, reference)
    if registration.status not in Registration.EDITABLE:
        return redirect("registrar:status", reference=registration.reference)
    form_class = FORMS[registration.event].get(step)
    if form_class is None:
        raise Http404
    applicable = [item.name for item in answers_module.steps_for(registration)]
    if step not in applicable:
        # An earlier answer means this question is not asked (any more).
        return redirect(_step_url(registration, answers_module.next_step(registration)))
    if step == "declaration" and answers_module.next_step(registration) not in ("declaration", None):
        # Declare only once every other question is answered.
        return redirect(_step_url(registration, answers_module.next_step(registration)))
    if (
        step == "declaration"
        and request.method == "GET"
        and not services.may_declare(registration=registration, person=_acting(request))
    ):
        return _declaration_by_informant(request, registration, status=200)
    section = (registration.answers or {}).get(step, {})
    form = form_class(
        request.POST if request.method == "POST" else None,
        registration=registration,
        initial=initial_from_answers(form_class, section if isinstance(section, dict) else {}),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            if step == "declaration":
                return _submit(request, registration)
            try:
                registration = services.save_answers(registration=registration, step=step, values=form.answer_values())
            except RegistrationRefused:
                return redirect("registrar:status", reference=registration.reference)
            if request.POST.get("later"):
                return redirect("registrar:status", reference=registration.reference)
            return redirect(_step_url(registration, answers_module.next_step(registration)))
        status = 400
    step_info = answers_module.step_named(registration.event, step)
    return render(
        request,
        "registrar/journey/question.html",
        {
            "form": form,
            "registration": registration,
            "step": step,
            "page_title": step_info.title,
            "caption": EVENT_TITLES[registration.event],
            "back": _previous_url(registration, step),
            "help_template": HELP_TEMPLATES.get((registration.event, step)),
            "lateness": _lateness(registration),
        },
        status=status,
    )


def _lateness(registration: Registration) -> str:
    if registration.event_date is None:
        return rules.IN_TIME
    return rules.lateness(
        event=registration.event,
        event_date=registration.event_date,
        deadline=registration.deadline,
        today=rules.local_today(),
    )


def _declaration_by_informant(request: HttpRequest, registration: Registration, *, status: int) -> HttpResponse:
    """What phone support sees instead of the declaration: the informant must make it."""
    message = RegistrationRefused("declaration_by_informant").message
    return render(
        request,
        "registrar/journey/declaration_by_informant.html",
        {"registration": registration, "message": message},
        status=status,
    )


def _submit(request: HttpRequest, registration: Registration) -> HttpResponse:
    try:
        services.submit_registration(registration=registration, declared_by=_acting(request))
    except RegistrationRefused as refused:
        if refused.code == "incomplete":
            return redirect(_step_url(registration, refused.params["steps"][0]))
        if refused.code == "declaration_by_informant":
            return _declaration_by_informant(request, registration, status=refused.status)
        return _refused(request, refused, back=reverse("registrar:status", args=[registration.reference]))
    return redirect("registrar:sent", reference=registration.reference)


def summary_sections(registration: Registration) -> list[dict[str, Any]]:
    """Check-your-answers: each step asked, with each answer in words and a link to change it."""
    return [
        {
            "title": section.title,
            "rows": [{"label": row.label, "value": row.value, "name": row.name} for row in section.rows],
            "change": reverse("registrar:question", args=[registration.reference, section.step]),
        }
        for section in presentation.answer_sections(registration)
    ]


@citizen_required
def check(request: HttpRequest, reference: str) -> HttpResponse:
    registration = _own(request, reference)
    if registration.status not in Registration.EDITABLE:
        return redirect("registrar:status", reference=registration.reference)
    missing = [name for name in answers_module.missing_steps(registration) if name != "declaration"]
    if missing:
        return redirect(_step_url(registration, missing[0]))
    answers = registration.answers or {}
    return render(
        request,
        "registrar/journey/check.html",
        {
            "registration": registration,
            "sections": summary_sections(registration),
            "caption": EVENT_TITLES[registration.event],
            "father_not_named": registration.event in PARENTS_EVENTS
            and not answers_module.may_name_second_parent(answers),
            "joint": registration.event in PARENTS_EVENTS and answers_module.second_parent_must_confirm(answers),
            "identity_verified": selectors.identity_verified(request.user),
            "back": _check_back(registration),
        },
    )


def _check_back(registration: Registration) -> str:
    names = [step.name for step in answers_module.steps_for(registration) if step.name != "declaration"]
    return _step_url(registration, names[-1]) if names else reverse("registrar:status", args=[registration.reference])


WHAT_NEXT = {
    Registration.Status.DRAFT: gettext_lazy("Answer the remaining questions and send the registration."),
    Registration.Status.AWAITING_SECOND_PARENT: gettext_lazy(
        "We have asked the other parent to sign in, verify their identity and confirm the details. "
        "The birth will be registered when they do."
    ),
    Registration.Status.WITH_REGISTRAR: gettext_lazy(
        "A registrar will look at your registration, usually within 5 working days. "
        "They will contact you if they need anything."
    ),
    Registration.Status.INFORMATION_REQUESTED: gettext_lazy(
        "A registrar needs more information. Change your answers and send the registration again."
    ),
    Registration.Status.AWAITING_AUTHORITY: fill_in_later(
        gettext_lazy(
            "More than %(months)s months have passed, so the Registrar General must authorise the registration. "
            "A registrar will contact you."
        ),
        {"months": setting_later("LATE_AUTHORITY_MONTHS")},
    ),
    Registration.Status.BLOCKED_BY_CORONER: gettext_lazy(
        "The death has been referred to the coroner. It can be registered when the coroner releases it; "
        "we will tell you when that happens."
    ),
    Registration.Status.REGISTERED: gettext_lazy("The registration is complete."),
    Registration.Status.REJECTED: gettext_lazy(
        "A registrar could not register this. We have written to you to say why."
    ),
    Registration.Status.WITHDRAWN: gettext_lazy("This registration was withdrawn."),
}


def _status_context(registration: Registration) -> dict[str, Any]:
    entry = getattr(registration, "entry", None) if registration.status == Registration.Status.REGISTERED else None
    after = (registration.answers or {}).get("_after_death", {})
    invitation = (registration.answers or {}).get("_second_parent", {})
    return {
        "registration": registration,
        "entry": entry,
        "what_next": WHAT_NEXT[registration.status],
        "tell_us_once": after.get("tell_us_once"),
        "tell_us_once_expires": answers_module.as_date(after.get("tell_us_once_expires")),
        "invitation": invitation,
        "continue_url": _step_url(registration, answers_module.next_step(registration))
        if registration.status in Registration.EDITABLE
        else None,
        "lateness": _lateness(registration),
        "today": rules.local_today(),
        "caption": EVENT_TITLES[registration.event],
    }


def _status_page(request: HttpRequest, registration: Registration, *, answer_error: str = "", status: int = 200):
    context = _status_context(registration)
    context.update(
        question=casework.open_question(registration),
        answer_error=answer_error,
        answer_text=request.POST.get("answer", "") if request.method == "POST" else "",
        told=events_for_registration(registration),
    )
    return render(request, "registrar/journey/status.html", context, status=status)


@citizen_required
def status(request: HttpRequest, reference: str) -> HttpResponse:
    return _status_page(request, _own(request, reference))


@require_POST
@citizen_required
def answer_question(request: HttpRequest, reference: str) -> HttpResponse:
    """The person answers a registrar's question; the case goes back to the registrar."""
    registration = _own(request, reference)
    try:
        casework.answer_information_request(
            registration=registration, person=request.user, text=request.POST.get("answer", "")
        )
    except CaseRefused as refused:
        return _status_page(request, registration, answer_error=refused.message, status=refused.status)
    flash.success(request, _("Your answer has been sent to the registrar."))
    return redirect("registrar:status", reference=registration.reference)


@citizen_required
def sent(request: HttpRequest, reference: str) -> HttpResponse:
    registration = _own(request, reference)
    if registration.status == Registration.Status.DRAFT:
        return redirect("registrar:status", reference=registration.reference)
    return render(request, "registrar/journey/sent.html", _status_context(registration))


@require_POST
@citizen_required
def cancel_invitation(request: HttpRequest, reference: str) -> HttpResponse:
    registration = _own(request, reference)
    try:
        services.cancel_invitation(registration=registration)
    except RegistrationRefused as refused:
        return _refused(request, refused, back=reverse("registrar:status", args=[registration.reference]))
    return redirect("registrar:question", reference=registration.reference, step="relationship")


def _pdf_response(registration: Registration) -> HttpResponse:
    from .green_form import green_form_pdf  # reportlab: loaded when a green form is asked for

    response = HttpResponse(green_form_pdf(registration), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="green-form-{registration.reference}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@citizen_required
def green_form(request: HttpRequest, reference: str) -> HttpResponse:
    registration = _own(request, reference)
    if registration.event != Event.DEATH or registration.status != Registration.Status.REGISTERED:
        raise Http404
    return _pdf_response(registration)


def green_form_link(request: HttpRequest, token: str) -> HttpResponse:
    """The funeral arranger's link from the email: signed, no account needed."""
    registration = services.registration_for_green_form_token(token)
    if registration is None:
        raise Http404
    return _pdf_response(registration)


@require_http_methods(["GET", "POST"])
def second_parent(request: HttpRequest, token: str) -> HttpResponse:
    """The other parent's page from the invitation: sign in, verify identity, then review and
    confirm (the entry is made now) or say what is wrong."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("identity:sign-in"))
    if request.user.is_staff:
        raise PermissionDenied
    try:
        registration = services.registration_for_token(token)
    except RegistrationRefused as refused:
        return _refused(request, refused, back=reverse("home"))
    if registration.informant_id == request.user.pk:
        return _refused(
            request,
            RegistrationRefused("second_parent_is_informant"),
            back=reverse("registrar:status", args=[registration.reference]),
        )
    context: dict[str, Any] = {
        "registration": registration,
        "token": token,
        "verified": selectors.identity_verified(request.user),
        "particulars": answers_module.entry_fields(registration)["particulars"],
        "confirm_form": ConfirmSecondParentForm(),
        "decline_form": DeclineForm(),
    }
    if registration.status != Registration.Status.AWAITING_SECOND_PARENT:
        return render(request, "registrar/journey/second_parent_done.html", context)
    status_code = 200
    if request.method == "POST":
        if not context["verified"]:
            return redirect(request.path)
        action = request.POST.get("action")
        if action == "decline":
            form = DeclineForm(request.POST)
            context["decline_form"] = form
            if form.is_valid():
                try:
                    services.decline_as_second_parent(
                        registration=registration, person=request.user, reason=form.cleaned_data["reason"]
                    )
                except RegistrationRefused as refused:
                    return _refused(request, refused, back=request.path)
                registration.refresh_from_db()
                return render(request, "registrar/journey/second_parent_done.html", {**context, "declined": True})
        else:
            form = ConfirmSecondParentForm(request.POST)
            context["confirm_form"] = form
            if form.is_valid():
                try:
                    registration = services.confirm_as_second_parent(registration=registration, person=request.user)
                except RegistrationRefused as refused:
                    return _refused(request, refused, back=request.path)
                context["registration"] = registration
                return render(request, "registrar/journey/second_parent_done.html", context)
        status_code = 400
    context["form"] = context.get("confirm_form")
    template = (
        "registrar/stillbirth/second_parent.html"
        if registration.event == Event.STILLBIRTH
        else "registrar/journey/second_parent.html"
    )
    return render(request, template, context, status=status_code)
