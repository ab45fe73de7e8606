"""Writes for re-registration of a birth. Online: the parent named on the entry starts it,
gives the new particulars and confirms them; the other parent, invited by a signed link,
verifies their identity and confirms; then the new entry is written. A registrar re-registers
from a court order or statutory declaration with one parent. Both write through
`register.write_reregistration`, so the original entry is never changed."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.references import new_reference
from core.storage import atomic_with_files, save_file
from identity.audit import record_audit
from identity.models import User
from identity.notifications import language_at, send_message, written_for
from identity.uploads import clean_image

from .. import events, rules
from ..casework import CORRECT, _who_may_not
from ..models import (
    CITIZEN_REASONS,
    DOCUMENT_REASONS,
    EntryReRegistration,
    Event,
    EventKind,
    RegisterEntry,
    ReRegistration,
    ReRegistrationReason,
)
from ..register import UK, IndexLine, current_particulars, write_reregistration
from . import selectors
from .refusals import ReRegistrationRefused

INVITATION_SALT = "registrar.reregistration.invitation"
# The particulars a re-registration gives (the form's fields, as stored).
PARENT_FIELDS = ("father_forenames", "father_surname", "father_place_of_birth", "father_occupation")


def _require_verified(person: User) -> None:
    if not selectors.identity_verified(person):
        raise ReRegistrationRefused("rr_identity_not_verified")


def _check_reregistrable(entry: RegisterEntry) -> None:
    if entry.event != Event.BIRTH:
        raise ReRegistrationRefused("rr_not_birth")
    if EntryReRegistration.objects.filter(original=entry).exists():
        raise ReRegistrationRefused("rr_already_reregistered")


def _check_reason(entry: RegisterEntry, reason: str, allowed) -> None:
    if reason not in allowed:
        raise ReRegistrationRefused("rr_unknown_reason")
    if reason == ReRegistrationReason.ADD_PARENT and current_particulars(entry).get("father_surname"):
        raise ReRegistrationRefused("rr_parent_already_named")


# --- The parents online ---------------------------------------------------------------------------


def start(*, person: User, entry: RegisterEntry, reason: str) -> ReRegistration:
    """The parent named on the entry starts a re-registration (identity verified first)."""
    _require_verified(person)
    if not selectors.may_start(person, entry):
        raise ReRegistrationRefused("rr_not_a_parent")
    _check_reregistrable(entry)
    _check_reason(entry, reason, CITIZEN_REASONS)
    now = timezone.now()
    particulars = current_particulars(entry)
    known = {name: str(particulars.get(name) or "") for name in PARENT_FIELDS}
    try:
        with transaction.atomic():
            return ReRegistration.objects.create(
                reference=new_reference("RR"),
                original=entry,
                reason=reason,
                first_parent=person,
                first_parent_name=person.full_name,
                particulars={**known, "child_surname": str(particulars.get("child_surname") or "")},
                created_at=now,
                updated_at=now,
            )
    except IntegrityError as error:
        raise ReRegistrationRefused("rr_already_open") from error


def _locked(reregistration: ReRegistration) -> ReRegistration:
    return (
        ReRegistration.objects.select_for_update(of=("self",))
        .select_related("original__district", "first_parent")
        .get(pk=reregistration.pk)
    )


def marriage_deadline(married_on: date) -> date:
    """The last day the parents are required to re-register by (they may do so later)."""
    return rules.add_months(married_on, settings.REREGISTRATION_AFTER_MARRIAGE_MONTHS)


def save_details(*, reregistration: ReRegistration, person: User, data: dict[str, Any]) -> ReRegistration:
    """The new particulars, as the details form cleaned them. For legitimation, the parents'
    marriage is linked when exactly one entry of the register matches both; otherwise its date
    and place must be given."""
    today = rules.local_today()
    with transaction.atomic():
        reregistration = _locked(reregistration)
        if reregistration.first_parent_id != person.pk:
            raise ReRegistrationRefused("rr_not_found")
        if reregistration.status != ReRegistration.Status.DRAFT:
            raise ReRegistrationRefused("rr_not_editable")
        original = reregistration.original
        particulars = {name: (data.get(name) or "").strip() for name in PARENT_FIELDS}
        particulars["child_surname"] = (data.get("child_surname") or "").strip() or str(
            current_particulars(original).get("child_surname") or ""
        )
        marriage_entry = None
        if reregistration.reason == ReRegistrationReason.LEGITIMATION:
            married_on, place = data.get("married_on"), (data.get("marriage_place") or "").strip()
            matches = selectors.matching_marriages(
                {**current_particulars(original), **particulars}, born=original.event_date
            )
            if len(matches) == 1:
                marriage_entry = matches[0]
                married_on, place = marriage_entry.event_date, marriage_entry.district.name
            elif not married_on or not place:
                raise ReRegistrationRefused("rr_marriage_details_needed")
            if married_on > today:
                raise ReRegistrationRefused("rr_marriage_in_future")
            if married_on < original.event_date:
                raise ReRegistrationRefused("rr_marriage_before_birth")
            particulars["married_on"] = married_on.isoformat()
            particulars["marriage_place"] = place
        reregistration.particulars = particulars
        reregistration.marriage_entry = marriage_entry
        reregistration.other_parent_email = data.get("other_parent_email") or ""
        reregistration.first_confirmed_at = None
        reregistration.updated_at = timezone.now()
        reregistration.save(
            update_fields=["particulars", "marriage_entry", "other_parent_email", "first_confirmed_at", "updated_at"]
        )
    return reregistration


def has_details(reregistration: ReRegistration) -> bool:
    given = reregistration.particulars or {}
    if not (given.get("father_forenames") and given.get("father_surname") and reregistration.other_parent_email):
        return False
    return reregistration.reason != ReRegistrationReason.LEGITIMATION or bool(given.get("married_on"))


def late_after_marriage(reregistration: ReRegistration, *, today: date | None = None) -> bool:
    """Re-registering more than REREGISTRATION_AFTER_MARRIAGE_MONTHS after the marriage: allowed,
    and said so."""
    married_on = (reregistration.particulars or {}).get("married_on")
    if reregistration.reason != ReRegistrationReason.LEGITIMATION or not married_on:
        return False
    return (today or rules.local_today()) > marriage_deadline(date.fromisoformat(married_on))


def invitation_token(reregistration: ReRegistration) -> str:
    return signing.dumps({"r": reregistration.reference, "n": reregistration.invitation_nonce}, salt=INVITATION_SALT)


def reregistration_for_token(token: str) -> ReRegistration:
    """The re-registration an invitation is for; a replaced or expired link is refused."""
    try:
        data = signing.loads(
            token, salt=INVITATION_SALT, max_age=timedelta(days=settings.SECOND_PARENT_INVITATION_MAX_AGE_DAYS)
        )
    except signing.BadSignature as error:
        raise ReRegistrationRefused("rr_invitation_invalid") from error
    found = (
        ReRegistration.objects.select_related("original__district", "first_parent", "new_entry__district")
        .filter(reference=str(data.get("r", "")), registrar__isnull=True)
        .first()
    )
    if (
        found is None
        or not found.invitation_nonce
        or not secrets.compare_digest(str(found.invitation_nonce), str(data.get("n", "")))
    ):
        raise ReRegistrationRefused("rr_invitation_invalid")
    return found


@written_for
def reregistration_invitation_message(recipient: str, *, parent: str, child: str, link: str) -> tuple[str, str]:
    return _("Confirm the re-registration of a birth"), _(
        "%(parent)s has asked to re-register the birth of %(child)s and named you as a parent. To be named "
        "in the new entry, sign in, verify your identity and confirm the details: %(link)s"
    ) % {"parent": parent, "child": child, "link": link}


def confirm_and_invite(*, reregistration: ReRegistration, person: User) -> ReRegistration:
    """The parent who started it confirms the new particulars; the other parent is emailed a
    signed link to verify their identity and confirm them too."""
    _require_verified(person)
    with transaction.atomic():
        reregistration = _locked(reregistration)
        if reregistration.first_parent_id != person.pk:
            raise ReRegistrationRefused("rr_not_found")
        if reregistration.status != ReRegistration.Status.DRAFT:
            raise ReRegistrationRefused("rr_not_editable")
        if not has_details(reregistration):
            raise ReRegistrationRefused("rr_details_missing")
        _check_reregistrable(reregistration.original)
        now = timezone.now()
        nonce = secrets.token_urlsafe(12)
        if not reregistration.move(
            "invite", first_confirmed_at=now, invitation_nonce=nonce, invited_at=now, updated_at=now
        ):
            raise ReRegistrationRefused("rr_not_editable")
        link = settings.SITE_URL + reverse("reregistration:invitation", args=[invitation_token(reregistration)])
        subject, body = reregistration_invitation_message(
            language_at(reregistration.other_parent_email, otherwise=person),
            parent=reregistration.first_parent_name or person.full_name,
            child=reregistration.original.forenames,
            link=link,
        )
        send_message(
            key=f"reregistration:{reregistration.reference}:invite:{nonce}",
            channel="email",
            to=reregistration.other_parent_email,
            subject=subject,
            body=body,
        )
    return reregistration


def withdraw_invitation(*, reregistration: ReRegistration, person: User) -> ReRegistration:
    """Back to the particulars (to change them): the link sent stops working."""
    with transaction.atomic():
        reregistration = _locked(reregistration)
        if reregistration.first_parent_id != person.pk:
            raise ReRegistrationRefused("rr_not_found")
        if not reregistration.move("change", invitation_nonce="", first_confirmed_at=None, updated_at=timezone.now()):
            raise ReRegistrationRefused("rr_not_awaiting")
    return reregistration


def cancel(*, reregistration: ReRegistration, person: User) -> ReRegistration:
    with transaction.atomic():
        reregistration = _locked(reregistration)
        if reregistration.first_parent_id != person.pk:
            raise ReRegistrationRefused("rr_not_found")
        if not reregistration.move("cancel", invitation_nonce="", updated_at=timezone.now()):
            raise ReRegistrationRefused("rr_closed")
    return reregistration


def decline_as_other_parent(*, reregistration: ReRegistration, person: User, reason: str) -> ReRegistration:
    """The other parent says the particulars are wrong: back to the first parent as a draft."""
    with transaction.atomic():
        reregistration = _locked(reregistration)
        if person.pk == reregistration.first_parent_id:
            raise ReRegistrationRefused("rr_same_person")
        if not reregistration.move(
            "other_parent_declined",
            invitation_nonce="",
            first_confirmed_at=None,
            declined_reason=reason.strip(),
            updated_at=timezone.now(),
        ):
            raise ReRegistrationRefused("rr_not_awaiting")
        _tell(
            reregistration,
            reregistration.first_parent,
            "declined",
            lambda: (
                _("The other parent did not confirm the re-registration %(reference)s: %(reason)s")
                % {"reference": reregistration.reference, "reason": reason.strip()}
            ),
        )
    return reregistration


def confirm_as_other_parent(*, reregistration: ReRegistration, person: User) -> ReRegistration:
    """The other parent, signed in and verified, confirms: both parents have now confirmed with
    verified identities, so the new entry is written and the original marked."""
    with transaction.atomic():
        reregistration = _locked(reregistration)
        if reregistration.status != ReRegistration.Status.AWAITING_OTHER_PARENT:
            raise ReRegistrationRefused("rr_not_awaiting")
        if person.pk == reregistration.first_parent_id:
            raise ReRegistrationRefused("rr_same_person")
        _require_verified(person)
        if not selectors.identity_verified(reregistration.first_parent):
            raise ReRegistrationRefused("rr_identity_not_verified")
        _check_reregistrable(reregistration.original)
        now = timezone.now()
        reregistration.other_parent = person
        reregistration.other_confirmed_at = now
        evidence = _("Both parents confirmed online with verified identities (%(reference)s).") % {
            "reference": reregistration.reference
        }
        if reregistration.marriage_entry_id:
            evidence += " " + _("Marriage entry %(entry)s.") % {"entry": reregistration.marriage_entry.entry_reference}
        elif reregistration.reason == ReRegistrationReason.LEGITIMATION:
            evidence += " " + _("Marriage on %(day)s at %(place)s, as the parents gave it.") % {
                "day": reregistration.particulars.get("married_on"),
                "place": reregistration.particulars.get("marriage_place"),
            }
        mark = _write(reregistration, by=person, registered_by=None, evidence=evidence, informants="both")
        if not reregistration.move(
            "register", other_parent=person, other_confirmed_at=now, new_entry=mark.new_entry, updated_at=now
        ):
            raise ReRegistrationRefused("rr_not_awaiting")

        def message() -> str:
            return _(
                "The birth of %(child)s is re-registered (new entry %(entry)s). Certificates of the old entry are "
                "replaced: order a certificate of the new entry."
            ) % {"child": mark.new_entry.forenames, "entry": mark.new_entry.entry_reference}

        _tell(reregistration, reregistration.first_parent, "registered", message)
        _tell(reregistration, person, "registered", message)
    return reregistration


@written_for
def reregistration_news_message(
    recipient: User, reregistration: ReRegistration, body: Callable[[], str]
) -> tuple[str, str]:
    return _("Re-registration %(reference)s") % {"reference": reregistration.reference}, body()


def _tell(reregistration: ReRegistration, person: User | None, what: str, body: Callable[[], str]) -> None:
    """`body()` is called in `person`'s language: each parent reads the news in their own."""
    if person is None or not person.email:
        return
    subject, text = reregistration_news_message(person, reregistration, body)
    send_message(
        key=f"reregistration:{reregistration.reference}:{what}:{person.pk}:{reregistration.updated_at.isoformat()}",
        channel="email",
        to=person.email,
        subject=subject,
        body=text,
    )


