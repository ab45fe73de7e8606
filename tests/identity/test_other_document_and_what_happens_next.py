"""A person proving their identity with another document (not a UK passport or photocard
licence) is asked for its details and a photo of it, so that the name on their proof of address
is compared with the name they gave; and a person whose check went to a registrar because of a
fraud signal is told what happens next and how long it takes, never what was noticed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from identity.models import IdentityCase
from tests.factories import UserFactory, api_client, document_photo, submit_passport_check

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(client):
    user = UserFactory()
    client.force_login(user)
    return user


def _date(prefix, value):
    return {f"{prefix}_0": value.day, f"{prefix}_1": value.month, f"{prefix}_2": value.year}


def _other_document(**overrides):
    data = {
        "given_names": "Sarah Meredyth",
        "surname": "Morgan",
        "document_number": "X1234567",
        **_date("birth_date", date(1976, 3, 11)),
        "expiry_date_0": "",
        "expiry_date_1": "",
        "expiry_date_2": "",
    }
    data.update(overrides)
    return data


def _address(name="Sarah Morgan"):
    issued = timezone.localdate() - timedelta(days=10)
    return {
        "address": "1 The Headrow\nLeeds",
        "postcode": "LS1 3AD",
        "document_type": "bank_statement",
        "document_name": name,
        "document_postcode": "LS1 3AD",
        **_date("issued_on", issued),
    }


def _photo():
    return SimpleUploadedFile("photo.jpg", document_photo(), content_type="image/jpeg")


def test_another_document_is_a_step_of_the_task_list(client, person):
    client.post(reverse("identity:check-document-type"), {"document_type": "other"})
    html = client.get(reverse("identity:check")).content.decode()
    assert "Enter your document details" in html and "Upload a photo of your document" in html
    assert "Take a photo of your face" not in html


def test_the_other_document_page_asks_for_the_details_without_machine_readable_lines(client, person):
    client.post(reverse("identity:check-document-type"), {"document_type": "other"})
    html = client.get(reverse("identity:check-document")).content.decode()
    assert "a national identity card or a residence permit" in html
    assert "Expiry date (if it has one)" in html and 'name="mrz_line1"' not in html


def test_another_document_then_matching_proof_of_address_has_no_name_mismatch(client, person):
    client.post(reverse("identity:check-document-type"), {"document_type": "other"})
    response = client.post(reverse("identity:check-document"), _other_document())
    assert response.status_code == 302
    client.post(reverse("identity:check-document-photo"), {"photo": _photo()})
    client.post(reverse("identity:check-address"), _address())
    case = IdentityCase.objects.get(person=person)
    assert case.surname == "Morgan" and case.document_expiry is None
    assert "address_name_mismatch" not in case.reasons
    assert "does not match the name" not in client.get(reverse("identity:check")).content.decode()


def test_a_proof_of_address_in_another_name_is_still_noticed(client, person):
    client.post(reverse("identity:check-document-type"), {"document_type": "other"})
    client.post(reverse("identity:check-document"), _other_document())
    client.post(reverse("identity:check-address"), _address(name="Someone Else"))
    assert "address_name_mismatch" in IdentityCase.objects.get(person=person).reasons


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"surname": ""}, "Enter your surname"),
        ({"document_number": ""}, "Enter the document number"),
        ({"birth_date_0": "31", "birth_date_1": "2"}, "must be a real date"),
        ({"given_names": "x" * 101}, "Given names must be 100 characters or fewer"),
    ],
)
def test_bad_other_document_details_are_a_400_with_the_message(client, person, change, message):
    client.post(reverse("identity:check-document-type"), {"document_type": "other"})
    response = client.post(reverse("identity:check-document"), _other_document(**change))
    assert response.status_code == 400 and message in response.content.decode()


def test_the_other_document_page_in_welsh(client, person):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    client.post(reverse("identity:check-document-type"), {"document_type": "other"})
    html = client.get(reverse("identity:check-document")).content.decode()
    assert "cerdyn adnabod cenedlaethol" in html and "Dyddiad dod i ben (os oes ganddi un)" in html


def test_the_api_asks_for_the_same_details_of_another_document(person):
    client = api_client(person)
    response = client.put(reverse("api:identity-document"), {"document_type": "other"}, format="json")
    assert response.status_code == 400
    response = client.put(
        reverse("api:identity-document"),
        {
            "document_type": "other",
            "given_names": "Sarah",
            "surname": "Morgan",
            "birth_date": "1976-03-11",
            "document_number": "X1234567",
        },
        format="json",
    )
    assert response.status_code == 200
    assert IdentityCase.objects.get(person=person).surname == "Morgan"


# --- A check with a fraud signal: what happens next -------------------------------------------------


@pytest.fixture
def flagged(client, leeds):
    submit_passport_check(postcode="LS1 3AD")
    case = submit_passport_check(postcode="LS1 3AD")
    assert case.status == "with_registrar" and "fraud_document_reused" in case.reasons
    client.force_login(case.person)
    return case


def test_a_person_whose_check_has_a_fraud_signal_is_told_what_happens_next(client, flagged):
    html = client.get(reverse("identity:check")).content.decode()
    assert "What happens next" in html
    assert "A registrar looks at your documents within 5 working days." in html
    assert "it does not mean you have done anything wrong" in html
    assert flagged.reference in html
    for revealing in ("fraud", "another person", "same document", "reused"):
        assert revealing not in html.lower(), revealing


def test_what_happens_next_in_welsh(client, flagged):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    html = client.get(reverse("identity:check")).content.decode()
    assert "Beth sy’n digwydd nesaf" in html and "o fewn 5 diwrnod gwaith" in html


def test_a_check_with_a_registrar_without_a_fraud_signal_keeps_the_appointment_offer(client, leeds):
    case = submit_passport_check(postcode="LS1 3AD")
    client.force_login(case.person)
    html = client.get(reverse("identity:check")).content.decode()
    assert "Book an identity appointment" in html and "What happens next" not in html
