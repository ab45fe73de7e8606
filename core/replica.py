"""Reads that may lag a moment go to a PostgreSQL streaming replica, when one is configured
(`DATABASE_REPLICA_URL`): only inside an explicit `reads_may_lag` scope, never for a write,
never inside a transaction on the primary and never after the request wrote. A replica that is
unreachable or lagging is left alone for a while and its reads go to the primary instead."""

from __future__ import annotations

import functools
import logging
import threading
import time
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, InterfaceError, OperationalError, connections

from .unavailable import is_database_outage

logger = logging.getLogger(__name__)

REPLICA = "replica"

# On a standby: how far replay is behind what it has received from the primary. Caught up is
# no lag, however long ago the last transaction was (an idle primary sends nothing to replay);
# otherwise the age of the last transaction replayed. NULL (nothing received, nothing replayed
# since it started) is a standby that cannot say, and is treated as lagging.
LAG_SQL = (
    "SELECT pg_is_in_recovery(), CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
    "ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END"
)
HTTP_METHODS = ("get", "head", "post", "put", "patch", "delete", "options")


@dataclass
class _Scope:
    primary_only: bool = False
    wrote: bool = False
    used_replica: bool = False


_scope: ContextVar[_Scope | None] = ContextVar("reads_may_lag", default=None)


@dataclass
class _Health:
    usable: bool = False
    reason: str = "not checked yet"
    checked: bool = False
    until: float = 0.0


_health = _Health()
_probing = threading.Lock()


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def replica_lag_seconds() -> float | None:
    """The replica's lag as the router measures it (0 when caught up, None when it cannot say).
    Raises DatabaseError when the replica cannot be reached."""
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(LAG_SQL)
        in_recovery, lag = cursor.fetchone()
    if not in_recovery:
        return 0.0  # promoted: it is a primary now, and nothing is behind
    return None if lag is None else float(lag)


def _probe() -> tuple[bool, str]:
    try:
        lag = replica_lag_seconds()
    except DatabaseError as error:
        with suppress(DatabaseError):  # already broken: Django opens a new connection next time
            connections[REPLICA].close()
        return False, f"replica unreachable ({error.__class__.__name__})"
    if lag is None:
        return False, "replica cannot say how far behind it is (not receiving from the primary)"
    if lag > settings.REPLICA_MAX_LAG_SECONDS:
        return False, f"replica {lag:.1f} s behind (more than {settings.REPLICA_MAX_LAG_SECONDS:g} s)"
    return True, "replica caught up"


def _record(usable: bool, reason: str) -> None:
    # A change is logged once; a replica that stays away is not logged again at every check.
    if not _health.checked or usable != _health.usable:
        if usable:
            logger.info("Reads that may lag go to the replica: %s", reason)
        else:
            logger.warning(
                "Reads that may lag go to the primary for %g s: %s", settings.REPLICA_BREAKER_SECONDS, reason
            )
    wait = settings.REPLICA_CHECK_SECONDS if usable else settings.REPLICA_BREAKER_SECONDS
    _health.usable, _health.reason, _health.checked = usable, reason, True
    _health.until = time.monotonic() + wait


def replica_usable() -> bool:
    """Whether the replica takes reads now. Checked at most every REPLICA_CHECK_SECONDS while
    it is well, and left alone for REPLICA_BREAKER_SECONDS once it was not, so a replica that is
    away costs one connection attempt per process per period, not one per query."""
    if not replica_configured():
        return False
    if time.monotonic() < _health.until:
        return _health.usable
    # One thread checks; the others go on with what was known (the primary if nothing was).
    if not _probing.acquire(blocking=False):
        return _health.usable
    try:
        if time.monotonic() >= _health.until:
            _record(*_probe())
        return _health.usable
    finally:
        _probing.release()


def forget_replica_health() -> None:
    """The next read checks the replica again (after its configuration or state changed)."""
    _health.until = 0.0
    _health.checked = False


def _replica_failed() -> bool:
    """After a database error in a scope that read the replica: check it again now. True when
    the replica is the one that failed (its reads now go to the primary)."""
    with _probing:
        _record(*_probe())
    return not _health.usable


class ReplicaRouter:
    """Every write and almost every read go to the primary; reads in a `reads_may_lag` scope
    go to the replica while it is usable."""

    def db_for_read(self, model, **hints) -> str:
        scope = _scope.get()
        if scope is None or scope.primary_only or scope.wrote:
            return DEFAULT_DB_ALIAS
        # The person's own state (their session, account, tokens) is read on every request and
        # was perhaps written by the one before: it must never be a moment old.
        meta = model._meta
        primary_only = settings.REPLICA_PRIMARY_ONLY_MODELS
        if meta.app_label in primary_only or meta.label_lower in primary_only:
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS  # a transaction sees its own writes and its own snapshot
        if not replica_usable():
            return DEFAULT_DB_ALIAS
        scope.used_replica = True
        return REPLICA

    def db_for_write(self, model, **hints) -> str:
        scope = _scope.get()
        if scope is not None:
            scope.wrote = True  # what this request reads next must include what it wrote
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS


@contextmanager
def _lag_scope():
    token = _scope.set(_Scope())
    try:
        yield
    finally:
        _scope.reset(token)


def _lag_tolerant(function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        scope = _Scope()
        token = _scope.set(scope)
        try:
            try:
                return function(*args, **kwargs)
            except (OperationalError, InterfaceError) as error:
                # The replica went away between two checks: the same reads again, from the
                # primary, rather than an error. Safe because nothing was written.
                if not (scope.used_replica and not scope.wrote and is_database_outage(error)):
                    raise
                if not _replica_failed():
                    raise  # the replica is well: the primary is the one that failed
                scope.primary_only = True
                return function(*args, **kwargs)
        finally:
            _scope.reset(token)

    return wrapper


def reads_may_lag(view=None):
    """Marks reads that may be a moment old: `@reads_may_lag` on a view function or a view
    class (its HTTP method handlers, so that authentication stays on the primary), or
    `with reads_may_lag():` around a block."""
    if view is None:
        return _lag_scope()
    if isinstance(view, type):
        for name in HTTP_METHODS:
            handler = view.__dict__.get(name)
            if handler is not None:
                setattr(view, name, _lag_tolerant(handler))
        return view
    return _lag_tolerant(view)
