"""Places: a postcode, an outward code or a town turned into a point, its local authority and its
country, from the outcode file shipped in core/data; the registration district and the nearest
register offices of a place. A full postcode directory (ONS) can sit behind the same functions."""

from __future__ import annotations

import copy
import csv
import functools
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db.models import Model

OUTCODES_CSV = Path(__file__).resolve().parent / "data" / "outcodes-england-wales.csv"
EARTH_RADIUS_KM = 6371.0
ENGLAND, WALES = "ENG", "WLS"
MAX_QUERY_LENGTH = 100

# Why a postcode cannot be placed, for the caller to turn into its own message.
POSTCODE_INVALID = "postcode_invalid"
POSTCODE_OUTSIDE_ENGLAND_AND_WALES = "postcode_outside_england_and_wales"
POSTCODE_UNKNOWN = "postcode_unknown"

UK_POSTCODE = re.compile(r"^(GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-HJKMNPR-Y]? ?[0-9][ABD-HJLNP-UW-Z]{2})$")
OUTWARD_CODE = re.compile(r"^[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-HJKMNPR-Y]?$")
# Postcode areas wholly in Scotland, Northern Ireland or the Crown Dependencies, which keep their
# own registers. TD is left out: it crosses the border, and its English districts (TD12, TD15)
# are missing from the snapshot, so they are unknown rather than outside.
OUTSIDE_ENGLAND_AND_WALES = frozenset(
    {"AB", "DD", "DG", "EH", "FK", "G", "HS", "IV", "KA", "KW", "KY", "ML", "PA", "PH", "ZE", "BT", "GY", "JE", "IM"}
)

Point = tuple[float, float]  # (latitude, longitude), WGS84 degrees


@dataclass(frozen=True)
class Outcode:
    latitude: float
    longitude: float
    town: str
    local_authority: str
    country: str  # ENGLAND or WALES


@dataclass(frozen=True)
class Place:
    """A point with what the outcode file says about it; a place given as bare coordinates
    has no local authority, country or outcode."""

    name: str
    latitude: float
    longitude: float
    local_authority: str = ""
    country: str = ""
    outcode: str = ""

    @property
    def point(self) -> Point:
        return (self.latitude, self.longitude)


@functools.cache
def outcodes() -> dict[str, Outcode]:
    """The outcode file, read once per process."""
    with OUTCODES_CSV.open(newline="", encoding="utf-8") as handle:
        return {
            row["postcode"]: Outcode(
                latitude=float(row["latitude"]),
                longitude=float(row["longitude"]),
                town=row["town"],
                local_authority=row["region"],
                # Five Flintshire districts (CH4-CH8) are marked ENG in the country column; the
                # uk_region column has them, rightly, in Wales.
                country=WALES if row["uk_region"] == "Wales" else row["country"],
            )
            for row in csv.DictReader(handle)
        }


def normalise_postcode(value: str) -> str | None:
    """'sw1a1aa' -> 'SW1A 1AA'; None when it is not a valid UK postcode format."""
    compact = re.sub(r"\s", "", (value or "").upper())
    if len(compact) < 5 or len(compact) > 7:
        return None
    formatted = f"{compact[:-3]} {compact[-3:]}"
    return formatted if UK_POSTCODE.match(formatted) else None


def distance_km(a: Point, b: Point) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(a[0]), math.radians(b[0])
    dphi = phi2 - phi1
    dlambda = math.radians(b[1] - a[1])
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def _outward(value: str) -> str | None:
    """The outward code of a full postcode or of an outward code on its own."""
    postcode = normalise_postcode(value)
    if postcode is not None:
        return postcode.split(" ")[0]
    compact = re.sub(r"\s", "", (value or "").upper())
    return compact if OUTWARD_CODE.match(compact) else None


def _known_outcode(outward: str) -> str | None:
    """The file's outcode for `outward`: itself, or for a sub-district the file lacks (W1A, EC1P,
    NW1W: mostly non-geographic) the district without its final letter."""
    table = outcodes()
    if outward in table:
        return outward
    if outward[-1].isalpha() and outward[:-1] in table:
        return outward[:-1]
    return None


def postcode_problem(value: str) -> str | None:
    """Why a postcode or outward code cannot be placed (POSTCODE_INVALID, ..._OUTSIDE_ENGLAND_AND_WALES,
    ..._UNKNOWN); None when it can."""
    outward = _outward(value)
    if outward is None:
        return POSTCODE_INVALID
    if _known_outcode(outward) is not None:
        return None
    area = re.match(r"[A-Z]+", outward).group()
    return POSTCODE_OUTSIDE_ENGLAND_AND_WALES if area in OUTSIDE_ENGLAND_AND_WALES else POSTCODE_UNKNOWN


def locate_postcode(value: str) -> Place | None:
    """A full postcode or an outward code placed at its district's centre; None when it is not a
    postcode of England or Wales (postcode_problem says why)."""
    outward = _outward(value)
    code = _known_outcode(outward) if outward else None
    if code is None:
        return None
    outcode = outcodes()[code]
    return Place(
        name=normalise_postcode(value) or outward,
        latitude=outcode.latitude,
        longitude=outcode.longitude,
        local_authority=outcode.local_authority,
        country=outcode.country,
        outcode=code,
    )


