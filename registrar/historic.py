"""A generated historic central register, for the demo and the index-search benchmark: births,
deaths and marriages over many decades in every register office's district, with realistic
English and Welsh names (`data/historic_names.json`). The same seed and size give the same
register. Entries are written a year at a time by `register.write_historic_year`; a year already
loaded is skipped, so loading is resumable and a second run loads nothing."""

from __future__ import annotations

import json
import multiprocessing
import random
import time
from bisect import bisect
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from itertools import accumulate
from pathlib import Path

from django.db import connection, connections, transaction
from psycopg import sql

from identity.models import RegisterOffice

from .models import Event, IndexName, RegisterEntry
from .names import surname_key
from .register import UK, HistoricEntry, IndexLine, write_historic_year

NAMES_FILE = Path(__file__).resolve().parent / "data" / "historic_names.json"
MIX = [(Event.BIRTH, 0.45), (Event.DEATH, 0.35), (Event.MARRIAGE, 0.20)]
EARLIEST_YEAR = 1837  # civil registration in England and Wales began on 1 July 1837


@cache
def names() -> dict:
    """The name and place lists, read once; the forenames by era keyed by the era's first year."""
    data = json.loads(NAMES_FILE.read_text(encoding="utf-8"))
    for pool in ("boys_by_era", "girls_by_era"):
        data[pool] = {int(era): forenames for era, forenames in data[pool].items()}
    return data


# Surnames in England and Wales follow a Zipf-like law: a few hundred names cover half the
# people, and hundreds of thousands more are each borne by a handful of families. The head is
# the real common surnames in the name list, in order; past them come composed names (the
# list's own prefixes and suffixes, then syllables), ranked in a fixed seeded order.
SURNAME_UNIVERSE = 600_000
ZIPF_EXPONENT = 1.0
ZIPF_OFFSET = 10  # flattens the very top a little, as Smith is ~1.3% of people, not 10%
_ONSETS = "B Bl Br C Ch Cl Cr D Dr F Fl Fr G Gl Gr H J K L M N P Pl Pr R S Sh Sk Sl Sm Sp St Sw T Th Tr W Wh Wr Y"
_ONSETS = _ONSETS.split()
_VOWELS = "a e i o u ai ea ee ie oa oo ou ay ey".split()  # noqa: SIM905
_CODAS = [
    "",
    "b",
    "ck",
    "d",
    "dd",
    "g",
    "l",
    "ll",
    "m",
    "n",
    "nd",
    "ng",
    "nn",
    "p",
    "r",
    "rd",
    "rn",
    "rr",
    "s",
    "t",
    "tt",
    "x",
]
_ENDINGS = (  # noqa: SIM905
    "s son er ley ton field ford worth well by wood ham man ing ings kins ett wick shaw more ridge hurst stone "
    "combe land lock cott den dale gate hill thorpe wright ard ington"
).split()


@cache
def surname_universe() -> tuple[str, ...]:
    """Every surname the generator can draw, commonest first, distinct by index key. The same
    on every run: the composed tail comes from a fixed seed."""
    ranked: list[str] = []
    seen: set[str] = set()

    def add(name: str) -> None:
        key = surname_key(name)
        if key not in seen:
            seen.add(key)
            ranked.append(name)

    for name in names()["english_surnames"]:
        add(name)

    rng = random.Random("registrar-surnames")
    composed = [f"{prefix}{suffix}" for prefix in names()["tail_prefixes"] for suffix in names()["tail_suffixes"]]
    rng.shuffle(composed)
    for name in composed:
        add(name)
    stems = [f"{onset}{vowel}{coda}" for onset in _ONSETS for vowel in _VOWELS for coda in _CODAS]
    one_syllable = [stem + ending for stem in stems for ending in _ENDINGS]
    rng.shuffle(one_syllable)
    for name in one_syllable:
        if len(ranked) >= SURNAME_UNIVERSE:
            break
        add(name)
    while len(ranked) < SURNAME_UNIVERSE:
        add(rng.choice(stems) + rng.choice(_VOWELS) + rng.choice(_CODAS) + rng.choice(_ENDINGS))
    return tuple(ranked)


@cache
def _zipf_cumulative(count: int) -> tuple[float, ...]:
    return tuple(accumulate(1 / (rank + ZIPF_OFFSET) ** ZIPF_EXPONENT for rank in range(count)))


