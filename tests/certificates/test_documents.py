"""The certificate's form: each kind laid out as the statutory form of its register entry, with
numbered columns, the certification in the register's own words (Welsh first for entries in
Wales), corrections as marginal notes naming their column, and the security printing."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.utils import timezone, translation

from certificates import services
from certificates.documents import CertificateContent, CorrectionLine, render_certificate
from registrar.presentation import format_particular, particular_label
from tests.factories import certificate_pdf, historic_birth, paid_certificate_order
from tests.factories.marriage_downstream import pdf_text

BIRTH = {
    "child_forenames": "Ada Marie",
    "child_surname": "Smith",
    "sex": "female",
    "date_of_birth": "2026-11-19",
    "place_of_birth": "St Mary's Hospital, Manchester",
    "mother_forenames": "Mary",
    "mother_surname": "Smith",
    "mother_maiden_surname": "Jones",
    "mother_place_of_birth": "Cardiff",
    "father_forenames": "John",
    "father_surname": "Smith",
    "father_place_of_birth": "Leeds",
    "informant_name": "Mary Smith",
    "informant_qualification": "Mother",
}
DEATH = {
    "deceased_forenames": "Arthur James",
    "deceased_surname": "Pendleton",
    "sex": "male",
    "date_of_birth": "1938-07-21",
    "place_of_birth": "Bradford",
    "date_of_death": "2026-11-28",
    "place_of_death": "Leeds General Infirmary",
    "occupation": "Retired teacher",
    "usual_address": "12 Oak Lane, Leeds",
    "cause_of_death": "Bronchopneumonia",
    "certified_by": "Dr A Patel",
    "informant_name": "Susan Pendleton",
    "informant_qualification": "Daughter",
}
STILLBIRTH = {
    "child_forenames": "Grace",
    "child_surname": "Hughes",
    "sex": "female",
    "date_of_delivery": "2026-11-25",
    "place_of_birth": "Leeds General Infirmary",
    "cause_of_death": "Placental abruption",
    "weeks_of_pregnancy": 32,
    "mother_forenames": "Carys",
    "mother_surname": "Hughes",
    "informant_name": "Carys Hughes",
    "informant_qualification": "Mother",
}


def _content(kind: str, particulars: dict, *, bilingual: bool = False, corrections=()) -> CertificateContent:
    return CertificateContent(
        serial="K7QH-3MZP-W2XA-9RTC",
        kind=kind,
        bilingual=bilingual,
        entry_reference="E-LEEDS/B/2026/000123",
        district_name="Cardiff Register Office" if bilingual else "Leeds Register Office",
        district_welsh_name="Swyddfa Gofrestru Caerdydd" if bilingual else "",
        registered_on=date(2026, 12, 1),
        particulars=particulars,
        corrections=list(corrections),
        issued_at=datetime(2026, 12, 2, 9, 0, tzinfo=timezone.get_current_timezone()),
        entry_number=123,
        sub_district="Leeds",
        administrative_area="Yorkshire and the Humber",
        registrar_name="Rhian Williams",
    )


def test_a_full_birth_certificate_has_the_registers_numbered_columns_and_certification():
    text = pdf_text(render_certificate(_content("full_birth", BIRTH)))
    for expected in (
        "1. Date and place of birth",
        "19 November 2026, St Mary's Hospital, Manchester",
        "2. Name and surname",
        "3. Sex",
        "Female",
        "4. Name and surname",
        "(a) Maiden surname",
        "Jones",
        "15. I certify that the particulars entered above are true to the best of my knowledge and belief",
        "16. Date of registration",
        "1 December 2026",
        "17. Signature of registrar",
        "Rhian Williams",
        "18. Name given after registration",
        "Certified to be a true copy of an entry in a register in my custody.",
        "Registration district",
        "Sub-district",
        "Yorkshire and the Humber",
        "123   (E-LEEDS/B/2026/000123)",
        "K7QH-3MZP-W2XA-9RTC",
        "CAUTION: THERE ARE OFFENCES RELATING TO FALSIFYING OR ALTERING A CERTIFICATE",
    ):
        assert expected in text, expected
    assert "2026-11-19" not in text  # dates in words, never ISO


def test_an_entry_in_wales_is_certified_in_welsh_then_english():
    text = pdf_text(render_certificate(_content("full_birth", BIRTH, bilingual=True)))
    welsh = text.index("Tystiwyd ei fod yn gopi cywir o gofnod mewn cofrestr")
    assert welsh < text.index("Certified to be a true copy of an entry in a register in my")
    assert "2. Enw a chyfenw / Name and surname" in text and "Benyw / Female" in text
    assert "19 Tachwedd 2026 / 19 November 2026" in text
    assert "Swyddfa Gofrestru Caerdydd / Cardiff Register Office" in text


def test_the_short_certificate_is_compiled_from_records_and_shows_only_the_child():
    text = pdf_text(render_certificate(_content("short_birth", BIRTH)))
    assert "Certified to have been compiled from records in my custody." in text
    assert "Ada Marie Smith" in text and "19 November 2026" in text
    assert "1. " not in text and "Jones" not in text and "Mary Smith" not in text


def test_a_death_certificate_follows_the_death_register():
    text = pdf_text(render_certificate(_content("death", DEATH)))
    for expected in (
        "1. Date and place of death",
        "28 November 2026, Leeds General Infirmary",
        "5. Date and place of birth",
        "21 July 1938, Bradford",
        "6. Occupation and usual address",
        "7(a). Name and surname of informant",
        "9. Cause of death",
        "Bronchopneumonia",
        "Certified by Dr A Patel",
        "10. Date of registration",
        "11. Signature of registrar",
    ):
        assert expected in text, expected


def test_a_still_birth_certificate_follows_the_still_birth_register():
    text = pdf_text(render_certificate(_content("stillbirth", STILLBIRTH)))
    for expected in (
        "Certified copy of an entry of still-birth",
        "2. Name and surname (if given)",
        "4. Cause of death and certifying practitioner",
        "Weeks of pregnancy: 32",
        "17. Date of registration",
    ):
        assert expected in text, expected


def test_a_correction_is_a_marginal_note_naming_its_column():
    correction = CorrectionLine("child_forenames", "Ada Mary", "Ada Marie", date(2026, 11, 30))
    text = pdf_text(render_certificate(_content("full_birth", BIRTH, corrections=[correction])))
    assert "2. Name and surname *" in text
    assert "Marginal notes: corrections" in text
    assert "* 2. Name and surname: “Ada Mary” corrected to “Ada Marie” on 30 November 2026" in text
    assert "child_forenames" not in text


@pytest.mark.parametrize("kind", ["full_birth", "death", "marriage"])
def test_every_certificate_has_the_hidden_copy_pattern_and_the_seal(kind):
    particulars = {"full_birth": BIRTH, "death": DEATH, "marriage": {"party1_surname": "Morgan"}}[kind]
    pdf = render_certificate(_content(kind, particulars))
    text = pdf_text(pdf)
    # The pantograph's word is a clipping path (text render mode 7): invisible as text, it
    # shapes the background so that a copy shows it.
    assert "COPY" in text
    assert "REGISTRAR ONLINE".replace(" ", "") in text.replace(" ", "").replace("\n", "")


@pytest.mark.django_db
def test_an_issued_certificate_names_the_entry_number_district_and_area():
    entry = historic_birth()
    order = paid_certificate_order(entry)
    services.issue_order(order_id=order.pk)
    text = pdf_text(certificate_pdf(order.certificates.get()))
    assert f"{entry.number}   ({entry.entry_reference})" in text
    assert entry.district.town in text and entry.district.region in text


def test_a_long_entry_continues_on_a_page_with_its_own_certification_and_serial():
    corrections = [CorrectionLine("occupation", f"Old {n}", f"New {n}", date(2026, 11, 30)) for n in range(40)]
    text = pdf_text(render_certificate(_content("death", DEATH, corrections=corrections)))
    assert "Continued: page 2" in text
    assert text.count("Certified to be a true copy of an entry in a register in my custody.") == 2
    assert text.count("Serial number K7QH-3MZP-W2XA-9RTC") == 2
    assert "“Old 39” corrected to “New 39”" in text


def test_a_correction_on_a_certificate_in_wales_is_noted_in_welsh_then_english():
    correction = CorrectionLine("sex", "male", "female", date(2026, 11, 30))
    text = pdf_text(render_certificate(_content("full_birth", BIRTH, bilingual=True, corrections=[correction])))
    assert "* 3. Rhyw: cywirwyd “Gwryw” i “Benyw” ar 30 Tachwedd 2026" in text
    assert "* 3. Sex: “Male” corrected to “Female” on 30 November 2026" in text
    assert text.index("cywirwyd “Gwryw” i “Benyw”") < text.index("“Male” corrected to “Female”")
    assert "Nodiadau ymyl: cywiriadau / Marginal notes: corrections" in text


def test_an_entry_in_england_is_certified_in_english_only_even_when_issued_in_welsh():
    correction = CorrectionLine("sex", "male", "female", date(2026, 11, 30))
    with translation.override("cy"):
        text = pdf_text(render_certificate(_content("full_birth", BIRTH, corrections=[correction])))
    assert "19 November 2026" in text and "Female" in text and "“Male” corrected to “Female”" in text
    for welsh in ("Tachwedd", "Benyw", "cywirwyd", "Tystiwyd", "Enw a chyfenw"):
        assert welsh not in text, welsh


@pytest.mark.parametrize("kind, particulars", [("full_birth", BIRTH), ("death", DEATH), ("stillbirth", STILLBIRTH)])
def test_a_certificates_values_read_as_the_staff_pages_write_them(kind, particulars):
    """Dates, sex and the informant's qualification in the words of `format_particular`."""
    event = {"full_birth": "birth", "death": "death", "stillbirth": "stillbirth"}[kind]
    text = pdf_text(render_certificate(_content(kind, particulars, bilingual=True)))
    for key in ("sex", "date_of_birth", "date_of_death", "date_of_delivery", "informant_qualification"):
        if key not in particulars:
            continue
        with translation.override("cy"):
            welsh = format_particular(event, key, particulars[key])
        with translation.override("en"):
            english = format_particular(event, key, particulars[key])
        assert (english if welsh == english else f"{welsh} / {english}") in text, key


