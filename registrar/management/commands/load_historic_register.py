"""`manage.py load_historic_register --size N`: a historic central register of N entries —
births, deaths and marriages over many decades in every register office's district, with
realistic English and Welsh names — for the demo and the index-search benchmark.

Fast at national scale: entries and their index lines are bulk-inserted a year at a time, each
year in one transaction, numbered consecutively per district, event and year from the register's
counter (which is brought up to date, so later registrations carry on the numbering). The same
seed gives the same register. Resumable and idempotent: a year already loaded is skipped."""

from __future__ import annotations

import json
import random
import time
from collections import defaultdict
from datetime import date, datetime, timedelta
from functools import lru_cache
from itertools import accumulate
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from identity.models import RegisterOffice
from registrar.models import EntryCounter, Event, IndexName, RegisterEntry
from registrar.names import phonetic_code, surname_key

UK = ZoneInfo("Europe/London")
BATCH = 5000

# Surnames of England and Wales, most common first (weights fall with rank), with the variant
# spellings that make sounds-like and fuzzy search matter (Smith/Smyth, Thompson/Thomson...).
ENGLISH_SURNAMES = [
    "Smith",
    "Jones",
    "Williams",
    "Taylor",
    "Brown",
    "Davies",
    "Evans",
    "Wilson",
    "Thomas",
    "Johnson",
    "Roberts",
    "Robinson",
    "Thompson",
    "Wright",
    "Walker",
    "White",
    "Edwards",
    "Hughes",
    "Green",
    "Hall",
    "Lewis",
    "Harris",
    "Clarke",
    "Patel",
    "Jackson",
    "Wood",
    "Turner",
    "Martin",
    "Cooper",
    "Hill",
    "Ward",
    "Morris",
    "Moore",
    "Clark",
    "Lee",
    "King",
    "Baker",
    "Harrison",
    "Morgan",
    "Allen",
    "James",
    "Scott",
    "Phillips",
    "Watson",
    "Davis",
    "Parker",
    "Price",
    "Bennett",
    "Young",
    "Griffiths",
    "Mitchell",
    "Kelly",
    "Cook",
    "Carter",
    "Richardson",
    "Bailey",
    "Collins",
    "Bell",
    "Shaw",
    "Murphy",
    "Miller",
    "Cox",
    "Richards",
    "Khan",
    "Marshall",
    "Anderson",
    "Simpson",
    "Ellis",
    "Adams",
    "Singh",
    "Begum",
    "Wilkinson",
    "Foster",
    "Chapman",
    "Powell",
    "Webb",
    "Rogers",
    "Gray",
    "Mason",
    "Ali",
    "Hunt",
    "Hussain",
    "Campbell",
    "Matthews",
    "Owen",
    "Palmer",
    "Holmes",
    "Mills",
    "Barnes",
    "Knight",
    "Lloyd",
    "Butler",
    "Russell",
    "Barker",
    "Fisher",
    "Stevens",
    "Jenkins",
    "Murray",
    "Dixon",
    "Harvey",
    "Graham",
    "Pearson",
    "Ahmed",
    "Fletcher",
    "Walsh",
    "Kaur",
    "Gibson",
    "Howard",
    "Andrews",
    "Stewart",
    "Elliott",
    "Reynolds",
    "Saunders",
    "Payne",
    "Fox",
    "Ford",
    "Pearce",
    "Day",
    "Brooks",
    "West",
    "Lawrence",
    "Cole",
    "Atkinson",
    "Bradley",
    "Spencer",
    "Gill",
    "Dawson",
    "Ball",
    "Burton",
    "O'Brien",
    "Watts",
    "Rose",
    "Booth",
    "Perry",
    "Ryan",
    "Grant",
    "Wells",
    "Armstrong",
    "Francis",
    "Rees",
    "Hayes",
    "Hart",
    "Hudson",
    "Newman",
    "Barrett",
    "Webster",
    "Hunter",
    "Gregory",
    "Carr",
    "Lowe",
    "Page",
    "Marsh",
    "Riley",
    "Dunn",
    "Woods",
    "Parsons",
    "Berry",
    "Stone",
    "Reid",
    "Holland",
    "Hawkins",
    "Harding",
    "Porter",
    "Robertson",
    "Newton",
    "Oliver",
    "Reed",
    "Kennedy",
    "Williamson",
    "Bird",
    "Gardner",
    "Shah",
    "Dean",
    "Lane",
    "Cooke",
    "Bates",
    "Henderson",
    "Parry",
    "Burgess",
    "Bishop",
    "Walton",
    "Burns",
    "Nicholson",
    "Shepherd",
    "Ross",
    "Cross",
    "Long",
    "Freeman",
    "Warren",
    "Nicholls",
    "Hamilton",
    "Byrne",
    "Sutton",
    "McDonald",
    "Yates",
    "Hodgson",
    "Robson",
    "Curtis",
    "Hopkins",
    "O'Connor",
    "Harper",
    "Coleman",
    "Watkins",
    "Moss",
    "McCarthy",
    "Chambers",
    "O'Neill",
    "Griffin",
    "Sharp",
    "Hardy",
    "Wheeler",
    "Potter",
    "Osborne",
    "Johnston",
    "Gordon",
    "Doyle",
    "Wallace",
    "George",
    "Jordan",
    "Hutchinson",
    "Rowe",
    "Burke",
    "May",
    "Pritchard",
    "Gilbert",
    "Willis",
    "Higgins",
    "Read",
    "Miles",
    "Stevenson",
    "Stephenson",
    "Hammond",
    "Arnold",
    "Buckley",
    "Walters",
    "Hewitt",
    "Barber",
    "Nelson",
    "Slater",
    "Austin",
    "Sullivan",
    "Whitehead",
    "Mann",
    "Frost",
    "Lambert",
    "Stephens",
    "Blake",
    "Akhtar",
    "Lynch",
    "Goodwin",
    "Barton",
    "Woodward",
    "Thomson",
    "Cunningham",
    "Quinn",
    "Barnett",
    "Baxter",
    "Bibi",
    "Clayton",
    "Nash",
    "Greenwood",
    "Jennings",
    "Holt",
    "Kemp",
    "Poole",
    "Gallagher",
    "Bond",
    "Stokes",
    "Tucker",
    "Davidson",
    "Fowler",
    "Heath",
    "Norman",
    "Middleton",
    "Lawson",
    "Banks",
    "French",
    "Stanley",
    "Jarvis",
    "Gibbs",
    "Ferguson",
    "Hayward",
    "Carroll",
    "Douglas",
    "Dickinson",
    "Todd",
    "Barlow",
    "Peters",
    "Lucas",
    "Knowles",
    "Hartley",
    "Miah",
    "Simmons",
    "Morton",
    "Alexander",
    "Field",
    "Morrison",
    "Norris",
    "Townsend",
    "Preston",
    "Hancock",
    "Thornton",
    "Baldwin",
    "Burrows",
    "Briggs",
    "Storey",
    "Pugh",
    "Smyth",
    "Smythe",
    "Philips",
    "Mathews",
    "Stephen",
    "Grey",
    "Clerke",
    "Reade",
    "Reid",
    "Hewett",
    "Thompsen",
    "Jonson",
    "Johnstone",
    "Macdonald",
    "Mcdonald",
    "Anderton",
    "Ashworth",
    "Entwistle",
    "Pickering",
    "Ramsbottom",
    "Sidebottom",
    "Thwaite",
    "Ackroyd",
    "Crowther",
    "Haigh",
    "Sutcliffe",
    "Whiteley",
]
WELSH_SURNAMES = [
    "Jones",
    "Davies",
    "Williams",
    "Evans",
    "Thomas",
    "Roberts",
    "Lewis",
    "Hughes",
    "Morgan",
    "Griffiths",
    "Edwards",
    "Owen",
    "Rees",
    "Jenkins",
    "Price",
    "Lloyd",
    "Phillips",
    "James",
    "Powell",
    "Parry",
    "Pritchard",
    "Pugh",
    "Bowen",
    "Vaughan",
    "Howells",
    "Prosser",
    "Probert",
    "Bevan",
    "Jenkin",
    "Llewellyn",
    "Meredith",
    "Morris",
    "Watkins",
    "Harries",
    "Gwynne",
    "Rowlands",
    "Humphreys",
    "Ellis",
    "Hopkins",
    "Gruffydd",
    "Prichard",
    "Pryce",
    "Howell",
    "Davis",
    "Beddoe",
    "Cadwaladr",
    "Ifans",
    "Wynne",
    "Protheroe",
    "Bevans",
]

