"""Staff pages for taking a registration: start (birth or death), the informant and the
documents seen, the citizen journey's own questions one per page in the staff layout, check
answers, the declaration (in person, or a code sent to the informant) and the registration's
page. Also the informant's own page from the signed link, to enter their code themselves.
Every page a staff member opens is audited; phone support reaches only the person in their
open assisted session."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from core.client import client_address
from core.pages import add_refusal, refusal_page
from core.refusals import Refusal
from identity.access import staff_required
from identity.refusals import CodeRejected, CodeThrottled

from .. import answers as answers_module
from ..forms import FORMS, initial_from_answers
from ..journey_views import EVENT_TITLES, HELP_TEMPLATES, WHAT_NEXT, summary_sections
from ..models import Event, Registration
from ..refusals import RegistrationRefused
from . import selectors, services
from .forms import CodeForm, EventForm, InformantForm, InPersonDeclarationForm, OwnCodeForm, SendCodeForm
from .words import declaration_words, taken_by_words

PROBLEM_TITLE = gettext_lazy("There is a problem with this registration")
HOME = "staff-registration:start"


def _may_take(request: HttpRequest) -> bool:
    return request.user.has_perm(selectors.WORK) or selectors.assisted_session_of(request.user) is not None


def _refused(request: HttpRequest, refused: Refusal, *, back: str | None = None) -> HttpResponse:
    return refusal_page(request, refused, back=back or reverse(HOME), title=PROBLEM_TITLE)


def _working(request: HttpRequest, reference: str, page: str) -> Registration:
    """The registration, if this staff member may work on it (404 otherwise: references are
    not to be probed); the view is audited."""
    try:
        registration = services.working(staff=request.user, reference=reference)
    except services.StaffRegistrationRefused as refused:
        raise Http404 from refused
    services.record_view(staff=request.user, registration=registration, page=page)
    return registration


def _step_url(registration: Registration, step: str | None) -> str:
    if step is None or step == "declaration":
        return reverse("staff-registration:check", args=[registration.reference])
    return reverse("staff-registration:question", args=[registration.reference, step])


def _context(registration: Registration, **extra: Any) -> dict[str, Any]:
    return {
        "registration": registration,
        "caption": EVENT_TITLES[registration.event],
        "taken_by": taken_by_words(registration),
        "informant": registration.informant,
        **extra,
    }


@staff_required()
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    session = selectors.assisted_session_of(request.user)
    if not _may_take(request):
        if request.user.has_perm(selectors.ASSIST):
            return _refused(
                request, services.StaffRegistrationRefused("no_session"), back=reverse("identity:staff-home")
            )
        raise PermissionDenied
    form = EventForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            event = form.cleaned_data["event"]
            if session is None:
                return redirect(reverse("staff-registration:informant") + f"?event={event}")
            registration = services.take_by_phone(staff=request.user, event=event)
            return redirect(_step_url(registration, answers_module.next_step(registration)))
        status = 400
    return render(
        request,
        "registrar/staff_registration/start.html",
        {"form": form, "session": session, "drafts": selectors.drafts_taken_by(request.user)[:50]},
        status=status,
    )


@staff_required(selectors.WORK)
@require_http_methods(["GET", "POST"])
def informant(request: HttpRequest) -> HttpResponse:
    event = request.GET.get("event", "")
    if event not in (Event.BIRTH, Event.DEATH):
        return redirect(HOME)
    form = InformantForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                registration = services.take_in_person(registrar=request.user, event=event, **form.cleaned_data)
            except services.StaffRegistrationRefused as refused:
                add_refusal(
                    form, refused, "email" if refused.code in ("informant_is_staff", "own_registration") else None
                )
                status = refused.status
            else:
                return redirect(_step_url(registration, answers_module.next_step(registration)))
        else:
            status = 400
    return render(
        request,
        "registrar/staff_registration/informant.html",
        {"form": form, "caption": EVENT_TITLES[event], "back": reverse(HOME)},
        status=status,
    )


def _previous_url(registration: Registration, step: str) -> str:
    names = [item.name for item in answers_module.steps_for(registration)]
    if step in names and names.index(step) > 0:
        return _step_url(registration, names[names.index(step) - 1])
    return reverse("staff-registration:registration", args=[registration.reference])


@staff_required()
@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, reference: str, step: str) -> HttpResponse:
    registration = _working(request, reference, page=step)
    if registration.status not in Registration.EDITABLE:
        return redirect("staff-registration:registration", reference=registration.reference)
    form_class = FORMS[registration.event].get(step)
    if form_class is None or step == "declaration":
        raise Http404
    if step not in [item.name for item in answers_module.steps_for(registration)]:
        return redirect(_step_url(registration, answers_module.next_step(registration)))
    section = (registration.answers or {}).get(step, {})
    form = form_class(
        request.POST if request.method == "POST" else None,
        registration=registration,
        initial=initial_from_answers(form_class, section if isinstance(section, dict) else {}),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                registration = services.save_step(
                    staff=request.user, registration=registration, step=step, values=form.answer_values()
                )
            except services.StaffRegistrationRefused as refused:
                add_refusal(form, refused)
                status = refused.status
            except RegistrationRefused as refused:
                return _refused(request, refused, back=request.path)
            else:
                if request.POST.get("later"):
                    return redirect("staff-registration:registration", reference=registration.reference)
                return redirect(_step_url(registration, answers_module.next_step(registration)))
        else:
            status = 400
    step_info = answers_module.step_named(registration.event, step)
    return render(
        request,
        "registrar/staff_registration/question.html",
        _context(
            registration,
            form=form,
            step=step,
            page_title=step_info.title,
            back=_previous_url(registration, step),
            help_template=HELP_TEMPLATES.get((registration.event, step)),
        ),
        status=status,
    )


def _staff_sections(registration: Registration) -> list[dict[str, Any]]:
    """The citizen check-answers sections, with "Change" leading to the staff pages."""
    steps = [step.name for step in answers_module.steps_for(registration) if step.name != "declaration"]
    sections = summary_sections(registration)
    for name, section in zip(steps, sections, strict=True):
        section["change"] = _step_url(registration, name)
    return sections


@staff_required()
def check(request: HttpRequest, reference: str) -> HttpResponse:
    registration = _working(request, reference, page="check")
    if registration.status not in Registration.EDITABLE:
        return redirect("staff-registration:registration", reference=registration.reference)
    missing = [name for name in answers_module.missing_steps(registration) if name != "declaration"]
    if missing:
        return redirect(_step_url(registration, missing[0]))
    steps = [step.name for step in answers_module.steps_for(registration) if step.name != "declaration"]
    return render(
        request,
        "registrar/staff_registration/check.html",
        _context(registration, sections=_staff_sections(registration), back=_step_url(registration, steps[-1])),
    )


def _declaration_page(request, registration, *, in_person_form=None, send_form=None, status=200) -> HttpResponse:
    destinations = services.code_destinations(registration)
    in_person = not registration.assisted_session_id and request.user.has_perm(selectors.WORK)
    return render(
        request,
        "registrar/staff_registration/declaration.html",
        _context(
            registration,
            in_person=in_person,
            in_person_form=in_person_form or (InPersonDeclarationForm() if in_person else None),
            send_form=send_form or (SendCodeForm(destinations=destinations) if destinations else None),
            error_form=in_person_form if in_person_form is not None and in_person_form.errors else send_form,
            declaration_text=FORMS[registration.event]["declaration"].base_fields["confirmed"].label,
            code_sent=bool((registration.answers or {}).get(services.DECLARATION_CODE)),
            back=reverse("staff-registration:check", args=[registration.reference]),
        ),
        status=status,
    )


@staff_required()
@require_http_methods(["GET", "POST"])
def declaration(request: HttpRequest, reference: str) -> HttpResponse:
    registration = _working(request, reference, page="declaration")
    if registration.status not in Registration.EDITABLE:
        return redirect("staff-registration:registration", reference=registration.reference)
    missing = [name for name in answers_module.missing_steps(registration) if name != "declaration"]
    if missing:
        return redirect(_step_url(registration, missing[0]))
    if request.method == "GET":
        return _declaration_page(request, registration)
    if request.POST.get("action") == "send_code":
        form = SendCodeForm(request.POST, destinations=services.code_destinations(registration))
        if not form.is_valid():
            return _declaration_page(request, registration, send_form=form, status=400)
        try:
            services.send_declaration_code(
                staff=request.user,
                registration=registration,
                channel=form.cleaned_data["channel"],
                client_address=client_address(request),
            )
        except (services.StaffRegistrationRefused, CodeThrottled) as refused:
            add_refusal(form, refused)
            response = _declaration_page(request, registration, send_form=form, status=refused.status)
            if refused.retry_after is not None:
                response["Retry-After"] = str(refused.retry_after)
            return response
        return redirect("staff-registration:code", reference=registration.reference)
    form = InPersonDeclarationForm(request.POST)
    if not form.is_valid():
        return _declaration_page(request, registration, in_person_form=form, status=400)
    try:
        registration = services.declare_in_person(
            registrar=request.user, registration=registration, read_and_signed=form.cleaned_data["read_and_signed"]
        )
    except services.StaffRegistrationRefused as refused:
        add_refusal(form, refused)
        return _declaration_page(request, registration, in_person_form=form, status=refused.status)
    except RegistrationRefused as refused:
        return _refused(request, refused, back=request.path)
    return redirect("staff-registration:registration", reference=registration.reference)


@staff_required()
@require_http_methods(["GET", "POST"])
def code(request: HttpRequest, reference: str) -> HttpResponse:
    """The code the informant reads back on the call (or at the desk), typed by staff."""
    registration = _working(request, reference, page="code")
    if registration.status not in Registration.EDITABLE:
        return redirect("staff-registration:registration", reference=registration.reference)
    if not (registration.answers or {}).get(services.DECLARATION_CODE):
        return redirect("staff-registration:declaration", reference=registration.reference)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                registration = services.declare_with_code(
                    registration=registration,
                    code=form.cleaned_data["code"],
                    entered_by=request.user,
                    client_address=client_address(request),
                )
            except (services.StaffRegistrationRefused, CodeRejected) as refused:
                add_refusal(form, refused, "code")
                status = refused.status
            except RegistrationRefused as refused:
                return _refused(request, refused, back=request.path)
            else:
                return redirect("staff-registration:registration", reference=registration.reference)
        else:
            status = 400
    return render(
        request,
        "registrar/staff_registration/code.html",
        _context(
            registration,
            form=form,
            declaration_text=FORMS[registration.event]["declaration"].base_fields["confirmed"].label,
            back=reverse("staff-registration:declaration", args=[registration.reference]),
        ),
        status=status,
    )


@staff_required()
def registration_page(request: HttpRequest, reference: str) -> HttpResponse:
    registration = _working(request, reference, page="registration")
    entry = getattr(registration, "entry", None) if registration.status == Registration.Status.REGISTERED else None
    next_url = None
    if registration.status in Registration.EDITABLE:
        missing = [name for name in answers_module.missing_steps(registration) if name != "declaration"]
        next_url = _step_url(registration, missing[0]) if missing else _step_url(registration, None)
    return render(
        request,
        "registrar/staff_registration/registration.html",
        _context(
            registration,
            entry=entry,
            what_next=WHAT_NEXT[registration.status],
            declared=declaration_words(registration),
            reasons=registration.reasons or [],
            next_url=next_url,
        ),
    )


# --- The informant's own page, from the link sent with the code ---------------------------------


@require_http_methods(["GET", "POST"])
def declare(request: HttpRequest, token: str) -> HttpResponse:
    try:
        registration = services.registration_for_link(token)
    except services.StaffRegistrationRefused as refused:
        return refusal_page(request, refused, back=reverse("home"), title=PROBLEM_TITLE)
    if registration.status not in Registration.EDITABLE:
        return render(
            request,
            "registrar/staff_registration/declared.html",
            {"registration": registration, "what_next": WHAT_NEXT[registration.status]},
        )
    form = OwnCodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                registration = services.declare_with_code(
                    registration=registration, code=form.cleaned_data["code"], client_address=client_address(request)
                )
            except (services.StaffRegistrationRefused, CodeRejected) as refused:
                add_refusal(form, refused, "code")
                status = refused.status
            except RegistrationRefused as refused:
                return refusal_page(request, refused, back=request.path, title=PROBLEM_TITLE)
            else:
                return render(
                    request,
                    "registrar/staff_registration/declared.html",
                    {"registration": registration, "what_next": WHAT_NEXT[registration.status]},
                )
        else:
            status = 400
    return render(
        request,
        "registrar/staff_registration/declare.html",
        {
            "registration": registration,
            "form": form,
            "sections": summary_sections(registration),
            "caption": EVENT_TITLES[registration.event],
            "taken_by": taken_by_words(registration),
        },
        status=status,
    )
