"""Officer rows become commitments (`booking.commitments`): the time at the venue with the
changeover after it once, and the time away from the office with the journey each way. Until
now each row was the booking widened by changeover plus journey on both sides, so two bookings
in one place needed the changeover twice between them.

Existing rows are rewritten from what they hold: a row was [start - B, end + B) with
B = changeover + journey, and the booking's own start and end are those of its room row (or of
the booking, for a video call, which has none). The new rows lie inside the old ones, so no
two active rows that were apart come to clash. On PostgreSQL the officer constraint is then
read over the time at the venue, and a second one keeps an officer's times away to two
different venues apart."""

from datetime import timedelta

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import F, Q

OFFICER_CONSTRAINT = (
    "ALTER TABLE booking_occupancy ADD CONSTRAINT occupancy_officer_never_in_two_places "
    "EXCLUDE USING gist (officer_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) "
    "WHERE (active AND officer_id IS NOT NULL)"
)
DROP_OFFICER_CONSTRAINT = (
    "ALTER TABLE booking_occupancy DROP CONSTRAINT IF EXISTS occupancy_officer_never_in_two_places"
)
AWAY_CONSTRAINT = (
    "ALTER TABLE booking_occupancy ADD CONSTRAINT occupancy_officer_never_away_to_two_venues "
    "EXCLUDE USING gist (officer_id WITH =, venue_id WITH <>, tstzrange(away_from, away_until, '[)') WITH &&) "
    "WHERE (active AND officer_id IS NOT NULL)"
)
DROP_AWAY_CONSTRAINT = (
    "ALTER TABLE booking_occupancy DROP CONSTRAINT IF EXISTS occupancy_officer_never_away_to_two_venues"
)

BATCH = 500


def run(*statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return apply


def _changeover():
    return timedelta(minutes=settings.BOOKING_CHANGEOVER_MINUTES)


def to_commitments(apps, schema_editor):
    Occupancy = apps.get_model("booking", "Occupancy")
    changeover = _changeover()
    rows = Occupancy.objects.select_related("room", "booking__room").order_by("pk")
    room_rows: dict[int, list] = {}
    for row in Occupancy.objects.filter(room__isnull=False).select_related("room").order_by("pk").iterator():
        room_rows.setdefault(row.booking_id, []).append(row)
    changed = []
    for row in rows.iterator():
        if row.room_id is not None:
            row.venue_id = row.room.venue_id
            row.away_from, row.away_until = row.starts_at, row.ends_at
        else:
            _officer_row_to_commitment(row, room_rows.get(row.booking_id, []), changeover)
        changed.append(row)
        if len(changed) >= BATCH:
            Occupancy.objects.bulk_update(changed, ["venue", "starts_at", "ends_at", "away_from", "away_until"])
            changed = []
    if changed:
        Occupancy.objects.bulk_update(changed, ["venue", "starts_at", "ends_at", "away_from", "away_until"])


def _officer_row_to_commitment(row, room_rows, changeover):
    # The booking's own times: those of its room row that the officer row was centred on, or
    # the booking's when it has no room (a video call) and the row is centred on it.
    venue_id, times = row.booking.room.venue_id, None
    for room_row in room_rows:
        before, after = room_row.starts_at - row.starts_at, row.ends_at - room_row.ends_at
        if room_row.active == row.active and before == after and before >= timedelta(0):
            venue_id, times = room_row.room.venue_id, (room_row.starts_at, room_row.ends_at)
            break
    if times is None:
        booking = row.booking
        before, after = booking.starts_at - row.starts_at, row.ends_at - booking.ends_at
        if before == after and before >= timedelta(0):
            times = (booking.starts_at, booking.ends_at)
        elif row.ends_at - row.starts_at > 2 * changeover:
            # A video call moved since: its row was at its office, with the changeover alone.
            times = (row.starts_at + changeover, row.ends_at - changeover)
        else:
            times = (row.starts_at, row.ends_at - changeover)
    buffer = times[0] - row.starts_at
    journey = max(buffer - changeover, timedelta(0))
    row.venue_id = venue_id
    row.starts_at, row.ends_at = times[0], times[1] + changeover
    row.away_from, row.away_until = row.starts_at - journey, row.ends_at + journey


def to_symmetric_rows(apps, schema_editor):
    """Back to [start - B, end + B): the old row began a changeover before the time away."""
    Occupancy = apps.get_model("booking", "Occupancy")
    Occupancy.objects.filter(officer__isnull=False).update(
        starts_at=F("away_from") - _changeover(), ends_at=F("away_until")
    )


class Migration(migrations.Migration):
    dependencies = [("booking", "0005_identity_appointments")]

    operations = [
        migrations.RunPython(run(DROP_OFFICER_CONSTRAINT), run(OFFICER_CONSTRAINT)),
        migrations.AddField(
            model_name="occupancy",
            name="venue",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="booking.venue"
            ),
        ),
        migrations.AddField(model_name="occupancy", name="away_from", field=models.DateTimeField(null=True)),
        migrations.AddField(model_name="occupancy", name="away_until", field=models.DateTimeField(null=True)),
        migrations.RunPython(to_commitments, to_symmetric_rows),
        migrations.AlterField(
            model_name="occupancy",
            name="venue",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="booking.venue"),
        ),
        migrations.AlterField(model_name="occupancy", name="away_from", field=models.DateTimeField()),
        migrations.AlterField(model_name="occupancy", name="away_until", field=models.DateTimeField()),
        migrations.AddConstraint(
            model_name="occupancy",
            constraint=models.CheckConstraint(
                condition=Q(away_from__lte=F("starts_at"), away_until__gte=F("ends_at")),
                name="occupancy_away_covers_the_time_there",
            ),
        ),
        migrations.AddIndex(
            model_name="occupancy",
            index=models.Index(fields=["officer", "away_from"], name="occupancy_officer_away"),
        ),
        migrations.RunPython(
            run(OFFICER_CONSTRAINT, AWAY_CONSTRAINT), run(DROP_AWAY_CONSTRAINT, DROP_OFFICER_CONSTRAINT)
        ),
    ]
