"""The public index search: exact and sounds-like surnames (phonetic code plus fuzzy matching
for misspellings), forenames, years either side, districts, mothers' maiden surnames, paging,
index fields only, and clear 400s for bad input on the page and the API."""

from __future__ import annotations

from datetime import date
from html import unescape

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from certificates import selectors
from certificates.refusals import SearchRefused
from certificates.selectors import IndexSearch, search_index, trigram_similarity
from registrar.models import IndexName
from tests.factories import RegisterOfficeFactory, historic_birth, historic_death, historic_marriage

pytestmark = pytest.mark.django_db


def names(page) -> list[tuple[str, str]]:
    return [(line.surname, line.forenames) for line in page.lines]


@pytest.fixture
def register():
    leeds = RegisterOfficeFactory(code="E-LEEDS-T", name="Leeds Register Office")
    york = RegisterOfficeFactory(code="E-YORK-T", name="York Register Office")
    historic_birth(leeds, surname="Smith", forenames="Ada Mary", born=date(1950, 3, 14), maiden="Jones")
    historic_birth(leeds, surname="Smyth", forenames="Bernard", born=date(1951, 5, 1), maiden="Evans")
    historic_birth(york, surname="Smythe", forenames="Clara", born=date(1955, 6, 1), maiden="Jones")
    historic_birth(york, surname="Williams", forenames="David John", born=date(1948, 1, 20), maiden="Brown")
    historic_birth(leeds, surname="Thompson", forenames="Edith", born=date(1962, 2, 2), maiden="Hall")
    historic_birth(leeds, surname="Jones", forenames="Frank", born=date(1950, 8, 8), maiden="Smith")
    historic_death(leeds, surname="Smith", forenames="George", died=date(1990, 4, 4), age=81)
    historic_marriage(york, one=("Harry", "Evans"), two=("Ivy", "Smith"), married=date(1975, 8, 2))
    return {"leeds": leeds, "york": york}


def test_an_exact_surname_finds_only_that_surname_in_that_index(register):
    page = search_index(IndexSearch(event="birth", surname="smith"))
    assert names(page) == [("Smith", "Ada Mary")]


def test_sounds_like_finds_other_spellings_by_phonetic_code(register):
    page = search_index(IndexSearch(event="birth", surname="Smith", sounds_like=True))
    assert sorted(names(page)) == [("Smith", "Ada Mary"), ("Smyth", "Bernard"), ("Smythe", "Clara")]


def test_sounds_like_finds_misspellings_that_sound_different(register):
    # Typing slips whose sounds-like code differs from the real name's: trigrams catch them.
    # Metaphone: WILLIANS is WLNS, not WLMS; THOMSPON is 0MSPN, not 0MPSN.
    assert names(search_index(IndexSearch(event="birth", surname="Willians", sounds_like=True))) == [
        ("Williams", "David John")
    ]
    assert names(search_index(IndexSearch(event="birth", surname="Thomspon", sounds_like=True))) == [
        ("Thompson", "Edith")
    ]
    assert names(search_index(IndexSearch(event="birth", surname="Willians"))) == []


def test_sounds_like_does_not_match_everything(register):
    assert names(search_index(IndexSearch(event="birth", surname="Hughes", sounds_like=True))) == []


def test_the_fuzzy_measure_is_pg_trgm_similarity():
    # Figures from PostgreSQL's own similarity() for the same pairs.
    assert trigram_similarity("WILLIAMS", "WILIAMS") == pytest.approx(0.7)
    assert trigram_similarity("SMITH", "SMYTHE") == pytest.approx(0.18181819)
    assert trigram_similarity("THOMPSON", "THOMPSEN") == pytest.approx(0.5)
    assert trigram_similarity("OBRIEN SMITH", "SMITH") == pytest.approx(0.46153846)


def test_years_either_side_bound_the_search(register):
    smiths = IndexSearch(event="birth", surname="Smith", sounds_like=True, year=1950, years_either_side=1)
    assert sorted(names(search_index(smiths))) == [("Smith", "Ada Mary"), ("Smyth", "Bernard")]
    only_1955 = IndexSearch(event="birth", surname="Smith", sounds_like=True, year=1955)
    assert names(search_index(only_1955)) == [("Smythe", "Clara")]


