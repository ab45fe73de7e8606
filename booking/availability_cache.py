"""The occupancy versions, one per register office, and the availability answers kept in the
shared cache (Redis in production) under the versions of the offices they read, so that a
search asked again is answered without reading the occupancy, and a write in one office leaves
the answers about other offices standing.

An answer is kept under the calendar's `CalendarStamp` token and the search, with the versions
of the offices it read; it is used only while the token and those versions stand:

- The calendar (venues, rooms, patterns, closures, bank holidays, rota, absences, officers' roles
  and offices) moves its token by database triggers on every write, from staff pages, the API,
  the admin, management commands and bulk loads alike: those writes need no call here.
- Occupancy (who is booked) is written in two functions only, `services.holds.occupy` (a hold of
  any kind: ceremony, notice, identity appointment, private citizenship ceremony; a move; a change
  of officers) and `services.transitions.end_bookings` (cancel, expire, release, the sweeper of
  expired holds, a move's old rows): each calls `occupancy_changed(...)` with what it wrote. A
  booking's move lets go of its old rows in `services.moves` and calls it too.
- Confirming a hold and extending it change no occupancy row: the slot stays taken. A hold that
  runs out frees its slot before the sweeper has run (the search does not count it); an answer
  is kept only until the earliest expiry of the holds it read, so it never hides a slot longer.

A search reads the rows of its rooms and of the officers on the rota of their offices, so an
occupancy row concerns the office of its room, or every office whose rota has its officer. A
write moves the versions of those offices, and of their regions: an answer that read most of a
region's offices (a national one reads them all) checks the region's version instead of each
office's, which a write anywhere in the region moves. Every answer also checks the version of
everything, which a write whose offices are not known moves: never a stale slot shown.

`occupancy_changed()` moves the versions at once, inside the writer's transaction (so the writer
and tests, which never commit, see it), and again once the transaction commits: a search that
read the occupancy between the two, before the commit, kept its answer under versions that no
search finds after the commit. On commit the offices are looked up again, so that a rota or an
office changed meanwhile (which moves the calendar's token, but the writer read the old one) is
covered too. A transaction that changed occupancy and has not committed yet neither uses nor
keeps answers (`answers_usable`): it sees its own writes, which may still roll back. A version
never goes back: one lost by the cache (an eviction, a restart) starts again from the clock,
above any version kept before.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterable
from urllib.parse import quote

from django.core.cache import cache
from django.db import connection, transaction

VERSION_PREFIX = "booking:occupancy-version:"
# Moved by a write whose offices are not known: every answer checks it.
EVERYTHING_KEY = VERSION_PREFIX + "everything"
ANSWER_PREFIX = "booking:availability:"
# How long an answer is kept at most; the versions make it stale long before this on a busy day.
ANSWER_SECONDS = 15 * 60


def office_key(office_id: int) -> str:
    return f"{VERSION_PREFIX}office:{office_id}"


def region_key(region: str) -> str:
    return f"{VERSION_PREFIX}region:{quote(region)}"


def occupancy_versions(keys: list[str], found: dict | None = None) -> tuple[int, ...]:
    """The versions under `keys` as the cache has them now (those in `found`, read with an
    answer, are not read again); one lost or never set starts from the clock."""
    found = found if found is not None else cache.get_many(keys)
    missing = [key for key in keys if found.get(key) is None]
    if missing:
        now = time.time_ns()
        for key in missing:
            cache.add(key, now, timeout=None)
        found = {**found, **cache.get_many(missing)}
    return tuple(found.get(key) or time.time_ns() for key in keys)


def _move(keys: Iterable[str]) -> None:
    for key in keys:
        try:
            cache.incr(key)
        except ValueError:
            # Lost by the cache: the clock is above every version handed out before.
            cache.add(key, time.time_ns(), timeout=None)


def written_offices(
    *, booking_ids: Iterable[int] = (), office_ids: Iterable[int] = (), officer_ids: Iterable[int] = ()
) -> set[tuple[int, str]]:
    """(office, region) of every office whose searches read the rows of these bookings, or of
    rooms of these offices, or of these officers: the office of each room, and every office
    whose rota has the officer. One query."""
    from identity.models import RegisterOffice

    from .models import Occupancy, RotaShift

    parts = []
    booking_ids, office_ids, officer_ids = list(booking_ids), list(office_ids), list(officer_ids)
    if booking_ids:
        rows = Occupancy.objects.filter(booking_id__in=booking_ids)
        room_rows = rows.filter(room__isnull=False)
        parts.append(room_rows.values_list("room__venue__office_id", "room__venue__office__region"))
        officer_rows = rows.filter(officer__isnull=False).values("officer_id")
        parts.append(RotaShift.objects.filter(officer_id__in=officer_rows).values_list("office_id", "office__region"))
    if office_ids:
        parts.append(RegisterOffice.objects.filter(pk__in=office_ids).values_list("pk", "region"))
    if officer_ids:
        parts.append(RotaShift.objects.filter(officer_id__in=officer_ids).values_list("office_id", "office__region"))
    if not parts:
        return set()
    parts = [part.order_by() for part in parts]
    return set(parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0].distinct())


def _keys_of(offices: set[tuple[int, str]] | None) -> list[str]:
    if offices is None:
        return [EVERYTHING_KEY]
    return sorted({office_key(pk) for pk, _region in offices} | {region_key(region) for _pk, region in offices})


# The outermost transaction of this thread's connection that has changed occupancy and not
# committed yet (a connection is per thread). Kept as that transaction's own block, so a
# transaction that rolled back (which runs no commit hook) marks nothing for the next one.
_uncommitted = threading.local()


def _outermost_block():
    blocks = getattr(connection, "atomic_blocks", None)
    return blocks[0] if connection.in_atomic_block and blocks else None


def occupancy_changed(
    *, booking_ids: Iterable[int] = (), office_ids: Iterable[int] = (), officer_ids: Iterable[int] = ()
) -> None:
    """Every write that changes which rooms or officers are busy calls this in its transaction,
    with the bookings whose rows it wrote, or the offices of the rooms and the officers; with
    none of them it moves every office's version."""
    booking_ids, office_ids, officer_ids = list(booking_ids), list(office_ids), list(officer_ids)
    known = bool(booking_ids or office_ids or officer_ids)

    def offices() -> set[tuple[int, str]] | None:
        if not known:
            return None
        return written_offices(booking_ids=booking_ids, office_ids=office_ids, officer_ids=officer_ids)

    before = offices()
    _move(_keys_of(before))
    _uncommitted.block = _outermost_block()

    def committed() -> None:
        _uncommitted.block = None
        _move(_keys_of(before if before is None else before | offices()))

    transaction.on_commit(committed)


