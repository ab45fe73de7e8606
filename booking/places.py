"""Where a person searches the calendar from: a postcode or a place name placed by core.places,
or else the name of one of our venues."""

from __future__ import annotations

from core.places import MAX_QUERY_LENGTH, Place, locate

from .models import Venue


def find_place(query: str) -> Place | None:
    """A point for a postcode, an outward code, a town or a venue's name; None when we cannot
    place it."""
    place = locate(query)
    if place is not None:
        return place
    query = " ".join((query or "").split())
    if not query or len(query) > MAX_QUERY_LENGTH:
        return None
    venue = Venue.objects.filter(name__iexact=query).first() or Venue.objects.filter(welsh_name__iexact=query).first()
    if venue is None:
        return None
    return Place(venue.name, float(venue.latitude), float(venue.longitude))
