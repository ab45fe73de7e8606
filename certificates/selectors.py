"""Reads: the public index search (exact or sounds-like surnames, with fuzzy matching for
misspellings) and its rules, the 50-year rule for births, a certificate's status and finding it by
serial (verification itself is `kept_documents`'), the person's own orders, and the orders staff may see: those of
entries in their offices' districts, or every office's for phone support and national roles."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import connection, connections
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from identity.models import RegisterOffice, User
from identity.roles import is_national
from registrar.models import PUBLIC_INDEX_EVENTS, EntryReRegistration, Event, IndexName, RegisterEntry
from registrar.names import phonetic_code, surname_key

from .models import Certificate, CertificateOrder
from .refusals import SearchRefused

# pg_trgm's default similarity threshold (`%` operator); the SQLite fallback uses the same.
TRIGRAM_THRESHOLD = 0.3
FIRST_REGISTRATION_YEAR = 1837  # civil registration in England and Wales began on 1 July 1837


@dataclass(frozen=True)
class IndexSearch:
    """What was asked, as the page's form and the API's query both give it; `check_search`
    holds the rules."""

    event: str
    surname: str
    sounds_like: bool = False
    forenames: str = ""
    year: int | None = None
    years_either_side: int = 0
    district: RegisterOffice | None = None
    mother_maiden_surname: str = ""
    page: int = 1

    @property
    def year_from(self) -> int | None:
        return self.year - self.years_either_side if self.year is not None else None

    @property
    def year_to(self) -> int | None:
        return self.year + self.years_either_side if self.year is not None else None


@dataclass
class IndexPage:
    lines: list[IndexName]
    total: int  # capped at CERTIFICATE_SEARCH_MAX_RESULTS + 1
    page: int
    page_size: int
    too_many: bool = False
    keys: list[str] = field(default_factory=list)

    @property
    def limit(self) -> int:
        return settings.CERTIFICATE_SEARCH_MAX_RESULTS

    @property
    def pages(self) -> int:
        return max(1, -(-min(self.total, self.limit) // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def first_number(self) -> int:
        return (self.page - 1) * self.page_size + 1 if self.lines else 0

    @property
    def last_number(self) -> int:
        return self.first_number + len(self.lines) - 1 if self.lines else 0


def trigrams(key: str) -> set[str]:
    """The trigrams pg_trgm makes of a string: per word, lower-cased, padded with two spaces
    before and one after."""
    result: set[str] = set()
    for word in key.lower().split():
        padded = f"  {word} "
        result.update(padded[index : index + 3] for index in range(len(padded) - 2))
    return result


def trigram_similarity(left: str, right: str) -> float:
    a, b = trigrams(left), trigrams(right)
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


# A sounds-like search reads the nearest spellings only: in a national register a surname of the
# long tail is a near spelling of thousands of others (LAXWRIGHT of 2,700 at 1,000,000 entries,
# every -WRIGHT of its length), and an `IN` over all of them read and sorted every line they
# have. The commonest surnames have fewer (SMITH 84, JONES 29), so they keep all of theirs.
SOUNDS_LIKE_AT_MOST_SURNAMES = 100


def matching_surname_keys(key: str) -> list[str]:
    """The surnames in the index that sound like `key` (same phonetic code) or are a near
    spelling of it (pg_trgm similarity at or above the threshold), read from the surname
    dictionary that a trigger keeps (registrar migration 0003): the same code first, then the
    nearest spellings, `SOUNDS_LIKE_AT_MOST_SURNAMES` in all with `key` itself. PostgreSQL answers
    from the dictionary's trigram index; SQLite compares in Python with the same measure."""
    code = phonetic_code(key)
    at_most = SOUNDS_LIKE_AT_MOST_SURNAMES - 1
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT surname_key FROM registrar_indexsurname "
                "WHERE (surname_phonetic = %s OR surname_key %% %s) AND surname_key <> %s "
                "ORDER BY surname_phonetic = %s DESC, similarity(surname_key, %s) DESC, surname_key LIMIT %s",
                [code, key, key, code, key, at_most],
            )
            keys = [row[0] for row in cursor.fetchall()]
        else:
            cursor.execute("SELECT surname_key, surname_phonetic FROM registrar_indexsurname")
            near = []
            for candidate, candidate_code in cursor.fetchall():
                similarity = trigram_similarity(candidate, key)
                if candidate != key and (candidate_code == code or similarity >= TRIGRAM_THRESHOLD):
                    near.append((candidate_code != code, -similarity, candidate))
            keys = [candidate for _code, _similarity, candidate in sorted(near)[:at_most]]
    return sorted({key, *keys})