def _weighted(surnames: list[str], *, flatness: int) -> tuple[list[str], list[float]]:
    """A short list of names and their cumulative weights (for random.choices), falling gently."""
    unique = list(dict.fromkeys(surnames))
    return unique, list(accumulate(1 / (rank + flatness) for rank in range(len(unique))))


def _era(pool: dict[int, list[str]], year: int) -> list[str]:
    return pool[_era_start(tuple(pool), year)]


@cache
def _era_start(eras: tuple[int, ...], year: int) -> int:
    return max(era for era in eras if era <= max(year, 1900))


class Generator:
    """Deterministic per year: the same seed and year give the same entries. Every draw is one
    `random()` scaled (`int(random() * n)` rather than `choice` or `randint`, whose checks cost
    more than the draw), and the lists for the year are looked up once."""

    def __init__(self, seed: str, year: int) -> None:
        self.rng = random.Random(f"{seed}:{year}")
        self.random = self.rng.random
        self.english = (surname_universe(), _zipf_cumulative(SURNAME_UNIVERSE))
        # Welsh surnames are far more concentrated: Jones, Davies, Williams, Evans and Thomas are a
        # quarter of the people of Wales.
        self.welsh = _weighted(names()["welsh_surnames"], flatness=3)
        data = names()
        self.hospitals, self.streets = data["hospitals"], data["streets"]
        self.occupations, self.causes = data["occupations"], data["causes_of_death"]
        self.welsh_forenames = {True: data["welsh_girls"], False: data["welsh_boys"]}
        self.eras = {True: data["girls_by_era"], False: data["boys_by_era"]}
        self.by_year: dict[tuple[bool, int], list[str]] = {}

    def pick(self, choices: list[str] | tuple[str, ...]) -> str:
        return choices[int(self.random() * len(choices))]

    def surname(self, wales: bool) -> str:
        random = self.random
        surnames, cumulative = self.welsh if wales and random() < 0.7 else self.english
        return surnames[bisect(cumulative, random() * cumulative[-1], 0, len(surnames) - 1)]

    def forenames(self, year: int, *, girl: bool, wales: bool) -> str:
        random = self.random
        if wales and random() < 0.3:
            pool = self.welsh_forenames[girl]
        else:
            pool = self.by_year.get((girl, year))
            if pool is None:
                pool = self.by_year[(girl, year)] = _era(self.eras[girl], year)
        first = pool[int(random() * len(pool))]
        if random() < 0.55:
            second = pool[int(random() * len(pool))]
            if second != first:
                return f"{first} {second}"
        return first

    def place(self, office: RegisterOffice) -> str:
        random = self.random
        if random() < 0.6:
            return f"{office.town} {self.pick(self.hospitals)}, {office.town}"
        return f"{1 + int(random() * 180)} {self.pick(self.streets)}, {office.town}"

    def entry(self, event: str, office: RegisterOffice, registered_at: datetime) -> HistoricEntry:
        random, wales, registered_on = self.random, office.in_wales, registered_at.date()
        if event == Event.BIRTH:
            born = registered_on - timedelta(days=1 + int(random() * 42))
            girl = random() < 0.49
            father_surname = self.surname(wales)
            married = random() < 0.9
            maiden = self.surname(wales)
            surname = father_surname if married else maiden
            forenames = self.forenames(born.year, girl=girl, wales=wales)
            particulars = {
                "child_forenames": forenames,
                "child_surname": surname,
                "sex": "Female" if girl else "Male",
                "date_of_birth": born.isoformat(),
                "place_of_birth": self.place(office),
                "mother_forenames": self.forenames(born.year - 27, girl=True, wales=wales),
                "mother_surname": surname,
                "mother_maiden_surname": maiden,
                "father_forenames": self.forenames(born.year - 29, girl=False, wales=wales) if married else "",
                "father_surname": father_surname if married else "",
                "informant": "Mother" if not married or random() < 0.5 else "Father",
            }
            lines = [IndexLine(surname, forenames, maiden)]
            return HistoricEntry(registered_at, office, event, born, surname, forenames, particulars, lines)
        if event == Event.DEATH:
            died = registered_on - timedelta(days=int(random() * 6))
            age = max(0, min(104, int(self.rng.gauss(74, 14))))
            born = died - timedelta(days=age * 365 + int(random() * 365))
            girl = random() < 0.5
            surname, forenames = self.surname(wales), self.forenames(born.year, girl=girl, wales=wales)
            particulars = {
                "deceased_forenames": forenames,
                "deceased_surname": surname,
                "sex": "Female" if girl else "Male",
                "date_of_death": died.isoformat(),
                "place_of_death": self.place(office),
                "age": str(age),
                "date_of_birth": born.isoformat(),
                "occupation": self.pick(self.occupations),
                "cause_of_death": self.pick(self.causes),
                "informant": self.pick(INFORMANTS_OF_DEATH),
            }
            lines = [IndexLine(surname, forenames, "", age)]
            return HistoricEntry(registered_at, office, event, died, surname, forenames, particulars, lines)
        married_on = registered_on
        one_age, two_age = 18 + int(random() * 28), 18 + int(random() * 28)
        one = (self.forenames(married_on.year - one_age, girl=False, wales=wales), self.surname(wales))
        two = (self.forenames(married_on.year - two_age, girl=True, wales=wales), self.surname(wales))
        particulars = {
            "party1_forenames": one[0],
            "party1_surname": one[1],
            "party1_age": str(one_age),
            "party1_occupation": self.pick(self.occupations),
            "party2_forenames": two[0],
            "party2_surname": two[1],
            "party2_age": str(two_age),
            "party2_occupation": self.pick(self.occupations),
            "date_of_marriage": married_on.isoformat(),
            "place_of_marriage": f"{office.name}" if random() < 0.5 else f"St Mary's Church, {office.town}",
        }
        lines = [IndexLine(one[1], one[0], two[1]), IndexLine(two[1], two[0], one[1])]
        return HistoricEntry(registered_at, office, event, married_on, one[1], one[0], particulars, lines)


