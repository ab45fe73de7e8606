"""Where a person searches from: a postcode or a place name turned into coordinates, and the
distance between two points. The service ships no postcode database, so a postcode is placed
at the register offices of its postcode district, or else of its postcode area; a place name is
matched against office towns and venue names. A geographic lookup (ONS postcode directory) can
replace `find_place` without changing its callers."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from identity.checks import normalise_postcode
from identity.models import RegisterOffice

from .models import Venue

EARTH_RADIUS_KM = 6371.0
OUTWARD_CODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")


@dataclass(frozen=True)
class Place:
    name: str
    latitude: float
    longitude: float


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def _centre(name: str, points: list[tuple[float, float]]) -> Place:
    return Place(
        name=name,
        latitude=sum(lat for lat, _lon in points) / len(points),
        longitude=sum(lon for _lat, lon in points) / len(points),
    )


def _postcode_area(outward: str) -> str:
    letters = ""
    for char in outward:
        if not char.isalpha():
            break
        letters += char
    return letters


def looks_like_postcode(query: str) -> bool:
    return normalise_postcode(query or "") is not None


def find_place(query: str) -> Place | None:
    """Coordinates for a full UK postcode or a place name; None when we cannot place it."""
    query = " ".join((query or "").split())
    if not query or len(query) > 100:
        return None
    postcode = normalise_postcode(query)
    if postcode or OUTWARD_CODE.match(query.upper()):
        postcode = postcode or query.upper()
        outward = postcode.split(" ")[0]
        offices = list(RegisterOffice.objects.values_list("postcode", "latitude", "longitude"))
        for key in (outward, _postcode_area(outward)):
            points = [
                (float(lat), float(lon))
                for office_postcode, lat, lon in offices
                if (office_postcode.split(" ")[0] if key == outward else _postcode_area(office_postcode)) == key
            ]
            if points:
                return _centre(postcode, points)
        return None
    lowered = query.casefold()
    for office in RegisterOffice.objects.all():
        names = {office.town.casefold(), office.name.casefold(), office.welsh_name.casefold()} - {""}
        if lowered in names or any(name.startswith(lowered + " ") for name in names):
            return Place(office.town, float(office.latitude), float(office.longitude))
    venue = Venue.objects.filter(name__iexact=query).first() or Venue.objects.filter(welsh_name__iexact=query).first()
    if venue is not None:
        return Place(venue.name, float(venue.latitude), float(venue.longitude))
    return None
