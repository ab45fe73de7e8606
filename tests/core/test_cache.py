"""The Redis cache backend keeps one Redis client per connection pool for the life of the process."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

from core.cache import RedisCache
from tests.conftest import require_service

ROOT = Path(__file__).resolve().parents[2]


def test_every_cache_call_uses_the_same_redis_client():
    cache = RedisCache("redis://127.0.0.1:1/0", {})  # building a client connects to nothing
    first = cache._cache.get_client("a")
    assert cache._cache.get_client("b") is first
    assert cache._cache.get_client("c", write=True) is first
    assert first.connection_pool is cache._cache._get_connection_pool(write=True)


def test_reads_use_the_client_of_the_pool_they_picked():
    cache = RedisCache("redis://127.0.0.1:1/0;redis://127.0.0.1:2/0", {})
    writer = cache._cache.get_client(write=True)
    reader = cache._cache.get_client()
    assert writer.connection_pool.connection_kwargs["port"] == 1
    assert reader.connection_pool.connection_kwargs["port"] == 2
    assert cache._cache.get_client() is reader


def test_a_redis_cache_url_selects_this_backend():
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update({"DEBUG": "true", "CACHE_URL": "redis://127.0.0.1:1/0"})
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.stdout.strip().splitlines()[-1] == "core.cache.RedisCache", result.stderr


def test_the_backend_stores_reads_and_deletes_on_a_real_redis():
    cache = RedisCache(require_service("TEST_REDIS_URL"), {})
    key = f"test-cache:{uuid.uuid4().hex}"
    cache.set(key, {"answer": 42}, 5)
    assert cache.get(key) == {"answer": 42}
    assert cache.add(f"{key}:n", 1, 5)
    assert cache.incr(f"{key}:n") == 2
    cache.delete_many([key, f"{key}:n"])
    assert cache.get(key) is None
