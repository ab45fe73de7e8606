"""Staff decisions on registration cases: assign, register, reject, ask the person for more
information (and their answer), escalate a late registration to the Registrar General and
their authority or refusal, and corrections of entries. Each is one transaction on a locked
registration, so a double-submitted decision is refused cleanly, and each is audited with the
informant as subject. Nobody decides a case about themselves."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from identity.audit import record_audit
from identity.models import User
from identity.notifications import send_message
from identity.roles import is_national

from . import events
from .case_selectors import QUEUE_STATUSES, late_authority_given, needs_registrar_generals_authority
from .models import CaseAction, EntryCorrection, EventKind, RegisterEntry, Registration

WORK = "registrar.work_registrations"
AUTHORISE = "registrar.authorise_late_registration"
CORRECT = "registrar.correct_entries"


class CaseRefused(Exception):
    """A decision that cannot be made; `reason` is a code the pages and the API explain."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


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


def may_work(user: User, registration: Registration) -> bool:
    return bool(is_national(user) or user.offices.filter(pk=registration.district_id).exists())


def _locked(registration: Registration, actor: User, permission: str) -> Registration:
    """Check who is acting, then lock the row: a second decision waits here and then sees the
    first one's status."""
    if not actor.is_active or not actor.is_staff or not actor.has_perm(permission):
        raise CaseRefused("not_allowed")
    if not may_work(actor, registration):
        raise CaseRefused("other_office")
    if is_about(actor, registration):
        raise CaseRefused("own_case")
    return (
        Registration.objects.select_for_update(of=("self",))
        .select_related("informant", "district")
        .get(pk=registration.pk)
    )


