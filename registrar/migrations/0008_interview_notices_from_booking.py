"""Notices recorded on booking's retired staff page move into the marriage journey: a Proposal per
ceremony with a notice given, and a Notice per party (given, or still to give), keeping the day,
the office, who recorded it and the appointment as the interview. A notice that was referred to
the Home Office keeps its 70 days (the person is not exempt, the Home Office investigating)."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.utils import timezone

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _reference(prefix, model):
    while True:
        body = "".join(secrets.choice(ALPHABET) for _ in range(8))
        reference = f"{prefix}-{body[:4]}-{body[4:]}"
        if not model.objects.filter(reference=reference).exists():
            return reference


def _names(full_name):
    parts = (full_name or "").split()
    if len(parts) < 2:
        return {"forenames": "", "surname": " ".join(parts)}
    return {"forenames": " ".join(parts[:-1]), "surname": parts[-1]}


def move_notices(apps, schema_editor):
    NoticeOfMarriage = apps.get_model("booking", "NoticeOfMarriage")
    Booking = apps.get_model("booking", "Booking")
    Proposal = apps.get_model("registrar", "Proposal")
    Notice = apps.get_model("registrar", "Notice")
    now = timezone.now()
    display_days = getattr(settings, "NOTICE_DISPLAY_DAYS", 28)
    ceremony_ids = (
        NoticeOfMarriage.objects.filter(given_on__isnull=False).values_list("party__booking_id", flat=True).distinct()
    )
    for ceremony in Booking.objects.filter(pk__in=list(ceremony_ids)).select_related("room__venue"):
        if Proposal.objects.filter(ceremony_id=ceremony.pk).exists():
            continue
        parties = list(ceremony.parties.order_by("position"))
        recorded = {row.party_id: row for row in NoticeOfMarriage.objects.filter(party__booking_id=ceremony.pk)}
        given = [row for row in recorded.values() if row.given_on]
        referred = any(row.referred for row in given)
        proposal = Proposal.objects.create(
            reference=_reference("MP", Proposal),
            kind="marriage",
            form="civil",
            status="waiting" if len(given) == 2 and len(parties) == 2 else "giving_notice",
            created_by_id=ceremony.person_id,
            ceremony_id=ceremony.pk,
            venue_id=ceremony.room.venue_id,
            district_id=ceremony.room.venue.office_id,
            home_office="investigating" if referred else "not_needed",
            home_office_decided_at=now if referred else None,
            created_at=ceremony.created_at,
            updated_at=now,
        )
        for party in parties:
            row = recorded.get(party.pk)
            is_given = bool(row and row.given_on)
            Notice.objects.create(
                proposal_id=proposal.pk,
                position=party.position,
                reference=_reference("NT", Notice),
                status="given" if is_given else "draft",
                person_id=ceremony.person_id if party.position == 1 else None,
                invited_email=party.email if party.position != 1 else "",
                party_id=party.pk,
                answers={
                    "names": _names(party.full_name),
                    "date_of_birth": {"date_of_birth": party.date_of_birth.isoformat()},
                    "address": {
                        "address": "",
                        "postcode": party.postcode,
                        "lived_there_since": party.lived_there_since.isoformat(),
                    },
                },
                exempt=(not row.referred) if is_given else None,
                interview_id=row.appointment_id if row else None,
                interview_mode="in_person" if row and row.appointment_id else "",
                office_id=row.office_id if row else None,
                given_on=row.given_on if is_given else None,
                decided_by_id=row.recorded_by_id if is_given else None,
                display_until=row.given_on + timedelta(days=display_days - 1) if is_given else None,
                created_at=now,
                updated_at=now,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("registrar", "0007_interview_referral"),
        ("booking", "0006_officer_commitments"),
    ]
    run_before = [("booking", "0007_retire_notice_of_marriage")]

    operations = [migrations.RunPython(move_notices, migrations.RunPython.noop)]
