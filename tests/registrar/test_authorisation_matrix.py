"""Who may read and act on registration casework: every staff page and API endpoint against
every kind of caller — anonymous, the informant (citizen A), another citizen (B), a registrar of
another office, phone support, a service admin — none of whom sees the case, the entry or the
person's data; the office's registrar and the Registrar General's office as controls."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from identity import roles
from identity.models import RegisterOffice
from identity.services import issue_api_token
from registrar.models import CaseAction, EntryCorrection
from tests.factories import (
    RegisterOfficeFactory,
    RegistrationFactory,
    StaffFactory,
    UserFactory,
    make_entry,
    staff_session,
)

pytestmark = pytest.mark.django_db

SECRET = "Milbanke"  # the mother's surname: personal data that must not leak

CALLERS = ["anonymous", "citizen_a", "citizen_b", "other_office_registrar", "phone_support", "service_admin"]


@pytest.fixture
def world():
    office = RegisterOfficeFactory(code="E-LEEDS")
    other = RegisterOfficeFactory(code="W-CARDIFF")
    citizen_a = UserFactory(email="informant@example.com")
    registration = RegistrationFactory(district=office, informant=citizen_a, reference="RG-MATR-0001")
    entry = make_entry(district=office, registration=RegistrationFactory(district=office, informant=citizen_a))

    def staff(role, office_):
        # force_login below: no password to hash, which keeps the 130 cases quick.
        person = StaffFactory(roles=[role], password=None, authenticator=False)
        if office_ is not None:
            person.offices.add(office_)
        return person

    return {
        "registration": registration,
        "entry": entry,
        "users": {
            "anonymous": None,
            "citizen_a": citizen_a,
            "citizen_b": UserFactory(),
            "other_office_registrar": staff(roles.REGISTRAR, other),
            "phone_support": staff(roles.PHONE_SUPPORT, office),
            "service_admin": staff(roles.SERVICE_ADMIN, office),
            "office_registrar": staff(roles.REGISTRAR, office),
            "registrar_general": staff(roles.REGISTRAR_GENERAL, None),
        },
    }


def _page_client(client, user):
    if user is not None:
        if user.is_staff:
            staff_session(client, user)
        else:
            client.force_login(user)
    return client


def _api_client(user):
    api = APIClient()
    if user is not None:
        token, _ = issue_api_token(user=user)
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return api


def _entry_path(entry):
    return f"{entry.district.code}/B/{entry.year}/{entry.number}"


PAGES = [
    ("get", "/staff/registrar/", None),
    ("get", "/staff/registrar/cases/{ref}/", None),
    ("post", "/staff/registrar/cases/{ref}/decide/", {"decision": "reject", "reason": "no"}),
    ("post", "/staff/registrar/cases/{ref}/assign/", {"assignee": "me"}),
    ("get", "/staff/registrar/dashboard/", None),
    # The entry search is posted (no reference in the address): "{entry_ref}" is the entry's registration.
    ("post", "/staff/registrar/entries/", {"reference": "{entry_ref}"}),
    ("get", "/staff/registrar/entries/{entry}/", None),
    (
        "post",
        "/staff/registrar/entries/{entry}/correct/",
        {"field": "place_of_birth", "new_value": "York", "reason": "r", "evidence": "e"},
    ),
]

ENDPOINTS = [
    ("get", "/api/v1/registrar/cases", None),
    ("get", "/api/v1/registrar/cases/{ref}", None),
    ("post", "/api/v1/registrar/cases/{ref}/decision", {"decision": "reject", "reason": "no"}),
    ("post", "/api/v1/registrar/cases/{ref}/assignment", {"assignee": "me"}),
    ("get", "/api/v1/registrar/entries?reference={ref}", None),
    ("get", "/api/v1/registrar/entries/{entry}", None),
    ("get", "/api/v1/registrar/entries/{entry}/corrections", None),
    (
        "post",
        "/api/v1/registrar/entries/{entry}/corrections",
        {"field": "place_of_birth", "new_value": "York", "reason": "r", "evidence": "e"},
    ),
]


def _url(template, world):
    ref = world["registration"].reference
    if "entries/?reference" in template or "entries?reference" in template:
        ref = world["entry"].registration.reference
    return template.format(ref=ref, entry=_entry_path(world["entry"]))


def _payload(data, world) -> dict:
    """A page's posted data, with "{entry_ref}" as the entry's registration reference."""
    entry_ref = world["entry"].registration.reference
    return {
        key: value.format(entry_ref=entry_ref) if isinstance(value, str) else value
        for key, value in (data or {}).items()
    }


def _nothing_changed(world):
    world["registration"].refresh_from_db()
    assert world["registration"].status == "with_registrar" and world["registration"].assigned_to is None
    assert not CaseAction.objects.exists() and not EntryCorrection.objects.exists()


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize(("method", "template", "data"), PAGES)
def test_no_one_else_reads_or_acts_on_staff_pages(client, world, caller, method, template, data):
    user = world["users"][caller]
    response = getattr(_page_client(client, user), method)(_url(template, world), _payload(data, world))
    html = response.content.decode()
    if caller == "other_office_registrar" and template in ("/staff/registrar/", "/staff/registrar/dashboard/"):
        # Their own (empty) queue and dashboard, without this office's case.
        assert response.status_code == 200 and world["registration"].reference not in html
    elif caller == "anonymous" or (user is not None and not user.is_staff):
        assert response.status_code == 302 and "/staff/sign-in/" in response["Location"]
    elif caller == "other_office_registrar":
        assert response.status_code == 404
    else:
        assert response.status_code == 403
    assert SECRET not in html and world["users"]["citizen_a"].email not in html
    _nothing_changed(world)


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize(("method", "template", "data"), ENDPOINTS)
def test_no_one_else_reads_or_acts_through_the_api(world, caller, method, template, data):
    user = world["users"][caller]
    api = _api_client(user)
    url = _url(template, world)
    response = api.get(url) if method == "get" else api.post(url, data, format="json")
    if caller == "anonymous":
        expected = 401
    elif caller == "other_office_registrar":
        expected = 200 if template == "/api/v1/registrar/cases" else 404
        if "entries" in template:
            expected = 404
    else:
        expected = 403
    assert response.status_code == expected, (caller, url, response.content)
    assert SECRET not in response.content.decode() and world["registration"].reference not in str(
        response.json() if expected != 200 else [c["reference"] for c in response.json()]
    )
    _nothing_changed(world)


@pytest.mark.parametrize(("method", "template", "data"), PAGES)
def test_the_offices_registrar_can_use_every_page(client, world, method, template, data):
    response = getattr(_page_client(client, world["users"]["office_registrar"]), method)(
        _url(template, world), _payload(data, world)
    )
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert "/staff/sign-in/" not in response["Location"]


@pytest.mark.parametrize(("method", "template", "data"), ENDPOINTS)
def test_the_offices_registrar_can_use_every_endpoint(world, method, template, data):
    api = _api_client(world["users"]["office_registrar"])
    url = _url(template, world)
    response = api.get(url) if method == "get" else api.post(url, data, format="json")
    assert response.status_code in (200, 201), response.content


def test_the_registrar_generals_office_works_every_office_but_cannot_correct_entries(client, world):
    general = world["users"]["registrar_general"]
    page = _page_client(client, general).get(_url("/staff/registrar/cases/{ref}/", world))
    assert page.status_code == 200 and SECRET in page.content.decode()
    assert client.get(_url("/staff/registrar/entries/{entry}/", world)).status_code == 403
    api = _api_client(general)
    assert api.get(_url("/api/v1/registrar/cases/{ref}", world)).status_code == 200
    assert api.get(_url("/api/v1/registrar/entries/{entry}", world)).status_code == 403


# --- Office scoping of what the queues, the dashboard and the case page list ---------------------


@pytest.fixture
def cardiff_case(world):
    """A case in the other office, near its deadline and with a reason of its own."""
    cardiff = RegisterOffice.objects.get(code="W-CARDIFF")
    return RegistrationFactory(
        district=cardiff,
        reference="RG-CARD-0001",
        reasons=["mccd_district_mismatch"],
        deadline=timezone.localdate() + timedelta(days=1),
    )


def test_a_registrar_of_two_offices_works_both_and_nothing_of_a_third(client, world, cardiff_case):
    third = RegisterOfficeFactory(code="E-YORK")
    york_case = RegistrationFactory(district=third, reference="RG-YORK-0001")
    registrar = world["users"]["office_registrar"]
    registrar.offices.add(cardiff_case.district)
    pages = _page_client(client, registrar)
    queue = pages.get("/staff/registrar/").content.decode()
    assert world["registration"].reference in queue and cardiff_case.reference in queue
    assert york_case.reference not in queue
    assert pages.get(f"/staff/registrar/cases/{cardiff_case.reference}/").status_code == 200
    assert pages.get(f"/staff/registrar/cases/{york_case.reference}/").status_code == 404
    listed = [case["reference"] for case in _api_client(registrar).get("/api/v1/registrar/cases").json()]
    assert {world["registration"].reference, cardiff_case.reference} <= set(listed)
    assert york_case.reference not in listed
    assert _api_client(registrar).get(f"/api/v1/registrar/cases/{york_case.reference}").status_code == 404


def test_another_offices_case_is_not_on_the_dashboard_nor_among_the_queues_reasons(client, world, cardiff_case):
    pages = _page_client(client, world["users"]["office_registrar"])
    dashboard = pages.get("/staff/registrar/dashboard/").content.decode()
    assert cardiff_case.reference not in dashboard
    queue = pages.get("/staff/registrar/").content.decode()
    assert "mccd_district_mismatch" not in queue and cardiff_case.reference not in queue


def test_another_offices_code_as_a_queue_filter_is_refused_on_the_page_and_in_the_api(client, world, cardiff_case):
    registrar = world["users"]["office_registrar"]
    page = _page_client(client, registrar).get("/staff/registrar/", {"office": "W-CARDIFF"})
    assert page.status_code == 400 and cardiff_case.reference not in page.content.decode()
    api = _api_client(registrar).get("/api/v1/registrar/cases", {"office": "W-CARDIFF"})
    assert api.status_code == 400 and list(api.json()["error"]["fields"]) == ["office"]


def test_a_case_is_offered_and_assigned_only_to_colleagues_of_its_office(client, world):
    registrar = world["users"]["office_registrar"]
    elsewhere = world["users"]["other_office_registrar"]
    page = _page_client(client, registrar).get(_url("/staff/registrar/cases/{ref}/", world)).content.decode()
    assert f'value="{elsewhere.pk}"' not in page
    response = _api_client(registrar).post(
        _url("/api/v1/registrar/cases/{ref}/assignment", world), {"assignee": elsewhere.email}, format="json"
    )
    assert response.status_code == 400 and response.json()["error"]["code"] == "assignee_not_in_office"
    _nothing_changed(world)
