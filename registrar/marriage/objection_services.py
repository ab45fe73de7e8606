"""Writes for objections and suspicion reports: anyone raises an objection to a displayed notice;
a superintendent registrar at the notice's office or the ceremony's district dismisses or upholds
it (upheld, the proposal is barred, so no authority is issued, and the ceremony booking is
released); a registrar reports a suspected sham or forced marriage, which a task sends to the
Home Office. Each is one transaction; staff actions are audited; messages go through the outbox
and the report through a task, after commit."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from booking.services import cancel_booking
from core.queue import enqueue_on_commit
from core.references import new_reference
from identity.audit import record_audit
from identity.models import User
from identity.notifications import language_at, send_message, written_for
from identity.roles import is_national

from ..models import WORK_NOTICES, Notice, Objection, Proposal, SuspicionReport
from . import answers, display_selectors, home_office
from .objection_limits import count_objection
from .refusals import MarriageRefused

alerts = logging.getLogger("registrar.alerts")
logger = logging.getLogger(__name__)

CONDUCT_CEREMONIES = "identity.conduct_ceremonies"
SEND_TASK = "registrar.tasks.marriage_reports.send_suspicion_report"


# --- Who may act -------------------------------------------------------------------------------------


def works_at(actor: User, *office_ids: int | None) -> bool:
    """The staff member works in one of these offices, or every office (a national role)."""
    ids = [pk for pk in office_ids if pk]
    return bool(is_national(actor) or (ids and actor.offices.filter(pk__in=ids).exists()))


def objection_offices(objection: Objection) -> tuple[int | None, int | None]:
    """Where an objection is decided: the office the notice was given at, or the ceremony's district."""
    return objection.notice.office_id, objection.notice.proposal.district_id


def decision_problem(actor: User, objection: Objection) -> str | None:
    """Why this staff member may not decide the objection now (a refusal code), or None."""
    if not (actor.is_active and actor.is_staff and actor.has_perm(WORK_NOTICES)):
        return "not_permitted"
    if not actor.has_perm(CONDUCT_CEREMONIES):
        return "not_superintendent"
    if not works_at(actor, *objection_offices(objection)):
        return "wrong_office"
    if objection.status != Objection.Status.OPEN:
        return "objection_decided"
    return None


def proposal_offices(proposal: Proposal) -> list[int | None]:
    return [proposal.district_id, *(notice.office_id for notice in proposal.notices.all())]


def report_problem(actor: User, proposal: Proposal) -> str | None:
    """Why this staff member may not report a suspicion about the proposal, or None: a registrar
    (work_notices) at the ceremony's district or an office where one of the notices was given."""
    if not (actor.is_active and actor.is_staff and actor.has_perm(WORK_NOTICES)):
        return "not_permitted"
    if not works_at(actor, *proposal_offices(proposal)):
        return "wrong_office"
    return None


# --- Messages ---------------------------------------------------------------------------------------------


def _couple(proposal: Proposal) -> list[tuple[Notice, str]]:
    return [
        (notice, notice.person.email)
        for notice in proposal.notices.select_related("person")
        if notice.person is not None and notice.person.email
    ]


def _tell_couple(proposal: Proposal, *, key: str, message: Callable[[User], tuple[str, str]]) -> None:
    """Each of the couple gets `message(person)`, written in their own language."""
    for notice, email in _couple(proposal):
        subject, body = message(notice.person)
        send_message(key=f"{key}:{notice.reference}", channel="email", to=email, subject=subject, body=body)


@written_for
def objection_received_message(recipient: str, objection: Objection) -> tuple[str, str]:
    return _("Your objection %(reference)s has been received") % {"reference": objection.reference}, _(
        "We have received your objection to notice %(notice)s. Your reference is %(reference)s. "
        "A superintendent registrar will decide it and may contact you. Keep this reference."
    ) % {"notice": objection.notice.reference, "reference": objection.reference}


