"""Answers, particulars and reasons in words: the citizen's check-answers page, the registrar's
case, queue and entry pages and the staff API show each answer under its question's label, dates
as "19 November 2026" (month names in Welsh in Welsh), yes or no and the chosen option's label —
never a raw key, a code or an ISO date — and list "Not given" only for what was asked."""

from __future__ import annotations

import datetime
import re
from html import unescape

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from identity.services import issue_api_token
from registrar import answers as answers_module
from registrar import presentation
from registrar.marriage import particulars as marriage_particulars
from registrar.models import Registration
from registrar.refusals import CASE_REASONS
from tests.factories import (
    MedicalCertificateFactory,
    RegistrationFactory,
    birth_answers,
    death_answers,
    make_entry,
    make_registration,
    sign_in_staff,
)
from tests.factories.identity import UserFactory, verify_identity
from tests.factories.marriage_downstream import registered_entry
from tests.factories.stillbirth import StillbirthCertificateFactory, stillbirth_answers

pytestmark = pytest.mark.django_db

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
RAW_KEY = re.compile(r"\b[a-z]+_[a-z_]+\b")


def api_for(user) -> APIClient:
    client = APIClient()
    token, _ = issue_api_token(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def visible_text(html: str) -> str:
    """What a reader sees: the page's main content without tags, scripts or attributes."""
    main = html[html.index("<main") : html.index("</main>")]
    main = re.sub(r"<script.*?</script>", " ", main, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", main)))


def assert_no_codes(text: str) -> None:
    assert not ISO_DATE.search(text), ISO_DATE.search(text)
    assert not RAW_KEY.search(text), RAW_KEY.search(text)
    assert " True" not in text and " False" not in text and " None" not in text


@pytest.fixture
def registrar(client, registrar):
    sign_in_staff(client, registrar)
    return registrar


@pytest.fixture
def welsh(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    return client


def _birth_case(office, **extra):
    return RegistrationFactory(
        district=office,
        reference="RG-WORD-0001",
        answers=birth_answers(**extra),
        reasons=["possible_duplicate", "identity_not_verified"],
    )


# --- The citizen's check-answers page ----------------------------------------------------------------


@pytest.fixture
def joint_draft(client, offices):
    """An unmarried mother's draft, naming the father, inviting him by email; signed in."""
    mother = UserFactory(email="emma@example.com")
    verify_identity(mother)
    client.force_login(mother)
    return make_registration(
        informant=mother,
        status=Registration.Status.DRAFT,
        answers=birth_answers(
            relationship={"parents_married": False, "register_jointly": True},
            second_parent={"channel": "email", "email": "daniel@example.com", "mobile": ""},
            declaration=None,
        ),
    )


def test_check_answers_lists_the_email_chosen_and_no_mobile_not_given(client, joint_draft):
    response = client.get(reverse("registrar:check", args=[joint_draft.reference]))
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert "Their email address daniel@example.com" in text
    assert "mobile" not in text and "Not given" not in text
    assert "18 April 1992" in text and "In a hospital or birth centre" in text
    assert "Do you want to name the father or second parent in the register? Yes" in text
    assert_no_codes(text)


def test_check_answers_lists_an_optional_question_left_empty_as_not_given(client, joint_draft):
    joint_draft.answers["mother"]["occupation"] = ""
    joint_draft.save()
    text = visible_text(client.get(reverse("registrar:check", args=[joint_draft.reference])).content.decode())
    assert "Occupation (optional) Not given" in text


def test_check_answers_in_welsh_has_welsh_labels_and_month_names(welsh, joint_draft):
    text = visible_text(welsh.get(reverse("registrar:check", args=[joint_draft.reference])).content.decode())
    assert "18 Ebrill 1992" in text and "Mewn ysbyty neu ganolfan eni" in text and "Cyfenw" in text
    assert "April" not in text and "Not given" not in text and "Heb ei roi" not in text
    assert_no_codes(text)


# --- The staff case page -------------------------------------------------------------------------------


def test_case_page_shows_every_answer_under_its_label_in_words(client, registrar, office):
    case = _birth_case(office)
    text = visible_text(client.get(reverse("registrar-staff:case", args=[case.reference])).content.decode())
    for words in (
        "The child",
        "First and middle names Olivia Rose",
        "Sex Female",
        "Was this a multiple birth (twins, triplets or more)? No",
        "Where was the child born? In a hospital or birth centre",
        "Date of birth 18 April 1992",
        "Who are you? Mother",
        "Were the parents married to each other, or in a civil partnership, when the child was born? Yes",
        "A registration or entry with the same particulars may already exist",
        "The informant's identity has not been verified at medium confidence",
        "Declared on",
    ):
        assert words in text, words
    # Married parents are not asked whether to register jointly, nor the informant's details.
    assert "Do you want to name the father" not in text and "Your full name" not in text
    assert_no_codes(text)


def test_case_page_in_welsh_has_welsh_labels_reasons_and_months(welsh, registrar, office):
    case = _birth_case(office)
    text = visible_text(welsh.get(reverse("registrar-staff:case", args=[case.reference])).content.decode())
    assert "18 Ebrill 1992" in text and "Benyw" in text and "Y fam" in text and "Naddo" in text
    assert "Efallai fod cofrestriad neu gofnod gyda’r un manylion yn bodoli eisoes" in text
    assert "A registration or entry with the same particulars" not in text
    assert "April" not in text and "Answers" not in text and "Female" not in text
    assert_no_codes(text)


def test_case_page_of_a_death_shows_the_relatives_answers_in_words(client, registrar, office):
    certificate = MedicalCertificateFactory()
    case = RegistrationFactory(
        district=office,
        event="death",
        answers=death_answers(certificate),
        event_date=certificate.date_of_death,
        reasons=["mccd_name_mismatch"],
        medical_certificate=certificate,
    )
    text = visible_text(client.get(reverse("registrar-staff:case", args=[case.reference])).content.decode())
    assert "Your relationship to the person who died (relatives only) Daughter" in text
    assert "Burial or cremation? Cremation" in text and "9 March 1941" in text
    assert "The deceased's name does not match the medical certificate" in text
    assert "A relative who was present at the death or during the last illness" in text
    assert_no_codes(text)


def test_case_page_of_a_stillbirth_shows_the_babys_answers_in_words(client, registrar, office):
    certificate = StillbirthCertificateFactory()
    case = RegistrationFactory(
        district=office,
        event="stillbirth",
        answers=stillbirth_answers(certificate),
        event_date=certificate.delivered_on,
        reasons=["stillbirth_sex_mismatch"],
    )
    text = visible_text(client.get(reverse("registrar-staff:case", args=[case.reference])).content.decode())
    assert "Your baby's first and middle names Grace" in text
    assert f"Date of the stillbirth {certificate.delivered_on:%-d %B %Y}" in text
    assert "The baby's sex does not match the medical certificate of stillbirth" in text
    assert_no_codes(text)


def test_the_case_page_leaves_out_a_name_not_asked_for_an_unnamed_baby(client, registrar, office):
    certificate = StillbirthCertificateFactory()
    case = RegistrationFactory(
        district=office,
        event="stillbirth",
        answers=stillbirth_answers(certificate, name={"give_name": False, "forenames": "", "surname": ""}),
    )
    text = visible_text(client.get(reverse("registrar-staff:case", args=[case.reference])).content.decode())
    assert "Do you want to give your baby a name in the register? No" in text
    assert "Your baby's first and middle names" not in text


# --- The queue -----------------------------------------------------------------------------------------


def test_queue_shows_reasons_in_words_in_tags_that_wrap_between_words(client, registrar, office):
    _birth_case(office)
    html = client.get(reverse("registrar-staff:queue")).content.decode()
    assert 'class="govuk-tag govuk-tag--grey app-tag-words">A registration or entry with the same' in html
    text = visible_text(html)
    assert "The informant's identity has not been verified at medium confidence" in text
    assert "possible_duplicate" not in html.replace('value="possible_duplicate"', "")
    assert_no_codes(text)


def test_queue_names_a_stillbirth_and_its_filter_lists_reasons_in_words(client, registrar, office):
    RegistrationFactory(district=office, event="stillbirth", reasons=["stillbirth_date_mismatch"])
    html = client.get(reverse("registrar-staff:queue")).content.decode()
    text = visible_text(html)
    assert re.search(r"RG-\S+ Stillbirth With a registrar", text)
    assert '<option value="stillbirth_date_mismatch">The date of delivery does not match' in html


def test_queue_in_welsh_shows_welsh_reasons(welsh, registrar, office):
    _birth_case(office)
    text = visible_text(welsh.get(reverse("registrar-staff:queue")).content.decode())
    assert "Efallai fod cofrestriad neu gofnod gyda’r un manylion yn bodoli eisoes" in text
    assert "A registration or entry with the same particulars" not in text and "Registration cases" not in text
    assert_no_codes(text)


# --- Register entries ----------------------------------------------------------------------------------


def _entry_url(entry) -> str:
    return reverse("registrar-staff:entry", args=[entry.district.code, entry.letter, entry.year, entry.number])


def _birth_entry(office):
    registration = make_registration(answers=birth_answers(date_of_birth=datetime.date(2026, 11, 19)))
    fields = answers_module.entry_fields(registration)
    return make_entry(
        district=office,
        event_date=fields["event_date"],
        surname=fields["surname"],
        forenames=fields["forenames"],
        particulars=fields["particulars"],
    )


def test_entry_page_groups_particulars_under_labels_in_words(client, registrar, office):
    entry = _birth_entry(office)
    text = visible_text(client.get(_entry_url(entry)).content.decode())
    for words in (
        "The child",
        "Date of birth 19 November 2026 19 November 2026",
        "Sex Female Female",
        "Was this a multiple birth (twins, triplets or more)? No No",
        "The mother",
        "Surname at birth Clarke Clarke",
        "The father or second parent",
        "The informant",
    ):
        assert words in text, words
    assert_no_codes(text)


def test_entry_page_in_welsh_uses_welsh_month_names_and_labels(welsh, registrar, office):
    entry = _birth_entry(office)
    text = visible_text(welsh.get(_entry_url(entry)).content.decode())
    assert "19 Tachwedd 2026" in text and "Y plentyn" in text and "Benyw" in text
    assert "November" not in text and "Particulars" not in text
    assert_no_codes(text)


def test_a_correction_is_shown_under_the_particulars_label(client, registrar, office):
    entry = _birth_entry(office)
    response = client.post(
        _entry_url(entry) + "correct/",
        {"field": "mother_occupation", "new_value": "Head teacher", "reason": "Misspelt", "evidence": "Payslip"},
    )
    assert response.status_code == 302
    text = visible_text(client.get(_entry_url(entry)).content.decode())
    assert "The mother: Occupation Teacher → Head teacher" in text
    assert "Occupation Teacher Head teacher" in text
    assert_no_codes(text)


def test_a_marriage_entry_shows_both_parties_and_the_ceremony_in_words(client, registrar, office):
    entry = registered_entry(office)
    text = visible_text(client.get(_entry_url(entry)).content.decode())
    assert "The first party" in text and "The second party" in text and "The ceremony" in text
    assert "20 June 2026" in text
    assert_no_codes(text)


# --- The staff API ---------------------------------------------------------------------------------------


def test_api_case_gives_the_answers_labelled_beside_the_raw_ones(registrar, office):
    case = _birth_case(office)
    body = api_for(registrar).get(f"/api/v1/registrar/cases/{case.reference}").json()
    assert body["answers"]["child"]["multiple_birth"] is False
    assert body["answers"]["mother"]["date_of_birth"] == "1992-04-18"
    child = next(step for step in body["answers_in_words"] if step["step"] == "child")
    assert child["title"] == "The child"
    rows = {row["name"]: row for row in child["answers"]}
    assert rows["multiple_birth"]["label"] == "Was this a multiple birth (twins, triplets or more)?"
    assert rows["multiple_birth"]["value"] == "No" and rows["sex"]["value"] == "Female"
    mother = next(step for step in body["answers_in_words"] if step["step"] == "mother")
    assert {"name": "date_of_birth", "label": "Date of birth", "value": "18 April 1992"} in mother["answers"]


def test_api_case_answers_in_words_follow_the_requests_language(registrar, office):
    case = _birth_case(office)
    body = api_for(registrar).get(f"/api/v1/registrar/cases/{case.reference}", HTTP_ACCEPT_LANGUAGE="cy").json()
    mother = next(step for step in body["answers_in_words"] if step["step"] == "mother")
    assert mother["title"] == "Y fam"
    assert "18 Ebrill 1992" in [row["value"] for row in mother["answers"]]


def test_api_entry_gives_the_particulars_in_words(registrar, office):
    entry = _birth_entry(office)
    body = api_for(registrar).get(f"/api/v1/registrar/entries/E-LEEDS/B/{entry.year}/{entry.number}").json()
    assert body["particulars"]["date_of_birth"] == "2026-11-19"
    child = body["particulars_in_words"][0]
    assert child["title"] == "The child"
    row = next(row for row in child["rows"] if row["key"] == "date_of_birth")
    assert row == {
        "key": "date_of_birth",
        "label": "Date of birth",
        "registered": "19 November 2026",
        "now": "19 November 2026",
    }


# --- The tables themselves ---------------------------------------------------------------------------------


@pytest.mark.parametrize("code", [*CASE_REASONS, *presentation.FRAUD_SIGNALS, "document_expired", "face_match_failed"])
def test_every_reason_a_registrar_sees_is_a_sentence(code):
    words = presentation.reason_in_words(code)
    assert words and "_" not in words and words != code


def test_every_particular_the_register_writes_has_a_label_from_the_tables():
    birth = make_registration(answers=birth_answers())
    death_certificate = MedicalCertificateFactory()
    death = make_registration(event="death", answers=death_answers(death_certificate))
    stillbirth_certificate = StillbirthCertificateFactory()
    stillbirth = make_registration(event="stillbirth", answers=stillbirth_answers(stillbirth_certificate))
    written = {
        registration.event: answers_module.entry_fields(registration)["particulars"]
        for registration in (birth, death, stillbirth)
    }
    written["marriage"] = {f"party1_{name}": "" for name in marriage_particulars.PARTY_FIELDS}
    for event, particulars in written.items():
        listed = {particular.key for _title, group in presentation.PARTICULARS[event] for particular in group}
        assert set(particulars) <= listed, (event, set(particulars) - listed)


def test_certificates_read_each_particular_in_words_in_the_language_asked_for():
    particulars = {"date_of_birth": "2026-11-19", "sex": "female", "multiple_birth": False, "child_surname": "Hartley"}
    assert presentation.format_particular("birth", "date_of_birth", "2026-11-19") == "19 November 2026"
    with translation.override("cy"):
        assert presentation.format_particular("birth", "date_of_birth", "2026-11-19") == "19 Tachwedd 2026"
        assert presentation.particular_label("birth", "child_surname") == "Cyfenw"
    child = presentation.entry_particulars_in_words("birth", particulars)[0]
    assert child["title"] == "The child"
    assert {"key": "sex", "label": "Sex", "value": "Female"} in child["rows"]
    assert {
        "key": "multiple_birth",
        "label": "Was this a multiple birth (twins, triplets or more)?",
        "value": "No",
    } in (child["rows"])


def test_api_cases_give_status_and_reasons_in_words_beside_the_codes(registrar, office):
    case = _birth_case(office)
    listed = api_for(registrar).get("/api/v1/registrar/cases").json()
    assert listed[0]["reasons"] == ["possible_duplicate", "identity_not_verified"]
    assert listed[0]["reasons_in_words"] == [
        "A registration or entry with the same particulars may already exist",
        "The informant's identity has not been verified at medium confidence",
    ]
    assert listed[0]["status"] == "with_registrar" and listed[0]["status_in_words"] == "With a registrar"
    welsh = api_for(registrar).get(f"/api/v1/registrar/cases/{case.reference}", HTTP_ACCEPT_LANGUAGE="cy").json()
    assert welsh["reasons_in_words"][0] == "Efallai fod cofrestriad neu gofnod gyda’r un manylion yn bodoli eisoes"


def test_the_register_words_for_an_informant_read_in_welsh_and_stay_english_in_the_register():
    from registrar import rules
    from registrar.stillbirth import rules as stillbirth_rules

    written = {
        *rules.BIRTH_QUALIFICATION_IN_REGISTER.values(),
        *rules.DEATH_QUALIFICATION_IN_REGISTER.values(),
        *stillbirth_rules.QUALIFICATION_IN_REGISTER.values(),
        "Mother and father",
    }
    for event in ("birth", "death", "stillbirth"):
        for words in written:
            with translation.override("en"):
                assert presentation.format_particular(event, "informant_qualification", words) == words
            with translation.override("cy"):
                welsh = presentation.format_particular(event, "informant_qualification", words)
            assert welsh and welsh != words, words
    with translation.override("cy"):
        assert presentation.format_particular("birth", "informant_qualification", "Mother") == "Mam"
        # Words the table does not know are shown as the register holds them.
        assert presentation.format_particular("birth", "informant_qualification", "Guardian") == "Guardian"
