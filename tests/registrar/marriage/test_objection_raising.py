"""Anyone objects to a notice on display, on the page or through the API: the objection is
recorded with an OB reference, the objector is sent it, the couple are told an objection was made
but not by whom; a notice not on display, bad input and a flood from one address are refused."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from rest_framework.test import APIClient

from identity.models import OutboundMessage
from registrar.models import Objection
from tests.factories.marriage_objections import displayed_proposal

pytestmark = pytest.mark.django_db

GIVEN = datetime.date(2027, 3, 1)
NOW = datetime.datetime(2027, 3, 10, 12)
GOOD = {
    "name": "Pat Objector",
    "email": "pat.objector@example.com",
    "phone": "01632 960 001",
    "grounds": "Rhys is already married: I was at his wedding in 2019.",
}


@pytest.fixture
def notice(db):
    with time_machine.travel(NOW, tick=False):
        return displayed_proposal(given_on=GIVEN).notices.get(position=2)


def _object(client, notice, data=None, **extra):
    return client.post(reverse("notices:notice", args=[notice.reference]), data or GOOD, **extra)


@time_machine.travel(NOW, tick=False)
def test_an_objection_is_recorded_and_confirmed_with_its_reference(client, notice):
    response = _object(client, notice)
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert objection.reference.startswith("OB-")
    assert objection.status == Objection.Status.OPEN
    assert objection.notice == notice
    assert (objection.objector_name, objection.objector_phone) == ("Pat Objector", GOOD["phone"])
    confirmation = client.get(response["Location"])
    assert confirmation.status_code == 200
    assert objection.reference in confirmation.content.decode()


@time_machine.travel(NOW, tick=False)
def test_the_objector_is_acknowledged_and_the_couple_told_without_the_objectors_details(client, notice):
    _object(client, notice)
    objection = Objection.objects.get()
    acknowledgement = OutboundMessage.objects.get(to=GOOD["email"])
    assert objection.reference in acknowledgement.body
    couple = [notice.person.email, notice.proposal.notices.get(position=1).person.email]
    told = OutboundMessage.objects.filter(to__in=couple, key__startswith="objection:")
    assert told.count() == 2
    for message in told:
        assert notice.reference in message.body
        for detail in (GOOD["name"], "Pat", GOOD["email"], GOOD["phone"], "wedding in 2019", objection.reference):
            assert detail not in message.body and detail not in message.subject


@time_machine.travel(NOW, tick=False)
def test_a_signed_in_person_may_object_too(client, notice):
    from tests.factories.marriage import verified_person

    client.force_login(verified_person())
    assert _object(client, notice).status_code == 302
    assert Objection.objects.count() == 1


def test_an_objection_to_a_notice_no_longer_on_display_is_refused_and_nothing_saved(client, notice):
    after = datetime.datetime.combine(notice.display_until + datetime.timedelta(days=1), datetime.time(12))
    with time_machine.travel(after, tick=False):
        page = _object(client, notice)
        api = APIClient().post(f"/api/v1/notices/{notice.reference}/objections", GOOD, format="json")
    assert page.status_code == api.status_code == 404
    assert api.json()["error"]["code"] == "notice_not_displayed"
    assert api.json()["error"]["message"] in page.content.decode()
    assert not Objection.objects.exists()
    assert not OutboundMessage.objects.filter(key__startswith="objection:").exists()


@time_machine.travel(NOW, tick=False)
def test_an_objection_to_an_unknown_notice_is_a_404(client, notice):
    assert client.post("/notices/NT-NOPE-NOPE/", GOOD).status_code == 404
    api = APIClient().post("/api/v1/notices/NT-NOPE-NOPE/objections", GOOD, format="json")
    assert api.status_code == 404
    assert not Objection.objects.exists()


BAD = [
    ({"name": ""}, "name", "Enter your full name"),
    ({"name": "   "}, "name", "Enter your full name"),
    ({"name": "x" * 201}, "name", "200 characters"),
    ({"email": "not an email"}, "email", "correct format"),
    ({"email": ""}, "email", "Enter your email address"),
    ({"phone": "call me"}, "phone", "Enter a phone number"),
    ({"grounds": ""}, "grounds", "Enter the grounds"),
    ({"grounds": "x" * 5001}, "grounds", "5000 characters"),
    ({"grounds": "null\x00byte"}, "grounds", "Null characters are not allowed"),
]


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(("change", "field", "message"), BAD)
def test_bad_input_is_a_clear_400_on_the_page_and_the_api_and_nothing_is_saved(client, notice, change, field, message):
    data = {**GOOD, **change}
    page = _object(client, notice, data)
    assert page.status_code == 400
    html = page.content.decode()
    assert "govuk-error-summary" in html and message in html.replace("&#x27;", "'")
    api = APIClient().post(f"/api/v1/notices/{notice.reference}/objections", data, format="json")
    assert api.status_code == 400
    assert any(message in text for text in api.json()["error"]["fields"][field])
    assert not Objection.objects.exists()


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("body", ["{not json", "[]", '{"name": ["a"], "email": {}, "grounds": 3}', '"text"'])
def test_a_body_that_is_not_an_objection_is_a_400_from_the_api(notice, body):
    response = APIClient().post(f"/api/v1/notices/{notice.reference}/objections", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] in ("invalid", "parse_error")


@time_machine.travel(NOW, tick=False)
def test_objections_are_throttled_per_client_address(client, notice, settings):
    settings.OBJECTIONS_PER_ADDRESS_PER_HOUR = 2
    for _ in range(2):
        assert _object(client, notice, REMOTE_ADDR="192.0.2.7").status_code == 302
    refused = _object(client, notice, REMOTE_ADDR="192.0.2.7")
    assert refused.status_code == 429
    assert refused["Retry-After"]
    assert "Too many objections" in refused.content.decode()
    api = APIClient(REMOTE_ADDR="192.0.2.7").post(f"/api/v1/notices/{notice.reference}/objections", GOOD, format="json")
    assert api.status_code == 429 and api.json()["error"]["code"] == "objection_throttled"
    assert Objection.objects.count() == 2
    assert _object(client, notice, REMOTE_ADDR="192.0.2.8").status_code == 302


@time_machine.travel(NOW, tick=False)
def test_bad_input_does_not_count_against_the_address(client, notice, settings):
    settings.OBJECTIONS_PER_ADDRESS_PER_HOUR = 1
    for _ in range(3):
        assert _object(client, notice, {**GOOD, "email": "nope"}).status_code == 400
    assert _object(client, notice).status_code == 302


@time_machine.travel(NOW, tick=False)
def test_the_api_takes_an_objection_without_signing_in(notice):
    response = APIClient().post(f"/api/v1/notices/{notice.reference}/objections", GOOD, format="json")
    assert response.status_code == 201
    body = response.json()
    objection = Objection.objects.get()
    assert body == {"reference": objection.reference, "notice": notice.reference, "status": "open"}
    assert OutboundMessage.objects.filter(to=GOOD["email"]).count() == 1


@time_machine.travel(NOW, tick=False)
def test_the_confirmation_page_without_an_objection_goes_back_to_the_notices(client):
    response = client.get(reverse("notices:objection-sent"))
    assert response.status_code == 302 and response["Location"] == reverse("notices:list")


@time_machine.travel(NOW, tick=False)
def test_the_objection_form_works_without_javascript(client, notice):
    html = client.get(reverse("notices:notice", args=[notice.reference])).content.decode()
    assert 'method="post"' in html.lower() and "csrfmiddlewaretoken" in html
    assert settings.NOTICE_DISPLAY_DAYS == 28