def test_a_district_narrows_the_search(register):
    page = search_index(IndexSearch(event="birth", surname="Smith", sounds_like=True, district=register["york"]))
    assert names(page) == [("Smythe", "Clara")]


def test_forenames_match_the_start_of_any_forename(register):
    assert names(search_index(IndexSearch(event="birth", surname="Williams", forenames="joh"))) == [
        ("Williams", "David John")
    ]
    assert names(search_index(IndexSearch(event="birth", surname="Williams", forenames="ohn"))) == []


def test_mothers_maiden_surname_narrows_births(register):
    page = search_index(IndexSearch(event="birth", surname="Smith", sounds_like=True, mother_maiden_surname="jones"))
    assert sorted(names(page)) == [("Smith", "Ada Mary"), ("Smythe", "Clara")]
    with pytest.raises(SearchRefused) as refused:
        search_index(IndexSearch(event="death", surname="Smith", mother_maiden_surname="Jones"))
    assert refused.value.code == "maiden_surname_births_only"


def test_marriages_are_indexed_under_both_parties(register):
    page = search_index(IndexSearch(event="marriage", surname="Smith"))
    assert [(line.forenames, line.other_surname) for line in page.lines] == [("Ivy", "Evans")]
    page = search_index(IndexSearch(event="marriage", surname="Evans"))
    assert [(line.forenames, line.other_surname) for line in page.lines] == [("Harry", "Smith")]


def test_results_are_paged(register, settings):
    settings.CERTIFICATE_SEARCH_PAGE_SIZE = 2
    first = search_index(IndexSearch(event="birth", surname="Smith", sounds_like=True))
    second = search_index(IndexSearch(event="birth", surname="Smith", sounds_like=True, page=2))
    assert first.total == 3 and first.pages == 2 and first.has_next
    assert len(first.lines) == 2 and len(second.lines) == 1
    assert not {line.pk for line in first.lines} & {line.pk for line in second.lines}
    beyond = search_index(IndexSearch(event="birth", surname="Smith", sounds_like=True, page=99))
    assert beyond.page == 2


def test_a_nonsense_page_number_shows_the_first_page(client, register):
    results_url = client.post(reverse("certificates:search"), {"event": "birth", "surname": "Smith"})["Location"]
    for page in ("-3", "abc", "99999999999999999999"):
        response = client.get(f"{results_url}&page={page}")
        assert response.status_code == 200
        assert response.context["results"].page == 1


def test_too_many_results_are_capped_and_say_so(register, settings):
    settings.CERTIFICATE_SEARCH_MAX_RESULTS = 2
    page = search_index(IndexSearch(event="birth", surname="Smith", sounds_like=True))
    assert page.too_many and page.pages == 1


