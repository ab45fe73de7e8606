"""The open data files through the API (JSON and CSV), the download page and the publishing
command: counted from the register by registration date, the historic registers left out, and
never a published count below the threshold; bad input is a clear 4xx."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from performance.open_data import DATASETS
from registrar.models import RegisterEntry
from tests.factories import RegisterOfficeFactory

pytestmark = pytest.mark.django_db

THRESHOLD = 10


@pytest.fixture(autouse=True)
def _threshold(settings):
    settings.OPEN_DATA_MIN_COUNT = THRESHOLD


def _entries(district, *, event="birth", sex="female", count=1, when=None, historic=False):
    when = when or timezone.now()
    start = RegisterEntry.objects.filter(district=district, event=event).count()
    for number in range(start + 1, start + count + 1):
        RegisterEntry.objects.create(
            district=district,
            event=event,
            year=when.year,
            number=number,
            event_date=when.date(),
            surname="Test",
            forenames="Someone",
            particulars={"sex": sex},
            registered_at=when,
            historic=historic,
        )


@pytest.fixture
def births():
    """November: Leeds 40 girls and 30 boys, Bradford 12 and 11, York 3 girls (too few to publish)."""
    region = "Yorkshire and the Humber"
    leeds = RegisterOfficeFactory(code="E-LEEDS-OD", name="Leeds Register Office", region=region)
    bradford = RegisterOfficeFactory(code="E-BRADFORD-OD", name="Bradford Register Office", region=region)
    york = RegisterOfficeFactory(code="E-YORK-OD", name="York Register Office", region=region)
    _entries(leeds, sex="female", count=40)
    _entries(leeds, sex="male", count=30)
    _entries(bradford, sex="female", count=12)
    _entries(bradford, sex="male", count=11)
    _entries(york, sex="female", count=3)
    _entries(leeds, sex="female", count=30, historic=True)  # the paper registers: not counted
    return leeds, york


def _rows(client, dataset, **query):
    response = client.get(f"/api/v1/open-data/{dataset}", query)
    assert response.status_code == 200, response.content
    return response.json()["rows"]


def _published_counts(rows, columns):
    return [row[name] for row in rows for name in columns if row[name] is not None]


def test_births_are_published_by_month_district_and_sex_without_small_counts(client, births):
    rows = _rows(client, "births-by-month", year=2026)
    leeds = next(row for row in rows if row["area_code"] == "E-LEEDS-OD")
    york = next(row for row in rows if row["area_code"] == "E-YORK-OD")
    national = next(row for row in rows if row["area_code"] == "E+W")
    assert leeds["period"] == "2026-11-01" and leeds["area_name"] == "Leeds Register Office"
    assert leeds["female"] == 40 and leeds["total"] == 70
    assert york["female"] is None and york["total"] is None  # 3: too few
    # Bradford's girls and total go with York's, or the national counts would give York's back.
    bradford = next(row for row in rows if row["area_code"] == "E-BRADFORD-OD")
    assert bradford["female"] is None and bradford["total"] is None
    assert national["female"] == 55 and national["total"] == 96
    counts = _published_counts(rows, ["female", "male", "other", "total"])
    assert counts and min(counts) >= THRESHOLD
    # No row holds a single hidden count that its total would give back.
    for row in rows:
        hidden = [name for name in ("female", "male", "other", "total") if row[name] is None]
        assert len(hidden) != 1


def test_deaths_by_week_are_by_region(client, births):
    leeds, _york = births
    _entries(leeds, event="death", sex="male", count=14)
    rows = _rows(client, "deaths-by-week", year=2026)
    region = next(row for row in rows if row["area_code"] == "Yorkshire and the Humber")
    assert region["period"] == "2026-11-16" and region["total"] == 14


def test_deaths_by_month_give_no_hidden_count_back_through_the_regions_weekly_totals(client):
    # A year of weeks adds up to each region's deaths in the year, so a region holding a single
    # hidden count among its districts would give it back.
    yorkshire, wales = "Yorkshire and the Humber", "Wales"
    leeds = RegisterOfficeFactory(code="E-LEEDS-RG", name="Leeds Register Office", region=yorkshire)
    york = RegisterOfficeFactory(code="E-YORK-RG", name="York Register Office", region=yorkshire)
    cardiff = RegisterOfficeFactory(code="W-CARDIFF-RG", name="Cardiff Register Office", region=wales)
    swansea = RegisterOfficeFactory(code="W-SWANSEA-RG", name="Swansea Register Office", region=wales)
    _entries(leeds, event="death", sex="female", count=40)
    _entries(leeds, event="death", sex="male", count=30)
    _entries(york, event="death", sex="female", count=3)
    _entries(york, event="death", sex="male", count=25)
    _entries(cardiff, event="death", sex="female", count=12)
    _entries(cardiff, event="death", sex="male", count=11)
    _entries(swansea, event="death", sex="female", count=35)
    _entries(swansea, event="death", sex="male", count=36)
    rows = {row["area_code"]: row for row in _rows(client, "deaths-by-month", year=timezone.now().year)}
    assert rows["E-YORK-RG"]["female"] is None
    # Cardiff's 12 girls, the smallest in the column, would have gone with York's alone.
    assert rows["E-LEEDS-RG"]["female"] is None
    for districts in (("E-LEEDS-RG", "E-YORK-RG"), ("W-CARDIFF-RG", "W-SWANSEA-RG")):
        for column in ("female", "male", "other", "total"):
            assert [rows[code][column] for code in districts].count(None) != 1
    # Births have no regional series, so nothing more is hidden there than the table needs.
    assert DATASETS["births-by-month"].also_by_region is False


def test_marriages_and_civil_partnerships_by_month_and_district(client, births):
    leeds, _york = births
    _entries(leeds, event="marriage", count=15)
    _entries(leeds, event="civil_partnership", count=2)
    rows = _rows(client, "marriages-and-civil-partnerships-by-month", year=2026)
    leeds_row = next(row for row in rows if row["area_code"] == "E-LEEDS-OD")
    assert leeds_row["civil_partnership"] is None and leeds_row["marriage"] is None  # 2 would be 17 − 15
    assert leeds_row["total"] == 17


def test_the_csv_marks_suppressed_counts(client, births):
    response = client.get("/api/v1/open-data/births-by-month", {"year": 2026, "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'filename="births-by-month-2026.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    york = next(row for row in rows if row["area_code"] == "E-YORK-OD")
    assert york["female"] == "[c]" and york["total"] == "[c]"
    assert all(value == "[c]" or int(value) >= THRESHOLD for row in rows for value in list(row.values())[3:])


def test_another_year_has_its_own_counts(client, births):
    assert _rows(client, "births-by-month", year=2025) == []


@pytest.mark.parametrize(
    "path, status",
    [
        ("/api/v1/open-data/births-by-month?year=1800", 400),
        ("/api/v1/open-data/births-by-month?year=3000", 400),
        ("/api/v1/open-data/births-by-month?year=soon", 400),
        ("/api/v1/open-data/parking-tickets", 404),
        ("/api/v1/open-data/births-by-month?format=xml", 404),
    ],
)
def test_bad_input_to_the_api_is_a_clear_4xx(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    assert "error" in response.json()


def test_the_download_page_documents_the_threshold_and_links_every_file(client):
    html = client.get("/performance/open-data/", {"year": "2026"}).content.decode()
    assert f"a count below {THRESHOLD} is never published" in html
    for dataset in (
        "births-by-month",
        "deaths-by-month",
        "deaths-by-week",
        "marriages-and-civil-partnerships-by-month",
    ):
        assert f"/api/v1/open-data/{dataset}?year=2026&amp;format=csv" in html


@pytest.mark.parametrize("year", ["1999", "next", "2027"])
def test_a_bad_year_on_the_download_page_is_a_400(client, year):
    response = client.get("/performance/open-data/", {"year": year})
    assert response.status_code == 400 and "There is a problem" in response.content.decode()


def test_the_command_writes_the_same_files_as_the_api(client, births, tmp_path):
    call_command("publish_open_data", to=str(tmp_path / "out"), year=2026, stdout=io.StringIO())
    written = json.loads((tmp_path / "out/births-by-month-2026.json").read_text())
    assert written == client.get("/api/v1/open-data/births-by-month", {"year": 2026}).json()
    assert (tmp_path / "out/births-by-month-2026.csv").read_bytes() == client.get(
        "/api/v1/open-data/births-by-month", {"year": 2026, "format": "csv"}
    ).content
    assert len(list((tmp_path / "out").iterdir())) == 8


def test_the_command_refuses_a_bad_year_or_a_file_for_a_folder(tmp_path):
    with pytest.raises(CommandError):
        call_command("publish_open_data", to=str(tmp_path), year=1800)
    (tmp_path / "file").write_text("x")
    with pytest.raises(CommandError):
        call_command("publish_open_data", to=str(tmp_path / "file"))


def test_the_open_data_operation_is_in_the_schema():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/open-data/{dataset}"]["get"]
    assert set(operation["responses"]["200"]["content"]) == {"application/json", "text/csv"}
    assert {parameter["name"] for parameter in operation["parameters"]} >= {"dataset", "year", "format"}


def test_counts_take_two_queries_however_many_districts(client, births, django_assert_max_num_queries):
    for number in range(5):
        _entries(RegisterOfficeFactory(code=f"E-MORE-{number}"), count=2)
    from performance.open_data import publication

    with django_assert_max_num_queries(2):
        publication("births-by-month", year=2026)


def test_the_api_takes_as_many_queries_however_many_districts_and_entries(client, births):
    year = timezone.now().year
    leeds, _york = births
    _entries(leeds, event="death", count=1)
    _entries(leeds, event="marriage", count=1)

    def counted() -> list[int]:
        numbers = []
        for dataset in ("births-by-month", "deaths-by-week", "marriages-and-civil-partnerships-by-month"):
            for extension in ("json", "csv"):
                with CaptureQueriesContext(connection) as captured:
                    assert (
                        client.get(f"/api/v1/open-data/{dataset}", {"year": year, "format": extension}).status_code
                        == 200
                    )
                numbers.append(len(captured))
        return numbers

    before = counted()
    assert max(before) <= 4
    for number in range(5):
        district = RegisterOfficeFactory(code=f"E-MORE-API-{number}", region="Wales")
        _entries(district, count=3)
        _entries(district, event="death", sex="male", count=2)
        _entries(district, event="marriage", count=2)
    assert counted() == before


def test_an_error_is_json_even_when_csv_was_asked_for(client):
    response = client.get("/api/v1/open-data/births-by-month", {"year": "1800", "format": "csv"})
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert response.json()["error"]["fields"]["year"]
