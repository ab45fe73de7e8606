"""The four indicators as the page draws and tables them and the downloads list them: which
figure each one is, the columns of its series, and its chart (an SVG drawn on the server, with
a title and a description, beside a table of the same numbers)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from .selectors import Figures, PerformanceFigures


@dataclass(frozen=True)
class Indicator:
    key: str
    title: str
    description: str
    value: Callable[[Figures], Decimal | None]
    unit: str  # "percent" or "pounds"
    # The series' columns after period and journey: (column name, how to read it).
    columns: tuple[tuple[str, Callable[[Figures], object]], ...]


INDICATORS: dict[str, Indicator] = {
    indicator.key: indicator
    for indicator in (
        Indicator(
            key="completion-rate",
            title=_("Completion rate"),
            description=_("Of the journeys started, the percentage finished."),
            value=lambda f: f.completion_rate,
            unit="percent",
            columns=(
                ("started", lambda f: f.started),
                ("finished", lambda f: f.finished),
                ("completion_rate_percent", lambda f: f.completion_rate),
            ),
        ),
        Indicator(
            key="digital-take-up",
            title=_("Digital take-up"),
            description=_(
                "Of the journeys finished, the percentage done online without help, rather than with phone "
                "support or by a registrar."
            ),
            value=lambda f: f.digital_take_up,
            unit="percent",
            columns=(
                ("finished", lambda f: f.finished),
                ("online_without_help", lambda f: f.online),
                ("with_phone_support", lambda f: f.by_phone_support),
                ("by_a_registrar", lambda f: f.by_registrar),
                ("digital_take_up_percent", lambda f: f.digital_take_up),
            ),
        ),
        Indicator(
            key="user-satisfaction",
            title=_("User satisfaction"),
            description=_(
                "Of the people who answered the survey at the end of a journey, the percentage satisfied or "
                "very satisfied."
            ),
            value=lambda f: f.satisfaction,
            unit="percent",
            columns=(
                ("responses", lambda f: f.responses),
                ("satisfied_or_very_satisfied", lambda f: f.satisfied),
                ("satisfaction_percent", lambda f: f.satisfaction),
            ),
        ),
        Indicator(
            key="cost-per-transaction",
            title=_("Cost per transaction"),
            description=_("What one finished journey costs, from the cost model and the service's own counts."),
            value=lambda f: f.cost_per_transaction,
            unit="pounds",
            columns=(
                ("finished", lambda f: f.finished),
                ("registrar_cases", lambda f: f.registrar_cases),
                ("payments", lambda f: f.payments),
                ("cost_pounds", lambda f: f.cost.quantize(Decimal("0.01"))),
                ("cost_per_transaction_pounds", lambda f: f.cost_per_transaction),
            ),
        ),
    )
}


def formatted(value: Decimal | None, unit: str) -> str:
    if value is None:
        return str(_("No data"))
    if unit == "pounds":
        return f"£{number_format(value, 2, force_grouping=True)}"
    return f"{number_format(value, 1)}%"


def _plain(value: object) -> object:
    # Decimals as text, so that JSON keeps every digit the CSV has.
    return str(value) if isinstance(value, Decimal) else value


def series_rows(figures: PerformanceFigures, indicator: Indicator) -> list[dict]:
    """One row per period and journey, oldest first: what the CSV and JSON downloads hold."""
    rows = []
    for index, period in enumerate(figures.periods):
        for series in figures.journeys:
            row = series.periods[index]
            columns = {name: _plain(read(row)) for name, read in indicator.columns}
            rows.append({"period": period.isoformat(), "journey": series.journey, **columns})
    return rows


# --- Charts -----------------------------------------------------------------------------------------
# Each journey's name sits above its bar, so that long names (and their Welsh) never crowd it.
CHART_WIDTH = 640
BAR_SPACE = 520
ROW_HEIGHT = 56
BAR_HEIGHT = 24
LABEL_HEIGHT = 20


@dataclass(frozen=True)
class Bar:
    label: str
    text: str
    width: int
    top: int

    @property
    def label_y(self) -> int:
        return self.top + LABEL_HEIGHT - 4

    @property
    def y(self) -> int:
        return self.top + LABEL_HEIGHT

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT - 7

    @property
    def value_x(self) -> int:
        return self.width + 8


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    description: str
    bars: list[Bar]
    height: int
    width: int = CHART_WIDTH
    bar_height: int = BAR_HEIGHT


def bar_chart(figures: PerformanceFigures, indicator: Indicator) -> Chart:
    """A horizontal bar for each journey's figure over the periods shown. Percentages are drawn
    on a scale of 0 to 100; pounds on a scale up to the largest cost. The description reads out
    every bar, for people who cannot see the picture."""
    values = [(series.label, indicator.value(series.overall)) for series in figures.journeys]
    known = [value for _label, value in values if value is not None]
    top = Decimal(100) if indicator.unit == "percent" else max(known, default=Decimal(0))
    bars = []
    for index, (label, value) in enumerate(values):
        width = int(BAR_SPACE * value / top) if value is not None and top else 0
        bars.append(Bar(label=label, text=formatted(value, indicator.unit), width=width, top=4 + index * ROW_HEIGHT))
    readings = "; ".join(f"{bar.label}: {bar.text}" for bar in bars)
    return Chart(
        key=indicator.key,
        title=str(indicator.title),
        description=f"{indicator.description} {readings}.",
        bars=bars,
        height=8 + len(bars) * ROW_HEIGHT,
    )