def _act(
    registration: Registration,
    *,
    kind: str,
    actor: User | None,
    text: str = "",
    assignee: User | None = None,
    status: str | None = None,
    decided: bool = False,
) -> CaseAction:
    now = timezone.now()
    fields = ["updated_at"]
    registration.updated_at = now
    if status is not None:
        registration.status = status
        fields.append("status")
    if decided:
        registration.decided_at = now
        fields.append("decided_at")
    registration.save(update_fields=fields)
    return CaseAction.objects.create(
        registration=registration, kind=kind, text=text, actor=actor, assignee=assignee, at=now
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


def _tell_informant(registration: Registration, action: CaseAction, subject: str, body: str) -> None:
    send_message(
        key=f"registration-{registration.reference}-{action.kind}-{action.pk}",
        channel="email",
        to=registration.informant.email,
        subject=subject,
        body=body,
    )


def _reason(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise CaseRefused("reason_required")
    return text


# --- Assignment -----------------------------------------------------------------------------------


def assign_case(*, registration: Registration, assignee: User, actor: User) -> Registration:
    """Give the case to a colleague in its office (or to oneself)."""
    with transaction.atomic():
        registration = _locked(registration, actor, WORK)
        if registration.status not in (*QUEUE_STATUSES, Registration.Status.INFORMATION_REQUESTED):
            raise CaseRefused("already_decided")
        if (
            not assignee.is_active
            or not assignee.is_staff
            or not assignee.has_perm(WORK)
            or not may_work(assignee, registration)
        ):
            raise CaseRefused("assignee_not_in_office")
        if is_about(assignee, registration):
            raise CaseRefused("assignee_own_case")
        registration.assigned_to = assignee
        registration.save(update_fields=["assigned_to"])
        _act(registration, kind=CaseAction.Kind.ASSIGNED, actor=actor, assignee=assignee)
        _audit(actor, "assigned", registration, assignee=assignee.email)
    return registration


# --- Decisions --------------------------------------------------------------------------------------


def register_case(*, registration: Registration, actor: User) -> RegisterEntry:
    """Register it: the entry is written by `services.register_registration` (the citizen
    side's one writer of entries from registrations), then integrators are told."""
    with transaction.atomic():
        registration = _locked(registration, actor, WORK)
        if registration.status != Registration.Status.WITH_REGISTRAR:
            raise CaseRefused(
                "already_decided" if registration.status not in QUEUE_STATUSES else "not_ready_" + registration.status
            )
        if needs_registrar_generals_authority(registration) and not late_authority_given(registration):
            raise CaseRefused("authority_needed")
        from . import services

        try:
            entry = services.register_registration(registration=registration, actor=actor)
        except services.RegistrationRefused as refused:
            raise CaseRefused(str(getattr(refused, "reason", refused))) from refused
        registration.refresh_from_db()
        _act(registration, kind=CaseAction.Kind.REGISTERED, actor=actor, text=entry.entry_reference)
        _audit(actor, "registered", registration, entry=entry.entry_reference)
    return entry


def reject_case(*, registration: Registration, actor: User, reason: str) -> Registration:
    reason = _reason(reason)
    with transaction.atomic():
        registration = _locked(registration, actor, WORK)
        if registration.status not in (Registration.Status.WITH_REGISTRAR, Registration.Status.BLOCKED_BY_CORONER):
            raise CaseRefused("already_decided")
        action = _act(
            registration,
            kind=CaseAction.Kind.REJECTED,
            actor=actor,
            text=reason,
            status=Registration.Status.REJECTED,
            decided=True,
        )
        _audit(actor, "rejected", registration, reason=reason)
        _tell_informant(
            registration,
            action,
            _("Your registration %(reference)s was not registered") % {"reference": registration.reference},
            _("A registrar could not register %(reference)s.\n\nThe reason: %(reason)s")
            % {"reference": registration.reference, "reason": reason},
        )
    return registration


def request_information(*, registration: Registration, actor: User, question: str) -> Registration:
    """Ask the person for more; the case leaves the queue until they answer."""
    question = _reason(question)
    with transaction.atomic():
        registration = _locked(registration, actor, WORK)
        if registration.status != Registration.Status.WITH_REGISTRAR:
            raise CaseRefused("already_decided")
        action = _act(
            registration,
            kind=CaseAction.Kind.INFORMATION_REQUESTED,
            actor=actor,
            text=question,
            status=Registration.Status.INFORMATION_REQUESTED,
        )
        _audit(actor, "information_requested", registration, reason=question)
        _tell_informant(
            registration,
            action,
            _("A registrar needs more information for %(reference)s") % {"reference": registration.reference},
            _("A registrar asks:\n\n%(question)s\n\nSign in and answer on the registration's page.")
            % {"question": question},
        )
    return registration


def answer_information_request(*, registration: Registration, person: User, text: str) -> Registration:
    """The person answers a registrar's question; the case goes back to the queue."""
    text = (text or "").strip()
    if not text:
        raise CaseRefused("answer_required")
    if len(text) > 5000:
        raise CaseRefused("answer_too_long")
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.informant_id != person.pk:
            raise CaseRefused("not_yours")
        if registration.status != Registration.Status.INFORMATION_REQUESTED:
            raise CaseRefused("no_question")
        _act(
            registration,
            kind=CaseAction.Kind.INFORMATION_GIVEN,
            actor=person,
            text=text,
            status=Registration.Status.WITH_REGISTRAR,
        )
    return registration


def open_question(registration: Registration) -> CaseAction | None:
    """The registrar's question the person has still to answer, if any (for their page)."""
    if registration.status != Registration.Status.INFORMATION_REQUESTED:
        return None
    return registration.case_actions.filter(kind=CaseAction.Kind.INFORMATION_REQUESTED).order_by("-at", "-id").first()


def escalate_case(*, registration: Registration, actor: User, reason: str) -> Registration:
    """Send a registration over 12 months late for the Registrar General's authority."""
    reason = _reason(reason)
    with transaction.atomic():
        registration = _locked(registration, actor, WORK)
        if registration.status != Registration.Status.WITH_REGISTRAR:
            raise CaseRefused("already_decided")
        if not needs_registrar_generals_authority(registration):
            raise CaseRefused("not_late")
        if late_authority_given(registration):
            raise CaseRefused("authority_already_given")
        _act(
            registration,
            kind=CaseAction.Kind.ESCALATED,
            actor=actor,
            text=reason,
            status=Registration.Status.AWAITING_AUTHORITY,
        )
        _audit(actor, "escalated", registration, reason=reason)
    return registration


def authorise_late_registration(*, registration: Registration, actor: User, reason: str) -> Registration:
    """The Registrar General's authority: the case goes back to a registrar, who may now register it."""
    reason = _reason(reason)
    with transaction.atomic():
        registration = _locked(registration, actor, AUTHORISE)
        if registration.status != Registration.Status.AWAITING_AUTHORITY:
            raise CaseRefused("already_decided")
        _act(
            registration,
            kind=CaseAction.Kind.AUTHORITY_GIVEN,
            actor=actor,
            text=reason,
            status=Registration.Status.WITH_REGISTRAR,
        )
        _audit(actor, "authority_given", registration, reason=reason)
    return registration


def refuse_late_registration(*, registration: Registration, actor: User, reason: str) -> Registration:
    reason = _reason(reason)
    with transaction.atomic():
        registration = _locked(registration, actor, AUTHORISE)
        if registration.status != Registration.Status.AWAITING_AUTHORITY:
            raise CaseRefused("already_decided")
        action = _act(
            registration,
            kind=CaseAction.Kind.AUTHORITY_REFUSED,
            actor=actor,
            text=reason,
            status=Registration.Status.REJECTED,
            decided=True,
        )
        _audit(actor, "authority_refused", registration, reason=reason)
        _tell_informant(
            registration,
            action,
            _("Your registration %(reference)s was not registered") % {"reference": registration.reference},
            _("The Registrar General did not authorise the late registration %(reference)s.\n\nThe reason: %(reason)s")
            % {"reference": registration.reference, "reason": reason},
        )
    return registration


DECISIONS = {
    "register": register_case,
    "reject": reject_case,
    "request_information": request_information,
    "escalate": escalate_case,
    "authorise": authorise_late_registration,
    "refuse_authority": refuse_late_registration,
}


def decide(*, registration: Registration, actor: User, decision: str, reason: str = "") -> Registration:
    """One entry point for the page and the API."""
    if decision == "register":
        register_case(registration=registration, actor=actor)
    elif decision == "request_information":
        request_information(registration=registration, actor=actor, question=reason)
    elif decision in DECISIONS:
        DECISIONS[decision](registration=registration, actor=actor, reason=reason)
    else:
        raise CaseRefused("unknown_decision")
    return Registration.objects.get(pk=registration.pk)


# --- Corrections ------------------------------------------------------------------------------------


def correct_entry(
    *, entry: RegisterEntry, field: str, new_value: str, reason: str, evidence: str, actor: User
) -> EntryCorrection:
    """Record a correction beside the entry (`register.record_correction`, which audits it) and
    tell integrators."""
    from .register import CorrectionRefused, record_correction

    if not actor.is_active or not actor.is_staff or not actor.has_perm(CORRECT):
        raise CaseRefused("not_allowed")
    if not is_national(actor) and not actor.offices.filter(pk=entry.district_id).exists():
        raise CaseRefused("other_office")
    if entry.registration_id and is_about(actor, entry.registration):
        raise CaseRefused("own_case")
    if not (new_value or "").strip():
        raise CaseRefused("new_value_required")
    with transaction.atomic():
        try:
            correction = record_correction(
                entry=entry,
                field=field,
                new_value=new_value.strip(),
                reason=reason or "",
                evidence=evidence or "",
                actor=actor,
            )
        except CorrectionRefused as refused:
            raise CaseRefused(refused.reason) from refused
        events.publish(kind=EventKind.CORRECTED, entry=entry, correction=correction)
    return correction


# --- What a refusal means, for the pages and the API ---------------------------------------------

REFUSALS: dict[str, tuple[int, Any]] = {
    "not_allowed": (403, _lazy("You do not have permission to do this")),
    "other_office": (404, _lazy("No case with that reference in your offices")),
    "own_case": (403, _lazy("You cannot decide a case about yourself; ask a colleague")),
    "already_decided": (409, _lazy("This case has already been decided or has moved on; reload it to see why")),
    "not_ready_information_requested": (409, _lazy("The person has not yet answered the question asked")),
    "not_ready_awaiting_authority": (409, _lazy("This case is waiting for the Registrar General's authority")),
    "not_ready_blocked_by_coroner": (409, _lazy("This death cannot be registered until the coroner releases it")),
    "authority_needed": (
        409,
        _lazy("This registration is over 12 months late: send it for the Registrar General's authority first"),
    ),
    "not_late": (409, _lazy("Only registrations over 12 months late need the Registrar General's authority")),
    "authority_already_given": (409, _lazy("The Registrar General's authority has already been given")),
    "reason_required": (400, _lazy("Enter the reason for your decision")),
    "unknown_decision": (400, _lazy("Select a decision")),
    "assignee_not_in_office": (400, _lazy("Choose someone who works registration cases in this office")),
    "assignee_own_case": (400, _lazy("This case is about that person: choose someone else")),
    "answer_required": (400, _lazy("Enter your answer")),
    "answer_too_long": (400, _lazy("Your answer must be 5000 characters or fewer")),
    "not_yours": (404, _lazy("No registration with that reference")),
    "no_question": (409, _lazy("There is no question to answer on this registration")),
    "unknown_field": (400, _lazy("Choose a particular of this entry")),
    "reason_and_evidence_needed": (400, _lazy("Enter the reason for the correction and the evidence seen")),
    "no_change": (400, _lazy("The new value is the same as the current one")),
    "new_value_required": (400, _lazy("Enter the corrected value")),
    "entry_not_found": (404, _lazy("No entry in your offices has that reference")),
}


def refusal(reason: str) -> tuple[int, str]:
    """HTTP status and message for a refusal code, including the citizen side's registration
    refusals (`rules.REASON_MESSAGES`) passed through from `services.register_registration`."""
    if reason in REFUSALS:
        code, message = REFUSALS[reason]
        return code, str(message)
    try:
        from .rules import REASON_MESSAGES
    except ImportError:
        REASON_MESSAGES = {}
    message = REASON_MESSAGES.get(reason)
    return 409, str(message) if message else str(
        _lazy("This case cannot be registered yet: %(reason)s") % {"reason": reason}
    )


def decisions_open_to(user: User, registration: Registration) -> list[str]:
    """The decisions the case page offers this staff member now (the services check again)."""
    if is_about(user, registration) or not may_work(user, registration):
        return []
    status = registration.status
    offered: list[str] = []
    if user.has_perm(WORK):
        if status == Registration.Status.WITH_REGISTRAR:
            offered += ["register", "request_information", "reject"]
            if needs_registrar_generals_authority(registration) and not late_authority_given(registration):
                offered = ["escalate", "request_information", "reject"]
        elif status == Registration.Status.BLOCKED_BY_CORONER:
            offered += ["reject"]
    if user.has_perm(AUTHORISE) and status == Registration.Status.AWAITING_AUTHORITY:
        offered += ["authorise", "refuse_authority"]
    return offered
