"""Converting a civil partnership into a marriage: both partners declare before a registrar that
they wish to convert it, and the service writes a marriage entry in the registrar's district,
dated from the partnership's formation and referring to it, with the `Conversion` linking the
two entries (Marriage (Same Sex Couples) Act 2013, s. 9; REGISTRATION-RULES.md)."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.references import new_reference
from identity.audit import record_audit
from identity.models import RegisterOffice, User

from .. import events
from ..models import Conversion, Event, RegisterEntry
from ..models.marriages import WORK_NOTICES
from ..register import IndexLine, current_particulars, write_entry
from . import particulars as keys
from .conversion_selectors import entry_by_reference
from .refusals import MarriageRefused


def check_can_convert(*, actor: User, office: RegisterOffice | None) -> None:
    """A registrar holding `work_notices`, recording the declaration at one of their offices."""
    if not (actor.is_staff and actor.has_perm(WORK_NOTICES)):
        raise MarriageRefused("not_permitted")
    if office is None:
        raise MarriageRefused("conversion_no_office")
    if not actor.offices.filter(pk=office.pk).exists():
        raise MarriageRefused("wrong_office")


def check_partnership(partnership: RegisterEntry) -> None:
    if partnership.event != Event.CIVIL_PARTNERSHIP:
        raise MarriageRefused("conversion_not_partnership")
    if Conversion.objects.filter(partnership=partnership).exists():
        raise MarriageRefused("conversion_already_converted")


def partnership_to_convert(reference: str) -> RegisterEntry:
    """The entry a reference names, if it is a partnership not yet converted; else the refusal."""
    entry = entry_by_reference(reference)
    if entry is None:
        raise MarriageRefused("conversion_entry_not_found")
    check_partnership(entry)
    return entry


def marriage_particulars(partnership: RegisterEntry, *, declared_on: date) -> dict:
    """The partnership's particulars as they stand (corrections applied) as a marriage's: the
    parties unchanged, the date and place of formation as those of the marriage, and where it
    came from."""
    source = current_particulars(partnership)
    formed_on = source.pop(keys.date_key(Event.CIVIL_PARTNERSHIP), partnership.event_date.isoformat())
    place = source.pop(keys.place_key(Event.CIVIL_PARTNERSHIP), "")
    return {
        **source,
        keys.date_key(Event.MARRIAGE): formed_on,
        keys.place_key(Event.MARRIAGE): place,
        "converted_from": {
            "entry": partnership.entry_reference,
            "formed_on": partnership.event_date.isoformat(),
            "declared_on": declared_on.isoformat(),
        },
    }


def _index_lines(particulars: dict) -> list[IndexLine]:
    one, two = keys.party(particulars, 1), keys.party(particulars, 2)
    return [
        IndexLine(surname=one["surname"], forenames=one["forenames"], other_surname=two["surname"]),
        IndexLine(surname=two["surname"], forenames=two["forenames"], other_surname=one["surname"]),
    ]


def convert_partnership(
    *,
    partnership: RegisterEntry,
    office: RegisterOffice | None,
    declared_on: date,
    both_present: bool,
    both_signed: bool,
    identities_checked: bool,
    actor: User,
) -> Conversion:
    """Write the marriage entry and the conversion, once per partnership: a parallel second
    conversion waits on the partnership's row and is then refused; the database's one-to-one
    `Conversion.partnership` is the guarantee behind that check."""
    check_can_convert(actor=actor, office=office)
    if not (both_present and both_signed and identities_checked):
        raise MarriageRefused("conversion_declaration_incomplete")
    if declared_on > timezone.localdate():
        raise MarriageRefused("conversion_declared_in_future")
    if declared_on < partnership.event_date:
        raise MarriageRefused("conversion_declared_before_formation")
    try:
        with transaction.atomic():
            # Conversions of one partnership queue here, so the check below sees the winner's row.
            partnership = RegisterEntry.objects.select_for_update().select_related("district").get(pk=partnership.pk)
            check_partnership(partnership)
            particulars = marriage_particulars(partnership, declared_on=declared_on)
            marriage = write_entry(
                district=office,
                event=Event.MARRIAGE,
                event_date=partnership.event_date,
                surname=particulars.get("party1_surname", partnership.surname),
                forenames=particulars.get("party1_forenames", partnership.forenames),
                particulars=particulars,
                index_lines=_index_lines(particulars),
                registered_by=actor,
            )
            conversion = Conversion.objects.create(
                reference=new_reference("CV"),
                partnership=partnership,
                marriage=marriage,
                declared_on=declared_on,
                declared_at=office,
                registrar=actor,
            )
            record_audit(
                actor=actor,
                action="marriage.partnership_converted",
                object_type="conversion",
                object_id=conversion.pk,
                detail={
                    "conversion": conversion.reference,
                    "partnership": partnership.entry_reference,
                    "marriage": marriage.entry_reference,
                    "office": office.code,
                },
            )
            events.publish(kind="registered", entry=marriage)
    except IntegrityError as error:
        if Conversion.objects.filter(partnership_id=partnership.pk).exists():
            raise MarriageRefused("conversion_already_converted") from error
        raise
    return conversion