def answers_usable() -> bool:
    """False inside a transaction that has changed occupancy and not committed yet: it sees its
    own writes, which may still roll back. Any other transaction, or none, may use answers."""
    block = getattr(_uncommitted, "block", None)
    if block is not None and not connection.in_atomic_block:
        _uncommitted.block = block = None  # that transaction is over, committed or not
    return block is None or block is not _outermost_block()


def version_keys(offices: Iterable[int], office_region: dict[int, str], region_offices: dict[str, int]) -> list[str]:
    """The version keys an answer that read `offices` checks: a region's own where the answer
    read more than half of its offices (`region_offices`: how many it has that a search of this
    kind may read), each office's elsewhere, and the version of everything."""
    by_region: dict[str, list[int]] = {}
    for office_id in offices:
        by_region.setdefault(office_region[office_id], []).append(office_id)
    keys = [EVERYTHING_KEY]
    for region, read in sorted(by_region.items()):
        if 2 * len(read) > region_offices.get(region, 0):
            keys.append(region_key(region))
        else:
            keys.extend(office_key(office_id) for office_id in sorted(read))
    return keys


def answer_key(*parts: object) -> str:
    return ANSWER_PREFIX + hashlib.blake2b(repr(parts).encode(), digest_size=20).hexdigest()


def kept_answer(key: str, versions_keys: list[str]) -> tuple[object | None, tuple[int, ...]]:
    """The answer kept under `key` if the versions it was kept with still stand (else None), and
    the versions now, which a new answer is kept with: one cache read for both."""
    found = cache.get_many([key, *versions_keys])
    versions = occupancy_versions(versions_keys, found)
    kept = found.get(key)
    if kept is None or kept[0] != versions:
        return None, versions
    return kept[1], versions


def keep_answer(key: str, versions: tuple[int, ...], answer: object) -> None:
    cache.set(key, (versions, answer), timeout=ANSWER_SECONDS)
