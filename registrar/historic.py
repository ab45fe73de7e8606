"""A generated historic central register, for the demo and the index-search benchmark: births,
deaths and marriages over many decades in every register office's district, with realistic
English and Welsh names (`data/historic_names.json`). The same seed and size give the same
register. Entries are written a year at a time by `register.write_historic_year`; a year already
loaded is skipped, so loading is resumable and a second run loads nothing."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from itertools import accumulate
from pathlib import Path

from django.db import connection

from identity.models import RegisterOffice

from .models import Event, RegisterEntry
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
    return pool[max(era for era in pool if era <= max(year, 1900))]


class Generator:
    """Deterministic per year: the same seed and year give the same entries."""

    def __init__(self, seed: str, year: int) -> None:
        self.rng = random.Random(f"{seed}:{year}")
        self.english = (surname_universe(), _zipf_cumulative(SURNAME_UNIVERSE))
        # Welsh surnames are far more concentrated: Jones, Davies, Williams, Evans and Thomas are a
        # quarter of the people of Wales.
        self.welsh = _weighted(names()["welsh_surnames"], flatness=3)

    def surname(self, wales: bool) -> str:
        surnames, cumulative = self.welsh if wales and self.rng.random() < 0.7 else self.english
        return self.rng.choices(surnames, cum_weights=cumulative)[0]

    def forenames(self, year: int, *, girl: bool, wales: bool) -> str:
        if wales and self.rng.random() < 0.3:
            pool = names()["welsh_girls"] if girl else names()["welsh_boys"]
        else:
            pool = _era(names()["girls_by_era"] if girl else names()["boys_by_era"], year)
        first = self.rng.choice(pool)
        if self.rng.random() < 0.55:
            second = self.rng.choice(pool)
            if second != first:
                return f"{first} {second}"
        return first

    def place(self, office: RegisterOffice) -> str:
        if self.rng.random() < 0.6:
            return f"{office.town} {self.rng.choice(names()['hospitals'])}, {office.town}"
        return f"{self.rng.randint(1, 180)} {self.rng.choice(names()['streets'])}, {office.town}"

    def entry(self, event: str, office: RegisterOffice, registered_at: datetime) -> HistoricEntry:
        rng, wales, registered_on = self.rng, office.in_wales, registered_at.date()
        if event == Event.BIRTH:
            born = registered_on - timedelta(days=rng.randint(1, 42))
            girl = rng.random() < 0.49
            father_surname = self.surname(wales)
            married = rng.random() < 0.9
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
                "informant": "Mother" if not married or rng.random() < 0.5 else "Father",
            }
            lines = [IndexLine(surname, forenames, maiden)]
            return HistoricEntry(registered_at, office, event, born, surname, forenames, particulars, lines)
        if event == Event.DEATH:
            died = registered_on - timedelta(days=rng.randint(0, 5))
            age = max(0, min(104, int(rng.gauss(74, 14))))
            born = died - timedelta(days=age * 365 + rng.randint(0, 364))
            girl = rng.random() < 0.5
            surname, forenames = self.surname(wales), self.forenames(born.year, girl=girl, wales=wales)
            particulars = {
                "deceased_forenames": forenames,
                "deceased_surname": surname,
                "sex": "Female" if girl else "Male",
                "date_of_death": died.isoformat(),
                "place_of_death": self.place(office),
                "age": str(age),
                "date_of_birth": born.isoformat(),
                "occupation": rng.choice(names()["occupations"]),
                "cause_of_death": rng.choice(names()["causes_of_death"]),
                "informant": rng.choice(["Son", "Daughter", "Widow", "Widower", "Niece"]),
            }
            lines = [IndexLine(surname, forenames, "", age)]
            return HistoricEntry(registered_at, office, event, died, surname, forenames, particulars, lines)
        married_on = registered_on
        one_age, two_age = rng.randint(18, 45), rng.randint(18, 45)
        one = (self.forenames(married_on.year - one_age, girl=False, wales=wales), self.surname(wales))
        two = (self.forenames(married_on.year - two_age, girl=True, wales=wales), self.surname(wales))
        particulars = {
            "party1_forenames": one[0],
            "party1_surname": one[1],
            "party1_age": str(one_age),
            "party1_occupation": rng.choice(names()["occupations"]),
            "party2_forenames": two[0],
            "party2_surname": two[1],
            "party2_age": str(two_age),
            "party2_occupation": rng.choice(names()["occupations"]),
            "date_of_marriage": married_on.isoformat(),
            "place_of_marriage": f"{office.name}" if rng.random() < 0.5 else f"St Mary's Church, {office.town}",
        }
        lines = [IndexLine(one[1], one[0], two[1]), IndexLine(two[1], two[0], one[1])]
        return HistoricEntry(registered_at, office, event, married_on, one[1], one[0], particulars, lines)


def generate_year(*, year: int, count: int, offices: list[RegisterOffice], seed: str) -> list[HistoricEntry]:
    """`count` entries registered in `year`, spread over the offices (some busier than others)."""
    generator = Generator(seed, year)
    rng = generator.rng
    office_weights = [0.3 + rng.random() for _ in offices]
    start = date(year, 1, 1)
    days = (date(year, 12, 31) - start).days
    events, shares = zip(*MIX, strict=True)
    entries = []
    for office, event in zip(
        rng.choices(offices, office_weights, k=count), rng.choices(events, shares, k=count), strict=True
    ):
        registered_on = start + timedelta(days=rng.randint(0, days))
        registered_at = datetime(year, registered_on.month, registered_on.day, 9, tzinfo=UK) + timedelta(
            minutes=rng.randint(0, 480)
        )
        entries.append(generator.entry(event, office, registered_at))
    return entries


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


def load_historic_register(
    *, size: int, first_year: int, last_year: int, seed: str, progress: Callable[[int, int, float], None] | None = None
) -> Loaded:
    """Load a historic register of `size` entries registered from `first_year` to `last_year`
    (every register office must be loaded first). `progress(year, count, seconds)` is told of
    each year loaded."""
    offices = list(RegisterOffice.objects.order_by("code"))
    if not offices:
        raise ValueError("No register offices: run `manage.py load_demo_data` first.")
    if size < 1 or first_year > last_year or first_year < EARLIEST_YEAR:
        raise ValueError(f"Give a size of at least 1 and years from {EARLIEST_YEAR} on, first before last.")
    years = list(range(first_year, last_year + 1))
    if connection.vendor == "sqlite":
        # A bigger page cache for this connection only: the index b-trees outgrow the 2 MB
        # default within the first few hundred thousand lines.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")
    started = time.monotonic()
    # Each year is written in one transaction, so a year with any historic entry is complete.
    loaded_years = set(RegisterEntry.objects.filter(historic=True).values_list("year", flat=True).distinct())
    loaded = skipped = 0
    for year, count in zip(years, entries_per_year(size=size, years=years), strict=True):
        if count == 0:
            continue
        if year in loaded_years:
            skipped += 1
            continue
        loaded += write_historic_year(
            year=year, entries=generate_year(year=year, count=count, offices=offices, seed=seed)
        )
        if progress is not None:
            progress(year, count, time.monotonic() - started)
    return Loaded(
        entries=loaded,
        years_skipped=skipped,
        historic_total=RegisterEntry.objects.filter(historic=True).count(),
        seconds=time.monotonic() - started,
    )
