"""Service-wide pages: the start page, the language switch, the footer pages, health check and
error pages (HTML for people, JSON for the API)."""

from __future__ import annotations

import logging
import sys
import threading
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection

from core.api_errors import json_error_response, wants_json
from core.languages import set_language_cookie
from core.unavailable import is_database_outage, unavailable_response
from identity import services as identity_services

logger = logging.getLogger(__name__)


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "site/home.html")


def static_page(template: str):
    def view(request: HttpRequest) -> HttpResponse:
        return render(request, template)

    return view


@require_GET
def switch_language(request: HttpRequest, code: str) -> HttpResponse:
    """A plain link switches language (GOV.UK's pattern), so it works without JavaScript."""
    if code not in dict(settings.LANGUAGES):
        return render(request, "404.html", status=404)
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    if request.user.is_authenticated and getattr(request, "assisted_by", None) is None:
        # Signed in: remembered for the messages sent later too (never phone support's choice).
        identity_services.set_language(user=request.user, language=code)
    return set_language_cookie(redirect(next_url), code)


def _check(name: str, probe) -> tuple[str, str]:
    try:
        probe()
    except Exception as error:  # noqa: BLE001 - any failure means "down"
        logger.warning("Health check %s failed: %s", name, error)
        return name, "down"
    return name, "ok"


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


# Each check writes a new value under its process's and thread's own key and reads it back: two
# round trips, and no key to delete (the last one expires on its own seconds after the last check).
_CACHE_KEY_PREFIX = f"healthz:{uuid.uuid4().hex}"


def _cache() -> None:
    key = f"{_CACHE_KEY_PREFIX}:{threading.get_ident()}"
    value = uuid.uuid4().hex
    cache.set(key, value, 5)
    if cache.get(key) != value:
        raise RuntimeError("cache did not return what was stored")


def _connect_to_broker() -> None:
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
    with Connection(settings.CELERY_BROKER_URL, transport_options=options, connect_timeout=2) as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


# The last broker answer of this process: {(broker URL, options): (when, error or None)}. A load
# balancer polls every few seconds, and a new broker connection costs more than the rest of the
# check; a broker that goes down is reported within HEALTHZ_BROKER_CACHE_SECONDS.
_broker_answers: dict[tuple[str, str], tuple[float, Exception | None]] = {}
_broker_lock = threading.Lock()


def _broker() -> None:
    key = (settings.CELERY_BROKER_URL, repr(getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})))
    now = time.monotonic()
    with _broker_lock:
        answer = _broker_answers.get(key)
    if answer is None or now - answer[0] >= settings.HEALTHZ_BROKER_CACHE_SECONDS:
        try:
            _connect_to_broker()
        except Exception as error:  # noqa: BLE001 - remembered and raised again below
            answer = (now, error)
        else:
            answer = (now, None)
        with _broker_lock:
            _broker_answers[key] = answer
    if answer[1] is not None:
        raise answer[1]


def _deep_broker() -> None:
    _connect_to_broker()


HEALTH_CHECKS = {"database": _database, "cache": _cache, "broker": _broker}
# `?deep=1` asks again instead of trusting the remembered answer.
DEEP_HEALTH_CHECKS = {"broker": _deep_broker}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = HEALTH_CHECKS
    if request.GET.get("deep") == "1":
        checks = {**HEALTH_CHECKS, **{name: DEEP_HEALTH_CHECKS.get(name, probe) for name, probe in checks.items()}}
    results = dict(_check(name, probe) for name, probe in checks.items())
    healthy = all(state == "ok" for state in results.values())
    return JsonResponse({"status": "ok" if healthy else "down", "checks": results}, status=200 if healthy else 503)


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    if wants_json(request):
        return json_error_response(400, "bad_request", "The request could not be understood.")
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    if wants_json(request):
        return json_error_response(403, "permission_denied", "You do not have permission to do this.")
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    if wants_json(request):
        return json_error_response(404, "not_found", "Nothing was found at this address.")
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_database_outage(sys.exc_info()[1]):
        return unavailable_response(request)  # raised by a middleware, e.g. saving the session
    if wants_json(request):
        return json_error_response(500, "server_error", "Something went wrong on our side. Try again later.")
    try:
        return render(request, "500.html", status=500)
    except Exception:  # noqa: BLE001 - the page itself may need what is broken (e.g. the database)
        logger.exception("Could not render the error page")
        return HttpResponse(
            "<!DOCTYPE html><html lang=en><title>Sorry, there is a problem with the service</title>"
            "<h1>Sorry, there is a problem with the service</h1><p>Try again later.</p>",
            status=500,
        )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    if wants_json(request):
        return json_error_response(403, "csrf_failed", "The form expired. Reload the page and try again.")
    return render(request, "csrf_failure.html", status=403)
