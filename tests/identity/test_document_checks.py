"""MRZ (ICAO 9303 TD3) with the ICAO specimen passport and single-character corruptions,
licence numbers and proof-of-address rules."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from identity import checks

# The ICAO Doc 9303 specimen passport: Anna Maria Eriksson, Utopia.
LINE1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
LINE2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
MRZ_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<"


def test_icao_specimen_passes_every_check():
    mrz, result = checks.parse_td3(LINE1, LINE2)
    assert result.passed, result.reasons
    assert mrz.document_number == "L898902C3"
    assert mrz.nationality == "UTO" and mrz.issuing_state == "UTO"
    assert mrz.birth_date == date(1974, 8, 12)
    assert mrz.expiry_date == date(2012, 4, 15)
    assert mrz.sex == "F"
    assert mrz.personal_number == "ZE184226B"
    assert (mrz.surname, mrz.given_names) == ("ERIKSSON", "ANNA MARIA")


def test_check_digits_of_the_specimen():
    assert checks.check_digit("L898902C3") == 6
    assert checks.check_digit("740812") == 2
    assert checks.check_digit("120415") == 9
    assert checks.check_digit("ZE184226B<<<<<") == 1


def _value(char: str) -> int:
    return 0 if char == "<" else int(char) if char.isdigit() else ord(char) - 55


@pytest.mark.parametrize("position", [p for p in range(44) if p not in (10, 11, 12, 20)])
def test_single_character_corruptions_of_a_checked_field_are_caught(position):
    # Positions 10-12 (nationality) and 20 (sex) are outside every check digit by design.
    # Weights 7, 3, 1 are coprime to 10, so any change of value that is not a multiple of 10 is
    # caught; a swap such as L (21) for 1 is invisible to ICAO's scheme and is left to the
    # typed-details comparison.
    for replacement in MRZ_ALPHABET:
        if (_value(replacement) - _value(LINE2[position])) % 10 == 0:
            continue
        corrupted = LINE2[:position] + replacement + LINE2[position + 1 :]
        _mrz, result = checks.parse_td3(LINE1, corrupted)
        assert not result.passed, (position, replacement)


@pytest.mark.parametrize(
    "line2, reason",
    [
        ("L898902C35UTO7408122F1204159ZE184226B<<<<<10", "mrz_number_check"),
        ("L898902C36UTO7408123F1204159ZE184226B<<<<<10", "mrz_birth_check"),
        ("L898902C36UTO7408122F1204158ZE184226B<<<<<10", "mrz_expiry_check"),
        ("L898902C36UTO7408122F1204159ZE184226B<<<<<20", "mrz_personal_check"),
        ("L898902C36UTO7408122F1204159ZE184226B<<<<<11", "mrz_composite_check"),
    ],
)
def test_each_check_digit_has_its_own_reason(line2, reason):
    _mrz, result = checks.parse_td3(LINE1, line2)
    assert reason in result.reasons
    assert result.messages()


@pytest.mark.parametrize(
    "line1, line2",
    [
        ("", ""),
        (LINE1, LINE2[:-1]),
        (LINE1, LINE2 + "<"),
        (LINE1, LINE2.lower().replace("<", "!")),
        ("I" + LINE1[1:], LINE2),
    ],
)
def test_malformed_lines_are_a_format_error(line1, line2):
    mrz, result = checks.parse_td3(line1, line2)
    assert mrz is None or result.reasons
    assert result.reasons == ["mrz_format"] or "mrz_format" in result.reasons or mrz is not None


def test_lines_with_spaces_and_lower_case_are_normalised():
    spaced = " ".join(LINE2[i : i + 11] for i in range(0, 44, 11)).lower()
    _mrz, result = checks.parse_td3(LINE1.lower(), spaced)
    assert result.passed


@given(st.text(alphabet=MRZ_ALPHABET + " abc!é", max_size=50), st.text(alphabet=MRZ_ALPHABET, max_size=50))
def test_parser_never_crashes(line1, line2):
    checks.parse_td3(line1, line2)


def test_typed_details_are_compared_with_the_mrz():
    mrz, _ = checks.parse_td3(LINE1, LINE2)
    ok = checks.compare_with_mrz(
        mrz,
        document_number="l898902c3",
        birth_date=date(1974, 8, 12),
        expiry_date=date(2012, 4, 15),
        surname="Eriksson",
        given_names="Anna María",
    )
    assert ok.passed
    wrong = checks.compare_with_mrz(
        mrz,
        document_number="L898902C4",
        birth_date=date(1974, 8, 13),
        expiry_date=date(2013, 4, 15),
        surname="Erikson",
        given_names="Anna",
    )
    assert set(wrong.reasons) == {
        "mrz_number_mismatch",
        "mrz_birth_mismatch",
        "mrz_expiry_mismatch",
        "mrz_name_mismatch",
    }


# --- Driving licence -------------------------------------------------------------------------------


def test_licence_number_matches_name_and_birth_date():
    result = checks.check_licence_number(
        "MORGA753116SM9IJ", surname="Morgan", given_names="Sarah Meredyth", birth_date=date(1976, 3, 11), female=True
    )
    assert result.passed, result.reasons


def test_licence_for_a_man_and_a_short_surname_and_no_middle_name():
    assert checks.check_licence_number(
        "LEE99801020J99AB", surname="Lee", given_names="John", birth_date=date(1980, 1, 2), female=False
    ).passed


def test_licence_mc_is_written_mac():
    assert checks.check_licence_number(
        "MACDO801020JA9AB", surname="McDonald", given_names="John Angus", birth_date=date(1980, 1, 2)
    ).passed


@pytest.mark.parametrize(
    "number, reason",
    [
        ("MORGB753116SM9IJ", "licence_name_mismatch"),
        ("MORGA753126SM9IJ", "licence_birth_mismatch"),
        ("MORGA763116SM9IJ", "licence_birth_mismatch"),
        ("MORGA753116XM9IJ", "licence_name_mismatch"),
        ("MORGA75311", "licence_format"),
        ("MORGA753116SM9IJX", "licence_format"),
        ("", "licence_format"),
    ],
)
def test_licence_number_mismatches(number, reason):
    result = checks.check_licence_number(
        number, surname="Morgan", given_names="Sarah Meredyth", birth_date=date(1976, 3, 11), female=True
    )
    assert reason in result.reasons


# --- Dates and proof of address ------------------------------------------------------------------------


def test_expired_document_and_implausible_birth_date():
    today = date(2026, 11, 22)
    assert checks.check_document_dates(birth_date=date(1980, 1, 1), expiry_date=date(2030, 1, 1), today=today).passed
    assert (
        "document_expired"
        in checks.check_document_dates(birth_date=date(1980, 1, 1), expiry_date=date(2026, 11, 21), today=today).reasons
    )
    assert (
        "birth_date_implausible"
        in checks.check_document_dates(birth_date=date(2027, 1, 1), expiry_date=None, today=today).reasons
    )
    assert (
        "birth_date_implausible"
        in checks.check_document_dates(birth_date=date(1890, 1, 1), expiry_date=None, today=today).reasons
    )


def _address(**overrides):
    today = date(2026, 11, 22)
    values = dict(
        issued_on=today - timedelta(days=30),
        document_postcode="ls13ad",
        declared_postcode="LS1 3AD",
        document_name="Mrs Anna M Eriksson",
        identity_name="Anna Maria Eriksson",
        today=today,
    )
    values.update(overrides)
    return checks.check_proof_of_address(**values)


def test_recent_matching_proof_of_address_passes():
    assert _address().passed


@pytest.mark.parametrize(
    "overrides, reason",
    [
        ({"issued_on": date(2026, 8, 1)}, "address_proof_too_old"),
        ({"issued_on": date(2026, 12, 1)}, "address_proof_future"),
        ({"document_postcode": "LS2 7HY"}, "postcode_mismatch"),
        ({"document_postcode": "nonsense"}, "postcode_format"),
        ({"document_name": "John Smith"}, "address_name_mismatch"),
    ],
)
def test_proof_of_address_failures(overrides, reason):
    assert reason in _address(**overrides).reasons
