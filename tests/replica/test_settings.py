"""How DATABASE_REPLICA_URL becomes a replica alias, and that without one every read in a
lag-tolerant scope is served by the primary."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

from core.replica import ReplicaRouter, reads_may_lag, replica_usable
from registrar.models import IndexName
from tests.replica.conftest import ROOT

SHOW_REPLICA = """
import json
from django.conf import settings
replica = settings.DATABASES["replica"]
print(json.dumps({"name": replica["NAME"], "port": replica["PORT"], "mirror": replica["TEST"]["MIRROR"],
                  "timeout": replica["OPTIONS"]["connect_timeout"], "routers": settings.DATABASE_ROUTERS}))
"""


def test_the_replica_url_makes_a_replica_alias_mirroring_the_primary_in_tests():
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://app@primary.internal:5432/registrar",
        "DATABASE_REPLICA_URL": "postgres://reader@replica.internal:5433/registrar",
        "REPLICA_CONNECT_TIMEOUT_SECONDS": "3",
    }
    answer = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); exec({SHOW_REPLICA!r})"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
    )
    assert answer.returncode == 0, answer.stderr[-3000:]
    assert json.loads(answer.stdout) == {
        "name": "registrar",
        "port": 5433,
        "mirror": "default",
        "timeout": 3,
        "routers": ["core.replica.ReplicaRouter"],
    }


@pytest.mark.skipif("replica" in settings.DATABASES, reason="this run has a replica configured")
def test_without_a_replica_lag_tolerant_reads_and_writes_go_to_the_primary():
    router = ReplicaRouter()
    assert not replica_usable()
    with reads_may_lag():
        assert router.db_for_read(IndexName) == "default"
        assert router.db_for_write(IndexName) == "default"
    assert router.allow_migrate("default", "registrar") is True
    assert router.allow_migrate("replica", "registrar") is False
