"""Places: postcodes and towns placed by the shipped outcode file, the registration district of a
postcode (the office of its local authority, else the nearest in the same country), the nearest
offices, distances, and a clear answer for postcodes outside England and Wales or unknown."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from core import places
from core.places import (
    OUTWARD_CODE,
    POSTCODE_INVALID,
    POSTCODE_OUTSIDE_ENGLAND_AND_WALES,
    POSTCODE_UNKNOWN,
    distance_km,
    locate,
    locate_postcode,
    nearest_offices,
    normalise_postcode,
    outcodes,
    postcode_problem,
    registration_district_for,
)
from tests.factories import make_real_offices

OUTCODES = sorted(outcodes())
# Sub-districts the file may lack (W1A, EC1M...): a letter after a one-digit district.
SUB_DISTRICTS = sorted(
    code + letter
    for code in OUTCODES
    if re.fullmatch(r"[A-Z]{1,2}[0-9]", code)
    for letter in "ABCDEFGHJKMNPRSTUVWXY"
    if OUTWARD_CODE.match(code + letter)
)
INWARD = st.from_regex(r"\A[0-9][ABD-HJLNP-UW-Z]{2}\Z")


# --- Postcodes and the outcode file -----------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("sw1a1aa", "SW1A 1AA"),
        ("LS1 3AD", "LS1 3AD"),
        (" cf10 4uw ", "CF10 4UW"),
        ("M1 1AE", "M1 1AE"),
        ("GIR0AA", "GIR 0AA"),
    ],
)
def test_valid_postcodes_are_normalised(raw, expected):
    assert normalise_postcode(raw) == expected


@pytest.mark.parametrize("raw", ["", "SW1A", "12345", "QW1 1AA", "SW1A 1CA", "SW1A1AAA", "LS1 3A"])
def test_invalid_postcodes_are_refused(raw):
    assert normalise_postcode(raw) is None


def test_the_outcode_file_has_every_district_of_england_and_wales_once():
    table = outcodes()
    assert len(table) == 2313
    assert all(OUTWARD_CODE.match(code) for code in table)
    assert {outcode.country for outcode in table.values()} == {places.ENGLAND, places.WALES}
    assert table["LS1"].local_authority == "Leeds" and table["CF10"].country == places.WALES


def test_flintshire_is_in_wales_although_the_file_marks_some_of_it_england():
    assert {outcodes()[code].country for code in ("CH4", "CH5", "CH6", "CH7", "CH8")} == {places.WALES}
    assert outcodes()["CH1"].country == places.ENGLAND  # Chester


def test_a_full_postcode_or_an_outward_code_is_placed_at_its_district():
    place = locate("ls1 3ad")
    assert (place.name, place.outcode, place.local_authority, place.country) == ("LS1 3AD", "LS1", "Leeds", "ENG")
    assert place.point == (outcodes()["LS1"].latitude, outcodes()["LS1"].longitude)
    assert locate("cf10").outcode == "CF10" and locate("CF10").country == places.WALES


@pytest.mark.parametrize(
    "postcode, outcode",
    [("W1A 1AA", "W1"), ("EC1P 1AA", "EC1"), ("EC4P 4BQ", "EC4"), ("N1P 2AA", "N1"), ("NW1W 9YY", "NW1")],
)
def test_a_sub_district_missing_from_the_file_falls_back_to_its_district(postcode, outcode):
    assert postcode_problem(postcode) is None
    assert locate_postcode(postcode).outcode == outcode


def test_a_sub_district_in_the_file_is_used_as_it_is():
    assert locate("EC1M 5AA").outcode == "EC1M" and locate("SW1A 1AA").outcode == "SW1A"


@pytest.mark.parametrize("postcode", ["EH1 1YZ", "G1 1AA", "BT1 1AA", "AB10 1AB", "JE2 3AB"])
def test_a_postcode_outside_england_and_wales_is_not_placed_and_says_why(postcode):
    assert locate(postcode) is None
    assert registration_district_for(postcode) is None
    assert postcode_problem(postcode) == POSTCODE_OUTSIDE_ENGLAND_AND_WALES


@pytest.mark.parametrize("value", ["", "   ", "not a postcode", "12345", "SW1A 1CA", "x" * 500, "ZZ1 1ZZ"])
def test_nonsense_is_an_invalid_postcode(value):
    assert locate_postcode(value) is None
    assert registration_district_for(value) is None
    assert postcode_problem(value) == POSTCODE_INVALID


@pytest.mark.parametrize("postcode", ["GIR 0AA", "TD15 1AA", "LS99 1AA"])
def test_a_well_formed_postcode_the_file_does_not_know_is_unknown(postcode):
    assert locate(postcode) is None
    assert postcode_problem(postcode) == POSTCODE_UNKNOWN


@given(st.text(max_size=40))
def test_any_text_gets_an_answer_and_never_an_exception(value):
    problem = postcode_problem(value)
    assert problem in {None, POSTCODE_INVALID, POSTCODE_OUTSIDE_ENGLAND_AND_WALES, POSTCODE_UNKNOWN}
    assert (locate_postcode(value) is None) == (problem is not None)


# --- Towns ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, authority, country",
    [
        ("Leeds", "Leeds", "ENG"),  # a local authority of the file
        ("newport", "Newport", "WLS"),  # the Welsh city, not the villages called Newport
        ("Kingston upon Thames", "Greater London", "ENG"),  # a town of the file
        ("BATH", "Bath and North East Somerset", "ENG"),
    ],
)
def test_a_town_is_placed_by_the_outcode_file_ignoring_case(name, authority, country):
    place = locate(name)
    assert (place.local_authority, place.country) == (authority, country)


def test_a_town_only_the_offices_know_is_placed_at_their_postcodes(offices):
    cambridge = locate("Cambridge")
    assert cambridge.local_authority == "Cambridgeshire"
    assert cambridge.point == (outcodes()["CB3"].latitude, outcodes()["CB3"].longitude)
    assert locate("Hereford").local_authority == "Herefordshire"


@pytest.mark.django_db
def test_an_unknown_place_is_not_placed():
    assert locate("Nowhere-on-Sea") is None and locate("") is None and locate("y" * 200) is None


# --- Distances and the nearest offices -------------------------------------------------------------


def test_distance_is_the_great_circle_distance():
    leeds, manchester = locate("LS1").point, locate("M1").point
    assert distance_km(leeds, manchester) == pytest.approx(57.9, abs=0.5)
    assert distance_km(leeds, manchester) == pytest.approx(distance_km(manchester, leeds))
    assert distance_km(leeds, leeds) == 0


def test_nearest_offices_are_in_order_of_distance_from_their_own_postcodes(offices):
    cardiff = locate("CF10 1EP").point
    nearest = nearest_offices(cardiff, limit=3)
    assert [office.code for office in nearest][0] == "W-CARDIFF" and len(nearest) == 3
    distances = [distance_km(cardiff, locate_postcode(office.postcode).point) for office in nearest]
    assert distances == sorted(distances)
    assert len(nearest_offices(cardiff, limit=500)) == 175


# --- Registration districts ---------------------------------------------------------------------------


def test_every_office_is_placed_by_its_own_postcode_and_is_the_district_of_it(offices):
    assert len(offices) == 175
    for office in offices.values():
        place = locate_postcode(office.postcode)
        assert place.outcode == office.postcode.split(" ")[0], office.code  # no fallback needed
        assert registration_district_for(office.postcode) == office


@pytest.mark.parametrize(
    "postcode, code",
    [
        # Central London. The file names Westminster and the City of London as authorities but
        # gives the other boroughs only as "Greater London": there the nearest borough office.
        ("SW1A 1AA", "E-WESTMINSTER"),
        ("W1A 1AA", "E-WESTMINSTER"),  # not Warrington's WA
        ("WC2N 5DU", "E-WESTMINSTER"),
        ("EC4P 4BQ", "E-CITYLONDON"),
        ("EC2V 7HH", "E-CITYLONDON"),
        ("EC1A 1BB", "E-CAMDEN"),  # "Greater London" in the file; Camden's office is nearest
        ("N1C 4AG", "E-WESTMINSTER"),  # likewise: NW1 (Westminster's office) is nearest King's Cross
        ("E1W 1AA", "E-TOWERHAMLETS"),
        ("N1P 2AA", "E-ISLINGTON"),
        # Wales
        ("CF10 1EP", "W-CARDIFF"),
        ("CF62 4AA", "W-VALEGLAM"),
        ("LL11 1AA", "W-WREXHAM"),
        ("LL55 2AY", "W-GWYNEDD"),
        ("SA1 1AA", "W-SWANSEA"),
        ("NP20 4UR", "W-NEWPORT"),
        ("SY23 1DX", "W-CEREDIGION"),
        ("CH5 1AA", "W-FLINTSHIRE"),
        # England
        ("LS1", "E-LEEDS"),
        ("M1", "E-MANCHESTER"),
        ("B1", "E-BIRMINGHAM"),
        ("YO1 7HH", "E-YORK"),
        ("BS1 4ST", "E-BRISTOL"),
        ("OX1 2JD", "E-OXFORDSHIRE"),
        ("CB2 1TN", "E-CAMBRIDGESHIRE"),
        ("NE1 7RU", "E-NEWCASTLE"),
        ("L1 8JQ", "E-LIVERPOOL"),
        ("S1 2HE", "E-SHEFFIELD"),
        ("TR21 0JY", "E-SCILLY"),
        ("PO30 1UD", "E-IOW"),
        ("LE1 6ZG", "E-LEICESTER"),
        ("LE11 3AA", "E-LEICESTERSHIRE"),  # named after its authority; its own LE3 is "Leicester"
        ("BH15 1AA", "E-BCP"),  # Poole has no office of its own in the file: the nearest
        ("CA3 8NA", "E-CUMBERLAND"),  # Cumbria has two offices: the nearer
        ("LA9 4DH", "E-WESTMORLAND"),
        ("NN1 1DE", "E-WNORTHANTS"),
        ("NN16 8AA", "E-NNORTHANTS"),
    ],
)
def test_a_postcode_is_registered_at_the_office_of_its_local_authority(offices, postcode, code):
    assert registration_district_for(postcode).code == code


def test_without_an_office_of_its_own_a_welsh_postcode_goes_to_a_welsh_office(db):
    offices = make_real_offices("E-CHESHIREWC", "W-WREXHAM")
    # Shotton (Flintshire) is nearer Chester, but registration does not cross the border.
    shotton = locate("CH5 1AA").point
    assert nearest_offices(shotton, limit=1) == [offices["E-CHESHIREWC"]]
    assert registration_district_for("CH5 1AA") == offices["W-WREXHAM"]


def test_a_new_or_moved_office_is_seen_at_once(db):
    leeds = make_real_offices("E-LEEDS")["E-LEEDS"]
    assert registration_district_for("CF10 1EP") == leeds  # the only office
    cardiff = make_real_offices("W-CARDIFF")["W-CARDIFF"]
    assert registration_district_for("CF10 1EP") == cardiff
    cardiff.postcode = "LL11 1AY"
    cardiff.save()
    assert registration_district_for("LL11 1AA") == cardiff


def test_an_office_changed_without_save_or_removed_is_seen_at_once(db):
    offices = make_real_offices("E-LEEDS", "W-CARDIFF")
    leeds, cardiff = offices["E-LEEDS"], offices["W-CARDIFF"]
    office_rows = type(leeds).objects
    assert registration_district_for("LL11 1AA") == cardiff  # the only office in Wales
    # A bulk update sends no signal (and could as well come from another process).
    office_rows.filter(code="E-LEEDS").update(postcode="LL11 1AY")
    moved = registration_district_for("LL11 1AA")
    assert moved == leeds and moved.postcode == "LL11 1AY"
    office_rows.filter(code="E-LEEDS").update(welsh_name="Swyddfa Gofrestru Leeds")
    assert registration_district_for("LL11 1AA").welsh_name == "Swyddfa Gofrestru Leeds"
    leeds.delete()
    assert registration_district_for("LL11 1AA") == cardiff
    assert nearest_offices((53.8, -1.5)) == [cardiff]


def test_an_office_a_caller_changes_is_not_what_the_next_caller_gets(db):
    leeds = make_real_offices("E-LEEDS")["E-LEEDS"]
    first = registration_district_for("LS1 3AD")
    first.name = "Changed in memory only"
    again = registration_district_for("LS1 3AD")
    assert again == leeds and again.name == leeds.name and again is not first


@pytest.mark.django_db
def test_without_offices_there_is_no_district():
    assert registration_district_for("LS1 3AD") is None and nearest_offices((53.8, -1.5)) == []


@hypothesis_settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    outward=st.one_of(st.sampled_from(OUTCODES), st.sampled_from(SUB_DISTRICTS)),
    inward=INWARD,
    spaced=st.booleans(),
    lower=st.booleans(),
)
def test_every_postcode_of_england_and_wales_has_an_office_in_its_own_country(offices, outward, inward, spaced, lower):
    postcode = f"{outward}{' ' if spaced else ''}{inward}"
    postcode = postcode.lower() if lower else postcode
    assert postcode_problem(postcode) is None
    office = registration_district_for(postcode)
    assert office is not None, postcode
    assert locate_postcode(office.postcode).country == locate_postcode(postcode).country


# --- The settings hook --------------------------------------------------------------------------------


def test_core_reaches_the_offices_through_the_settings_hook_and_imports_no_app():
    assert settings.PLACES_OFFICE_MODEL == "identity.RegisterOffice"
    apps_of_the_service = {"identity", "registrar", "booking", "certificates", "config"}
    for path in Path(places.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not {name.split(".")[0] for name in names} & apps_of_the_service, path.name
