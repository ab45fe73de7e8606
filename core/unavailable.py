"""A database that is unreachable, restarting or dropping connections is an outage, not a bug:
every request answers 503 with Retry-After (the API's JSON error shape under /api/, a GOV.UK
page otherwise), never a 500, and the next request after the database is back is served as
usual. Django closes a connection that failed at the end of its request and checks a kept one
before reusing it (CONN_HEALTH_CHECKS), so no restart of the web process is needed."""

from __future__ import annotations

import logging
import sqlite3

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .api_errors import json_error_response, wants_json

logger = logging.getLogger(__name__)

# SQLSTATE classes and codes that mean "the database is not there right now" (PostgreSQL
# appendix A): connection exceptions, insufficient resources (too many connections), the server
# shutting down or starting up, and transaction rollbacks a retry settles (deadlock, serialization).
_OUTAGE_STATES = ("08", "53", "57P01", "57P02", "57P03", "40")
# SQLite: another process holds the write lock past the timeout.
_SQLITE_OUTAGES = ("database is locked", "unable to open database file", "disk i/o error")


def is_database_outage(error: BaseException | None) -> bool:
    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    if isinstance(cause, sqlite3.Error):
        return any(text in str(cause).lower() for text in _SQLITE_OUTAGES)
    state = getattr(cause, "sqlstate", None)
    # psycopg reports a lost or refused connection with no SQLSTATE at all.
    return state is None or state.startswith(_OUTAGE_STATES)


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After, rendered without touching the database (no session, no user)."""
    retry_after = str(settings.DATABASE_UNAVAILABLE_RETRY_AFTER_SECONDS)
    if wants_json(request):
        response = json_error_response(
            503, "service_unavailable", _("The service is unavailable for a moment. Try again in a few seconds.")
        )
    else:
        request.user = AnonymousUser()
        request.assisted_by = None
        request._messages = CookieStorage(request)  # not the session, which is in the database
        try:
            response = render(request, "503.html", status=503)
        except Exception:  # noqa: BLE001 - the page must not need what is broken
            logger.exception("Could not render the unavailable page")
            response = HttpResponse(
                "<!DOCTYPE html><html lang=en><title>Sorry, the service is unavailable</title>"
                "<h1>Sorry, the service is unavailable</h1><p>Try again in a few seconds.</p>",
                status=503,
            )
    response["Retry-After"] = retry_after
    response["Cache-Control"] = "no-store"
    # An outage is logged once, as a warning, by whoever saw it; not again by Django as an error.
    response._has_been_logged = True
    return response


class DatabaseUnavailableMiddleware:
    """Turns a database outage raised by a view (or its template) into the 503 above. An outage
    raised by another middleware (the session saved on the way out) reaches the 500 handler,
    which asks `is_database_outage` too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_outage(exception):
            return None
        logger.warning("Database unavailable for %s %s: %s", request.method, request.path, exception.__class__.__name__)
        return unavailable_response(request)
