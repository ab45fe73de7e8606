"""Reads that may lag go to a real streaming replica, and everything else to the primary; a
replica that lags or is stopped sends those reads to the primary, never to an error. The web
side is a real gunicorn on the test primary with a standby of its own as the replica."""

from __future__ import annotations

import datetime
import json
import os
import re
import subprocess
import sys

import psycopg
import pytest
import requests

from registrar.models import IndexName
from tests.factories import RegisterOfficeFactory, historic_birth
from tests.faults.servers import wait_until
from tests.replica.conftest import ROOT, current_lsn, primary_url, replayed_up_to

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

SEARCH = {"event": "birth", "surname": "Pendragon", "year": 1950, "years_either_side": 1}
LAG_TOLERANT_PAGES = ["/register/statistics/", "/performance/", "/notices/", "/book/search/", "/verify/"]
PRIMARY_ONLY_LOG = "Reads that may lag go to the primary"


def _index_total(web) -> int:
    response = requests.post(f"{web.base}/api/v1/certificates/index", json=SEARCH, timeout=15)
    assert response.status_code == 200, response.text
    return response.json()["total"]


def _rows_on(url: str) -> int:
    with psycopg.connect(url, autocommit=True) as database:
        return database.execute(
            f"SELECT count(*) FROM {IndexName._meta.db_table} WHERE surname = 'Pendragon'"  # noqa: S608 - a table name
        ).fetchone()[0]


def _search_page(web) -> str:
    """The index search as a person does it: the form, posted, then its results at a token URL."""
    session = requests.Session()
    form = session.get(f"{web.base}/certificates/search/", timeout=15)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    posted = session.post(
        f"{web.base}/certificates/search/",
        data={**SEARCH, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{web.base}/certificates/search/"},
        timeout=15,
        allow_redirects=False,
    )
    assert posted.status_code == 303, posted.text[-2000:]
    results = session.get(web.base + posted.headers["Location"], timeout=15)
    assert results.status_code == 200
    return results.text


def _one_entry_on_the_replica_two_on_the_primary(standby) -> None:
    """Pendragon 1950 on both; then replay paused and Pendragon 1951 on the primary only."""
    leeds = RegisterOfficeFactory(code="E-LEEDS-R", name="Leeds Register Office")
    historic_birth(leeds, surname="Pendragon", forenames="Arthur", born=datetime.date(1950, 3, 1))
    assert standby.caught_up()
    standby.pause()
    historic_birth(leeds, surname="Pendragon", forenames="Morgan", born=datetime.date(1951, 4, 1))
    assert _rows_on(primary_url()) == 2
    assert _rows_on(standby.url(primary_url().rsplit("/", 1)[1])) == 1


def test_a_row_written_on_the_primary_appears_on_the_shared_replica(shared_replica_url):
    historic_birth(RegisterOfficeFactory(), surname="Pendragon", forenames="Uther", born=datetime.date(1950, 1, 1))
    lsn = current_lsn(primary_url())
    assert _rows_on(primary_url()) == 1
    assert wait_until(lambda: replayed_up_to(shared_replica_url, lsn), 30)
    assert _rows_on(shared_replica_url) == 1
    with psycopg.connect(shared_replica_url, autocommit=True) as replica:
        assert replica.execute("SELECT pg_is_in_recovery()").fetchone()[0] is True


def test_lag_tolerant_reads_come_from_the_replica_and_the_persons_own_session_from_the_primary(standby, web):
    server = web(REPLICA_MAX_LAG_SECONDS="600", REPLICA_CHECK_SECONDS="0")
    _one_entry_on_the_replica_two_on_the_primary(standby)

    # The index search answers from the replica: one entry, where the primary has two.
    assert _index_total(server) == 1
    page = _search_page(server)
    assert "1 entry found" in page and "Morgan" not in page
    # The search was kept in the person's session, written after replay paused, so only the
    # primary has it: the results page found it, so the session was read from the primary.
    assert "search has expired" not in page.lower()

    standby.resume()
    assert standby.caught_up()
    assert _index_total(server) == 2


def test_a_lagging_replica_sends_lag_tolerant_reads_to_the_primary(standby, web):
    server = web(REPLICA_MAX_LAG_SECONDS="1", REPLICA_CHECK_SECONDS="0")
    _one_entry_on_the_replica_two_on_the_primary(standby)

    def lag() -> float:
        return float(standby.execute("SELECT EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())")[0])

    assert wait_until(lambda: lag() > 1.5, 30)
    assert _index_total(server) == 2
    assert "2 entries found" in _search_page(server)
    assert "behind" in server.text_of_log()


def test_a_stopped_replica_sends_the_same_pages_to_the_primary_with_one_log_line(standby, web):
    server = web()
    historic_birth(RegisterOfficeFactory(), surname="Pendragon", forenames="Arthur", born=datetime.date(1950, 3, 1))
    assert standby.caught_up()
    assert _index_total(server) == 1  # the replica is in use before it stops
    assert PRIMARY_ONLY_LOG not in server.text_of_log()

    standby.stop()
    for _ in range(3):
        assert _index_total(server) == 1
        for page in LAG_TOLERANT_PAGES:
            response = requests.get(server.base + page, timeout=15)
            assert response.status_code == 200, (page, response.status_code)
        assert "1 entry found" in _search_page(server)
        unknown = requests.get(f"{server.base}/api/v1/certificates/verify/AAAA-BBBB-CCCC-DDDD", timeout=15)
        assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "unknown"
    # Once, not at every query: the replica is left alone for a while.
    assert server.text_of_log().count(PRIMARY_ONLY_LOG) == 1, server.text_of_log()[-4000:]
    assert "replica unreachable" in server.text_of_log()


RULES = """
import json
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import transaction
from core.replica import ReplicaRouter, reads_may_lag
from registrar.models import IndexName

router = ReplicaRouter()
seen = {"outside a scope": router.db_for_read(IndexName)}
with reads_may_lag():
    seen["in a scope"] = router.db_for_read(IndexName)
    seen["the person's account"] = router.db_for_read(get_user_model())
    seen["the person's session"] = router.db_for_read(Session)
    with transaction.atomic():
        seen["in a transaction"] = router.db_for_read(IndexName)
    seen["a write"] = router.db_for_write(IndexName)
    seen["after a write"] = router.db_for_read(IndexName)
with reads_may_lag():
    seen["a new scope"] = IndexName.objects.all().db
print(json.dumps(seen))
"""


def test_only_reads_in_a_scope_that_has_not_written_outside_a_transaction_go_to_the_replica(standby):
    env = {
        **os.environ,
        "DATABASE_URL": primary_url(),
        "DATABASE_REPLICA_URL": standby.url(primary_url().rsplit("/", 1)[1]),
    }
    answer = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", RULES], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert answer.returncode == 0, answer.stderr[-3000:]
    assert json.loads(answer.stdout.strip().splitlines()[-1]) == {
        "outside a scope": "default",
        "in a scope": "replica",
        "the person's account": "default",
        "the person's session": "default",
        "in a transaction": "default",
        "a write": "default",
        "after a write": "default",
        "a new scope": "replica",
    }