def locate(query: str) -> Place | None:
    """A point for a postcode, an outward code or a place name; None when we cannot place it.
    A name is matched, ignoring case, against the local authorities of the outcode file, then its
    towns, then the register offices' towns and names."""
    query = " ".join((query or "").split())
    if not query or len(query) > MAX_QUERY_LENGTH:
        return None
    if _outward(query) is not None:
        return locate_postcode(query)
    name = query.casefold()
    # Authorities first: "Newport" is the Welsh city, not one of the villages of that name.
    for column in ("local_authority", "town"):
        found = [outcode for outcode in outcodes().values() if getattr(outcode, column).casefold() == name]
        if found:
            return _centre(getattr(found[0], column), found)
    offices = [
        each
        for each in _directory().placed
        if name in {each.office.town.casefold(), each.office.name.casefold(), each.office.welsh_name.casefold()}
        or each.office.name.casefold().startswith(name + " ")
    ]
    return _centre(offices[0].office.town, [each.place for each in offices]) if offices else None


def _centre(name: str, places: list[Outcode] | list[Place]) -> Place:
    """The middle of the places, in the local authority most of them are in."""
    counts = Counter(place.local_authority for place in places)
    authority = min(counts, key=lambda key: (-counts[key], key))
    inside = [place for place in places if place.local_authority == authority]
    return Place(
        name=name,
        latitude=sum(place.latitude for place in inside) / len(inside),
        longitude=sum(place.longitude for place in inside) / len(inside),
        local_authority=authority,
        country=inside[0].country,
    )


# --- Register offices ------------------------------------------------------------------------------


def _office_model() -> type[Model]:
    """The register office model, through the settings hook (core imports no app)."""
    return apps.get_model(settings.PLACES_OFFICE_MODEL)


@functools.cache
def _authorities() -> dict[str, str]:
    return {outcode.local_authority.casefold(): outcode.local_authority for outcode in outcodes().values()}


def _authority_named_in(office_name: str) -> str | None:
    """The local authority an office is named after ("Westminster Register Office"), when the
    outcode file knows one by that name."""
    lowered = office_name.casefold()
    named = [name for key, name in _authorities().items() if lowered == key or lowered.startswith(key + " ")]
    return max(named, key=len, default=None)


@dataclass(frozen=True)
class PlacedOffice:
    office: Model
    place: Place
    authorities: frozenset[str]


def _placed(offices: list[Model]) -> list[PlacedOffice]:
    """Each office placed by its own postcode (not its stored coordinates). It serves the local
    authority of that postcode and also the one it is named after, when the file knows one by
    that name: the file gives most London boroughs only as "Greater London", and an office's
    postcode can sit in a district the file gives to a neighbour (Westminster Council House is
    in NW1, "Greater London"), which would leave the City of Westminster without its office."""
    placed = []
    for office in offices:
        place = locate_postcode(office.postcode)
        if place is None:
            continue
        named = _authority_named_in(office.name)
        placed.append(
            PlacedOffice(
                office=office,
                place=Place(office.town, place.latitude, place.longitude, place.local_authority, place.country),
                authorities=frozenset({place.local_authority} | ({named} if named else set())),
            )
        )
    return placed


def _by_distance(point: Point, placed: list[PlacedOffice]) -> list[PlacedOffice]:
    return sorted(placed, key=lambda each: (distance_km(point, each.place.point), each.office.code))


class _Directory:
    """The offices exactly as the table held them when read, placed, and the district found for
    each outcode asked about so far. Everything in it follows from those rows alone."""

    def __init__(self, rows: tuple[tuple, ...], field_names: list[str], alias: str):
        model = _office_model()
        self.rows = rows
        self.offices = [model.from_db(alias, field_names, row) for row in rows]
        self.placed = _placed(self.offices)
        self.districts: dict[str, PlacedOffice | None] = {}

    def district(self, place: Place) -> PlacedOffice | None:
        if place.outcode not in self.districts:
            candidates = (
                [each for each in self.placed if place.local_authority in each.authorities]
                or [each for each in self.placed if each.place.country == place.country]
                or self.placed
            )
            nearest = _by_distance(place.point, candidates)
            self.districts[place.outcode] = nearest[0] if nearest else None
        return self.districts[place.outcode]


_directory_of_process: _Directory | None = None


def _directory() -> _Directory:
    """The offices placed, rebuilt only when a row of the table differs from the rows it was built
    from. Each call reads the rows as plain values (one small query, about 175 rows): so an office
    added, moved, renamed or removed, by this process or any other, by save(), update() or SQL, is
    seen at the next call, and only the placing (the costly part) is kept between calls."""
    global _directory_of_process
    model = _office_model()
    field_names = [field.attname for field in model._meta.concrete_fields]
    queryset = model.objects.order_by("code")
    rows = tuple(queryset.values_list(*field_names))
    directory = _directory_of_process
    if directory is None or directory.rows != rows:
        directory = _directory_of_process = _Directory(rows, field_names, queryset.db)
    return directory


def _fresh(office: Model) -> Model:
    """A copy of an office of the directory for the caller, who may change it at will."""
    return copy.copy(office)


def _offices() -> list[Model]:
    """Every register office, in step with the table."""
    return [_fresh(office) for office in _directory().offices]


def nearest_offices(point: Point, *, limit: int = 5) -> list[Model]:
    """Register offices by distance from the point (each placed by its own postcode)."""
    return [_fresh(each.office) for each in _by_distance(point, _directory().placed)[:limit]]


def registration_district_for(postcode: str) -> Model | None:
    """The register office of the registration district a postcode (or outward code) is in: an
    office serving its local authority (the nearest, if several do), else the nearest office in
    the same country, else the nearest office. None when the postcode is not a place in England
    or Wales, or there are no offices."""
    place = locate_postcode(postcode)
    if place is None:
        return None
    found = _directory().district(place)
    return _fresh(found.office) if found else None
