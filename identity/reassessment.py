"""Scoring every submitted identity check again under the current scoring table, with a report
of how many change level and why. Used when the table changes (as when contact codes stopped
counting as verification), so that no one keeps a level their checks did not earn."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from .cases import reassess_case
from .models import IdentityCase

Status = IdentityCase.Status
# Submitted and not rejected: verified, or waiting for a registrar.
REASSESSED_STATUSES = (Status.VERIFIED, Status.WITH_REGISTRAR)
# The reason code a case that drops below medium carries to the registrar.
DROPPED_REASON = "reassessed_below_medium"


@dataclass
class Report:
    checked: int = 0
    stayed_medium: int = 0
    dropped: int = 0
    raised: int = 0
    stayed_below: int = 0
    # A verified case whose person has another check open cannot go back to a registrar; the
    # registrar sees the open one. Counted, and left verified, so the report shows them.
    not_moved: list[str] = field(default_factory=list)
    # For cases that dropped: which element fell short, e.g. {"verification": 12, "validity": 9}.
    dropped_because: Counter = field(default_factory=Counter)


def reassess_all(*, dry_run: bool = False, batch_size: int = 500) -> Report:
    """Re-score every verified case and every case with a registrar. With `dry_run`, report
    what would change and change nothing (each case's work is rolled back, messages included)."""
    report = Report()
    ids = IdentityCase.objects.filter(status__in=REASSESSED_STATUSES).order_by("pk").values_list("pk", flat=True)
    for pk in ids.iterator(chunk_size=batch_size):
        case = IdentityCase.objects.get(pk=pk)
        before = case.status
        try:
            with transaction.atomic():
                after = reassess_case(case=case, reason=DROPPED_REASON)
                if dry_run:
                    transaction.set_rollback(True)
        except IntegrityError:
            report.checked += 1
            report.not_moved.append(case.reference)
            continue
        report.checked += 1
        if before == Status.VERIFIED and after.status == Status.VERIFIED:
            report.stayed_medium += 1
        elif before == Status.VERIFIED:
            report.dropped += 1
            report.dropped_because.update({item["element"] for item in after.missing})
        elif after.status == Status.VERIFIED:
            report.raised += 1
        else:
            report.stayed_below += 1
    return report
