"""The checks a replay ends with: entry numbers consecutive per district, register and year; no
room or officer booked twice at once; exactly one certificate per copy ordered."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from django.db.models import Count, F, Max, Min

from booking.models import Booking
from certificates.models import Certificate, CertificateOrder
from registrar.models import RegisterEntry


def number_problems(groups: Iterable[tuple[tuple, list[int]]]) -> list[str]:
    """Each (district, event, year) with its numbers: they must be exactly 1..n."""
    problems = []
    for key, numbers in groups:
        if sorted(numbers) != list(range(1, len(numbers) + 1)):
            problems.append(f"entry numbers of {key} are not 1..{len(numbers)} without gaps or repeats")
    return problems


def entry_number_problems() -> list[str]:
    """Every register: counted in the database; only a register that looks wrong is read out."""
    groups = (
        RegisterEntry.objects.values("district__code", "event", "year")
        .annotate(n=Count("pk"), low=Min("number"), high=Max("number"), distinct=Count("number", distinct=True))
        .order_by()
    )
    suspects = []
    for group in groups:
        if not (group["low"] == 1 and group["high"] == group["n"] == group["distinct"]):
            key = (group["district__code"], group["event"], group["year"])
            numbers = list(
                RegisterEntry.objects.filter(district__code=key[0], event=key[1], year=key[2]).values_list(
                    "number", flat=True
                )
            )
            suspects.append((key, numbers))
    return number_problems(suspects)


def overlap_problems(uses: Iterable[tuple[str, datetime, datetime, int]]) -> list[str]:
    """(resource, starts, ends, booking id): no two bookings may use one resource at once."""
    by_resource = defaultdict(list)
    for resource, starts, ends, booking_id in uses:
        by_resource[resource].append((starts, ends, booking_id))
    problems = []
    for resource, spans in by_resource.items():
        spans.sort()
        for (_s1, e1, b1), (s2, _e2, b2) in zip(spans, spans[1:], strict=False):
            if s2 < e1:
                problems.append(f"{resource} is booked twice at once (bookings {b1} and {b2})")
    return problems


def double_booking_problems() -> list[str]:
    uses = []
    rows = Booking.objects.filter(status__in=Booking.ACTIVE).values_list(
        "pk", "kind", "room_id", "superintendent_id", "registrar_id", "starts_at", "ends_at"
    )
    for pk, kind, room_id, superintendent_id, registrar_id, starts, ends in rows.iterator():
        if kind in Booking.ROOM_KINDS:
            uses.append((f"room {room_id}", starts, ends, pk))
        for officer in (superintendent_id, registrar_id):
            if officer is not None:
                uses.append((f"officer {officer}", starts, ends, pk))
    return overlap_problems(uses)


def copy_problems(orders: Iterable[tuple[int, str, int, list[int]]]) -> list[str]:
    """(order id, status, copies ordered, copy numbers of its first issue): an issued order has
    one certificate for each copy, numbered 1..copies; a paid order still waiting is a problem."""
    problems = []
    for order_id, status, copies, numbers in orders:
        if status != CertificateOrder.Status.ISSUED:
            problems.append(f"order {order_id} is {status}, not issued")
        elif sorted(numbers) != list(range(1, copies + 1)):
            problems.append(f"order {order_id} has copies {sorted(numbers)} for {copies} ordered")
    return problems


def certificate_problems(order_ids: Iterable[int] | None = None) -> list[str]:
    orders = CertificateOrder.objects.filter(status__in=CertificateOrder.PAID_FOR)
    if order_ids is not None:
        orders = orders.filter(pk__in=list(order_ids))
    numbers = defaultdict(list)
    for order_id, copy_number in Certificate.objects.filter(
        order__in=orders, copy_number__lte=F("order__copies")
    ).values_list("order_id", "copy_number"):
        numbers[order_id].append(copy_number)
    return copy_problems(
        (order_id, status, copies, numbers[order_id])
        for order_id, status, copies in orders.values_list("pk", "status", "copies").iterator()
    )


def all_problems(*, order_ids: Iterable[int] | None = None) -> dict[str, list[str]]:
    return {
        "entry numbers consecutive": entry_number_problems(),
        "no double booking": double_booking_problems(),
        "one certificate per copy": certificate_problems(order_ids),
    }