def check_search(search: IndexSearch) -> None:
    """The rules of the index search, for the page and the API alike; raises SearchRefused."""
    # Still-births and citizenship ceremonies are registers outside the public index.
    if search.event not in PUBLIC_INDEX_EVENTS:
        raise SearchRefused("unknown_event")
    if not surname_key(search.surname):
        raise SearchRefused("surname_without_letters")
    this_year = timezone.localdate().year
    if search.year is not None and not FIRST_REGISTRATION_YEAR <= search.year <= this_year:
        raise SearchRefused("year_out_of_range", first=FIRST_REGISTRATION_YEAR, last=this_year)
    if not 0 <= search.years_either_side <= settings.CERTIFICATE_SEARCH_MAX_YEARS_EITHER_SIDE:
        raise SearchRefused("years_either_side_out_of_range")
    if search.years_either_side and search.year is None:
        raise SearchRefused("years_either_side_without_year")
    if search.mother_maiden_surname.strip() and search.event != Event.BIRTH:
        raise SearchRefused("maiden_surname_births_only")


def _surname_keys(search: IndexSearch) -> list[str]:
    key = surname_key(search.surname)
    return matching_surname_keys(key) if search.sounds_like else [key]


def _forenames_filter(forenames: str) -> Q:
    """Each word given starts one of the forenames: 'Ada' finds 'Ada Mary' and 'Mary Ada'."""
    condition = Q()
    for word in surname_key(forenames).split():
        condition &= Q(forenames__istartswith=word) | Q(forenames__icontains=f" {word}")
    return condition


INDEX_ORDER = ("year", "quarter", "surname_key", "forenames", "id")
INDEX_FIELDS = (
    "id",
    "event",
    "year",
    "quarter",
    "surname",
    "forenames",
    "other_surname",
    "age",
    "entry_id",
    "replaces_id",
    "district__name",
    "district__welsh_name",
    "district__code",
)


