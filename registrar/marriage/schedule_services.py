"""Writes for the authority, the schedule, the ceremony day and registering a marriage or civil
partnership. Every route to the register (the registrar at a civil ceremony, an authorised
person returning a religious schedule through the API, a registrar entering a paper schedule,
the staff API) goes through `register_schedule`, which locks the schedule row so that one
schedule is registered once. Each service runs in one transaction; messages go on commit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from booking.models import Booking
from booking.services import confirm_ceremony
from core.references import new_reference
from identity.audit import record_audit
from identity.models import User
from identity.notifications import language_at, send_message, written_for

from .. import events
from ..models import EventKind, IndexName, Proposal, RegisterEntry, Schedule
from ..register import IndexLine, write_entry
from . import particulars as particulars_module
from . import rules, schedule_selectors
from .refusals import MarriageRefused

ROUTE_CEREMONY = "ceremony"  # the officiating registrar at a civil ceremony
ROUTE_PAPER = "paper"  # a registrar entering a paper schedule
ROUTE_RETURN = "return"  # an authorised person through the API
ROUTES = (ROUTE_CEREMONY, ROUTE_PAPER, ROUTE_RETURN)


@dataclass(frozen=True)
class DayRecord:
    """What happened on the day, as the schedule records it."""

    ceremony_date: date
    ceremony_place: str
    officiants: list[dict] = field(default_factory=list)  # {"name", "role"}
    witnesses: list[str] = field(default_factory=list)
    corrections: list[dict] = field(default_factory=list)  # {"field", "value"}
    signed: bool = False


# --- Telling the couple -------------------------------------------------------------------------------


def _site_link(name: str, *args) -> str:
    try:
        return settings.SITE_URL + reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _tell_couple(proposal: Proposal, what: str, message: Callable[[User], tuple[str, str]]) -> None:
    """Each of the couple gets `message(person)`, written in their own language."""
    for person in schedule_selectors.couple_of(proposal):
        if person.email:
            subject, body = message(person)
            send_message(
                key=f"marriage:{proposal.reference}:{what}:{person.pk}",
                channel="email",
                to=person.email,
                subject=subject,
                body=body,
            )


def _in_words(day: date | None) -> str:
    return date_format(day, "j F Y") if day else ""


def _what(proposal: Proposal) -> str:
    return _("marriage") if proposal.kind == Proposal.Kind.MARRIAGE else _("civil partnership")


# --- The authority --------------------------------------------------------------------------------------


def date_problem(proposal: Proposal, day: date | None) -> str | None:
    """Why the ceremony cannot be on `day` (a refusal code), or None: within the notices, and
    both people 18 or over on the day."""
    if day is None:
        return None
    if day < rules.waiting_ends(proposal) or day > rules.notices_expire(proposal):
        return "date_outside_notices"
    for notice in proposal.notices.all():
        born = particulars_module.answers.date_of_birth(notice.answers or {})
        if born is not None and not rules.old_enough_to_marry(born, day):
            return "party_under_age"
    return None


def _check_date(proposal: Proposal, day: date | None) -> None:
    problem = date_problem(proposal, day)
    if problem is not None:
        raise MarriageRefused(problem)


def _new_particulars(proposal: Proposal, reference: str) -> dict:
    return particulars_module.from_notices(
        proposal,
        ceremony_date=schedule_selectors.ceremony_date(proposal),
        place=schedule_selectors.ceremony_place(proposal),
        schedule_reference=reference,
    )


def issue_authority(proposal: Proposal, actor: User | None = None, *, today: date | None = None) -> Schedule:
    """The superintendent registrar's authority: when the waiting period is over, no objection
    stands and the ceremony date is within the notices, the proposal is authorised, the booked
    ceremony confirmed and the schedule made from both notices. `actor` None is the daily task."""
    today = today or timezone.localdate()
    with transaction.atomic():
        proposal = (
            Proposal.objects.select_for_update(of=("self",))
            .select_related("ceremony__room__venue", "venue", "district")
            .get(pk=proposal.pk)
        )
        if actor is not None and not schedule_selectors.may_issue_authority(actor, proposal):
            raise MarriageRefused(
                "wrong_office" if actor.has_perm(schedule_selectors.CONDUCT_CEREMONIES) else "not_permitted"
            )
        if proposal.status == Proposal.Status.AUTHORISED or Schedule.objects.filter(proposal=proposal).exists():
            raise MarriageRefused("authority_already_issued")
        problem = rules.authority_problem(proposal, today=today)
        if problem is not None:
            raise MarriageRefused(problem)
        _check_date(proposal, schedule_selectors.ceremony_date(proposal))
        now = timezone.now()
        if not proposal.move("issue_authority", authority_issued_at=now, authority_issued_by=actor, updated_at=now):
            raise MarriageRefused("authority_already_issued")
        if proposal.ceremony_id:
            confirm_ceremony(ceremony=proposal.ceremony)
        reference = new_reference("SC")
        schedule = Schedule.objects.create(
            reference=reference,
            proposal=proposal,
            particulars=_new_particulars(proposal, reference),
            issued_at=now,
            issued_by=actor,
        )
        if actor is not None:
            record_audit(
                actor=actor,
                action="marriage.authority_issued",
                object_type="proposal",
                object_id=proposal.reference,
                detail={"schedule": reference},
            )
        _tell_authority_issued(proposal, schedule)
    return schedule


@written_for
def authority_issued_message(recipient: User, proposal: Proposal, schedule: Schedule) -> tuple[str, str]:
    subject = _("Your %(what)s can go ahead") % {"what": _what(proposal)}
    if proposal.form == Proposal.Form.RELIGIOUS:
        link = _site_link("marriage:schedule", proposal.reference)
        body = _(
            "The superintendent registrar's authority for your marriage (%(reference)s) is issued. Your marriage "
            "schedule %(schedule)s is ready: print it or show it, and give it to the person officiating at your "
            "ceremony. It must be signed on the day and returned within %(days)s days. %(link)s"
        ) % {
            "reference": proposal.reference,
            "schedule": schedule.reference,
            "days": settings.SCHEDULE_RETURN_DAYS,
            "link": link,
        }
    else:
        day = schedule_selectors.ceremony_date(proposal)
        body = _(
            "The superintendent registrar's authority for your %(what)s (%(reference)s) is issued and your ceremony on "
            "%(date)s is confirmed. Bring your two witnesses, each %(age)s or over."
        ) % {
            "what": _what(proposal),
            "reference": proposal.reference,
            "date": _in_words(day),
            "age": settings.WITNESS_MINIMUM_AGE,
        }
    return subject, body


def _tell_authority_issued(proposal: Proposal, schedule: Schedule, *, what: str = "authority") -> None:
    _tell_couple(proposal, what, lambda person: authority_issued_message(person, proposal, schedule))


def due_authorities(*, today: date) -> list[int]:
    """Proposals waiting whose authority can be issued today (the daily task issues them)."""
    due = []
    waiting = Proposal.objects.filter(status=Proposal.Status.WAITING, schedule__isnull=True).prefetch_related("notices")
    for proposal in waiting.select_related("ceremony"):
        if rules.authority_problem(proposal, today=today) is not None:
            continue
        if date_problem(proposal, schedule_selectors.ceremony_date(proposal)) is not None:
            continue
        due.append(proposal.pk)
    return due


# --- The day ------------------------------------------------------------------------------------------------


def _lock_schedule(schedule: Schedule) -> Schedule:
    return (
        Schedule.objects.select_for_update(of=("self",))
        .select_related("proposal__ceremony__room__venue", "proposal__district", "proposal__venue")
        .get(pk=schedule.pk)
    )


def _check_route(actor: User, proposal: Proposal, route: str) -> None:
    if route not in ROUTES:
        raise ValueError(f"unknown route {route!r}")
    if route == ROUTE_RETURN:
        if not actor.has_perm(schedule_selectors.RETURN_SCHEDULES):
            raise MarriageRefused("not_permitted")
        if not schedule_selectors.may_return(actor, proposal):
            raise MarriageRefused("wrong_office")
        if proposal.form != Proposal.Form.RELIGIOUS:
            raise MarriageRefused("wrong_form")
        return
    if not (actor.is_staff and actor.has_perm(schedule_selectors.WORK_NOTICES)):
        raise MarriageRefused("not_permitted")
    if not schedule_selectors.may_officiate(actor, proposal):
        raise MarriageRefused("wrong_office")


def _entry_particulars(schedule: Schedule, record: DayRecord) -> dict:
    proposal = schedule.proposal
    event = proposal.event
    particulars = dict(schedule.particulars)
    allowed = set(particulars_module.correctable_keys())
    for correction in record.corrections:
        if correction["field"] in allowed:
            particulars[correction["field"]] = correction["value"]
    particulars = particulars_module.with_ages_on(particulars, record.ceremony_date)
    particulars.update(
        {
            particulars_module.date_key(event): record.ceremony_date.isoformat(),
            particulars_module.place_key(event): record.ceremony_place,
            "form": proposal.form,
            "schedule": schedule.reference,
            "officiants": [{"name": o["name"], "role": o.get("role", "")} for o in record.officiants],
            "witnesses": list(record.witnesses),
        }
    )
    return particulars


def register_schedule(*, schedule: Schedule, record: DayRecord, actor: User, route: str) -> RegisterEntry:
    """Register the marriage or civil partnership from its signed schedule: one entry, numbered in
    the register of the district where it took place, indexed under both parties. The schedule
    row is locked first, so a second attempt (a double submit, the API and a paper schedule at
    once) finds it registered and is refused with "already_registered"."""
    with transaction.atomic():
        schedule = _lock_schedule(schedule)
        proposal = schedule.proposal
        _check_route(actor, proposal, route)
        if schedule.entry_id is not None or schedule.status == Schedule.Status.REGISTERED:
            raise MarriageRefused("already_registered")
        if not schedule.allows("register") or proposal.status != Proposal.Status.AUTHORISED:
            raise MarriageRefused("not_registrable")
        if not record.signed:
            raise MarriageRefused("not_registrable")
        today = timezone.localdate()
        if record.ceremony_date > today:
            raise MarriageRefused("ceremony_in_future")
        _check_date(proposal, record.ceremony_date)
        particulars = _entry_particulars(schedule, record)
        one, two = particulars_module.party(particulars, 1), particulars_module.party(particulars, 2)
        entry = write_entry(
            district=proposal.district,
            event=proposal.event,
            event_date=record.ceremony_date,
            surname=one["surname"],
            forenames=one["forenames"],
            particulars=particulars,
            index_lines=[
                IndexLine(
                    surname=one["surname"],
                    forenames=one["forenames"],
                    other_surname=two["surname"],
                    age=int(one["age"]) if one["age"] else None,
                ),
                IndexLine(
                    surname=two["surname"],
                    forenames=two["forenames"],
                    other_surname=one["surname"],
                    age=int(two["age"]) if two["age"] else None,
                ),
            ],
            registered_by=actor,
        )
        now = timezone.now()
        returned = {"returned_at": now, "returned_by": actor} if route in (ROUTE_RETURN, ROUTE_PAPER) else {}
        moved = schedule.move(
            "register",
            entry=entry,
            ceremony_date=record.ceremony_date,
            ceremony_place=record.ceremony_place,
            officiants=particulars["officiants"],
            witnesses=particulars["witnesses"],
            corrections=[dict(c) for c in record.corrections],
            signed=True,
            recorded_by=actor,
            recorded_at=now,
            **returned,
        )
        if not moved or not proposal.move("register", updated_at=now):
            raise MarriageRefused("not_registrable")
        if route == ROUTE_RETURN:
            record_audit(
                actor=actor,
                action="marriage.schedule_returned",
                object_type="schedule",
                object_id=schedule.reference,
                detail={"entry": entry.entry_reference},
            )
        events.publish(kind=EventKind.REGISTERED, entry=entry)
        _tell_registered(proposal, entry)
    return entry


@written_for
def registered_message(recipient: User, proposal: Proposal, entry: RegisterEntry, link: str) -> tuple[str, str]:
    return _("Your %(what)s is registered") % {"what": _what(proposal)}, _(
        "Congratulations. Your %(what)s is registered (entry %(entry)s). Order your certificate here: %(link)s"
    ) % {"what": _what(proposal), "entry": entry.entry_reference, "link": link}


def _tell_registered(proposal: Proposal, entry: RegisterEntry) -> None:
    lines = {line.surname: line.pk for line in IndexName.objects.filter(entry=entry)}
    for notice in proposal.notices.select_related("person"):
        person = notice.person
        if person is None or not person.email:
            continue
        surname = particulars_module.answers.surname(notice.answers or {})
        line_id = lines.get(surname) or next(iter(lines.values()))
        subject, body = registered_message(person, proposal, entry, _site_link("certificates:order-start", line_id))
        send_message(
            key=f"marriage:{proposal.reference}:registered:{person.pk}",
            channel="email",
            to=person.email,
            subject=subject,
            body=body,
        )


@written_for
def not_taken_place_message(recipient: User, expires: date | None) -> tuple[str, str]:
    return _("Your ceremony did not take place"), _(
        "We have recorded that your ceremony did not take place; nothing was registered. Your notices are "
        "good until %(date)s for a new ceremony at the same venue."
    ) % {"date": _in_words(expires)}


def record_not_taken_place(*, schedule: Schedule, actor: User, reason: str = "") -> Schedule:
    """The ceremony did not take place: no entry is written; the notices stay good for a new
    ceremony at the same venue until they run out."""
    with transaction.atomic():
        schedule = _lock_schedule(schedule)
        proposal = schedule.proposal
        _check_route(actor, proposal, ROUTE_CEREMONY)
        if schedule.status == Schedule.Status.NOT_TAKEN_PLACE:
            raise MarriageRefused("not_taken_place_already")
        if schedule.status != Schedule.Status.ISSUED or proposal.status != Proposal.Status.AUTHORISED:
            raise MarriageRefused("already_registered" if schedule.entry_id else "not_registrable")
        now = timezone.now()
        if not schedule.move("did_not_take_place", recorded_by=actor, recorded_at=now):
            raise MarriageRefused("not_registrable")
        if not proposal.move("did_not_take_place", updated_at=now):
            raise MarriageRefused("not_registrable")
        record_audit(
            actor=actor,
            action="marriage.ceremony_not_taken_place",
            object_type="schedule",
            object_id=schedule.reference,
            reason=reason.strip(),
        )
        expires = rules.notices_expire(proposal)
        _tell_couple(
            proposal,
            f"not-taken-place:{schedule.reference}:{now.timestamp()}",
            lambda person: not_taken_place_message(person, expires),
        )
    return schedule


def rebook(
    *, proposal: Proposal, actor: User, ceremony: Booking | None = None, intended_date: date | None = None
) -> Schedule:
    """A new ceremony after one that did not take place: at the same venue (a booking there) or,
    for a religious marriage, a new date at the same building; within the notices' 12 months.
    The proposal is authorised again and the schedule reissued with the new day's ages."""
    with transaction.atomic():
        proposal = (
            Proposal.objects.select_for_update(of=("self",))
            .select_related("ceremony__room__venue", "venue", "district")
            .get(pk=proposal.pk)
        )
        _check_route(actor, proposal, ROUTE_CEREMONY)
        if proposal.status != Proposal.Status.NOT_TAKEN_PLACE:
            raise MarriageRefused("not_rebookable")
        schedule = _lock_schedule(proposal.schedule)
        changes: dict = {"updated_at": timezone.now()}
        if proposal.form == Proposal.Form.CIVIL:
            if ceremony is None:
                raise MarriageRefused("booking_not_found")
            ceremony = (
                Booking.objects.select_related("room__venue")
                .filter(pk=ceremony.pk, kind=Booking.Kind.CEREMONY, status__in=Booking.BOOKED)
                .first()
            )
            if ceremony is None:
                raise MarriageRefused("booking_not_found")
            if ceremony.room.venue_id != proposal.venue_id:
                raise MarriageRefused("booking_other_venue")
            if Proposal.objects.filter(ceremony=ceremony).exclude(pk=proposal.pk).exists():
                raise MarriageRefused("booking_taken")
            day = timezone.localtime(ceremony.starts_at).date()
            changes["ceremony"] = ceremony
        else:
            if intended_date is None:
                raise MarriageRefused("date_outside_notices")
            day = intended_date
            changes["intended_date"] = intended_date
        _check_date(proposal, day)
        if not proposal.move("rebook", **changes):
            raise MarriageRefused("not_rebookable")
        if proposal.ceremony_id and proposal.ceremony.status == Booking.Status.PROVISIONAL:
            confirm_ceremony(ceremony=proposal.ceremony)
        now = timezone.now()
        if not schedule.move(
            "reissue",
            particulars=_new_particulars(proposal, schedule.reference),
            issued_at=now,
            issued_by=actor,
            reminders_sent=0,
            last_reminded_at=None,
            recorded_by=None,
            recorded_at=None,
        ):
            raise MarriageRefused("not_rebookable")
        record_audit(
            actor=actor,
            action="marriage.schedule_reissued",
            object_type="schedule",
            object_id=schedule.reference,
            detail={"date": day.isoformat()},
        )
        _tell_authority_issued(proposal, schedule, what=f"authority:reissued:{now.timestamp()}")
    return schedule


