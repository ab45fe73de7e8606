"""What the notices given for a ceremony allow, as booking reads them: the registration domain
takes notice, and answers through the BOOKING_CEREMONY_NOTICES setting (a dotted path to a
function of the ceremony booking), so that booking never imports it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.module_loading import import_string

from . import rules

if TYPE_CHECKING:
    from .models import Booking


@dataclass(frozen=True)
class CeremonyNotices:
    """What the notices given for a ceremony allow, as the registration domain reads them
    (BOOKING_CEREMONY_NOTICES): the day each party gave notice (by party position), the first and
    last day the ceremony may take place (None until both are given), and the reference of the
    registration domain's case for the staff pages to link to."""

    given: Mapping[int, date] = field(default_factory=dict)
    earliest: date | None = None
    latest: date | None = None
    case_reference: str = ""

    @property
    def given_on(self) -> tuple[date, ...]:
        return tuple(sorted(self.given.values()))

    def allows(self, day: date) -> bool:
        """Whether the ceremony may be on `day`: within the window once both are given, and
        within 12 months of the one given so far."""
        if len(self.given) == 2 and self.earliest is not None and self.latest is not None:
            return self.earliest <= day <= self.latest
        return not self.given or day <= rules.latest_ceremony_date(min(self.given.values()))


def ceremony_notices(ceremony: Booking) -> CeremonyNotices:
    """The notices of the ceremony, read through the BOOKING_CEREMONY_NOTICES hook, so that
    booking never imports the registration domain that gives notice."""
    return import_string(settings.BOOKING_CEREMONY_NOTICES)(ceremony)