def test_a_partys_condition_reads_as_on_the_notice_in_both_languages():
    particulars = {"party1_surname": "Morgan", "party1_condition": "divorced", "party2_condition": "never"}
    text = " ".join(pdf_text(render_certificate(_content("marriage", particulars, bilingual=True))).split())
    for key, value in (("party1_condition", "divorced"), ("party2_condition", "never")):
        with translation.override("cy"):
            welsh = format_particular("marriage", key, value)
        with translation.override("en"):
            english = format_particular("marriage", key, value)
        assert welsh != english and f"{welsh} / {english}" in text, key


def test_a_correction_of_a_particular_without_a_column_is_noted_as_the_pages_word_it():
    correction = CorrectionLine("weight_grams", "2100", "2150", date(2026, 11, 30))
    text = pdf_text(render_certificate(_content("stillbirth", STILLBIRTH, bilingual=True, corrections=[correction])))
    with translation.override("cy"):
        welsh = [
            particular_label("stillbirth", "weight_grams"),
            format_particular("stillbirth", "weight_grams", "2150"),
        ]
    with translation.override("en"):
        english = [
            particular_label("stillbirth", "weight_grams"),
            format_particular("stillbirth", "weight_grams", "2150"),
        ]
    assert welsh != english and "weight_grams" not in text
    assert f"* {welsh[0]}: cywirwyd" in text and f"i “{welsh[1]}” ar 30 Tachwedd 2026" in text
    assert f"* {english[0]}: “2100 grams” corrected to “{english[1]}” on 30 November 2026" in text


def test_a_corrected_yes_or_no_answer_is_noted_as_yes_or_no():
    correction = CorrectionLine("multiple_birth", "False", "True", date(2026, 11, 30))
    text = pdf_text(render_certificate(_content("full_birth", BIRTH, corrections=[correction])))
    assert "“No” corrected to “Yes” on 30 November 2026" in text and "multiple_birth" not in text
