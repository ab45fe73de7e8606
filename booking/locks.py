"""Every write that makes a room or an officer busy first locks all of them, in one global order,
so two such writes queue on their first shared resource instead of each taking one row and
waiting for the other's (a deadlock, which PostgreSQL ends by failing one of them). A lost race
that still ends in a deadlock or a serialization failure is a refusal like any other: the
service answers that the time has just been taken (409), never a server error.

SQLite serialises writers already (IMMEDIATE transactions); there is nothing to lock there."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from django.db import OperationalError, connection

from .refusals import SlotUnavailable

T = TypeVar("T")

# Advisory lock classes (the first key of pg_advisory_xact_lock(int, int)). Rooms sort before
# officers; within a class, by id. identity.audit uses one-key locks, which never collide.
ROOM = 0x626B0001
OFFICER = 0x626B0002

# SQLSTATEs of a lost race: deadlock_detected, serialization_failure, lock_not_available.
LOST_RACE_CODES = frozenset({"40P01", "40001", "55P03"})
# A lost race is tried again this often before it is refused: with the locks in order it is
# rare, and a second try sees the winner's rows and gives the usual answer.
LOST_RACE_ATTEMPTS = 3


def lock_resources(*, room_ids: Iterable[int] = (), officer_ids: Iterable[int] = ()) -> None:
    """Lock these rooms and officers until the transaction ends, in the global order. Call it
    inside `transaction.atomic()`, before reading whether they are free."""
    if connection.vendor != "postgresql":
        return
    keys = sorted({(ROOM, pk) for pk in room_ids if pk} | {(OFFICER, pk) for pk in officer_ids if pk})
    if not keys:
        return
    # One round trip for every lock: a function scan of unnest yields its rows in array order,
    # and the aggregate takes each lock as its row arrives, so the global order is kept.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_advisory_xact_lock(kind, pk)) FROM unnest(%s::integer[], %s::integer[]) AS keys(kind, pk)",
            [[kind for kind, _pk in keys], [pk for _kind, pk in keys]],
        )


def is_lost_race(error: BaseException) -> bool:
    cause = error.__cause__ or error
    return getattr(cause, "sqlstate", None) in LOST_RACE_CODES or getattr(cause, "pgcode", None) in LOST_RACE_CODES


def refusing_lost_races(write: Callable[[], T], *, code: str = "slot_unavailable") -> T:
    """Run `write` (which opens its own atomic block) again after a lost race, a few times, and
    then refuse it with `code`. Any other database error is not a race and is raised."""
    for _attempt in range(LOST_RACE_ATTEMPTS):
        try:
            return write()
        except OperationalError as error:
            if not is_lost_race(error):
                raise
            if connection.in_atomic_block and connection.needs_rollback:
                # Inside a caller's transaction that is now spoilt: only refusing is left.
                break
    raise SlotUnavailable(code)


def lock_in_order(queryset) -> list[int]:
    """The ids of these rows, locked in id order so that two writers changing the same rows
    wait in turn rather than for each other."""
    if connection.vendor == "postgresql":
        queryset = queryset.select_for_update(of=("self",)).order_by("pk")
    return list(queryset.values_list("pk", flat=True))