# --- Chasing schedules not returned ----------------------------------------------------------------------------


@written_for
def schedule_not_returned_message(
    recipient: User | str, proposal: Proposal, schedule: Schedule, day: date
) -> tuple[str, str]:
    return _("Your schedule has not been returned"), _(
        "Your %(what)s schedule %(schedule)s has not been returned to the register office, and it had to be "
        "returned within %(days)s days of the ceremony on %(date)s. Until it is, the %(what)s cannot be "
        "registered and no certificate can be issued. Ask the person who officiated to return it at once."
    ) % {
        "what": _what(proposal),
        "schedule": schedule.reference,
        "days": settings.SCHEDULE_RETURN_DAYS,
        "date": _in_words(day),
    }


def chase_schedule(*, schedule_id: int, today: date) -> bool:
    """Remind the couple (and the officiant when their email is known) that the schedule has not
    come back. At most once a day: the message key names the day, and the count goes up once."""
    with transaction.atomic():
        schedule = (
            Schedule.objects.select_for_update(of=("self",))
            .select_related("proposal__ceremony")
            .filter(pk=schedule_id)
            .first()
        )
        if schedule is None or schedule.status not in (Schedule.Status.ISSUED, Schedule.Status.RETURNED):
            return False
        proposal = schedule.proposal
        day = schedule_selectors.ceremony_date(proposal)
        if proposal.status != Proposal.Status.AUTHORISED or not rules.schedule_overdue(day, today=today):
            return False
        if schedule.last_reminded_at and timezone.localtime(schedule.last_reminded_at).date() >= today:
            return False
        key = f"schedule-reminder:{today.isoformat()}"
        _tell_couple(proposal, key, lambda person: schedule_not_returned_message(person, proposal, schedule, day))
        for officiant in schedule.officiants or []:
            if isinstance(officiant, dict) and officiant.get("email"):
                subject, body = schedule_not_returned_message(
                    language_at(officiant["email"], otherwise=None), proposal, schedule, day
                )
                send_message(
                    key=f"marriage:{proposal.reference}:{key}:officiant:{officiant['email']}",
                    channel="email",
                    to=officiant["email"],
                    subject=subject,
                    body=body,
                )
        Schedule.objects.filter(pk=schedule.pk).update(
            reminders_sent=schedule.reminders_sent + 1, last_reminded_at=timezone.now()
        )
    return True
