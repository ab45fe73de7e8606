"""The calendar stamp and the triggers that change it with every write to what the published
calendar is made of (see `booking.models.CalendarStamp`). Statement-level on PostgreSQL where
any change counts; row-level where only some rows do (an officer's role or active flag), so that
signing up citizens or signing in never touches the stamp."""

from django.db import migrations, models

from identity.roles import REGISTRAR, SUPERINTENDENT_REGISTRAR

# Every change to these tables changes the calendar.
CALENDAR_TABLES = [
    "booking_venue",
    "booking_room",
    "booking_roompattern",
    "booking_closure",
    "booking_bankholiday",
    "booking_rotashift",
    "booking_officerabsence",
    "identity_registeroffice",
]
OFFICER_ROLES = f"('{REGISTRAR}', '{SUPERINTENDENT_REGISTRAR}')"

POSTGRES_NEW_TOKEN = (
    "INSERT INTO booking_calendarstamp (id, token) VALUES (1, md5(random()::text || clock_timestamp()::text)) "
    "ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token"
)
POSTGRES = [
    f"""
    CREATE OR REPLACE FUNCTION booking_calendar_changed() RETURNS trigger AS $$
    BEGIN
        {POSTGRES_NEW_TOKEN};
        RETURN NULL;
    END;
    $$ LANGUAGE plpgsql
    """,
    f"""
    CREATE OR REPLACE FUNCTION booking_officer_role_changed() RETURNS trigger AS $$
    DECLARE
        changed_group bigint;
    BEGIN
        IF TG_OP = 'DELETE' THEN changed_group := OLD.group_id; ELSE changed_group := NEW.group_id; END IF;
        IF EXISTS (SELECT 1 FROM auth_group WHERE id = changed_group AND name IN {OFFICER_ROLES}) THEN
            {POSTGRES_NEW_TOKEN};
        END IF;
        RETURN NULL;
    END;
    $$ LANGUAGE plpgsql
    """,
    *[
        f"CREATE TRIGGER {table}_calendar AFTER INSERT OR UPDATE OR DELETE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION booking_calendar_changed()"
        for table in CALENDAR_TABLES
    ],
    "CREATE TRIGGER identity_user_calendar AFTER UPDATE OF is_active ON identity_user FOR EACH ROW "
    "WHEN (OLD.is_active IS DISTINCT FROM NEW.is_active) EXECUTE FUNCTION booking_calendar_changed()",
    "CREATE TRIGGER identity_user_groups_calendar AFTER INSERT OR UPDATE OR DELETE ON identity_user_groups "
    "FOR EACH ROW EXECUTE FUNCTION booking_officer_role_changed()",
]
POSTGRES_DROP = [
    *[f"DROP TRIGGER IF EXISTS {table}_calendar ON {table}" for table in CALENDAR_TABLES],
    "DROP TRIGGER IF EXISTS identity_user_calendar ON identity_user",
    "DROP TRIGGER IF EXISTS identity_user_groups_calendar ON identity_user_groups",
    "DROP FUNCTION IF EXISTS booking_calendar_changed()",
    "DROP FUNCTION IF EXISTS booking_officer_role_changed()",
]

SQLITE_NEW_TOKEN = "INSERT OR REPLACE INTO booking_calendarstamp (id, token) VALUES (1, lower(hex(randomblob(16))));"
SQLITE = [
    *[
        f"CREATE TRIGGER {table}_calendar_{operation.lower()} AFTER {operation} ON {table} BEGIN {SQLITE_NEW_TOKEN} END"
        for table in CALENDAR_TABLES
        for operation in ("INSERT", "UPDATE", "DELETE")
    ],
    "CREATE TRIGGER identity_user_calendar_update AFTER UPDATE OF is_active ON identity_user "
    f"WHEN OLD.is_active IS NOT NEW.is_active BEGIN {SQLITE_NEW_TOKEN} END",
    *[
        f"CREATE TRIGGER identity_user_groups_calendar_{operation.lower()} AFTER {operation} ON identity_user_groups "
        f"WHEN {row}.group_id IN (SELECT id FROM auth_group WHERE name IN {OFFICER_ROLES}) "
        f"BEGIN {SQLITE_NEW_TOKEN} END"
        for operation, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD"))
    ],
]
SQLITE_DROP = [
    *[
        f"DROP TRIGGER IF EXISTS {table}_calendar_{operation}"
        for table in CALENDAR_TABLES
        for operation in ("insert", "update", "delete")
    ],
    "DROP TRIGGER IF EXISTS identity_user_calendar_update",
    *[
        f"DROP TRIGGER IF EXISTS identity_user_groups_calendar_{operation}"
        for operation in ("insert", "update", "delete")
    ],
]


def run(postgres, sqlite):
    def apply(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        statements = postgres if vendor == "postgresql" else sqlite if vendor == "sqlite" else []
        for statement in statements:
            schema_editor.execute(statement, params=None)

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0010_citizenship_private"),
        ("auth", "0012_alter_user_first_name_max_length"),
        # After the identity tables it watches are in their final shape: SQLite drops the
        # triggers of a table it rebuilds.
        ("identity", "0010_merge_0009_declaration_codes_0009_language"),
    ]

    operations = [
        migrations.CreateModel(
            name="CalendarStamp",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token", models.CharField(max_length=40)),
            ],
        ),
        migrations.RunPython(run(POSTGRES, SQLITE), run(POSTGRES_DROP, SQLITE_DROP)),
    ]