def test_the_page_shows_index_fields_and_an_order_link_but_not_the_entry(client, register):
    response = client.post(
        reverse("certificates:search"), {"event": "birth", "surname": "Smith", "sounds_like": "on"}, follow=True
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 entries found" in html
    assert "SMYTHE" in html and "York Register Office" in html and "1955, quarter 2" in html
    assert "St Mary" not in html  # place of birth is in the entry, not the index
    assert reverse("certificates:order-start", args=[response.context["results"].lines[0].pk]) in html


@pytest.mark.parametrize(
    "params, message",
    [
        ({"event": "birth", "surname": ""}, "Enter a surname"),
        ({"event": "birth", "surname": "!!!"}, "Surname must include letters"),
        ({"event": "birth", "surname": "Smith", "year": "nineteen"}, "Year must be a number"),
        ({"event": "birth", "surname": "Smith", "year": "1700"}, "Year must be between 1837"),
        ({"event": "birth", "surname": "Smith", "years_either_side": "5"}, "Enter a year to search"),
        ({"event": "birth", "surname": "Smith", "years_either_side": "99", "year": "1950"}, "must be from 0 to 10"),
        ({"event": "birth", "surname": "Smith", "years_either_side": "many", "year": "1950"}, "must be a number"),
        ({"event": "fish", "surname": "Smith"}, "Select a valid choice"),
        ({"event": "death", "surname": "Smith", "mother_maiden_surname": "Jones"}, "only in the index of births"),
        ({"event": "birth", "surname": "Smith", "district": "NOWHERE"}, "Select a district from the list"),
        ({"event": "birth", "surname": "x" * 500}, "100 characters or fewer"),
    ],
)
def test_bad_search_input_is_a_400_with_an_error_summary(client, register, params, message):
    response = client.post(reverse("certificates:search"), params)
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html and message in html


def test_the_api_searches_the_index_without_signing_in(client, register):
    response = client.post(
        "/api/v1/certificates/index",
        {"event": "birth", "surname": "Smith", "sounds_like": "true", "year": "1950", "years_either_side": "1"},
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert sorted((line["surname"], line["year"]) for line in body["results"]) == [("Smith", 1950), ("Smyth", 1951)]
    assert set(body["results"][0]) == {
        "id",
        "event",
        "surname",
        "forenames",
        "other_surname",
        "age",
        "district",
        "district_code",
        "year",
        "quarter",
    }


@pytest.mark.parametrize(
    "params",
    [
        {"surname": "Smith"},
        {"event": "birth"},
        {"event": "birth", "surname": "Smith", "district": "NOPE"},
        {"event": "birth", "surname": "Smith", "year": "nineteen"},
    ],
)
def test_bad_api_searches_get_the_json_error_body(client, register, params):
    response = client.post("/api/v1/certificates/index", params, content_type="application/json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and error["fields"]


@pytest.mark.parametrize(
    "params, code",
    [
        ({"event": "birth", "surname": "123"}, "surname_without_letters"),
        ({"event": "birth", "surname": "Smith", "year": "3000"}, "year_out_of_range"),
        ({"event": "birth", "surname": "Smith", "years_either_side": "2"}, "years_either_side_without_year"),
        (
            {"event": "birth", "surname": "Smith", "year": "1950", "years_either_side": "11"},
            "years_either_side_out_of_range",
        ),
        ({"event": "death", "surname": "Smith", "mother_maiden_surname": "Jones"}, "maiden_surname_births_only"),
    ],
)
def test_a_refused_search_reads_the_same_on_the_page_and_the_api(client, register, params, code):
    page = client.post(reverse("certificates:search"), params)
    api = client.post("/api/v1/certificates/index", params, content_type="application/json")
    error = api.json()["error"]
    assert page.status_code == api.status_code == 400
    assert error["code"] == code
    assert error["message"] in unescape(page.content.decode())


def test_a_too_wide_year_range_reads_the_same_on_the_page_and_the_api_in_english_and_welsh(client, register, settings):
    settings.CERTIFICATE_SEARCH_MAX_YEARS_EITHER_SIDE = 5
    params = {"event": "birth", "surname": "Smith", "year": "1950", "years_either_side": "10"}
    for language, expected in (
        ("en", "Years either side must be from 0 to 5"),
        ("cy", "Rhaid i’r blynyddoedd bob ochr fod rhwng 0 a 5"),
    ):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        page = client.post(reverse("certificates:search"), params)
        api = client.post("/api/v1/certificates/index", params, content_type="application/json")
        assert page.status_code == api.status_code == 400
        assert api.json()["error"] == {"code": "years_either_side_out_of_range", "message": expected}
        html = unescape(page.content.decode())
        assert "govuk-error-summary" in html and expected in html
        assert '<option value="10"' not in html  # the page offers only what the setting allows


def test_the_search_is_posted_and_its_results_are_paged_at_a_token_address(client, register, settings):
    """Names are personal: they go in the body of a POST, never in an address; the results and
    their pages are at ?search=<token>, which means nothing outside this session."""
    settings.CERTIFICATE_SEARCH_PAGE_SIZE = 2
    response = client.post(reverse("certificates:search"), {"event": "birth", "surname": "Smith", "sounds_like": "on"})
    assert response.status_code == 303
    results_url = response["Location"]
    assert "Smith" not in results_url and "surname" not in results_url and "search=" in results_url
    page = client.get(results_url)
    assert page.context["results"].total == 3
    next_url = page.context["next_url"]
    assert "Smith" not in next_url and "page=2" in next_url
    second = client.get(reverse("certificates:search") + next_url)
    assert second.context["results"].page == 2 and "Smith" not in second.context["previous_url"]


def test_a_search_in_the_query_string_is_not_run(client, register):
    response = client.get(reverse("certificates:search"), {"event": "birth", "surname": "Smith"})
    assert response.status_code == 200 and response.context["results"] is None


def test_an_expired_or_made_up_token_asks_for_the_search_again(client, register):
    html = client.get(reverse("certificates:search"), {"search": "made-up"}).content.decode()
    assert "That search has expired" in html


def test_the_api_searches_the_index_by_post_with_the_names_in_the_body(client, register):
    body = {"event": "birth", "surname": "Smith", "sounds_like": True, "year": 1950, "years_either_side": 1}
    response = client.post("/api/v1/certificates/index", body, content_type="application/json")
    assert response.status_code == 200
    assert sorted(line["surname"] for line in response.json()["results"]) == ["Smith", "Smyth"]
    refused = client.post(
        "/api/v1/certificates/index", {"event": "birth", "surname": "123"}, content_type="application/json"
    )
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "surname_without_letters"
    assert client.post("/api/v1/certificates/index", "[1,", content_type="application/json").status_code == 400


@pytest.fixture
def many_surnames(settings):
    """Births under several spellings of one sounds-like surname, interleaved by year, with
    corrections and maiden surnames, so that a page draws from several surnames at once."""
    settings.CERTIFICATE_SEARCH_PAGE_SIZE = 4
    leeds = RegisterOfficeFactory(code="E-LEEDS-P", name="Leeds Register Office")
    spellings = ["Smith", "Smyth", "Smythe", "Smithe"]
    for index in range(23):
        historic_birth(
            leeds,
            surname=spellings[index % len(spellings)],
            forenames=f"Child {index % 3}",
            born=date(1940 + index % 7, 1 + index % 12, 1),
            maiden="Jones" if index % 2 else "Evans",
        )
    return leeds


def _every_page(search: IndexSearch) -> list[int]:
    first = search_index(search)
    found = [line.pk for line in first.lines]
    for number in range(2, first.pages + 1):
        found += [line.pk for line in search_index(IndexSearch(**{**search.__dict__, "page": number})).lines]
    return found


@pytest.mark.parametrize("merged_at_most", [8, 2], ids=["merged", "many-spellings"])
@pytest.mark.parametrize("maiden", ["", "jones"])
def test_a_sounds_like_search_pages_through_every_surname_in_index_order(
    many_surnames, maiden, merged_at_most, monkeypatch
):
    """With few spellings the pages are merged from each spelling's own pages; with more (a
    common surname has ~70), one IN on other databases and one search run per spelling by a
    LATERAL join on PostgreSQL: the same lines in the same order either way."""
    monkeypatch.setattr(selectors, "MERGE_AT_MOST_SURNAMES", merged_at_most)
    search = IndexSearch(event="birth", surname="Smith", sounds_like=True, mother_maiden_surname=maiden)
    expected = list(
        IndexName.objects.filter(event="birth", surname_key__in=["SMITH", "SMYTH", "SMYTHE", "SMITHE"])
        .filter(**({"other_surname__iexact": maiden} if maiden else {}))
        .order_by("year", "quarter", "surname_key", "forenames", "id")
        .values_list("pk", flat=True)
    )
    assert len(expected) == (23 if not maiden else 11)
    assert _every_page(search) == expected


def test_a_page_of_several_surnames_takes_only_that_page_from_each(many_surnames, django_assert_max_num_queries):
    search = IndexSearch(event="birth", surname="Smith", sounds_like=True, page=3)
    with django_assert_max_num_queries(5):
        page = search_index(search)
    assert len(page.lines) == 4 and page.page == 3


@pytest.mark.parametrize(
    "params",
    [
        {"event": "birth", "surname": "Smith"},
        {"event": "birth", "surname": "Smith", "forenames": "John", "mother_maiden_surname": "Jones"},
        {"event": "birth", "year": "1950"},
    ],
)
def test_an_index_search_in_the_address_is_refused_and_says_to_post(client, register, params):
    response = client.get("/api/v1/certificates/index", params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "personal_data_in_address" and "POST" in error["message"]
    assert sorted(error.get("fields", {})) == sorted(set(params) - {"event", "year"})
    assert "Smith" not in response.content.decode() and "results" not in response.json()


def test_an_index_search_in_the_address_is_refused_in_welsh_too(client, register, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    error = client.get("/api/v1/certificates/index", {"event": "birth", "surname": "Smith"}).json()["error"]
    assert error["message"].startswith("Ni ddylid anfon enwau") and error["fields"]["surname"] == [
        "Anfonwch hwn yng nghorff POST, nid yn y cyfeiriad."
    ]


def test_the_schema_documents_the_refused_index_search():
    operation = SchemaGenerator().get_schema(request=None, public=True)["paths"]["/api/v1/certificates/index"]["get"]
    assert (
        operation["deprecated"] is True and "personal_data_in_address" in operation["responses"]["400"]["description"]
    )
    assert "200" not in operation["responses"] and not operation.get("parameters")


def test_sounds_like_reads_the_same_code_and_the_nearest_spellings_only():
    """A surname of the long tail is a near spelling of thousands of others in a national
    register; the search takes those of the same sound first, then the nearest, up to the cap."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from certificates.selectors import SOUNDS_LIKE_AT_MOST_SURNAMES, matching_surname_keys
    from registrar.names import phonetic_code, surname_key
    from registrar.register import HistoricEntry, IndexLine, write_historic_year

    leeds = RegisterOfficeFactory(code="E-LEEDS-N")
    near = [f"{onset}{vowel}xwright" for onset in "BCDFGHMNPRST" for vowel in "aeiou"]  # 60 a letter away
    far = [f"{onset}{vowel}{coda}wright" for onset in "BCDFG" for vowel in "aeiou" for coda in "bdgmn"]  # 125
    same_sound = "Lacswright"
    everyone = ["Laxwright", same_sound, *near, *far]
    assert phonetic_code(same_sound) == phonetic_code("Laxwright")
    assert all(trigram_similarity(surname_key(name), "LAXWRIGHT") >= 0.3 for name in near + far)
    assert min(trigram_similarity(surname_key(name), "LAXWRIGHT") for name in near) > max(
        trigram_similarity(surname_key(name), "LAXWRIGHT") for name in far
    )
    at = datetime(1950, 3, 1, 10, tzinfo=ZoneInfo("Europe/London"))
    write_historic_year(
        year=1950,
        entries=[
            HistoricEntry(at, leeds, "birth", at.date(), name, "Ann", {}, [IndexLine(name, "Ann")]) for name in everyone
        ],
    )
    keys = matching_surname_keys("LAXWRIGHT")
    assert len(keys) == SOUNDS_LIKE_AT_MOST_SURNAMES < len(everyone)
    assert {"LAXWRIGHT", surname_key(same_sound), *(surname_key(name) for name in near)} <= set(keys)
    page = search_index(IndexSearch(event="birth", surname="Laxwright", sounds_like=True))
    assert page.total == SOUNDS_LIKE_AT_MOST_SURNAMES


def _dictionary(*keys: str) -> None:
    from django.db import connection

    from registrar.names import phonetic_of_key

    with connection.cursor() as cursor:
        for key in keys:
            cursor.execute(
                "INSERT INTO registrar_indexsurname (surname_key, surname_phonetic) VALUES (%s, %s)",
                [key, phonetic_of_key(key)],
            )


# LAXWRIGHT's spellings by their similarity to it (pg_trgm's measure): LACSWRIGHT has its code.
NEAREST = {
    0.583: ["LAWRIGHT"],
    0.538: ["BAXWRIGHT", "CAXWRIGHT", "DAXWRIGHT", "FAXWRIGHT"],
    0.462: ["LEWRIGHT", "LIWRIGHT", "LOWRIGHT", "LUWRIGHT"],
    0.429: ["BIXWRIGHT", "BEXWRIGHT"],
    0.357: ["BOWRIGHT", "BIWRIGHT", "BEWRIGHT", "BAWRIGHT"],
    0.333: ["CACWRIGHT", "BUBWRIGHT", "BOBWRIGHT", "BIBWRIGHT", "BEBWRIGHT", "BABWRIGHT"],
    0.308: ["LAXWAB", "LAXWAC"],
    0.231: ["LAXBA", "LAXBE"],  # under the threshold
}


@pytest.mark.parametrize(
    ("similarities", "expected"),
    [
        # Fewer than the cap at 0.4 or more: it is filled down to 0.3, the nearest first and the
        # ties at the cap alphabetical.
        (
            [0.583, 0.538, 0.357, 0.333, 0.308, 0.231],
            ["LAWRIGHT", *NEAREST[0.538], *NEAREST[0.357], "BABWRIGHT"],
        ),
        # More than the cap at 0.4 or more: the nearest of them, the ties at the cap alphabetical.
        ([0.583, 0.538, 0.462, 0.429, 0.357, 0.333], ["LAWRIGHT", *NEAREST[0.538], *NEAREST[0.462], "BEXWRIGHT"]),
        # Exactly the cap at 0.4 or more.
        ([0.538, 0.462, 0.429, 0.357], [*NEAREST[0.538], *NEAREST[0.462], *NEAREST[0.429]]),
        # None near enough: the same sound only.
        ([0.231], []),
    ],
    ids=["down-to-the-threshold", "the-nearest-of-many", "exactly-the-cap", "same-sound-only"],
)
def test_sounds_like_takes_the_same_code_then_the_most_similar_spellings_first(monkeypatch, similarities, expected):
    """The cap (here 12 with the surname itself) is filled by the same sound first, then by the
    spellings most similar to the surname, alphabetically where equally similar, on either
    database."""
    from certificates.selectors import matching_surname_keys
    from registrar.names import phonetic_of_key

    monkeypatch.setattr(selectors, "SOUNDS_LIKE_AT_MOST_SURNAMES", 12)
    assert phonetic_of_key("LACSWRIGHT") == phonetic_of_key("LAXWRIGHT")
    for similarity, spellings in NEAREST.items():
        assert all(trigram_similarity(key, "LAXWRIGHT") == pytest.approx(similarity, abs=0.001) for key in spellings)
        assert all(phonetic_of_key(key) != phonetic_of_key("LAXWRIGHT") for key in spellings)
    _dictionary("LAXWRIGHT", "LACSWRIGHT", *(key for similarity in similarities for key in NEAREST[similarity]))
    assert matching_surname_keys("LAXWRIGHT") == sorted({"LAXWRIGHT", "LACSWRIGHT", *expected})


def test_sounds_like_with_the_cap_filled_by_the_same_sound_reads_no_other_spelling(monkeypatch):
    from certificates.selectors import matching_surname_keys

    monkeypatch.setattr(selectors, "SOUNDS_LIKE_AT_MOST_SURNAMES", 2)
    _dictionary("LAXWRIGHT", "LACSWRIGHT", "LAWRIGHT")
    assert matching_surname_keys("LAXWRIGHT") == ["LACSWRIGHT", "LAXWRIGHT"]


@pytest.mark.postgres_only
def test_each_spelling_of_a_page_is_read_by_its_own_surname_only(many_surnames, monkeypatch):
    """Each spelling's run of the search reads its lines by `surname_key = spelling` alone: with
    the search's `IN` over every spelling beside it, the b-tree gave no year order and every line
    of each spelling was sorted (78,620 for JONES at 10,000,000 entries) to take a page of them.
    The correction rule still looks among every spelling's lines."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(selectors, "MERGE_AT_MOST_SURNAMES", 2)
    with CaptureQueriesContext(connection) as captured:
        search_index(IndexSearch(event="birth", surname="Smith", sounds_like=True))
    [per_spelling] = [query["sql"] for query in captured.captured_queries if "LATERAL" in query["sql"]]
    assert "registrar_indexname.surname_key = spelling.key" in per_spelling
    assert '"registrar_indexname"."surname_key" IN' not in per_spelling
    assert 'U0."surname_key" IN' in per_spelling