INFORMANTS_OF_DEATH = ("Son", "Daughter", "Widow", "Widower", "Niece")


def generate_year(*, year: int, count: int, offices: list[RegisterOffice], seed: str) -> list[HistoricEntry]:
    """`count` entries registered in `year`, spread over the offices (some busier than others)."""
    generator = Generator(seed, year)
    rng, random = generator.rng, generator.random
    office_weights = [0.3 + random() for _ in offices]
    days = (date(year, 12, 31) - date(year, 1, 1)).days + 1
    # 09:00 on each day of the year, UK time (built once: 365 datetimes, not one per entry).
    days_of_year = (date(year, 1, 1) + timedelta(days=day) for day in range(days))
    mornings = [datetime(day.year, day.month, day.day, 9, tzinfo=UK) for day in days_of_year]
    minutes = [timedelta(minutes=minute) for minute in range(481)]
    events, shares = zip(*MIX, strict=True)
    entry = generator.entry
    return [
        entry(event, office, mornings[int(random() * days)] + minutes[int(random() * 481)])
        for office, event in zip(
            rng.choices(offices, office_weights, k=count), rng.choices(events, shares, k=count), strict=True
        )
    ]


def entries_per_year(*, size: int, years: list[int]) -> list[int]:
    """`size` entries shared over the years, slightly more in later years as the population grew."""
    weights = [1 + index / len(years) for index in range(len(years))]
    counts = [int(size * weight / sum(weights)) for weight in weights]
    counts[-1] += size - sum(counts)
    return counts


@dataclass(frozen=True)
class Loaded:
    entries: int
    years_skipped: int
    historic_total: int
    seconds: float
    bulk: bool = False


def load_historic_register(
    *,
    size: int,
    first_year: int,
    last_year: int,
    seed: str,
    workers: int = 1,
    progress: Callable[[int, int, float], None] | None = None,
) -> Loaded:
    """Load a historic register of `size` entries registered from `first_year` to `last_year`
    (every register office must be loaded first). `progress(year, count, seconds)` is told of
    each year loaded. On PostgreSQL, outside a transaction, `workers` processes generate and write
    years side by side (each year is the same whichever process writes it), and a load at least
    as large as the index already is a bulk load (`bulk_load`)."""
    offices = list(RegisterOffice.objects.order_by("code"))
    if not offices:
        raise ValueError("No register offices: run `manage.py load_demo_data` first.")
    if size < 1 or first_year > last_year or first_year < EARLIEST_YEAR:
        raise ValueError(f"Give a size of at least 1 and years from {EARLIEST_YEAR} on, first before last.")
    if workers < 1:
        raise ValueError("Give at least one worker.")
    years = list(range(first_year, last_year + 1))
    if connection.vendor == "sqlite":
        # A bigger page cache for this connection only: the index b-trees outgrow the 2 MB
        # default within the first few hundred thousand lines.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")
    started = time.monotonic()
    # Each year is written in one transaction, so a year with any historic entry is complete.
    loaded_years = set(RegisterEntry.objects.filter(historic=True).values_list("year", flat=True).distinct())
    planned = [
        (year, count) for year, count in zip(years, entries_per_year(size=size, years=years), strict=True) if count
    ]
    pending = [(year, count) for year, count in planned if year not in loaded_years]
    skipped = len(planned) - len(pending)
    to_load = sum(count for _year, count in pending)
    bulk = connection.vendor == "postgresql" and (
        bulk_load_unfinished() or (to_load > 0 and to_load >= IndexName.objects.count())
    )
    loaded = 0
    if bulk:
        set_aside_for_bulk_load()
    try:
        for year, count in _write_years(pending, offices=offices, seed=seed, workers=workers):
            loaded += count
            if progress is not None:
                progress(year, count, time.monotonic() - started)
    finally:
        if bulk:
            finish_bulk_load()
    return Loaded(
        entries=loaded,
        years_skipped=skipped,
        historic_total=RegisterEntry.objects.filter(historic=True).count(),
        seconds=time.monotonic() - started,
        bulk=bulk,
    )


