"""The occupancy version, and the availability answers kept under it in the shared cache (Redis
in production), so that a search asked again is answered without reading the occupancy.

An answer is kept under the calendar's `CalendarStamp` token and the occupancy version, so it is
never used once either moves:

- The calendar (venues, rooms, patterns, closures, bank holidays, rota, absences, officers' roles
  and offices) moves its token by database triggers on every write, from staff pages, the API,
  the admin, management commands and bulk loads alike: those writes need no call here.
- Occupancy (who is booked) is written in two functions only, `services.holds.occupy` (a hold of
  any kind: ceremony, notice, identity appointment, private citizenship ceremony; a move; a change
  of officers) and `services.transitions.end_bookings` (cancel, expire, release, the sweeper of
  expired holds, a move's old rows): each calls `occupancy_changed()`. A booking's move lets go of
  its old rows in `services.moves` and calls it too.
- Confirming a hold and extending it change no occupancy row: the slot stays taken. A hold that
  runs out frees its slot before the sweeper has run (the search does not count it); an answer
  is kept only until the earliest expiry of the holds it read, so it never hides a slot longer.

`occupancy_changed()` moves the version at once, inside the writer's transaction (so the writer
and tests, which never commit, see it), and again once the transaction commits: a search that
read the occupancy between the two, before the commit, kept its answer under a version that no
search asks for after the commit. A transaction that changed occupancy and has not committed
yet neither uses nor keeps answers (`answers_usable`): it sees its own writes, which may still
roll back. The version never goes back: a version lost by the cache (an
eviction, a restart) starts again from the clock, above any version kept before.
"""

from __future__ import annotations

import hashlib
import threading
import time

from django.core.cache import cache
from django.db import connection, transaction

VERSION_KEY = "booking:occupancy-version"
ANSWER_PREFIX = "booking:availability:"
# How long an answer is kept at most; the versions make it stale long before this on a busy day.
ANSWER_SECONDS = 15 * 60


def occupancy_version() -> int:
    """The version of who is booked, as the cache has it now."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version if version is not None else time.time_ns()


def _move_version() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        # Lost by the cache: the clock is above every version handed out before.
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)


# The outermost transaction of this thread's connection that has changed occupancy and not
# committed yet (a connection is per thread). Kept as that transaction's own block, so a
# transaction that rolled back (which runs no commit hook) marks nothing for the next one.
_uncommitted = threading.local()


def _outermost_block():
    blocks = getattr(connection, "atomic_blocks", None)
    return blocks[0] if connection.in_atomic_block and blocks else None


def occupancy_changed() -> None:
    """Every write that changes which rooms or officers are busy calls this in its transaction."""
    _move_version()
    _uncommitted.block = _outermost_block()
    transaction.on_commit(_committed)


def _committed() -> None:
    _uncommitted.block = None
    _move_version()


def answers_usable() -> bool:
    """False inside a transaction that has changed occupancy and not committed yet: it sees its
    own writes, which may still roll back. Any other transaction, or none, may use answers."""
    block = getattr(_uncommitted, "block", None)
    if block is not None and not connection.in_atomic_block:
        _uncommitted.block = block = None  # that transaction is over, committed or not
    return block is None or block is not _outermost_block()


def answer_key(*parts: object) -> str:
    return ANSWER_PREFIX + hashlib.blake2b(repr(parts).encode(), digest_size=20).hexdigest()


def kept_answer(key: str):
    return cache.get(key)


def keep_answer(key: str, answer: object) -> None:
    cache.set(key, answer, timeout=ANSWER_SECONDS)