# Forenames by era, so a 1920s register reads like one and a 2010s register like another.
BOYS = {
    1900: "John William George Thomas James Arthur Frederick Albert Charles Robert Joseph Alfred Henry Ernest Harold "
    "Walter Edward Frank Leonard Sidney",
    1940: "John David Michael Peter Robert Anthony Brian Alan William James Richard Kenneth Roy Colin Keith Barry "
    "Derek Terence Raymond Graham",
    1970: "David Paul Mark Andrew Michael Stephen Richard Christopher Robert Peter Ian Darren Gary Lee Simon Jason "
    "Neil Craig Martin Wayne",
    1990: "Daniel Thomas James Joshua Matthew Ryan Luke Jack Adam Samuel Benjamin Liam Callum Jordan Lewis "
    "Nathan Oliver Jake Connor Harry",
    2010: "Oliver Harry Jack George Noah Charlie Jacob Alfie Freddie Oscar Leo Archie Muhammad Arthur Theo Henry "
    "Thomas Joshua William Teddy",
}
GIRLS = {
    1900: "Mary Margaret Elizabeth Doris Dorothy Florence Edith Alice Elsie Annie Ethel Gladys Lilian Irene Hilda "
    "Winifred Ivy Violet Kathleen Nellie",
    1940: "Margaret Patricia Christine Mary Jean Ann Susan Janet Maureen Barbara Linda Carol Sandra Pauline "
    "Elizabeth Valerie Brenda Sheila Jennifer Eileen",
    1970: "Sarah Claire Emma Nicola Lisa Joanne Michelle Helen Samantha Karen Amanda Rachel Louise Julie Clare "
    "Rebecca Kelly Donna Tracey Victoria",
    1990: "Rebecca Lauren Jessica Charlotte Hannah Sophie Amy Emily Laura Emma Chloe Sarah Lucy Katie Bethany "
    "Megan Natalie Danielle Holly Georgia",
    2010: "Olivia Amelia Isla Ava Mia Isabella Sophia Grace Lily Freya Emily Ivy Ella Rosie Evie Florence "
    "Poppy Charlotte Willow Sienna",
}
WELSH_BOYS = [
    "Dafydd",
    "Rhys",
    "Gareth",
    "Emrys",
    "Iwan",
    "Huw",
    "Owain",
    "Gethin",
    "Dylan",
    "Aled",
    "Ieuan",
    "Rhodri",
    "Cai",
    "Osian",
    "Tomos",
    "Gruffydd",
]
WELSH_GIRLS = [
    "Siân",
    "Ffion",
    "Carys",
    "Bethan",
    "Eluned",
    "Nia",
    "Catrin",
    "Gwen",
    "Rhiannon",
    "Angharad",
    "Cerys",
    "Lowri",
    "Mali",
    "Eleri",
    "Seren",
]
HOSPITALS = ["General Hospital", "Maternity Home", "Royal Infirmary", "Nursing Home", "Cottage Hospital"]
STREETS = ["High Street", "Church Road", "Station Road", "Victoria Road", "Park Road", "Mill Lane", "King Street"]
CAUSES = [
    "Coronary artery disease",
    "Pneumonia",
    "Carcinoma of the lung",
    "Cerebrovascular accident",
    "Heart failure",
    "Old age",
    "Chronic obstructive pulmonary disease",
    "Dementia",
]
OCCUPATIONS = ["Clerk", "Teacher", "Miner", "Nurse", "Labourer", "Engineer", "Shop assistant", "Farmer", "Driver"]
MIX = [(Event.BIRTH, 0.45), (Event.DEATH, 0.35), (Event.MARRIAGE, 0.20)]
# A few hundred distinct surnames: normalise each once.
cached_key = lru_cache(maxsize=4096)(surname_key)
cached_phonetic = lru_cache(maxsize=4096)(phonetic_code)
INSERT_ENTRY = (
    "INSERT INTO registrar_registerentry (id, district_id, event, year, number, event_date, surname, forenames, "
    "particulars, registered_at, registered_automatically, late_authority, historic) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)
INSERT_LINE = (
    "INSERT INTO registrar_indexname (id, entry_id, event, district_id, year, quarter, surname, forenames, "
    "surname_key, surname_phonetic, other_surname, age) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)


# The long tail: English place-name surnames (Ashworth, Blackburn, Holden...). Real registers
# have hundreds of thousands of surnames, the most common (Smith) about 1.3% of people.
TAIL_PREFIXES = [
    "Ash",
    "Black",
    "Brad",
    "Brom",
    "Brook",
    "Cal",
    "Crow",
    "Dun",
    "Fair",
    "Green",
    "Hal",
    "Hart",
    "Hay",
    "Hol",
    "Lang",
    "Mar",
    "Nor",
    "Ox",
    "Red",
    "Shel",
    "South",
    "Stan",
    "Thorn",
    "Wal",
    "West",
    "Whit",
    "Win",
    "Wood",
    "Ald",
    "Bar",
    "Cran",
    "Hather",
    "Kings",
    "Lock",
    "Mid",
    "Rams",
    "Sel",
    "Wig",
    "Went",
    "Bur",
]
TAIL_SUFFIXES = [
    "ford",
    "ley",
    "ton",
    "field",
    "worth",
    "well",
    "by",
    "wood",
    "ham",
    "stone",
    "burn",
    "dale",
    "more",
    "bridge",
    "hurst",
    "combe",
    "den",
    "croft",
]


def _weighted(names: list[str], *, tail: bool, flatness: int) -> tuple[list[str], list[float]]:
    """The names and their cumulative weights (for random.choices): common names first,
    falling gently, then (for England) a long tail of rarer names."""
    unique = list(dict.fromkeys(names))
    weights = [1 / (rank + flatness) for rank in range(len(unique))]
    if tail:
        rare = [f"{prefix}{suffix}" for prefix in TAIL_PREFIXES for suffix in TAIL_SUFFIXES]
        rare = [name for name in dict.fromkeys(rare) if name not in unique]
        unique += rare
        weights += [1 / 500] * len(rare)
    return unique, list(accumulate(weights))


def _era(pool: dict[int, str], year: int) -> list[str]:
    return pool[max(era for era in pool if era <= max(year, 1900))].split()


class Generator:
    """Deterministic per year: the same seed and year give the same entries."""

    def __init__(self, seed: str, year: int) -> None:
        self.rng = random.Random(f"{seed}:{year}")
        self.english = _weighted(ENGLISH_SURNAMES, tail=True, flatness=20)
        # Welsh surnames are far more concentrated: Jones, Davies, Williams, Evans and Thomas are a
        # quarter of the people of Wales.
        self.welsh = _weighted(WELSH_SURNAMES, tail=False, flatness=3)

    def surname(self, wales: bool) -> str:
        names, cumulative = self.welsh if wales and self.rng.random() < 0.7 else self.english
        return self.rng.choices(names, cum_weights=cumulative)[0]

    def forenames(self, year: int, *, girl: bool, wales: bool) -> str:
        if wales and self.rng.random() < 0.3:
            pool = WELSH_GIRLS if girl else WELSH_BOYS
        else:
            pool = _era(GIRLS if girl else BOYS, year)
        first = self.rng.choice(pool)
        if self.rng.random() < 0.55:
            second = self.rng.choice(pool)
            if second != first:
                return f"{first} {second}"
        return first

    def place(self, office: RegisterOffice) -> str:
        if self.rng.random() < 0.6:
            return f"{office.town} {self.rng.choice(HOSPITALS)}, {office.town}"
        return f"{self.rng.randint(1, 180)} {self.rng.choice(STREETS)}, {office.town}"

    def entry(self, event: str, office: RegisterOffice, registered_on: date) -> tuple[date, str, str, dict, list]:
        rng, wales = self.rng, office.in_wales
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
            return born, surname, forenames, particulars, [(surname, forenames, maiden, None)]
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
                "occupation": rng.choice(OCCUPATIONS),
                "cause_of_death": rng.choice(CAUSES),
                "informant": rng.choice(["Son", "Daughter", "Widow", "Widower", "Niece"]),
            }
            return died, surname, forenames, particulars, [(surname, forenames, "", age)]
        married_on = registered_on
        one_age, two_age = rng.randint(18, 45), rng.randint(18, 45)
        one = (self.forenames(married_on.year - one_age, girl=False, wales=wales), self.surname(wales))
        two = (self.forenames(married_on.year - two_age, girl=True, wales=wales), self.surname(wales))
        particulars = {
            "party1_forenames": one[0],
            "party1_surname": one[1],
            "party1_age": str(one_age),
            "party1_occupation": rng.choice(OCCUPATIONS),
            "party2_forenames": two[0],
            "party2_surname": two[1],
            "party2_age": str(two_age),
            "party2_occupation": rng.choice(OCCUPATIONS),
            "date_of_marriage": married_on.isoformat(),
            "place_of_marriage": f"{office.name}" if rng.random() < 0.5 else f"St Mary's Church, {office.town}",
        }
        lines = [(one[1], one[0], two[1], None), (two[1], two[0], one[1], None)]
        return married_on, one[1], one[0], particulars, lines


class Command(BaseCommand):
    help = "Load a generated historic register of --size entries (idempotent and resumable, a year at a time)."

    def add_arguments(self, parser):
        parser.add_argument("--size", type=int, default=1_000_000, help="Entries in all (default 1,000,000).")
        parser.add_argument("--first-year", type=int, default=1920)
        parser.add_argument("--last-year", type=int, default=None, help="Default: last year.")
        parser.add_argument("--seed", default="registrar-historic")

    def handle(self, *args, **options):
        offices = list(RegisterOffice.objects.order_by("code"))
        if not offices:
            raise CommandError("No register offices: run `manage.py load_demo_data` first.")
        first = options["first_year"]
        last = options["last_year"] or timezone.localdate().year - 1
        size = options["size"]
        if size < 1 or first > last or first < 1837:
            raise CommandError("Give a size of at least 1 and years from 1837 on, first before last.")
        years = list(range(first, last + 1))
        # Slightly more entries in later years, as the population grew.
        weights = [1 + index / len(years) for index in range(len(years))]
        counts = [int(size * weight / sum(weights)) for weight in weights]
        counts[-1] += size - sum(counts)
        if connection.vendor == "sqlite":
            # A bigger page cache for this connection only: the index b-trees outgrow the 2 MB
            # default within the first few hundred thousand lines.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -262144")
        started = time.monotonic()
        # Each year is loaded in one transaction, so a year with any historic entry is complete.
        loaded_years = set(RegisterEntry.objects.filter(historic=True).values_list("year", flat=True).distinct())
        loaded = skipped = 0
        for year, count in zip(years, counts, strict=True):
            if count == 0:
                continue
            if year in loaded_years:
                skipped += 1
                continue
            loaded += self.load_year(year, count, offices, options["seed"])
            if options["verbosity"] > 1:
                self.stdout.write(f"  {year}: {count} entries ({time.monotonic() - started:.0f}s)")
        total = RegisterEntry.objects.filter(historic=True).count()
        self.stdout.write(
            f"Historic register: {loaded} entries loaded in {time.monotonic() - started:.1f}s "
            f"({skipped} years already there); {total} historic entries in all."
        )

    def load_year(self, year: int, count: int, offices: list[RegisterOffice], seed: str) -> int:
        generator = Generator(seed, year)
        rng = generator.rng
        office_weights = [0.3 + rng.random() for _ in offices]
        start = date(year, 1, 1)
        days = (date(year, 12, 31) - start).days
        rows: dict[tuple[int, str], list] = defaultdict(list)
        events, shares = zip(*MIX, strict=True)
        for office, event in zip(
            rng.choices(offices, office_weights, k=count), rng.choices(events, shares, k=count), strict=True
        ):
            registered_on = start + timedelta(days=rng.randint(0, days))
            registered_at = datetime(year, registered_on.month, registered_on.day, 9, tzinfo=UK) + timedelta(
                minutes=rng.randint(0, 480)
            )
            rows[(office.pk, event)].append(
                (registered_at, office, event, *generator.entry(event, office, registered_on))
            )
        with transaction.atomic():
            counters = {
                (counter.district_id, counter.event): counter
                for counter in EntryCounter.objects.select_for_update().filter(year=year)
            }
            rows_in_order = []
            for (office_id, event), register_rows in rows.items():
                register_rows.sort(key=lambda row: row[0])
                counter = counters.get((office_id, event))
                if counter is None:
                    counter = counters[(office_id, event)] = EntryCounter(
                        district_id=office_id, event=event, year=year, last_number=0
                    )
                for row in register_rows:
                    counter.last_number += 1
                    rows_in_order.append((counter.last_number, row))
            entry_ids = reserve_ids(RegisterEntry, len(rows_in_order))
            line_count = sum(len(row[-1]) for _number, row in rows_in_order)
            line_ids = iter(reserve_ids(IndexName, line_count))
            ops = connection.ops
            entries, lines = [], []
            for entry_id, (number, row) in zip(entry_ids, rows_in_order, strict=True):
                registered_at, office, event, event_date, surname, forenames, particulars, index = row
                entries.append(
                    (
                        entry_id,
                        office.pk,
                        event,
                        year,
                        number,
                        ops.adapt_datefield_value(event_date),
                        surname,
                        forenames,
                        json.dumps(particulars),
                        ops.adapt_datetimefield_value(registered_at),
                        False,
                        False,
                        True,
                    )
                )
                quarter = (registered_at.month - 1) // 3 + 1
                for line_surname, line_forenames, other, age in index:
                    lines.append(
                        (
                            next(line_ids),
                            entry_id,
                            event,
                            office.pk,
                            year,
                            quarter,
                            line_surname,
                            line_forenames,
                            cached_key(line_surname),
                            cached_phonetic(line_surname),
                            other,
                            age,
                        )
                    )
            with connection.cursor() as cursor:
                for batch in range(0, len(entries), BATCH):
                    cursor.executemany(INSERT_ENTRY, entries[batch : batch + BATCH])
                for batch in range(0, len(lines), BATCH):
                    cursor.executemany(INSERT_LINE, lines[batch : batch + BATCH])
            for counter in counters.values():
                if counter.pk is not None:
                    counter.save(update_fields=["last_number"])
            EntryCounter.objects.bulk_create([counter for counter in counters.values() if counter.pk is None])
        return len(entries)


def reserve_ids(model, count: int) -> list[int]:
    """Primary keys for rows inserted directly. PostgreSQL: taken from the table's own sequence,
    so parallel registrations never collide. SQLite: the transaction holds the write lock."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        first = cursor.fetchone()[0] + 1
    return list(range(first, first + count))