def _write_year(year: int, count: int, offices: list[RegisterOffice], seed: str) -> tuple[int, int]:
    return year, write_historic_year(
        year=year, entries=generate_year(year=year, count=count, offices=offices, seed=seed)
    )


_worker_offices: list[RegisterOffice] = []
_worker_seed = ""


def _start_worker(offices: list[RegisterOffice], seed: str) -> None:
    global _worker_offices, _worker_seed  # noqa: PLW0603 - one worker process's own settings
    _worker_offices, _worker_seed = offices, seed


def _write_year_in_worker(year_and_count: tuple[int, int]) -> tuple[int, int]:
    year, count = year_and_count
    return _write_year(year, count, _worker_offices, _worker_seed)


def _write_years(
    pending: list[tuple[int, int]], *, offices: list[RegisterOffice], seed: str, workers: int
) -> Iterator[tuple[int, int]]:
    """(year, entries written) as each pending year is written: in this process, or, on
    PostgreSQL outside a transaction, in `workers` forked processes with a connection each (a
    transaction not yet committed here would be invisible to them)."""
    if workers == 1 or len(pending) < 2 or connection.vendor != "postgresql" or connection.in_atomic_block:
        for year, count in pending:
            yield _write_year(year, count, offices, seed)
        return
    # Built once here and shared with the workers by fork: the surname universe takes seconds.
    surname_universe()
    _zipf_cumulative(SURNAME_UNIVERSE)
    # A forked process must not share this process's connection; each opens its own.
    connections.close_all()
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_start_worker, initargs=(offices, seed)) as pool:
        # The biggest years first, so that no worker is left with a big year at the end.
        by_size = sorted(pending, key=lambda year_and_count: -year_and_count[1])
        yield from pool.imap_unordered(_write_year_in_worker, by_size)
        # Let each worker end on its own, closing its connection, rather than be killed.
        pool.close()
        pool.join()


# --- Bulk load -----------------------------------------------------------------------------------------
#
# COPY into tables with eight b-trees, foreign keys checked row by row at commit and a trigger
# keeping the surname dictionary costs several times what building each once costs. A load at
# least as large as the index already is (the first load into empty tables above all) sets them
# aside, writing each down first in registrar_set_aside_for_load (migration 0018), and builds them
# again at the end: indexes with CREATE INDEX, foreign keys re-added (checked in one pass), the
# dictionary rebuilt from the index lines. Primary keys, unique and check constraints and the
# write-once triggers stay throughout. A load that stops half-way leaves its notes, and the next
# run carries on in bulk and rebuilds what is missing. Smaller loads keep every index.

