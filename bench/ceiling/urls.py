"""The ceiling's views: one query and a small JSON answer (`/`), and the booking benchmark's bare
insert served over HTTP (`/booking-rows`): a booking's rows, posted as JSON, written in one
transaction by plain SQL under the same constraints, with no app, middleware or serializer."""

import json
import re

from django.db import DatabaseError, IntegrityError, connection, transaction
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

# The booking's tables, in the order their rows are written; the occupancy rows and the parties
# name the booking they belong to.
BOOKING_TABLE = "booking_booking"
CHILD_TABLES = {"occupancies": "booking_occupancy", "parties": "booking_party"}
COLUMN = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def one_view(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        (value,) = cursor.fetchone()
    return JsonResponse({"status": "ok", "value": value})


class BadRows(ValueError):
    """The body is not a booking's rows."""


def _insert(cursor, table: str, rows: list[dict], *, returning: bool = False):
    if not rows or not all(isinstance(row, dict) and row for row in rows):
        raise BadRows(f"{table}: give at least one row, each a non-empty object")
    columns = list(rows[0])
    if not all(COLUMN.match(column) for column in columns) or any(list(row) != columns for row in rows):
        raise BadRows(f"{table}: every row needs the same column names")
    values = "(" + ", ".join(["%s"] * len(columns)) + ")"
    cursor.execute(
        f"INSERT INTO {connection.ops.quote_name(table)} ({', '.join(map(connection.ops.quote_name, columns))}) "
        f"VALUES {', '.join([values] * len(rows))}{' RETURNING id' if returning else ''}",
        [row[column] for row in rows for column in columns],
    )
    return cursor.fetchone()[0] if returning else None


@csrf_exempt
def booking_rows(request):
    """`{"booking": {column: value}, "occupancies": [...], "parties": [...]}`: one INSERT per
    table (the children given the new booking's id) in one transaction. 201 with the id; a row
    the constraints refuse is a 409, a body that is not such rows a 400."""
    if request.method != "POST":
        return JsonResponse({"error": "POST a booking's rows"}, status=405)
    try:
        body = json.loads(request.body)
        if not isinstance(body, dict):
            raise BadRows("give an object")
        with transaction.atomic(), connection.cursor() as cursor:
            booking_id = _insert(cursor, BOOKING_TABLE, [body.get("booking")], returning=True)
            for name, table in CHILD_TABLES.items():
                children = body.get(name)
                if not isinstance(children, list):
                    raise BadRows(f"{name}: give a list")
                _insert(cursor, table, [{**child, "booking_id": booking_id} for child in children])
    except (ValueError, TypeError, AttributeError) as error:
        return JsonResponse({"error": str(error)}, status=400)
    except IntegrityError as error:
        return JsonResponse({"error": str(error).splitlines()[0]}, status=409)
    except DatabaseError as error:  # bad column names or values: the body's fault
        return JsonResponse({"error": str(error).splitlines()[0]}, status=400)
    return JsonResponse({"id": booking_id}, status=201)


urlpatterns = [path("", one_view), path("booking-rows", booking_rows)]
