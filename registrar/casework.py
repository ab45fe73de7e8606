"""Staff decisions on registration cases: assign, register, reject, ask the person for more
information (and their answer), escalate a late registration to the Registrar General and
their authority or refusal, and corrections of entries. Each is one transaction on a locked
registration whose status changes by a `Registration.TRANSITIONS` compare-and-swap, so a
double-submitted decision is refused cleanly, and each is audited with the informant as
subject. Nobody decides a case about themselves. `DECISIONS` says, once, what each decision
needs; what a staff member may decide now is read from it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from identity.audit import record_audit
from identity.models import User
from identity.notifications import send_message, written_for
from identity.roles import is_national

from . import events, services
from .case_selectors import late_authority_given, needs_registrar_generals_authority
from .models import CaseAction, EntryCorrection, EventKind, RegisterEntry, Registration
from .refusals import CaseRefused, RegistrationRefused
from .register import record_correction

WORK = "registrar.work_registrations"
AUTHORISE = "registrar.authorise_late_registration"
CORRECT = "registrar.correct_entries"
ANSWER_MAX_LENGTH = 5000


def _strings(value: Any):
    if isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield value


def is_about(user: User, registration: Registration) -> bool:
    """The staff member is the informant, or is named in the answers by their email address
    (a second parent, say): they may not decide it."""
    if registration.informant_id == user.pk:
        return True
    email = (user.email or "").strip().lower()
    return bool(email) and any(text.strip().lower() == email for text in _strings(registration.answers or {}))


def works_in(user: User, district_id: int | None) -> bool:
    """The staff member works in that district's office, or every office (a national role)."""
    return bool(is_national(user) or user.offices.filter(pk=district_id).exists())


def _who_may_not(actor: User, permission: str, *, district_id: int | None, about: Registration | None) -> str | None:
    """Why this staff member may not act with `permission` in the district on something `about`
    a registration; None when they may."""
    if not actor.is_active or not actor.is_staff or not actor.has_perm(permission):
        return "not_allowed"
    if not works_in(actor, district_id):
        return "other_office"
    if about is not None and is_about(actor, about):
        return "own_case"
    return None


def _may_not_work(actor: User, registration: Registration, permission: str) -> str | None:
    return _who_may_not(actor, permission, district_id=registration.district_id, about=registration)


def _locked(registration: Registration, actor: User, permission: str) -> Registration:
    """Check who is acting, then lock the row: a second decision waits here and then sees the
    first one's status."""
    refused = _may_not_work(actor, registration, permission)
    if refused:
        raise CaseRefused(refused)
    return (
        Registration.objects.select_for_update(of=("self",))
        .select_related("informant", "district")
        .get(pk=registration.pk)
    )


def _record(registration: Registration, *, kind: str, actor: User | None, text: str = "", assignee=None) -> CaseAction:
    return CaseAction.objects.create(
        registration=registration, kind=kind, text=text, actor=actor, assignee=assignee, at=timezone.now()
    )


def _audit(actor: User, action: str, registration: Registration, *, reason: str = "", **detail) -> None:
    record_audit(
        actor=actor,
        action=f"registration_case.{action}",
        subject=registration.informant,
        object_type="registration",
        object_id=registration.reference,
        reason=reason,
        detail={"status": registration.status, **detail},
    )


def _required(text: str, refusal: str) -> str:
    text = (text or "").strip()
    if not text:
        raise CaseRefused(refusal)
    return text


# --- What each decision needs ---------------------------------------------------------------------


def _register_check(registration: Registration) -> str | None:
    if needs_registrar_generals_authority(registration) and not late_authority_given(registration):
        return "authority_needed"
    return None


def _escalate_check(registration: Registration) -> str | None:
    if not needs_registrar_generals_authority(registration):
        return "not_late"
    if late_authority_given(registration):
        return "authority_already_given"
    return None


@dataclass(frozen=True)
class Decision:
    """One decision a registrar (or the Registrar General's office) makes on a case: the status
    change it is (`Registration.TRANSITIONS`), who may make it, what it needs beyond the status,
    the step it adds to the case's history, and what the informant is told (subject and body,
    filled with the reference and the reason)."""

    transition: str
    permission: str
    kind: str
    check: Callable[[Registration], str | None] = lambda registration: None
    tell: tuple[Promise, Promise] | None = None


NOT_REGISTERED = _("Your registration %(reference)s was not registered")

# In the order the case page offers them.
DECISIONS: dict[str, Decision] = {
    "register": Decision("register_case", WORK, CaseAction.Kind.REGISTERED, _register_check),
    "escalate": Decision("escalate", WORK, CaseAction.Kind.ESCALATED, _escalate_check),
    "request_information": Decision(
        "request_information",
        WORK,
        CaseAction.Kind.INFORMATION_REQUESTED,
        tell=(
            _("A registrar needs more information for %(reference)s"),
            _("A registrar asks:\n\n%(question)s\n\nSign in and answer on the registration's page."),
        ),
    ),
    "reject": Decision(
        "reject",
        WORK,
        CaseAction.Kind.REJECTED,
        tell=(NOT_REGISTERED, _("A registrar could not register %(reference)s.\n\nThe reason: %(reason)s")),
    ),
    "authorise": Decision("authorise", AUTHORISE, CaseAction.Kind.AUTHORITY_GIVEN),
    "refuse_authority": Decision(
        "refuse_authority",
        AUTHORISE,
        CaseAction.Kind.AUTHORITY_REFUSED,
        tell=(
            NOT_REGISTERED,
            _("The Registrar General did not authorise the late registration %(reference)s.\n\nThe reason: %(reason)s"),
        ),
    ),
}