BULK_TABLES = ["registrar_registerentry", "registrar_indexname"]
# The surname dictionary's own secondary indexes (its trigram GIN and the phonetic b-tree) are set
# aside too and built after it is filled: inserting 564,133 surnames one by one into the GIN took
# 47 of the 55 s of filling it at 10,000,000 entries. Its primary key stays (ON CONFLICT needs it).
DICTIONARY_TABLE = "registrar_indexsurname"
DICTIONARY_TRIGGER = "registrar_indexname_surnames"
# For CREATE INDEX on millions of lines: the sort stays in memory (for this session only).
BULK_MAINTENANCE_WORK_MEM = "1GB"
SET_ASIDE = """
INSERT INTO registrar_set_aside_for_load (name, kind, table_name, definition)
SELECT index_class.relname, 'index', table_class.relname, pg_get_indexdef(index_class.oid)
FROM pg_index
JOIN pg_class index_class ON index_class.oid = pg_index.indexrelid
JOIN pg_class table_class ON table_class.oid = pg_index.indrelid
WHERE table_class.relname = ANY(%(indexed)s) AND pg_table_is_visible(table_class.oid)
  AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE pg_constraint.conindid = index_class.oid)
UNION ALL
SELECT conname, 'foreign key', table_class.relname, pg_get_constraintdef(pg_constraint.oid)
FROM pg_constraint JOIN pg_class table_class ON table_class.oid = pg_constraint.conrelid
WHERE pg_constraint.contype = 'f' AND table_class.relname = ANY(%(tables)s) AND pg_table_is_visible(table_class.oid)
UNION ALL
SELECT tgname, 'trigger', table_class.relname, ''
FROM pg_trigger JOIN pg_class table_class ON table_class.oid = pg_trigger.tgrelid
WHERE tgname = %(trigger)s AND pg_table_is_visible(table_class.oid) AND tgenabled <> 'D'
ON CONFLICT (name) DO NOTHING
RETURNING name, kind, table_name
"""
REBUILD_DICTIONARY = (
    "INSERT INTO registrar_indexsurname (surname_key, surname_phonetic) "
    "SELECT DISTINCT ON (surname_key) surname_key, surname_phonetic FROM registrar_indexname "
    "ORDER BY surname_key ON CONFLICT (surname_key) DO NOTHING"
)


def bulk_load_unfinished() -> bool:
    """Whether an earlier bulk load stopped before building again what it set aside."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM registrar_set_aside_for_load)")
        return cursor.fetchone()[0]


def set_aside_for_bulk_load() -> None:
    """Write down, then drop, the secondary indexes and foreign keys of the register and the
    index lines and the secondary indexes of the surname dictionary, and disable the dictionary's
    trigger, in one transaction."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            SET_ASIDE,
            {"indexed": [*BULK_TABLES, DICTIONARY_TABLE], "tables": BULK_TABLES, "trigger": DICTIONARY_TRIGGER},
        )
        for name, kind, table in cursor.fetchall():
            if kind == "index":
                statement = sql.SQL("DROP INDEX {}").format(sql.Identifier(name))
            elif kind == "foreign key":
                statement = sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(
                    sql.Identifier(table), sql.Identifier(name)
                )
            else:
                statement = sql.SQL("ALTER TABLE {} DISABLE TRIGGER {}").format(
                    sql.Identifier(table), sql.Identifier(name)
                )
            cursor.execute(statement)


def finish_bulk_load() -> None:
    """Build again everything set aside, each in its own transaction with its note (so a stop
    half-way leaves only what is still to do): the indexes, then the foreign keys (checked over
    every row), then the surname dictionary from the index lines with its trigger back on, then
    the dictionary's own indexes; then ANALYZE, so the planner knows the new size."""
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = %s", [BULK_MAINTENANCE_WORK_MEM])
        cursor.execute(
            "SELECT name, kind, table_name, definition FROM registrar_set_aside_for_load "
            "ORDER BY table_name = %s, kind = 'trigger', kind = 'foreign key', name",
            [DICTIONARY_TABLE],
        )
        set_aside = cursor.fetchall()
    for name, kind, table, definition in set_aside:
        with transaction.atomic(), connection.cursor() as cursor:
            if kind == "index":
                # The definition is PostgreSQL's own text of the index (pg_get_indexdef).
                cursor.execute(definition)
            elif kind == "foreign key":
                cursor.execute(
                    sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} ").format(sql.Identifier(table), sql.Identifier(name))
                    + sql.SQL(definition)
                )
            else:
                # Back on first: the lock it takes holds off other writers while the dictionary
                # catches up, so no line's surname is missed in between.
                cursor.execute(
                    sql.SQL("ALTER TABLE {} ENABLE TRIGGER {}").format(sql.Identifier(table), sql.Identifier(name))
                )
                cursor.execute(REBUILD_DICTIONARY)
            cursor.execute("DELETE FROM registrar_set_aside_for_load WHERE name = %s", [name])
    with connection.cursor() as cursor:
        cursor.execute("RESET maintenance_work_mem")
        for table in [*BULK_TABLES, DICTIONARY_TABLE]:
            cursor.execute(sql.SQL("ANALYZE {}").format(sql.Identifier(table)))
