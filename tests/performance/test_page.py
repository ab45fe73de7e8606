"""The public performance page: no sign-in, the four indicators per journey, each chart an SVG
image with a title and a description beside a table of the same numbers, the cost formula, CSV
and JSON downloads of every series, Welsh, and clear 4xx answers to bad input."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from performance.models import FeedbackResponse
from tests.factories import RegisterOfficeFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def journeys():
    office = RegisterOfficeFactory(code="E-LEEDS-PG", name="Leeds Register Office")
    RegistrationFactory(district=office, status="registered", made_by=None)
    RegistrationFactory(district=office, status="registered")
    RegistrationFactory(district=office, status="draft")
    for rating in (5, 4, 1):
        FeedbackResponse.objects.create(journey="birth", rating=rating)
    return office


def test_the_page_is_public_and_shows_the_four_indicators(client, journeys):
    response = client.get("/performance/")
    html = response.content.decode()
    assert response.status_code == 200
    for title in ("Completion rate", "Digital take-up", "User satisfaction", "Cost per transaction"):
        assert f">{title}</h2>" in html
    for journey in ("Register a birth", "Register a death", "Book a ceremony", "Order a certificate"):
        assert journey in html


def test_each_chart_is_an_image_described_in_words_beside_a_table_of_its_numbers(client, journeys):
    html = client.get("/performance/").content.decode()
    charts = re.findall(r'<svg class="app-chart".*?</svg>', html, re.S)
    assert len(charts) == 4
    for chart in charts:
        labelled = re.search(r'role="img" aria-labelledby="([^" ]+) ([^"]+)"', chart)
        assert labelled, chart[:200]
        assert f'<title id="{labelled.group(1)}">' in chart and f'<desc id="{labelled.group(2)}">' in chart
    completion = next(chart for chart in charts if "chart-completion-rate" in chart)
    description = re.search(r"<desc[^>]*>(.*?)</desc>", completion, re.S).group(1)
    assert "Register a birth: 66.7%" in description
    # The same figure in the table beside the chart.
    table = html.split('id="completion-rate"')[1].split("</table>")[0]
    assert re.search(r"Register a birth</th><td[^>]*>66.7%</td>", table)
    satisfaction = html.split('id="user-satisfaction"')[1].split("</table>")[0]
    assert re.search(r"Register a birth</th><td[^>]*>66.7%</td>", satisfaction)


def test_the_cost_formula_and_the_cost_model_are_shown(client, settings):
    settings.PERFORMANCE_COST_MODEL = {**settings.PERFORMANCE_COST_MODEL, "staff_cost_per_hour": "31.50"}
    html = client.get("/performance/").content.decode()
    assert "How cost per transaction is worked out" in html
    assert "staff minutes per case ÷ 60 × staff cost per hour" in html
    assert "£31.50" in html


def test_the_page_has_no_inline_styles_or_scripts(client, journeys):
    html = client.get("/performance/").content.decode()
    assert " style=" not in html
    assert re.search(r"<script(?![^>]*\bsrc=)", html) is None


def test_a_district_and_weeks_can_be_chosen(client, journeys):
    html = client.get("/performance/", {"period": "week", "district": journeys.code}).content.decode()
    assert "Figures for Leeds Register Office" in html and "the last 13 weeks" in html
    assert "Week starting" in html


@pytest.mark.parametrize("query", [{"period": "year"}, {"district": "NOWHERE"}, {"period": "<script>"}])
def test_bad_choices_are_a_400_with_the_error_summary(client, query):
    response = client.get("/performance/", query)
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html and "<title>Error:" in html


def test_every_series_downloads_as_csv_and_json(client, journeys):
    for key in ("completion-rate", "digital-take-up", "user-satisfaction", "cost-per-transaction"):
        csv_response = client.get(f"/performance/{key}.csv")
        assert csv_response.status_code == 200 and csv_response["Content-Type"].startswith("text/csv")
        assert f'filename="{key}-month-E+W.csv"' in csv_response["Content-Disposition"]
        rows = list(csv.DictReader(io.StringIO(csv_response.content.decode())))
        assert len(rows) == 12 * 6
        body = json.loads(client.get(f"/performance/{key}.json").content)
        assert body["indicator"] == key and len(body["rows"]) == 12 * 6
    rows = json.loads(client.get("/performance/completion-rate.json").content)["rows"]
    november = next(row for row in rows if row["period"] == "2026-11-01" and row["journey"] == "birth")
    assert november == {
        "period": "2026-11-01",
        "journey": "birth",
        "started": 3,
        "finished": 2,
        "completion_rate_percent": "66.7",
    }


def test_a_download_follows_the_district_and_period_chosen(client, journeys):
    response = client.get("/performance/completion-rate.csv", {"period": "week", "district": journeys.code})
    assert 'filename="completion-rate-week-E-LEEDS-PG.csv"' in response["Content-Disposition"]
    assert len(response.content.decode().strip().splitlines()) == 1 + 13 * 6


def test_bad_input_to_a_download_is_a_clear_4xx(client):
    response = client.get("/performance/completion-rate.json", {"district": "NOWHERE"})
    assert response.status_code == 400
    assert json.loads(response.content)["error"]["code"] == "invalid"
    assert client.get("/performance/happiness.csv").status_code == 404
    assert client.get("/performance/completion-rate.xml").status_code == 404


def test_the_page_is_in_welsh(client, journeys):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    html = client.get("/performance/").content.decode()
    assert '<html lang="cy"' in html
    assert "Perfformiad y gwasanaeth" in html and "Cyfradd cwblhau" in html and "Cofrestru genedigaeth" in html


def test_the_page_takes_a_few_queries_however_many_journeys(client, journeys, django_assert_max_num_queries):
    for _ in range(10):
        RegistrationFactory(district=journeys, status="registered")
    with django_assert_max_num_queries(12):
        assert client.get("/performance/").status_code == 200


def test_each_download_takes_as_many_queries_however_many_rows_and_districts(client, journeys):
    paths = [
        f"/performance/{key}.{extension}"
        for key in ("completion-rate", "digital-take-up", "user-satisfaction", "cost-per-transaction")
        for extension in ("csv", "json")
    ]
    queries = [{}, {"period": "week", "district": journeys.code}]

    def counted() -> list[int]:
        numbers = []
        for path in paths:
            for query in queries:
                with CaptureQueriesContext(connection) as captured:
                    assert client.get(path, query).status_code == 200
                numbers.append(len(captured))
        return numbers

    before = counted()
    assert max(before) <= 14
    for number in range(4):
        other = RegisterOfficeFactory(code=f"E-MORE-PG-{number}")
        for status in ("registered", "draft", "registered"):
            RegistrationFactory(district=(journeys, other)[number % 2], status=status)
        FeedbackResponse.objects.create(journey="death", rating=number + 1)
    assert counted() == before
