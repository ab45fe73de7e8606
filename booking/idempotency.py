"""`Idempotency-Key` for the booking API's POSTs: the first answer to a key is stored with a
fingerprint of the request (method, path and body); a retry with the same key and request gets
that answer again, a 409 included, and the same key with a different request is refused (422).
Input that fails validation and server errors are not stored, so a corrected retry runs. The
unique constraint on (person, key) decides races: the loser waits for the winner's commit and
replays its answer."""

from __future__ import annotations

import hashlib
import json
from functools import wraps

from django.db import connection, transaction
from django.utils import timezone
from rest_framework.response import Response

from core.api_errors import error_body, refusal_response
from core.refusals import Refusal

from .models import IdempotentRequest

HEADER = "Idempotency-Key"


def _fingerprint(request) -> str:
    body = json.dumps(request.data, sort_keys=True, default=str) if request.data else ""
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def _replay(stored: IdempotentRequest, fingerprint: str) -> Response:
    if stored.fingerprint != fingerprint:
        return Response(
            error_body(
                "idempotency_key_reused",
                "This Idempotency-Key was already used for a different request. Use a new key.",
            ),
            status=422,
        )
    response = Response(stored.body, status=stored.status_code)
    response["Idempotent-Replayed"] = "true"
    return response


def idempotent(view_method):
    """Wrap an APIView's post(). Without the header the request runs as usual."""

    @wraps(view_method)
    def wrapped(self, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return view_method(self, request, *args, **kwargs)
        key = key.strip()
        if not key or len(key) > 100:
            return Response(
                error_body("invalid_idempotency_key", "An Idempotency-Key must be 1 to 100 characters."), status=400
            )
        fingerprint = _fingerprint(request)
        # One statement claims the key or finds it taken: the claim is made inside the
        # transaction that runs the request, so a parallel request with the same key waits on the
        # unique constraint until the first commits (then finds the key taken and replays its
        # answer) or rolls back (then claims the key itself).
        try:
            with transaction.atomic():
                claim_id = _claim(request.user.pk, key, fingerprint)
                if claim_id is None:
                    raise _Taken()
                try:
                    response = view_method(self, request, *args, **kwargs)
                except Refusal as refusal:
                    # Kept like any other answer: a retry is told the same again.
                    response = refusal_response(refusal)
                if response.status_code >= 500:
                    raise _Unstored(response)
                IdempotentRequest.objects.filter(pk=claim_id).update(
                    status_code=response.status_code, body=response.data
                )
        except _Unstored as unstored:
            return unstored.response
        except _Taken:
            stored = IdempotentRequest.objects.filter(person=request.user, key=key).first()
            if stored is None:
                # Taken when claimed, gone when read (its person's rows deleted in between):
                # nothing was done for this request, so it is claimed again rather than a 500.
                return wrapped(self, request, *args, **kwargs)
            return _replay(stored, fingerprint)
        return response

    return wrapped


def _claim(person_id: int, key: str, fingerprint: str) -> int | None:
    """Insert the key's row, or nothing if (person, key) is already there: its id, or None."""
    table = connection.ops.quote_name(IdempotentRequest._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO {table} ("person_id", "key", "fingerprint", "status_code", "body", "created_at") '  # noqa: S608 - table name from the model, values bound
            'VALUES (%s, %s, %s, 0, \'{}\', %s) ON CONFLICT ("person_id", "key") DO NOTHING RETURNING "id"',
            [person_id, key, fingerprint, timezone.now()],
        )
        row = cursor.fetchone()
    return None if row is None else row[0]


class _Taken(Exception):
    """The key already has an answer (or had one committed while this request waited)."""


class _Unstored(Exception):
    """A server error is not remembered: the client may retry it."""

    def __init__(self, response) -> None:
        super().__init__("unstored")
        self.response = response