def search_index(search: IndexSearch) -> IndexPage:
    """One page of index lines, oldest first. Only index fields are read."""
    check_search(search)
    keys = _surname_keys(search)
    # Every condition but the surname's, for a page read one spelling at a time.
    unnamed = IndexName.objects.filter(event=search.event)
    if search.year is not None:
        unnamed = unnamed.filter(year__gte=search.year_from, year__lte=search.year_to)
    if search.district is not None:
        unnamed = unnamed.filter(district=search.district)
    if search.forenames.strip():
        unnamed = unnamed.filter(_forenames_filter(search.forenames))
    if search.mother_maiden_surname.strip():
        unnamed = unnamed.filter(other_surname__iexact=search.mother_maiden_surname.strip())
    matching = unnamed.filter(surname_key__in=keys)
    lines = _public_lines(matching)
    page_size = settings.CERTIFICATE_SEARCH_PAGE_SIZE
    limit = settings.CERTIFICATE_SEARCH_MAX_RESULTS
    total = lines.order_by()[: limit + 1].count()
    pages = max(1, -(-min(total, limit) // page_size))
    page = min(max(1, search.page), pages)
    start = (page - 1) * page_size
    return IndexPage(
        lines=_as_corrected(
            _page_of(lines, keys, start, page_size, per_spelling=_public_lines(unnamed, among=matching))
        ),
        total=total,
        page=page,
        page_size=page_size,
        too_many=total > limit,
    )


# Past a few surnames the merge costs more than it saves: each part repeats the search's
# conditions, so the statement grows with the square of the surnames (a common surname sounds
# like 50 to 80 others in a national register: 80 KB of SQL, seconds of building it), while one
# `IN` over all of them sorts a few thousand lines in milliseconds.
MERGE_AT_MOST_SURNAMES = 8


def _page_of(
    lines: QuerySet[IndexName], keys: list[str], start: int, page_size: int, *, per_spelling: QuerySet[IndexName]
) -> list[IndexName]:
    """Lines [start, start + page_size) in index order. With several surnames, one `IN` reads
    every matching line of every surname and sorts them all before it can take a page; instead
    each surname is read in index order through the (surname_key, event, year) b-tree and stops at
    the end of the page, and only those few lines per surname are merged and paged."""
    ordered = lines.select_related("district").only(*INDEX_FIELDS)
    if len(keys) > MERGE_AT_MOST_SURNAMES and connections[lines.db].vendor == "postgresql":
        found = ordered.in_bulk(ids := _page_ids_per_surname(per_spelling, keys, start, page_size))
        return [found[pk] for pk in ids]
    if (
        len(keys) == 1
        or len(keys) > MERGE_AT_MOST_SURNAMES
        or not connection.features.supports_slicing_ordering_in_compound
    ):
        return list(ordered.order_by(*INDEX_ORDER)[start : start + page_size])
    per_surname = [
        lines.filter(surname_key=key).order_by(*INDEX_ORDER).values_list(*INDEX_ORDER)[: start + page_size]
        for key in keys
    ]
    merged = per_surname[0].union(*per_surname[1:], all=True).order_by(*INDEX_ORDER)
    ids = [row[-1] for row in merged[start : start + page_size]]
    found = ordered.in_bulk(ids)
    return [found[pk] for pk in ids]


def _page_ids_per_surname(lines: QuerySet[IndexName], keys: list[str], start: int, page_size: int) -> list[int]:
    """The ids of lines [start, start + page_size) in index order, for many surnames at once on
    PostgreSQL: the search is written once and run for each surname by a LATERAL join, so each
    surname is read in index order and stops at the end of the page (a common surname's ~70
    spellings: a few hundred lines read, not every one of its ~80,000 sorted). The same rule as
    the merge above, without repeating the search's conditions for every surname. `lines` are the
    public lines of the search without its `IN` over the spellings: with it the b-tree is read for
    every spelling at once inside each run, out of year order, and each spelling's every line was
    read and sorted (78,620 for JONES at 10,000,000 entries, 578 ms) instead of a page of them."""
    per_surname = (
        # the join's column, no value: the spellings themselves are bound below
        lines.extra(where=[f"{IndexName._meta.db_table}.surname_key = spelling.key"])  # noqa: S610
        .order_by(*INDEX_ORDER)
        .values_list(*INDEX_ORDER)[: start + page_size]
    )
    inner, params = per_surname.query.sql_with_params()
    order = ", ".join(f"picked.{column}" for column in INDEX_ORDER)
    statement = (
        f"SELECT picked.id FROM unnest(%s::text[]) AS spelling(key) "  # noqa: S608 - column names, values bound
        f"CROSS JOIN LATERAL ({inner}) AS picked({', '.join(INDEX_ORDER)}) "
        f"ORDER BY {order} OFFSET %s LIMIT %s"
    )
    with connections[lines.db].cursor() as cursor:
        cursor.execute(statement, [list(keys), *params, start, page_size])
        return [row[0] for row in cursor.fetchall()]


def _public_lines(matching: QuerySet[IndexName], *, among: QuerySet[IndexName] | None = None) -> QuerySet[IndexName]:
    """What the public sees of the matching lines. A re-registered entry's lines are hidden (not
    deleted: index lines are written once): the new entry is found instead. A person whose name
    was corrected shows once: a line is left out when a later line of the same person (one
    written after a correction, `replaces`) matches too (one of `among`, the matching lines by
    default)."""
    # Only lines written after a correction have `replaces`, a handful among millions: saying so
    # lets PostgreSQL probe those few through the `replaces` b-tree, rather than hash every line
    # of the surname first (which read all of a common surname's lines before a page of them).
    corrected = (matching if among is None else among).filter(replaces__isnull=False)
    return matching.exclude(Exists(EntryReRegistration.objects.filter(original_id=OuterRef("entry_id")))).exclude(
        Q(Exists(corrected.filter(replaces_id=OuterRef("pk"))))
        | Q(Exists(corrected.filter(replaces_id=OuterRef("replaces_id"), pk__gt=OuterRef("pk"))))
    )


def _as_corrected(lines: list[IndexName]) -> list[IndexName]:
    """Each line as the index reads now: a line whose person's name was corrected since shows
    the latest corrected line instead (same entry, district, year and quarter)."""
    roots = {line.replaces_id or line.pk for line in lines}
    latest: dict[int, IndexName] = {}
    for line in IndexName.objects.select_related("district").filter(replaces_id__in=roots).order_by("-pk"):
        latest.setdefault(line.replaces_id, line)
    return [latest.get(line.replaces_id or line.pk, line) for line in lines]


def current_entry(entry: RegisterEntry) -> RegisterEntry:
    """The entry that stands now: a re-registered birth's newest entry, else the entry itself."""
    seen = set()
    while entry.pk not in seen:
        seen.add(entry.pk)
        mark = EntryReRegistration.objects.select_related("new_entry__district").filter(original=entry).first()
        if mark is None:
            break
        entry = mark.new_entry
    return entry


def reregistration_of(entry: RegisterEntry) -> EntryReRegistration | None:
    """The mark beside an entry that was re-registered, or None."""
    return EntryReRegistration.objects.select_related("new_entry__district").filter(original=entry).first()


# --- The 50-year rule ------------------------------------------------------------------------------


def needs_birth_details(entry: RegisterEntry, *, today: date | None = None) -> bool:
    """Births in the last 50 years: the order must give the date and place of birth and the
    parents' names (REGISTRATION-RULES.md)."""
    if entry.event != Event.BIRTH:
        return False
    today = today or timezone.localdate()
    years = settings.CERTIFICATE_RECENT_BIRTH_YEARS
    try:
        cutoff = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        cutoff = today.replace(year=today.year - years, day=28)
    return entry.event_date > cutoff


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).upper()
    return " ".join("".join(char if char.isalnum() else " " for char in plain).split())


def birth_details_match(
    particulars: dict, *, date_of_birth: date, place_of_birth: str, mother_name: str, father_name: str
) -> bool:
    """The details the applicant gave against the entry (as corrected). Names and places are
    compared without case, accents or punctuation; the place may be the whole place or its
    first part (the hospital or street)."""
    if str(particulars.get("date_of_birth", "")) != date_of_birth.isoformat():
        return False
    place = str(particulars.get("place_of_birth", ""))
    given_place = _plain(place_of_birth)
    if not given_place or given_place not in {_plain(place), _plain(place.split(",")[0])}:
        return False
    mother = _plain(f"{particulars.get('mother_forenames', '')} {particulars.get('mother_surname', '')}")
    mother_maiden = _plain(f"{particulars.get('mother_forenames', '')} {particulars.get('mother_maiden_surname', '')}")
    if _plain(mother_name) not in {mother, mother_maiden}:
        return False
    father = _plain(f"{particulars.get('father_forenames', '')} {particulars.get('father_surname', '')}")
    return _plain(father_name) == father


# --- Certificates and verification ---------------------------------------------------------------


class CertificateStatus:
    VALID = "valid"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"


def certificate_status(certificate: Certificate) -> str:
    if certificate.revoked_at is not None:
        return CertificateStatus.REVOKED
    if Certificate.objects.filter(reissue_of=certificate).exists():
        return CertificateStatus.SUPERSEDED
    if certificate.entry.corrections.count() > certificate.corrections_at_issue:
        return CertificateStatus.SUPERSEDED
    if EntryReRegistration.objects.filter(original_id=certificate.entry_id).exists():
        return CertificateStatus.SUPERSEDED
    return CertificateStatus.VALID


def normalise_serial(text: str) -> str | None:
    """A serial as people type or read it out — any case, with or without its dashes or spaces —
    in its printed form (K7QH-3MZP-W2XA-9RTC), or None when it cannot be one."""
    serial = "".join((text or "")[:64].upper().split()).replace("-", "")
    if len(serial) != 16 or not serial.isascii() or not serial.isalnum():
        return None
    return "-".join(serial[index : index + 4] for index in range(0, 16, 4))


def certificate_by_serial(serial: str) -> Certificate | None:
    serial = normalise_serial(serial)
    if serial is None:
        return None
    return Certificate.objects.select_related("entry__district").filter(serial=serial).exclude(pdf_sha256="").first()


def entry_name(entry: RegisterEntry) -> str:
    """Who the entry is of: for a marriage or civil partnership, both parties (names only)."""
    if entry.event in (Event.MARRIAGE, Event.CIVIL_PARTNERSHIP):
        names = [
            " ".join(str(entry.particulars.get(f"party{position}_{part}") or "") for part in ("forenames", "surname"))
            for position in (1, 2)
        ]
        names = [name.strip() for name in names if name.strip()]
        if len(names) == 2:
            return " & ".join(names)
    return f"{entry.forenames} {entry.surname}".strip()


# --- Orders -----------------------------------------------------------------------------------------


def orders_of(person: User) -> QuerySet[CertificateOrder]:
    return (
        CertificateOrder.objects.filter(person=person)
        .exclude(status__in=CertificateOrder.UNPAID, payments__isnull=True)
        .select_related("entry__district")
        .distinct()
    )


def sees_every_office(user: User) -> bool:
    """Phone support answers the national helpline, for an order of any entry; the national
    roles work every office. Registrars see their own offices' entries."""
    return is_national(user) or user.has_perm("identity.assist_citizens")


def works_in_district_of(user: User, entry: RegisterEntry) -> bool:
    """The entry was registered in one of the user's offices (national roles: any)."""
    return is_national(user) or user.offices.filter(pk=entry.district_id).exists()


def orders_for(user: User) -> QuerySet[CertificateOrder]:
    """The orders a staff member may see."""
    orders = CertificateOrder.objects.select_related("entry__district", "person")
    if sees_every_office(user):
        return orders
    return orders.filter(entry__district__in=user.offices.all())


def find_orders(*, user: User, query: str) -> list[CertificateOrder]:
    """An order by its reference, a certificate serial, or the applicant's email, among the
    orders this staff member may see."""
    query = (query or "").strip()
    if not query:
        return []
    return list(
        orders_for(user)
        .prefetch_related("certificates")
        .filter(Q(reference__iexact=query) | Q(applicant_email__iexact=query) | Q(certificates__serial__iexact=query))
        .distinct()[:50]
    )


def staff_order(*, user: User, reference: str) -> CertificateOrder | None:
    """None for an unknown order and for one this staff member may not see (the page answers
    404 either way, so a reference reveals nothing)."""
    return orders_for(user).filter(reference=reference).first()


def certificate_to_act_on(*, user: User, serial: str) -> Certificate | None:
    """A certificate of an entry in the staff member's offices (national roles: any), for the
    revoke and reissue pages; None otherwise, so that the page answers 404."""
    certificates = Certificate.objects.select_related("order", "entry__district").filter(serial=serial)
    if not is_national(user):
        certificates = certificates.filter(entry__district__in=user.offices.all())
    return certificates.first()


def person_for_reference(reference: str) -> tuple[User, str] | None:
    """For phone support: whose certificate order this reference is, and where it is."""
    order = CertificateOrder.objects.select_related("person").filter(reference__iexact=reference).first()
    if order is None:
        return None
    return order.person, f"{_('Certificate order')}: {order.get_status_display()}"