# --- Writing the new entry -------------------------------------------------------------------------


def new_particulars(reregistration: ReRegistration, *, informants: str) -> dict[str, Any]:
    """The new entry's particulars: the original's as corrected, with the other parent, the
    child's surname from now on, who gave the information and why it was re-registered."""
    original = reregistration.original
    particulars = dict(current_particulars(original))
    given = reregistration.particulars or {}
    for name in PARENT_FIELDS:
        particulars[name] = given.get(name, "")
    particulars["child_surname"] = given.get("child_surname") or particulars.get("child_surname", "")
    mother = f"{particulars.get('mother_forenames', '')} {particulars.get('mother_surname', '')}".strip()
    father = f"{particulars.get('father_forenames', '')} {particulars.get('father_surname', '')}".strip()
    if informants == "both":
        particulars["informant_name"] = f"{mother} and {father}"
        particulars["informant_qualification"] = "Mother and father"
    elif informants == "mother":
        particulars["informant_name"], particulars["informant_qualification"] = mother, "Mother"
    else:
        particulars["informant_name"], particulars["informant_qualification"] = father, "Father"
    particulars["reregistration_of"] = original.entry_reference
    particulars["reregistration_reason"] = str(ReRegistrationReason(reregistration.reason).label)
    if given.get("married_on"):
        particulars["parents_married_on"] = given["married_on"]
        particulars["parents_marriage_place"] = given.get("marriage_place", "")
    return particulars


