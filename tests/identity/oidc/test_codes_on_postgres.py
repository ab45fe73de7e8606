"""Parallel token requests on PostgreSQL: one authorization code gives tokens once, and one refresh
token is swapped once, however many requests race for it."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.urls import reverse

from .conftest import authorize, exchange

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

THREADS = 8


def _in_parallel(function, count=THREADS):
    barrier = threading.Barrier(count)

    def run(index):
        barrier.wait()
        try:
            return function(index)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def test_parallel_exchanges_of_one_code_give_tokens_once_on_postgres(signed_in, parking):
    grant = authorize(signed_in, parking)
    answers = _in_parallel(lambda _i: exchange(HttpClient(), parking, grant.code, grant.verifier).status_code)
    assert answers.count(200) == 1 and set(answers) <= {200, 400}


def test_parallel_refreshes_of_one_token_swap_it_once_on_postgres(signed_in, parking):
    grant = authorize(signed_in, parking)
    refresh_token = exchange(signed_in, parking, grant.code, grant.verifier).json()["refresh_token"]
    data = {
        "grant_type": "refresh_token",
        "refresh_token": refresh_token,
        "client_id": parking.client_id,
        "client_secret": parking.client_secret,
    }
    answers = _in_parallel(lambda _i: HttpClient().post(reverse("oauth2_provider:token"), data).status_code)
    # Racing with one refresh token looks like a stolen copy: at most one swap, never a 500.
    assert answers.count(200) <= 1 and set(answers) <= {200, 400}
