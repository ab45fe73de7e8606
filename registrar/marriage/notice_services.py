"""Writes for giving notice online: starting a proposal (from a provisional ceremony booking, or
for a religious marriage), inviting the other person and their accepting, saving one question's
answers, the evidence that an earlier marriage or partnership ended (a cleaned photo, or the
death found in the central register), and sending a notice. Each person acts only on their own
notice, and only with a medium-confidence identity check."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from booking.models import Booking
from core.places import registration_district_for
from core.references import new_reference
from core.storage import atomic_with_files, delete_file_on_commit, save_file
from identity.models import User
from identity.notifications import language_at, send_message, written_for
from identity.uploads import clean_image

from ..models import Event, Notice, Proposal, RegisterEntry
from ..names import surname_key
from . import answers as answers_module
from . import notice_selectors as selectors
from . import rules
from .refusals import MarriageRefused

INVITATION_SALT = "registrar.marriage.invitation"


def _require_verified(person: User) -> None:
    if not selectors.identity_verified(person):
        raise MarriageRefused("notice_identity_not_verified")


def _create_notices(proposal: Proposal, *, person: User, ceremony: Booking | None) -> None:
    for position in (1, 2):
        party = ceremony.parties.filter(position=position).first() if ceremony else None
        Notice.objects.create(
            proposal=proposal,
            position=position,
            reference=new_reference("NT"),
            person=person if position == 1 else None,
            party=party,
        )


def start_from_booking(*, person: User, booking_reference: str, kind: str) -> Proposal:
    """A proposal for one of the person's provisional ceremonies: its venue and district; the
    person gives notice 1. One proposal per ceremony booking."""
    _require_verified(person)
    if kind not in Proposal.Kind.values:
        raise ValueError(f"not a kind of proposal: {kind!r}")
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("room__venue__office")
            .filter(reference=booking_reference, person=person, kind=Booking.Kind.CEREMONY)
            .first()
        )
        if booking is None:
            raise MarriageRefused("booking_not_yours")
        if booking.status != Booking.Status.PROVISIONAL:
            raise MarriageRefused("booking_not_provisional")
        if Proposal.objects.filter(ceremony=booking).exists():
            raise MarriageRefused("booking_has_proposal")
        venue = booking.room.venue
        try:
            with transaction.atomic():
                proposal = Proposal.objects.create(
                    reference=new_reference("MP"),
                    kind=kind,
                    form=Proposal.Form.CIVIL,
                    created_by=person,
                    ceremony=booking,
                    venue=venue,
                    district=venue.office,
                )
        except IntegrityError as error:  # the one-to-one: another request started it first
            raise MarriageRefused("booking_has_proposal") from error
        _create_notices(proposal, person=person, ceremony=booking)
    return proposal


def start_religious(
    *, person: User, building_name: str, building_address: str, postcode: str, intended_date: date
) -> Proposal:
    """A religious marriage: the building, its district (from its postcode) and the intended date."""
    _require_verified(person)
    district = registration_district_for(postcode)
    if district is None:
        raise MarriageRefused("notice_no_district")
    building = ", ".join(part.strip() for part in (building_name, " ".join(building_address.split()), postcode) if part)
    with transaction.atomic():
        proposal = Proposal.objects.create(
            reference=new_reference("MP"),
            kind=Proposal.Kind.MARRIAGE,
            form=Proposal.Form.RELIGIOUS,
            created_by=person,
            religious_building=building[:300],
            intended_date=intended_date,
            district=district,
        )
        _create_notices(proposal, person=person, ceremony=None)
    return proposal


# --- Inviting the other person --------------------------------------------------------------------


def invitation_token(notice: Notice) -> str:
    return signing.dumps({"n": notice.reference, "k": notice.invitation_nonce}, salt=INVITATION_SALT)


@written_for
def notice_invitation_message(recipient: str, proposal: Proposal, name: str, link: str) -> tuple[str, str]:
    what = proposal.get_kind_display().lower()
    return _("Give notice of your %(what)s") % {"what": what}, _(
        "%(name)s has started giving notice of your %(what)s online. Each of you gives your own notice. "
        "Sign in with your own account, prove your identity and accept the invitation: %(link)s"
    ) % {"name": name, "what": what, "link": link}


@written_for
def notice_sent_message(recipient: User, notice: Notice) -> tuple[str, str]:
    return _("Your notice %(reference)s has been sent") % {"reference": notice.reference}, _(
        "Your notice %(reference)s has been sent. Now book your interview with a registrar, in person or "
        "by video: notice is given when you have been interviewed."
    ) % {"reference": notice.reference}


def invite_other_person(*, proposal: Proposal, person: User, email: str) -> Notice:
    """The first person invites the other by email; a new invitation replaces the last one."""
    _require_verified(person)
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        first = proposal.notices.get(position=1)
        if first.person_id != person.pk:
            raise MarriageRefused("not_first_person")
        if proposal.status != Proposal.Status.GIVING_NOTICE:
            raise MarriageRefused("proposal_closed")
        second = proposal.notices.select_for_update().get(position=2)
        if second.person_id is not None:
            raise MarriageRefused("already_joined")
        second.invited_email = email
        second.invitation_nonce = secrets.token_urlsafe(16)
        second.updated_at = timezone.now()
        second.save(update_fields=["invited_email", "invitation_nonce", "updated_at"])
        link = settings.SITE_URL + reverse("marriage:join", args=[invitation_token(second)])
        name = answers_module.full_name(first.answers or {}) or person.full_name or person.email
        subject, body = notice_invitation_message(language_at(email, otherwise=person), proposal, name, link)
        send_message(
            key=f"notice:{second.reference}:invite:{second.invitation_nonce}",
            channel="email",
            to=email,
            subject=subject,
            body=body,
        )
    return second


def notice_for_invitation(token: str) -> Notice:
    """The notice an invitation link is for; a replaced, used or expired link is refused."""
    try:
        data = signing.loads(
            token, salt=INVITATION_SALT, max_age=timedelta(days=settings.NOTICE_INVITATION_MAX_AGE_DAYS)
        )
    except signing.BadSignature as error:
        raise MarriageRefused("notice_invitation_invalid") from error
    if not isinstance(data, dict):
        raise MarriageRefused("notice_invitation_invalid")
    notice = (
        Notice.objects.select_related("proposal", "proposal__venue", "proposal__ceremony")
        .filter(reference=str(data.get("n", "")), position=2)
        .first()
    )
    nonce = str(data.get("k", ""))
    if notice is None or not nonce or not secrets.compare_digest(notice.invitation_nonce or "", nonce):
        raise MarriageRefused("notice_invitation_invalid")
    return notice


def accept_invitation(*, token: str, person: User) -> Notice:
    """The other person, signed in with their own account and identity verified, takes notice 2."""
    notice = notice_for_invitation(token)
    with transaction.atomic():
        notice = Notice.objects.select_for_update().select_related("proposal").get(pk=notice.pk)
        if notice.proposal.notices.filter(position=1, person=person).exists():
            raise MarriageRefused("invitation_own")
        if notice.person_id is not None:
            raise MarriageRefused("invitation_taken")
        if notice.invitation_nonce == "":
            raise MarriageRefused("notice_invitation_invalid")
        if notice.proposal.status != Proposal.Status.GIVING_NOTICE:
            raise MarriageRefused("proposal_closed")
        _require_verified(person)
        notice.person = person
        notice.invitation_nonce = ""
        notice.updated_at = timezone.now()
        notice.save(update_fields=["person", "invitation_nonce", "updated_at"])
    return notice


# --- Answers -------------------------------------------------------------------------------------


def _editable(notice: Notice, person: User) -> Notice:
    """The person's own draft notice, locked (call inside a transaction)."""
    locked = Notice.objects.select_for_update(of=("self",)).select_related("proposal").filter(pk=notice.pk).first()
    if locked is None or locked.person_id != person.pk:
        raise MarriageRefused("not_found")
    if locked.status not in Notice.EDITABLE:
        raise MarriageRefused("notice_not_editable")
    if locked.proposal.status != Proposal.Status.GIVING_NOTICE:
        raise MarriageRefused("proposal_closed")
    return locked