def _write(
    reregistration: ReRegistration, *, by: User, registered_by: User | None, evidence: str, informants: str
) -> EntryReRegistration:
    particulars = new_particulars(reregistration, informants=informants)
    mark = write_reregistration(
        original=reregistration.original,
        surname=particulars["child_surname"],
        forenames=str(particulars.get("child_forenames", "")),
        particulars=particulars,
        index_lines=[
            IndexLine(
                surname=particulars["child_surname"],
                forenames=str(particulars.get("child_forenames", "")),
                other_surname=str(particulars.get("mother_maiden_surname", "")),
            )
        ],
        reason=reregistration.reason,
        evidence=evidence,
        by=by,
        registered_by=registered_by,
    )
    events.publish(kind=EventKind.REGISTERED, entry=mark.new_entry)
    return mark


# --- The registrar's re-registration ---------------------------------------------------------------


def registrar_reregister(
    *,
    actor: User,
    entry: RegisterEntry,
    reason: str,
    parent_present: str,
    data: dict[str, Any],
    evidence: str,
    scan,
) -> ReRegistration:
    """A registrar of the entry's office re-registers a birth from a court order or statutory
    declaration (its scan cleaned like every upload), with the one parent present; audited."""
    refused = _who_may_not(
        actor, CORRECT, district_id=entry.district_id, about=entry.registration if entry.registration_id else None
    )
    if refused:
        raise ReRegistrationRefused(
            {"not_allowed": "rr_not_allowed", "other_office": "rr_other_office", "own_case": "rr_own_entry"}[refused]
        )
    _check_reregistrable(entry)
    if reason not in DOCUMENT_REASONS:
        raise ReRegistrationRefused("rr_document_reason_needed")
    cleaned = clean_image(scan)
    now = timezone.now()
    with atomic_with_files():
        list(RegisterEntry.objects.select_for_update().filter(pk=entry.pk).values_list("pk", flat=True))
        _check_reregistrable(entry)
        particulars = {name: (data.get(name) or "").strip() for name in PARENT_FIELDS}
        particulars["child_surname"] = (data.get("child_surname") or "").strip() or str(
            current_particulars(entry).get("child_surname") or ""
        )
        now_particulars = current_particulars(entry)
        present_name = (
            f"{now_particulars.get('mother_forenames', '')} {now_particulars.get('mother_surname', '')}"
            if parent_present == "mother"
            else f"{particulars['father_forenames']} {particulars['father_surname']}"
        ).strip()
        reregistration = ReRegistration(
            reference=new_reference("RR"),
            original=entry,
            reason=reason,
            particulars=particulars,
            first_parent_name=present_name,
            registrar=actor,
            evidence=evidence.strip(),
            created_at=now,
            updated_at=now,
        )
        save_file(reregistration.scan, "scan.jpg", ContentFile(cleaned.content))
        try:
            with transaction.atomic():
                reregistration.save()
        except IntegrityError as error:
            raise ReRegistrationRefused("rr_already_open") from error
        text = _("%(document)s seen by the registrar: %(evidence)s (scan kept with %(reference)s).") % {
            "document": ReRegistrationReason(reason).label,
            "evidence": evidence.strip(),
            "reference": reregistration.reference,
        }
        mark = _write(reregistration, by=actor, registered_by=actor, evidence=text, informants=parent_present)
        if not reregistration.move("register", new_entry=mark.new_entry, updated_at=now):
            raise ReRegistrationRefused("rr_closed")
        record_audit(
            actor=actor,
            action="reregistration.registrar_reregistered",
            object_type="reregistration",
            object_id=reregistration.reference,
            reason=evidence.strip(),
            detail={"entry": entry.entry_reference, "new_entry": mark.new_entry.entry_reference, "reason": reason},
        )
    return reregistration


def registered_on(mark: EntryReRegistration) -> date:
    return mark.at.astimezone(UK).date()
