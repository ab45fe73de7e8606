"""A database that is unreachable or drops connections answers 503 with Retry-After: the API's
JSON error shape under /api/, a GOV.UK page otherwise, whether the failure comes from a view,
its template or a middleware. A database error that is not an outage is still a 500."""

from __future__ import annotations

from contextlib import contextmanager
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError, ProgrammingError
from django.db.backends.utils import CursorWrapper
from django.http import HttpResponse
from django.urls import path

from core.unavailable import is_database_outage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class _Cause(Exception):
    def __init__(self, message, sqlstate=None):
        super().__init__(message)
        self.sqlstate = sqlstate


def _error(sqlstate=None, cls=OperationalError):
    error = cls("server closed the connection unexpectedly")
    error.__cause__ = _Cause("lost", sqlstate)
    return error


@contextmanager
def database_down(error=None):
    """Every query fails the way a lost PostgreSQL connection fails."""
    with mock.patch.object(CursorWrapper, "_execute", side_effect=error or _error()):
        yield


@pytest.fixture
def client(client):
    client.raise_request_exception = False
    return client


def test_an_api_request_when_the_database_is_down_is_a_503_in_the_json_error_shape(client):
    with database_down():
        response = client.get("/api/v1/auth/me", headers={"authorization": "Bearer not-looked-up-yet"})
    assert response.status_code == 503
    assert response["Retry-After"] == str(settings.DATABASE_UNAVAILABLE_RETRY_AFTER_SECONDS)
    body = response.json()
    assert body["error"]["code"] == "service_unavailable", body


def test_a_page_when_the_database_is_down_is_a_503_govuk_page(client):
    client.force_login(UserFactory())  # the page reads the session and the person from the database
    with database_down():
        response = client.get("/account/")
    assert response.status_code == 503
    assert response["Retry-After"] == str(settings.DATABASE_UNAVAILABLE_RETRY_AFTER_SECONDS)
    html = response.content.decode()
    assert "govuk-heading-l" in html and "Sorry, the service is unavailable" in html


def test_a_public_page_when_the_database_is_down_is_a_503_page_not_a_500(client):
    with database_down():
        response = client.get("/verify/K7QH-3MZP-W2XA-9RTC")
    assert response.status_code == 503 and "Sorry, the service is unavailable" in response.content.decode()


def _remembers_something(request):
    request.session["seen"] = True  # saved by SessionMiddleware on the way out
    return HttpResponse("ok")


urlpatterns = [path("remember/", _remembers_something)]
handler500 = "config.views.server_error"


@pytest.mark.urls(__name__)
def test_a_database_lost_while_a_middleware_saves_the_session_is_a_503_not_a_500(client):
    with mock.patch("django.contrib.sessions.backends.db.SessionStore.save", side_effect=_error(sqlstate="57P01")):
        response = client.get("/remember/")
    assert response.status_code == 503
    assert response["Retry-After"] == str(settings.DATABASE_UNAVAILABLE_RETRY_AFTER_SECONDS)


def test_the_service_answers_as_usual_once_the_database_is_back(client):
    client.force_login(UserFactory())
    with database_down():
        assert client.get("/account/").status_code == 503
    assert client.get("/account/").status_code == 200


@pytest.mark.parametrize(
    ("error", "outage"),
    [
        (_error(None), True),  # connection refused or lost: psycopg gives no SQLSTATE
        (_error("08006"), True),  # connection failure
        (_error("57P01"), True),  # the server is shutting down
        (_error("57P03"), True),  # the server is starting up
        (_error("53300"), True),  # too many connections
        (_error("40P01"), True),  # deadlock: a retry settles it
        (_error("42P01", cls=ProgrammingError), False),  # a missing table is a bug
        (_error("22P02"), False),  # bad data is a bug, not an outage
        (ValueError("x"), False),
    ],
)
def test_which_database_errors_are_outages(error, outage):
    assert is_database_outage(error) is outage


def test_an_outage_is_logged_once_as_a_warning_not_as_an_error(client, caplog):
    with caplog.at_level("INFO"), database_down():
        response = client.get("/api/v1/auth/me", headers={"authorization": "Bearer not-looked-up-yet"})
    assert response.status_code == 503
    levels = [(record.name, record.levelname) for record in caplog.records]
    assert ("core.unavailable", "WARNING") in levels
    assert [level for name, level in levels if name == "django.request"] == []
