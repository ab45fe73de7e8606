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

from django.db import IntegrityError, transaction
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
        stored = IdempotentRequest.objects.filter(person=request.user, key=key).first()
        if stored is not None:
            return _replay(stored, fingerprint)
        # The first request with a key runs inside a transaction that also claims the key, so
        # that parallel retries wait for it and then replay its answer.
        try:
            with transaction.atomic():
                claim = IdempotentRequest.objects.create(
                    person=request.user, key=key, fingerprint=fingerprint, status_code=0, body={}
                )
                try:
                    response = view_method(self, request, *args, **kwargs)
                except Refusal as refusal:
                    # Kept like any other answer: a retry is told the same again.
                    response = refusal_response(refusal)
                if response.status_code >= 500:
                    raise _Unstored(response)
                claim.status_code = response.status_code
                claim.body = response.data
                claim.save(update_fields=["status_code", "body"])
        except _Unstored as unstored:
            return unstored.response
        except IntegrityError:
            stored = IdempotentRequest.objects.filter(person=request.user, key=key).first()
            if stored is None:
                raise
            return _replay(stored, fingerprint)
        return response

    return wrapped


class _Unstored(Exception):
    """A server error is not remembered: the client may retry it."""

    def __init__(self, response) -> None:
        super().__init__("unstored")
        self.response = response