def check_step(*, notice: Notice, step: str) -> None:
    if step not in answers_module.STEPS:
        raise MarriageRefused("notice_unknown_step")
    if notice.status not in Notice.EDITABLE:
        raise MarriageRefused("notice_not_editable")


def save_answer(*, notice: Notice, person: User, step: str, values: dict[str, Any]) -> Notice:
    """Save one question's answers (already validated by its form). Answering the condition
    looks for the former spouse's death in the central register."""
    if step not in answers_module.STEPS:
        raise MarriageRefused("notice_unknown_step")
    _require_verified(person)
    with atomic_with_files():
        notice = _editable(notice, person)
        notice.answers = {**(notice.answers or {}), step: values}
        fields = ["answers", "updated_at"]
        if step == "condition":
            notice.former_partner_death = find_former_partner_death(notice.answers)
            fields.append("former_partner_death")
            if values.get("condition") == Notice.Condition.NEVER and notice.ending_evidence:
                delete_file_on_commit(notice.ending_evidence)
                notice.ending_evidence = ""
                fields.append("ending_evidence")
        notice.updated_at = timezone.now()
        notice.save(update_fields=fields)
    return notice


def find_former_partner_death(answers: dict) -> RegisterEntry | None:
    """The former spouse's or civil partner's death in the central register, when they died in
    England or Wales: a death entry under the same full name, dated on or before the date of
    death given (and with the same date of birth, when given). None unless exactly one matches."""
    section = answers.get("condition", {})
    if answers_module.how_ended(answers) != "death" or not section.get("died_in_england_or_wales"):
        return None
    wanted = surname_key(section.get("former_partner", ""))
    ended_on = answers_module.ended_on(answers)
    if not wanted or ended_on is None:
        return None
    words = wanted.split()
    # Any of the last words can be the surname ("Ann Jones Smith": Smith, Jones Smith), found by
    # the index's search key, or by the entry's own surname for an entry without index lines.
    surnames = [" ".join(words[index:]) for index in range(1, len(words))]
    if not surnames:
        return None
    by_surname = Q(index_names__surname_key__in=surnames)
    for each in surnames:
        by_surname |= Q(surname__iexact=each)
    candidates = RegisterEntry.objects.filter(by_surname, event=Event.DEATH, event_date__lte=ended_on).distinct()
    born = section.get("former_partner_born")
    matches = [
        entry
        for entry in candidates[:50]
        if surname_key(f"{entry.forenames} {entry.surname}") == wanted
        and (not born or not entry.particulars.get("date_of_birth") or entry.particulars["date_of_birth"] == born)
    ]
    return matches[0] if len(matches) == 1 else None


