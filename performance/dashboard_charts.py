"""The staff dashboard's charts, drawn as the performance page draws its own (`indicators`):
a horizontal bar per row on the server, with a description reading out every bar, beside a
table of the same numbers."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .dashboard import StaffDashboard, Utilisation
from .indicators import BAR_SPACE, ROW_HEIGHT, Bar, Chart


def percent(share: float | None) -> str:
    return _("No data") if share is None else f"{number_format(round(share * 100, 1), 1)}%"


def hours(minutes: int) -> str:
    return number_format(round(minutes / 60, 1), 1)


def amount(value: float | None) -> str:
    return _("No data") if value is None else number_format(value, 1)


def bar_chart(key: str, title: str, description: str, rows: list[tuple[str, float, str]], *, top: float) -> Chart:
    """`rows` are (label, value, value in words); bars are drawn on a scale up to `top`."""
    bars = [
        Bar(
            label=label,
            text=text,
            width=int(BAR_SPACE * min(value, top) / top) if top else 0,
            top=4 + index * ROW_HEIGHT,
        )
        for index, (label, value, text) in enumerate(rows)
    ]
    readings = "; ".join(f"{bar.label}: {bar.text}" for bar in bars) or _("No data")
    return Chart(
        key=key, title=title, description=f"{description} {readings}.", bars=bars, height=8 + len(bars) * ROW_HEIGHT
    )


def counts_chart(key: str, title: str, description: str, counts: list[tuple[str, int]]) -> Chart:
    top = max((count for _label, count in counts), default=0)
    return bar_chart(key, title, description, [(label, count, str(count)) for label, count in counts], top=top)


def utilisation_chart(key: str, title: str, description: str, rows: list[Utilisation]) -> Chart:
    return bar_chart(
        key, title, description, [(row.label, row.share or 0, percent(row.share)) for row in rows], top=1.0
    )


def charts(figures: StaffDashboard) -> dict[str, Chart]:
    return {
        "events": counts_chart(
            "events", _("Events registered"), _("Entries made in the registers, by event."), figures.event_totals
        ),
        "rooms": utilisation_chart(
            "rooms",
            _("Room utilisation"),
            _("Of the minutes each room's slots offer, the percentage booked."),
            figures.rooms[:30],
        ),
        "officers": utilisation_chart(
            "officers",
            _("Officer utilisation"),
            _("Of the minutes officers are on the rota, the percentage spent at bookings."),
            figures.officers[:30],
        ),
        "orders": counts_chart(
            "orders",
            _("Certificate orders"),
            _("Orders made, by where they are now."),
            figures.orders_by_status,
        ),
        "verifications": counts_chart(
            "verifications",
            _("Certificates checked"),
            _("Checks of documents, by what the check said."),
            figures.verifications_by_outcome,
        ),
        "identity": counts_chart(
            "identity",
            _("Identity check outcomes"),
            _("Identity checks sent, by where they are now."),
            figures.identity_outcomes,
        ),
    }
