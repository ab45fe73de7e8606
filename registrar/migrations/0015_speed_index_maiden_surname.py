"""The mother's maiden surname narrows a birth search inside one surname's lines in index order,
through a b-tree (PostgreSQL: the expression the search compares, upper-cased), instead of reading
every line of that surname to find the few with that maiden surname."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS index_surname_maiden_year "
    "ON registrar_indexname (surname_key, event, upper(other_surname), year)"
)
DROP = "DROP INDEX IF EXISTS index_surname_maiden_year"


def run(statement):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement, params=None)

    return apply


class Migration(migrations.Migration):
    dependencies = [("registrar", "0014_merge_stillbirths")]

    operations = [migrations.RunPython(run(CREATE), run(DROP))]
