"""The public pages of the performance app: the survey at the end of each journey, the
performance page with its four indicators and their downloads, and the open data page. None
needs signing in; none shows anything about a person."""

from __future__ import annotations

import csv
import io
import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from core.api_errors import json_error_response
from core.client import client_address
from core.pages import refusal_page
from core.replica import reads_may_lag

from . import open_data, services
from .forms import FeedbackForm, FiguresForm, YearForm
from .indicators import INDICATORS, bar_chart, formatted, series_rows
from .models import Journey
from .refusals import PerformanceRefused
from .selectors import performance_figures

NATIONAL = "E+W"


def _journey_or_404(journey: str) -> Journey:
    if journey not in Journey.values:
        raise Http404("No such journey")
    return Journey(journey)


@require_http_methods(["GET", "POST"])
def feedback(request: HttpRequest, journey: str) -> HttpResponse:
    chosen = _journey_or_404(journey)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            return render(
                request, "performance/feedback.html", {"form": form, "journey_label": chosen.label}, status=400
            )
        try:
            services.record_feedback(
                journey=chosen.value,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
                client_address=client_address(request),
            )
        except PerformanceRefused as refused:
            return refusal_page(request, refused, back=reverse("performance:page"))
        return redirect("performance:feedback-done")
    return render(request, "performance/feedback.html", {"form": form, "journey_label": chosen.label})


@require_GET
def feedback_done(request: HttpRequest) -> HttpResponse:
    return render(request, "performance/feedback_done.html")


def _figures_or_errors(request: HttpRequest):
    form = FiguresForm(request.GET or None, initial={"period": "month"})
    if request.GET and not form.is_valid():
        return form, None
    period = form.cleaned_data["period"] if request.GET else "month"
    district = form.cleaned_data["district"] if request.GET else None
    return form, performance_figures(period_kind=period, district=district)


@reads_may_lag
@require_GET
def performance_page(request: HttpRequest) -> HttpResponse:
    form, figures = _figures_or_errors(request)
    if figures is None:
        return render(request, "performance/performance.html", {"form": form, "error_form": form}, status=400)
    indicators = []
    for indicator in INDICATORS.values():
        indicators.append(
            {
                "indicator": indicator,
                "chart": bar_chart(figures, indicator),
                "overall": [
                    (series, formatted(indicator.value(series.overall), indicator.unit)) for series in figures.journeys
                ],
                "by_period": [
                    (
                        period,
                        [
                            formatted(indicator.value(series.periods[index]), indicator.unit)
                            for series in figures.journeys
                        ],
                    )
                    for index, period in enumerate(figures.periods)
                ],
            }
        )
    return render(
        request,
        "performance/performance.html",
        {
            "form": form,
            "figures": figures,
            "indicators": indicators,
            "costs": _cost_model_in_words(figures.cost_model),
            "query": request.GET.urlencode(),
        },
    )


def _cost_model_in_words(model) -> dict[str, str]:
    return {
        "infrastructure_per_month": formatted(model.infrastructure_per_month, "pounds"),
        "staff_minutes_per_registrar_case": str(model.staff_minutes_per_registrar_case),
        "staff_cost_per_hour": formatted(model.staff_cost_per_hour, "pounds"),
        "payment_fee": formatted(model.payment_fee, "pounds"),
        "message_fee": formatted(model.message_fee, "pounds"),
    }


def _download_name(figures, key: str, extension: str) -> str:
    area = figures.district.code if figures.district else NATIONAL
    return f"{key}-{figures.period_kind}-{area}.{extension}"


@reads_may_lag
@require_GET
def indicator_download(request: HttpRequest, key: str, extension: str) -> HttpResponse:
    """One indicator's series, by period and journey, as CSV or JSON, for the same choice of
    period and district as the page."""
    indicator = INDICATORS.get(key)
    if indicator is None:
        raise Http404("No such indicator")
    form, figures = _figures_or_errors(request)
    if figures is None:
        message = " ".join(str(error) for errors in form.errors.values() for error in errors)
        return json_error_response(400, "invalid", message)
    rows = series_rows(figures, indicator)
    if extension == "json":
        body = {
            "indicator": indicator.key,
            "title": str(indicator.title),
            "description": str(indicator.description),
            "period": figures.period_kind,
            "area": figures.district.code if figures.district else NATIONAL,
            "rows": rows,
        }
        response = HttpResponse(json.dumps(body, ensure_ascii=False), content_type="application/json")
    else:
        response = HttpResponse(csv_text(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_download_name(figures, key, extension)}"'
    return response


def csv_text(rows: list[dict], *, suppressed: str = "") -> str:
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({name: suppressed if value is None else value for name, value in row.items()})
    return out.getvalue()


@reads_may_lag
@require_GET
def open_data_page(request: HttpRequest) -> HttpResponse:
    form = YearForm(request.GET)
    if not form.is_valid():
        return render(
            request,
            "performance/open_data.html",
            {"year_form": form, "error_form": form, "year": None, "threshold": open_data.threshold()},
            status=400,
        )
    return render(
        request,
        "performance/open_data.html",
        {
            "year_form": form,
            "year": form.cleaned_data["year"],
            "datasets": open_data.DATASETS.values(),
            "threshold": open_data.threshold(),
        },
    )