def attach_ending_evidence(*, notice: Notice, person: User, upload) -> Notice:
    """A photo of the final order or decree absolute, or of the death certificate: cleaned like
    every upload (raises UploadRejected); it replaces an earlier one."""
    _require_verified(person)
    cleaned = clean_image(upload)
    with atomic_with_files():
        notice = _editable(notice, person)
        if answers_module.condition(notice.answers or {}) in ("", Notice.Condition.NEVER):
            raise MarriageRefused("evidence_not_needed")
        if notice.ending_evidence:
            delete_file_on_commit(notice.ending_evidence)
        save_file(notice.ending_evidence, "evidence.jpg", ContentFile(cleaned.content))
        notice.updated_at = timezone.now()
        notice.save(update_fields=["ending_evidence", "updated_at"])
    return notice


# --- Sending -------------------------------------------------------------------------------------


def send_notice(*, notice: Notice, person: User, today: date | None = None) -> Notice:
    """Send the person's own notice: every answer given, the rules met (18 on the ceremony date,
    7 full days' residence, evidence that an earlier marriage ended). Whether they are exempt
    from immigration control is decided now, from their answers."""
    today = today or timezone.localdate()
    _require_verified(person)
    with transaction.atomic():
        notice = _editable(notice, person)
        missing = selectors.missing_steps(notice)
        if missing:
            raise MarriageRefused("notice_incomplete", steps=missing)
        answers = notice.answers
        ceremony = selectors.ceremony_date(notice.proposal)
        born = answers_module.date_of_birth(answers)
        if ceremony and born and not rules.old_enough_to_marry(born, ceremony):
            raise MarriageRefused("too_young")
        earliest = selectors.earliest_sending_date(notice)
        if earliest and earliest > today:
            raise MarriageRefused("residence_too_short", **{"from": date_format(earliest, "j F Y")})
        if selectors.evidence_needed(notice):
            raise MarriageRefused("evidence_needed")
        exempt = rules.is_exempt(
            nationality=answers_module.nationality(answers),
            immigration_status=answers_module.immigration_status(answers),
        )
        now = timezone.now()
        if not notice.move("send", exempt=exempt, sent_at=now, updated_at=now):
            raise MarriageRefused("notice_not_editable")
        subject, body = notice_sent_message(person, notice)
        send_message(
            key=f"notice:{notice.reference}:sent",
            channel="email",
            to=person.email,
            subject=subject,
            body=body,
        )
    return notice