@written_for
def objection_raised_message(recipient: User, notice: Notice) -> tuple[str, str]:
    return _("An objection has been made to a notice"), _(
        "Someone has objected to notice %(notice)s for %(proposal)s. A superintendent registrar will "
        "look into it and decide; no authority for the ceremony can be issued until then. We will "
        "tell you the decision."
    ) % {"notice": notice.reference, "proposal": notice.proposal.reference}


@written_for
def objection_decided_message(recipient: User, objection: Objection, proposal: Proposal) -> tuple[str, str]:
    values = {"notice": objection.notice.reference, "proposal": proposal.reference}
    if objection.status == Objection.Status.UPHELD:
        return _("An objection to your notice was upheld"), _(
            "A superintendent registrar has upheld the objection to notice %(notice)s. The marriage or civil "
            "partnership %(proposal)s cannot go ahead on these notices, and the ceremony booking has been "
            "released. Contact the register office if you want to know more."
        ) % values
    return _("An objection to your notice was dismissed"), _(
        "A superintendent registrar has dismissed the objection to notice %(notice)s. Your marriage or civil "
        "partnership %(proposal)s can go ahead once the waiting period is over."
    ) % values


@written_for
def objector_told_decision_message(recipient: str, objection: Objection) -> tuple[str, str]:
    values = {"reference": objection.reference}
    return _("Your objection %(reference)s has been decided") % values, (
        _("A superintendent registrar has upheld your objection %(reference)s.")
        if objection.status == Objection.Status.UPHELD
        else _("A superintendent registrar has dismissed your objection %(reference)s.")
    ) % values


@written_for
def suspicion_report_not_sent_message(recipient: User, report: SuspicionReport) -> tuple[str, str]:
    return _("Suspicion report %(reference)s was not sent") % {"reference": report.reference}, _(
        "Your report %(reference)s about %(proposal)s could not be sent to the Home Office after %(attempts)s "
        "attempts. Send it to the Home Office another way today."
    ) % {"reference": report.reference, "proposal": report.proposal.reference, "attempts": report.send_attempts}


# --- Raising an objection ------------------------------------------------------------------------------------


def raise_objection(
    *,
    notice_reference: str,
    name: str,
    email: str,
    phone: str = "",
    grounds: str,
    client_address: str | None,
    today: date | None = None,
) -> Objection:
    """Anyone, signed in or not, objects to a notice on display. The objector is sent its
    reference; the couple are told an objection was made, never by whom."""
    today = today or timezone.localdate()
    notice = display_selectors.displayed_notice(reference=notice_reference, today=today)
    if notice is None:
        raise MarriageRefused("notice_not_displayed")
    count_objection(client_address)
    with transaction.atomic():
        objection = Objection.objects.create(
            reference=new_reference("OB"),
            notice=notice,
            objector_name=name,
            objector_email=email,
            objector_phone=phone,
            objector_language=translation.get_language() or "",
            grounds=grounds,
        )
        # The objector has no account with us: they are written to in the language of the page they
        # objected on, kept for the decision sent later.
        subject, body = objection_received_message(language_at(email, otherwise=objection.objector_language), objection)
        send_message(
            key=f"objection:{objection.reference}:received", channel="email", to=email, subject=subject, body=body
        )
        _tell_couple(
            notice.proposal,
            key=f"objection:{objection.reference}:raised",
            message=lambda person: objection_raised_message(person, notice),
        )
    logger.info("Objection %s raised to notice %s", objection.reference, notice.reference)
    return objection


# --- Deciding it -----------------------------------------------------------------------------------------------