def _not_now(name: str, registration: Registration) -> str | None:
    """Why decision `name` cannot be made on the case as it stands; None when it can."""
    decision = DECISIONS[name]
    if not registration.allows(decision.transition):
        if name == "register" and registration.status in Registration.QUEUED:
            # Still with staff, but waiting for something first: say what.
            return f"not_ready_{registration.status}"
        return "already_decided"
    return decision.check(registration)


def decisions_open_to(user: User, registration: Registration) -> list[str]:
    """The decisions this staff member may make on the case now, from `DECISIONS` and the
    transitions (the page offers them; `decide` checks the same again)."""
    return [
        name
        for name, decision in DECISIONS.items()
        if _may_not_work(user, registration, decision.permission) is None and _not_now(name, registration) is None
    ]


@written_for
def case_decision_message(recipient: User, rule: Decision, registration: Registration, reason: str) -> tuple[str, str]:
    values = {"reference": registration.reference, "reason": reason, "question": reason}
    return str(rule.tell[0]) % values, str(rule.tell[1]) % values


def decide(*, registration: Registration, actor: User, decision: str, reason: str = "") -> Registration:
    """Make one decision on a case: the one entry point of the page and the API. Every decision
    but registering needs the reason (the question, for asking for information)."""
    if decision not in DECISIONS:
        raise CaseRefused("unknown_decision")
    if decision == "register":
        register_case(registration=registration, actor=actor)
        return Registration.objects.get(pk=registration.pk)
    rule = DECISIONS[decision]
    reason = _required(reason, "reason_required")
    with transaction.atomic():
        registration = _locked(registration, actor, rule.permission)
        refused = _not_now(decision, registration)
        if refused or not registration.move(rule.transition):
            raise CaseRefused(refused or "already_decided")
        action = _record(registration, kind=rule.kind, actor=actor, text=reason)
        _audit(actor, rule.kind, registration, reason=reason)
        if rule.tell:
            subject, body = case_decision_message(registration.informant, rule, registration, reason)
            send_message(
                key=f"registration-{registration.reference}-{action.kind}-{action.pk}",
                channel="email",
                to=registration.informant.email,
                subject=subject,
                body=body,
            )
    return registration


def register_case(*, registration: Registration, actor: User) -> RegisterEntry:
    """Register it: the entry is written by `services.register_registration` (the one writer of
    entries from registrations), then integrators are told."""
    with transaction.atomic():
        registration = _locked(registration, actor, WORK)
        refused = _not_now("register", registration)
        if refused:
            raise CaseRefused(refused)
        try:
            entry = services.register_registration(
                registration=registration, actor=actor, transition=DECISIONS["register"].transition
            )
        except RegistrationRefused as refused:
            raise CaseRefused(refused.code) from refused
        registration.refresh_from_db()
        _record(registration, kind=DECISIONS["register"].kind, actor=actor, text=entry.entry_reference)
        _audit(actor, "registered", registration, entry=entry.entry_reference)
    return entry


# --- Assignment and the person's answer ----------------------------------------------------------


def may_assign(user: User, registration: Registration) -> bool:
    """Whether the case page offers this staff member to assign the case."""
    return registration.status in Registration.IN_CASEWORK and _may_not_work(user, registration, WORK) is None


def assign_case(*, registration: Registration, assignee: User, actor: User) -> Registration:
    """Give the case to a colleague in its office (or to oneself)."""
    with transaction.atomic():
        registration = _locked(registration, actor, WORK)
        if registration.status not in Registration.IN_CASEWORK:
            raise CaseRefused("already_decided")
        not_theirs = _may_not_work(assignee, registration, WORK)
        if not_theirs:
            raise CaseRefused("assignee_own_case" if not_theirs == "own_case" else "assignee_not_in_office")
        registration.assigned_to = assignee
        registration.updated_at = timezone.now()
        registration.save(update_fields=["assigned_to", "updated_at"])
        _record(registration, kind=CaseAction.Kind.ASSIGNED, actor=actor, assignee=assignee)
        _audit(actor, "assigned", registration, assignee=assignee.email)
    return registration


def answer_information_request(*, registration: Registration, person: User, text: str) -> Registration:
    """The person answers a registrar's question; the case goes back to the queue."""
    text = _required(text, "answer_required")
    if len(text) > ANSWER_MAX_LENGTH:
        raise CaseRefused("answer_too_long", characters=ANSWER_MAX_LENGTH)
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.informant_id != person.pk:
            raise CaseRefused("not_yours")
        if not registration.move("answer_question"):
            raise CaseRefused("no_question")
        _record(registration, kind=CaseAction.Kind.INFORMATION_GIVEN, actor=person, text=text)
    return registration


def open_question(registration: Registration) -> CaseAction | None:
    """The registrar's question the person has still to answer, if any (for their page)."""
    if registration.status != Registration.Status.INFORMATION_REQUESTED:
        return None
    return registration.case_actions.filter(kind=CaseAction.Kind.INFORMATION_REQUESTED).order_by("-at", "-id").first()


# --- Corrections ------------------------------------------------------------------------------------


def correct_entry(
    *, entry: RegisterEntry, field: str, new_value: str, reason: str, evidence: str, actor: User
) -> EntryCorrection:
    """Record a correction beside the entry (`register.record_correction`, which audits it and
    refuses with `CorrectionRefused`, a `CaseRefused`) and tell integrators."""
    refused = _who_may_not(
        actor, CORRECT, district_id=entry.district_id, about=entry.registration if entry.registration_id else None
    )
    if refused:
        raise CaseRefused(refused)
    new_value = _required(new_value, "new_value_required")
    with transaction.atomic():
        correction = record_correction(
            entry=entry, field=field, new_value=new_value, reason=reason or "", evidence=evidence or "", actor=actor
        )
        events.publish(kind=EventKind.CORRECTED, entry=entry, correction=correction)
    return correction
