"""On PostgreSQL, the database itself refuses overlapping active use of a room or an officer
(btree_gist exclusion constraints over [starts_at, ends_at)). SQLite, the embedded default,
serialises writers instead and relies on the service's checks."""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    "ALTER TABLE booking_occupancy ADD CONSTRAINT occupancy_room_never_double_booked "
    "EXCLUDE USING gist (room_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) "
    "WHERE (active AND room_id IS NOT NULL)",
    "ALTER TABLE booking_occupancy ADD CONSTRAINT occupancy_officer_never_in_two_places "
    "EXCLUDE USING gist (officer_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) "
    "WHERE (active AND officer_id IS NOT NULL)",
]
DROP = [
    "ALTER TABLE booking_occupancy DROP CONSTRAINT IF EXISTS occupancy_room_never_double_booked",
    "ALTER TABLE booking_occupancy DROP CONSTRAINT IF EXISTS occupancy_officer_never_in_two_places",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("booking", "0001_initial")]

    operations = [migrations.RunPython(run(CREATE), run(DROP))]