def decide_objection(*, objection: Objection, actor: User, decision: str, reason: str) -> Objection:
    """A superintendent registrar dismisses or upholds an open objection, with a reason. Upheld,
    the proposal is barred (`rules.authority_problem` then refuses the authority) and its ceremony
    booking is released. A second decision is refused cleanly."""
    if decision not in ("dismiss", "uphold"):
        raise ValueError(f"unknown decision {decision!r}")
    refused = decision_problem(actor, objection)
    if refused:
        raise MarriageRefused(refused)
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=objection.notice.proposal_id)
        objection = Objection.objects.select_for_update().select_related("notice").get(pk=objection.pk)
        barring = decision == "uphold" and proposal.status != Proposal.Status.BARRED
        if barring and not proposal.move("uphold_objection", updated_at=timezone.now()):
            raise MarriageRefused(
                "objection_after_authority"
                if proposal.status in (Proposal.Status.AUTHORISED, Proposal.Status.NOT_TAKEN_PLACE)
                else "proposal_not_open"
            )
        now = timezone.now()
        if not objection.move(decision, decided_by=actor, decided_at=now, decision_reason=reason):
            raise MarriageRefused("objection_decided")
        if decision == "uphold" and proposal.ceremony_id and proposal.ceremony.allows("cancel"):
            cancel_booking(booking=proposal.ceremony, actor=actor)
        record_audit(
            actor=actor,
            action=f"objection.{objection.status}",
            subject=objection.notice.person,
            object_type="objection",
            object_id=objection.reference,
            reason=reason,
            detail={"notice": objection.notice.reference, "proposal": proposal.reference, "status": proposal.status},
        )
        _tell_about_decision(objection, proposal)
    return objection


def _tell_about_decision(objection: Objection, proposal: Proposal) -> None:
    _tell_couple(
        proposal,
        key=f"objection:{objection.reference}:decided",
        message=lambda person: objection_decided_message(person, objection, proposal),
    )
    subject, body = objector_told_decision_message(
        language_at(objection.objector_email, otherwise=objection.objector_language), objection
    )
    send_message(
        key=f"objection:{objection.reference}:decided:objector",
        channel="email",
        to=objection.objector_email,
        subject=subject,
        body=body,
    )


# --- Suspicion of a sham or forced marriage ----------------------------------------------------------------


def report_suspicion(*, proposal: Proposal, actor: User, kind: str, grounds: str) -> SuspicionReport:
    """A registrar records a suspected sham or forced marriage; a task sends it to the Home Office
    after commit. The couple are not told (that is the point of the duty to report)."""
    refused = report_problem(actor, proposal)
    if refused:
        raise MarriageRefused(refused)
    if kind not in SuspicionReport.Kind.values:
        raise ValueError(f"unknown kind {kind!r}")
    with transaction.atomic():
        report = SuspicionReport.objects.create(
            reference=new_reference("SR"), proposal=proposal, kind=kind, grounds=grounds, reported_by=actor
        )
        record_audit(
            actor=actor,
            action="suspicion_report.recorded",
            object_type="suspicion_report",
            object_id=report.reference,
            detail={"proposal": proposal.reference, "kind": kind},
        )
        enqueue_on_commit(SEND_TASK, report.pk)
    return report


def _particulars(notice: Notice) -> home_office.PersonParticulars:
    given = notice.answers or {}
    nationality = answers.nationality(given)
    if nationality == "other":
        nationality = given.get("nationality", {}).get("other_nationality", "") or nationality
    return home_office.PersonParticulars(
        forenames=answers.forenames(given),
        surname=answers.surname(given),
        date_of_birth=answers.date_of_birth(given),
        nationality=nationality,
        immigration_status=answers.immigration_status(given),
        immigration_reference=given.get("nationality", {}).get("immigration_reference", ""),
    )


def suspicion_for(report: SuspicionReport) -> home_office.Suspicion:
    notices = [notice for notice in report.proposal.notices.all() if answers.surname(notice.answers or {})]
    return home_office.Suspicion(
        report_reference=report.reference,
        proposal_reference=report.proposal.reference,
        kind=report.kind,
        grounds=report.grounds,
        people=tuple(_particulars(notice) for notice in notices),
    )


