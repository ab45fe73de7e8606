"""The conversion pages and the staff API: a registrar finds the civil partnership by its
entry reference (posted, never in the address), records both partners' declaration and gets the
marriage entry; bad input answers a clear 4xx and saves nothing; the page and the API refuse in
the same words; only registrars with `work_notices` may, at their own offices."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
import time_machine
from django.urls import reverse

from identity import roles
from registrar.models import Conversion, RegisterEntry
from tests.factories import RegisterOfficeFactory, StaffFactory, UserFactory, api_client, staff_session
from tests.factories.marriage_downstream import registered_entry, registered_partnership

pytestmark = pytest.mark.django_db

FIND = reverse("marriage-staff:conversion")
DECLARE = reverse("marriage-staff:conversion-declare")
API = "/api/v1/registrar/conversions"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 9, 14, 11, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def york():
    return RegisterOfficeFactory(code="E-YORK-T", name="York Register Office")


@pytest.fixture
def registrar(york):
    roles.sync_roles()
    staff = StaffFactory(roles=[roles.REGISTRAR])
    staff.offices.set([york])
    return staff


@pytest.fixture
def signed_in(client, registrar):
    staff_session(client, registrar)
    return client


@pytest.fixture
def partnership():
    return registered_partnership(RegisterOfficeFactory(code="E-LEEDS-T"))


def declaration(entry, **overrides) -> dict:
    return {
        "partnership": entry.entry_reference,
        "office": "E-YORK-T",
        "declared_on_0": "14",
        "declared_on_1": "9",
        "declared_on_2": "2026",
        "both_present": "on",
        "both_signed": "on",
        "identities_checked": "on",
        **overrides,
    }


def api_declaration(entry, **overrides) -> dict:
    return {
        "partnership": entry.entry_reference,
        "office": "E-YORK-T",
        "declared_on": "2026-09-14",
        "both_present": True,
        "both_signed": True,
        "identities_checked": True,
        **overrides,
    }


def test_the_registrar_finds_the_partnership_and_sees_both_partners(signed_in, partnership):
    page = signed_in.get(FIND)
    assert page.status_code == 200 and "Convert a civil partnership into a marriage" in page.content.decode()
    response = signed_in.post(FIND, {"partnership": partnership.entry_reference.lower()})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sarah Meredyth Morgan" in html and "Rhys Pritchard" in html and "3 May 2019" in html
    assert f'value="{partnership.entry_reference}"' in html  # carried to the declaration, not in the address
    assert "Both partners made the declaration in front of me" in html


def test_recording_the_declaration_writes_the_marriage_and_shows_its_entry(signed_in, partnership, york):
    response = signed_in.post(DECLARE, declaration(partnership))
    conversion = Conversion.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("marriage-staff:conversion-done", args=[conversion.reference])
    assert "Morgan" not in response.url
    html = signed_in.get(response.url).content.decode()
    assert "Civil partnership converted into a marriage" in html
    assert conversion.marriage.entry_reference in html and conversion.marriage.district == york
    assert "3 May 2019" in html


@pytest.mark.parametrize(
    ("posted", "status", "message"),
    [
        ({"partnership": ""}, 400, "Enter the civil partnership&#x27;s entry reference"),
        ({"partnership": "x" * 61}, 400, "60 characters or fewer"),
        ({"partnership": "E-NOWHERE/C/2019/000001"}, 404, "There is no civil partnership entry with that reference"),
        ({"partnership": "not a reference"}, 404, "There is no civil partnership entry with that reference"),
    ],
)
def test_a_bad_reference_is_a_clear_error_on_the_find_page(signed_in, partnership, posted, status, message):
    response = signed_in.post(FIND, posted)
    html = response.content.decode()
    assert response.status_code == status and "govuk-error-summary" in html and message in html


def test_a_marriage_entry_cannot_be_converted(signed_in):
    marriage = registered_entry(RegisterOfficeFactory())
    response = signed_in.post(FIND, {"partnership": marriage.entry_reference})
    assert response.status_code == 409 and "is not a civil partnership" in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"both_present": ""}, "Confirm that both partners made the declaration in front of you"),
        ({"both_signed": ""}, "Confirm that both partners signed the declaration"),
        ({"identities_checked": ""}, "Confirm that you checked both partners&#x27; identities"),
        ({"declared_on_0": "31", "declared_on_1": "2"}, "The date of the declaration must be a real date"),
        ({"declared_on_0": ""}, "Enter the date of the declaration"),
        ({"declared_on_0": "15"}, "must be today or in the past"),
        ({"declared_on_2": "2018"}, "cannot be dated before the civil partnership was formed"),
        ({"office": "E-HULL-T"}, "Choose one of your register offices"),
    ],
)
def test_a_bad_declaration_is_a_clear_error_and_writes_nothing(signed_in, partnership, overrides, message):
    response = signed_in.post(DECLARE, declaration(partnership, **overrides))
    html = response.content.decode()
    assert response.status_code == 400, html
    assert "govuk-error-summary" in html and message in html
    assert "Rhys Pritchard" in html  # the partnership is still shown beside the form
    assert not Conversion.objects.exists() and not RegisterEntry.objects.filter(event="marriage").exists()


def test_a_tampered_partnership_on_the_declaration_goes_back_to_finding(signed_in, partnership):
    response = signed_in.post(DECLARE, declaration(partnership, partnership="E-NOWHERE/C/2019/000001"))
    assert response.status_code == 404 and "There is no civil partnership entry" in response.content.decode()
    assert not Conversion.objects.exists()


def test_a_second_conversion_is_refused_in_the_same_words_on_the_page_and_the_api(signed_in, registrar, partnership):
    assert signed_in.post(DECLARE, declaration(partnership)).status_code == 302
    page = signed_in.post(FIND, {"partnership": partnership.entry_reference})
    api = api_client(registrar).post(API, api_declaration(partnership), format="json")
    message = "This civil partnership has already been converted into a marriage."
    assert page.status_code == 409 and message in page.content.decode()
    assert api.status_code == 409
    assert api.json()["error"] == {"code": "conversion_already_converted", "message": message}
    assert Conversion.objects.count() == 1


def test_only_staff_who_work_notices_see_the_pages(client, york, partnership):
    assert client.get(FIND).status_code == 302  # to the staff sign-in
    roles.sync_roles()
    support = StaffFactory(roles=[roles.PHONE_SUPPORT])
    support.offices.set([york])
    staff_session(client, support)
    assert client.get(FIND).status_code == 403
    assert client.post(DECLARE, declaration(partnership)).status_code == 403
    assert not Conversion.objects.exists()


def test_the_conversion_page_of_another_office_is_not_found(client, signed_in, partnership):
    signed_in.post(DECLARE, declaration(partnership))
    conversion = Conversion.objects.get()
    other = StaffFactory(roles=[roles.REGISTRAR])
    other.offices.set([RegisterOfficeFactory(code="E-HULL-T")])
    staff_session(client, other)
    assert client.get(reverse("marriage-staff:conversion-done", args=[conversion.reference])).status_code == 404
    response = api_client(other).get(f"{API}/{conversion.reference}")
    assert response.status_code == 404


# --- The staff API ---------------------------------------------------------------------------------


def test_the_api_converts_with_the_pages_form(registrar, partnership):
    api = api_client(registrar)
    response = api.post(API, api_declaration(partnership), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    conversion = Conversion.objects.get()
    assert body == {
        "reference": conversion.reference,
        "partnership": partnership.entry_reference,
        "marriage": conversion.marriage.entry_reference,
        "marriage_dated": "2019-05-03",
        "declared_on": "2026-09-14",
        "office": "E-YORK-T",
    }
    assert api.get(f"{API}/{conversion.reference}").json() == body


@pytest.mark.parametrize(
    ("overrides", "status", "code", "field"),
    [
        ({"both_signed": False}, 400, "invalid", "both_signed"),
        ({"identities_checked": None}, 400, "invalid", "identities_checked"),
        ({"declared_on": "2026-02-31"}, 400, "invalid", "declared_on"),
        ({"declared_on": ["2026-09-14"]}, 400, "invalid", "declared_on"),
        ({"office": "E-HULL-T"}, 400, "invalid", "office"),
        ({"partnership": ""}, 400, "invalid", "partnership"),
        ({"partnership": {"entry": 1}}, 400, "invalid", "partnership"),
        ({"partnership": "E-NOWHERE/C/2019/000001"}, 404, "conversion_entry_not_found", None),
        ({"declared_on": "2026-09-15"}, 400, "conversion_declared_in_future", None),
    ],
)
def test_bad_api_input_is_a_clear_4xx_and_writes_nothing(registrar, partnership, overrides, status, code, field):
    response = api_client(registrar).post(API, api_declaration(partnership, **overrides), format="json")
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] == code and error["message"]
    if field:
        assert field in error["fields"]
    assert not Conversion.objects.exists()


def test_the_api_answers_a_body_that_is_not_an_object_with_400(registrar):
    response = api_client(registrar).post(API, ["not", "an", "object"], format="json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid"


def test_the_api_is_for_registrars_only(partnership):
    assert api_client().post(API, api_declaration(partnership), format="json").status_code == 401
    citizen = UserFactory()
    assert api_client(citizen).post(API, api_declaration(partnership), format="json").status_code == 403
    assert not Conversion.objects.exists()


@pytest.mark.parametrize(
    ("make", "overrides", "status"),
    [
        ("marriage", {}, 409),
        ("partnership", {"declared_on": "2026-09-15"}, 400),
        ("partnership", {"declared_on": "2019-05-02"}, 400),
        ("nothing", {}, 404),
    ],
)
def test_the_page_and_the_api_refuse_in_the_same_words(signed_in, registrar, make, overrides, status):
    entries = {
        "marriage": lambda: registered_entry(RegisterOfficeFactory()),
        "partnership": lambda: registered_partnership(RegisterOfficeFactory()),
        "nothing": lambda: SimpleNamespace(entry_reference="E-NOWHERE/C/2019/000001"),
    }
    entry = entries[make]()
    api = api_client(registrar).post(API, api_declaration(entry, **overrides), format="json")
    assert api.status_code == status
    message = api.json()["error"]["message"]
    year, month, day = overrides.get("declared_on", "2026-09-14").split("-")
    page = signed_in.post(DECLARE, declaration(entry, declared_on_0=day, declared_on_1=month, declared_on_2=year))
    assert page.status_code == status
    assert message.replace("'", "&#x27;") in page.content.decode()
    assert not Conversion.objects.exists()
