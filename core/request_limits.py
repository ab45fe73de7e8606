"""The cap on a request's body, applied before anything reads it: a Content-Length over
REQUEST_BODY_MAX_BYTES is answered 413 at once, and a chunked body (no Content-Length) is read
into a spool only up to the cap, so that neither a declared nor an undeclared size can make the
server spool hundreds of megabytes to disk before a form's own size check answers."""

from __future__ import annotations

import tempfile
from collections.abc import Callable

from django.conf import settings
from django.core.handlers.wsgi import LimitedStream
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from .api_errors import json_error_response, wants_json

_PIECE = 64 * 1024


def _megabytes() -> int:
    return settings.REQUEST_BODY_MAX_BYTES // (1024 * 1024)


def request_too_large(request: HttpRequest) -> HttpResponse:
    """413 in the API's error shape under /api/, else the service's page. This runs before the
    language middleware, so it picks the person's language itself."""
    with translation.override(translation.get_language_from_request(request)):
        if wants_json(request):
            message = _("The request is too large: send at most %(megabytes)s MB.") % {"megabytes": _megabytes()}
            response = json_error_response(413, "request_too_large", message)
        else:
            response = render(request, "413.html", {"megabytes": _megabytes()}, status=413)
    # No "Connection: close": WSGI forbids hop-by-hop headers from the application. The server
    # decides: gunicorn's sync workers close every connection after its response.
    return response


def _declared_length(request: HttpRequest) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None


def _spool_chunked_body(request: HttpRequest, limit: int) -> bool:
    """Read a body sent without a Content-Length into a spool, up to `limit` bytes; True when it
    fitted, and the request then reads it as if its length had been declared."""
    source = request.META["wsgi.input"]
    # Closed by the middleware once the response is made, or here when the body is too large.
    spool = tempfile.SpooledTemporaryFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE)  # noqa: SIM115
    size = 0
    while True:
        piece = source.read(_PIECE)
        if not piece:
            break
        size += len(piece)
        if size > limit:
            spool.close()
            return False
        spool.write(piece)
    spool.seek(0)
    request.META["CONTENT_LENGTH"] = str(size)
    request.META["wsgi.input"] = spool
    # Django made its stream when the request was built, bounded by the length it saw then (none).
    request._stream = LimitedStream(spool, size)
    request._body_spool = spool
    return True


class RequestBodyLimitMiddleware:
    """First in MIDDLEWARE: nothing before it may touch the body."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.REQUEST_BODY_MAX_BYTES
        length = _declared_length(request)
        if length is not None and length > limit:
            return request_too_large(request)
        chunked = length is None and "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
        if chunked and not _spool_chunked_body(request, limit):
            return request_too_large(request)
        try:
            return self.get_response(request)
        finally:
            spool = getattr(request, "_body_spool", None)
            if spool is not None:
                spool.close()