# Seconds after the report is recorded when each attempt is due (the first at once, then
# doubling): the task's retry and the sweeper read the same schedule, so a long Home Office
# outage is tried about eight times over two hours, not every sweep.
RETRY_SCHEDULE_SECONDS = (0, 30, 90, 210, 450, 930, 1890, 3810, 7650)


def next_attempt_due(report: SuspicionReport) -> datetime:
    schedule = RETRY_SCHEDULE_SECONDS
    return report.reported_at + timedelta(seconds=schedule[min(report.send_attempts, len(schedule) - 1)])


@dataclass(frozen=True)
class Sending:
    status: str  # "sent", "already_sent", "given_up", "not_yet", "missing", "failed"
    retry_in: int | None = None  # seconds until the next attempt, when it failed and may be tried again


def _claim_attempt(report_id: int, now: datetime) -> tuple[SuspicionReport | None, str]:
    """Count one attempt, committed before the Home Office is called, so that an attempt whose
    worker dies mid-call counts too and the attempts run out whatever stopped them."""
    with transaction.atomic():
        report = SuspicionReport.objects.select_for_update().filter(pk=report_id).first()
        if report is None:
            return None, "missing"
        if report.sent_at is not None:
            return None, "already_sent"
        if report.send_attempts >= settings.SUSPICION_REPORT_MAX_ATTEMPTS:
            return None, "given_up"
        if now < next_attempt_due(report):
            return None, "not_yet"
        report.send_attempts += 1
        report.save(update_fields=["send_attempts"])
    return report, ""


def send_suspicion_report(*, report_id: int) -> Sending:
    """Send one report to the Home Office, once. Safe to run twice, and at the same time twice:
    the row is locked while the Home Office is called, and a report already sent is left alone
    (its reference is the Home Office's key for a report that reached it twice)."""
    now = timezone.now()
    report, status = _claim_attempt(report_id, now)
    if report is None:
        return Sending(status)
    with transaction.atomic():
        report = (
            SuspicionReport.objects.select_for_update(of=("self",))
            .select_related("proposal", "reported_by")
            .get(pk=report_id)
        )
        if report.sent_at is not None:
            return Sending("already_sent")
        answer = home_office.configured().report_suspicion(suspicion_for(report))
        if answer.delivered:
            report.sent_at = timezone.now()
            report.home_office_reference = answer.reference[:60]
            report.save(update_fields=["sent_at", "home_office_reference"])
            logger.info("Suspicion report %s sent to the Home Office", report.pk)
            return Sending("sent")
        logger.warning(
            "Suspicion report %s not sent (attempt %s): %s", report.pk, report.send_attempts, answer.reason or "-"
        )
        if report.send_attempts >= settings.SUSPICION_REPORT_MAX_ATTEMPTS:
            _alert_staff(report)
            return Sending("given_up")
    retry_in = max(1, int((next_attempt_due(report) - timezone.now()).total_seconds()))
    return Sending("failed", retry_in=retry_in)


def _alert_staff(report: SuspicionReport) -> None:
    alerts.error(
        "Suspicion report %s could not be sent to the Home Office after %s attempts", report.pk, report.send_attempts
    )
    subject, body = suspicion_report_not_sent_message(report.reported_by, report)
    send_message(
        key=f"suspicion:{report.reference}:not_sent",
        channel="email",
        to=report.reported_by.email,
        subject=subject,
        body=body,
    )


def due_suspicion_report_ids(*, now: datetime | None = None, limit: int = 500) -> list[int]:
    """Unsent reports whose next attempt is due and whose message was lost (older than the
    sweep age), for the sweeper."""
    now = now or timezone.now()
    settled = now - timedelta(seconds=settings.SIDE_EFFECT_SWEEP_AGE_SECONDS)
    candidates = SuspicionReport.objects.filter(
        sent_at__isnull=True,
        send_attempts__lt=settings.SUSPICION_REPORT_MAX_ATTEMPTS,
        reported_at__lte=settled,
    ).order_by("reported_at")[:limit]
    return [report.pk for report in candidates if next_attempt_due(report) <= now]
