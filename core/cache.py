"""Django's Redis cache with one Redis client per connection pool, kept for the life of the
process. Django's own backend builds a new `redis.Redis` for every cache call, and building one
fills a table of some 170 reply parsers each time: more work than the call itself on a warm
connection, on every throttle check and every health check. A `redis.Redis` is safe to share
between threads (each command borrows a connection from the pool), and the pools are already kept.
"""

from __future__ import annotations

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            # The pools live as long as this object, so a pool's id names it for that long.
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    """CACHES' BACKEND for a `redis://` CACHE_URL (config/settings.py)."""

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
