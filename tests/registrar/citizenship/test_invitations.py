"""The Home Office's invitations: taken in through its API (attend_by three months on, the person
emailed a signed link), refused in the one error shape when bad or sent twice, only for the Home
Office's client; then matched to the person who proved their identity, or checked by a registrar."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from identity import roles
from identity.models import AuditEntry, OutboundMessage
from registrar.citizenship import services
from registrar.models import CitizenshipInvitation
from tests.factories.citizenship import make_invitation, registrar_for, verified_person
from tests.factories.identity import RegisterOfficeFactory, StaffFactory, UserFactory, api_client, staff_session

pytestmark = pytest.mark.django_db

INVITATIONS = "/api/v1/citizenship/invitations"
GOOD = {
    "home_office_reference": "HO-2026-0001",
    "forenames": "Amara Chioma",
    "surname": "Okafor",
    "date_of_birth": "1988-04-02",
    "email": "amara@example.com",
    "postcode": "ls1 3ad",
    "route": "naturalisation",
    "invited_on": "2026-11-20",
}


@pytest.fixture
def home_office():
    return api_client(StaffFactory(roles=[roles.HOME_OFFICE]))


@time_machine.travel("2026-12-01 10:00 +0000", tick=False)
def test_an_invitation_is_taken_in_with_attend_by_three_months_on_and_the_person_emailed(
    home_office, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = home_office.post(INVITATIONS, GOOD, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["attend_by"] == "2027-02-20" and body["status"] == "invited"
    invitation = CitizenshipInvitation.objects.get(reference=body["reference"])
    assert invitation.postcode == "LS1 3AD" and invitation.surname == "Okafor"
    message = OutboundMessage.objects.get(to="amara@example.com")
    assert "/citizenship/invitation/" in message.body and "20 February 2027" in message.body
    assert "Okafor" not in message.subject


def test_the_same_home_office_reference_twice_is_refused(home_office):
    assert home_office.post(INVITATIONS, GOOD, format="json").status_code == 201
    again = home_office.post(INVITATIONS, {**GOOD, "email": "other@example.com"}, format="json")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "citizenship_duplicate_invitation"
    assert CitizenshipInvitation.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"home_office_reference": ""}, "home_office_reference"),
        ({"home_office_reference": "HO/1?x"}, "home_office_reference"),
        ({"surname": "   "}, "surname"),
        ({"date_of_birth": "2099-01-01"}, "date_of_birth"),
        ({"date_of_birth": "1988-02-31"}, "date_of_birth"),
        ({"email": "not an email"}, "email"),
        ({"postcode": "NOWHERE"}, "postcode"),
        ({"route": "marriage"}, "route"),
        ({"invited_on": "tomorrow"}, "invited_on"),
        ({"forenames": ["a", "list"]}, "forenames"),
    ],
)
def test_bad_invitations_are_400_in_the_one_shape(home_office, change, field):
    response = home_office.post(INVITATIONS, {**GOOD, **change}, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and field in error["fields"]
    assert not CitizenshipInvitation.objects.exists()


def test_an_invitation_dated_in_the_future_is_refused(home_office):
    tomorrow = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    response = home_office.post(INVITATIONS, {**GOOD, "invited_on": tomorrow}, format="json")
    assert response.status_code == 400 and "invited_on" in response.json()["error"]["fields"]


def test_a_body_that_is_not_an_object_is_400(home_office):
    response = home_office.post(INVITATIONS, ["x"], format="json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid"


def test_only_the_home_offices_client_sends_invitations():
    assert api_client().post(INVITATIONS, GOOD, format="json").status_code == 401
    for user in (UserFactory(), StaffFactory(roles=[roles.REGISTRAR]), StaffFactory(roles=[roles.MEDICAL_EXAMINER])):
        response = api_client(user).post(INVITATIONS, GOOD, format="json")
        assert response.status_code == 403 and "error" in response.json()


# --- Matching --------------------------------------------------------------------------------------------


def _link(invitation):
    return reverse("citizenship:accept", args=[services.link_token(invitation)])


def test_the_person_whose_proved_identity_matches_is_matched():
    invitation = make_invitation(status="invited", forenames="Amara Chioma", surname="Okafor")
    person = verified_person(forenames="AMARA  chioma", surname="Okafor")
    services.accept_invitation(token=services.link_token(invitation), person=person)
    invitation.refresh_from_db()
    assert invitation.status == "matched" and invitation.person == person


def test_a_mismatch_goes_to_a_registrar_never_silently(client):
    office = RegisterOfficeFactory()
    invitation = make_invitation(status="invited", surname="Okafor", office=office)
    person = verified_person(surname="Okafur", date_of_birth=datetime.date(1988, 4, 3))
    client.force_login(person)
    response = client.post(_link(invitation))
    assert response.status_code == 200 and "A registrar is checking your details" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == "to_check" and invitation.person is None
    assert invitation.mismatch == ["surname", "date_of_birth"]
    # The person cannot book meanwhile.
    assert client.get(reverse("citizenship:start")).status_code == 200
    registrar = registrar_for(office)
    staff = client.__class__()
    staff_session(staff, registrar)
    page = staff.get(reverse("citizenship-staff:index"))
    assert invitation.reference in page.content.decode()
    decided = staff.post(
        reverse("citizenship-staff:match", args=[invitation.reference]),
        {"same_person": "yes", "reason": "Passport seen: spelling error at the Home Office"},
    )
    assert decided.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == "matched" and invitation.person == person and invitation.matched_by == registrar
    assert AuditEntry.objects.filter(action="citizenship.match_decided", actor=registrar).exists()


def test_a_registrar_who_finds_a_different_person_sends_the_invitation_back():
    office = RegisterOfficeFactory()
    invitation = make_invitation(status="invited", office=office)
    person = verified_person(surname="Someoneelse")
    services.accept_invitation(token=services.link_token(invitation), person=person)
    services.decide_match(actor=registrar_for(office), invitation=invitation, same_person=False, reason="Not them")
    invitation.refresh_from_db()
    assert invitation.status == "invited" and invitation.claimed_by is None and invitation.person is None


def test_the_registrars_check_needs_their_answer_and_reason(client):
    office = RegisterOfficeFactory()
    invitation = make_invitation(status="invited", office=office)
    services.accept_invitation(token=services.link_token(invitation), person=verified_person(surname="Other"))
    staff_session(client, registrar_for(office))
    response = client.post(reverse("citizenship-staff:match", args=[invitation.reference]), {"same_person": "maybe"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Select yes if the person who signed in is the person invited" in page and "Enter what you checked" in page


def test_a_registrar_of_another_office_cannot_see_the_invitation(client):
    invitation = make_invitation(status="to_check", office=RegisterOfficeFactory())
    staff_session(client, registrar_for(RegisterOfficeFactory()))
    assert client.get(reverse("citizenship-staff:invitation", args=[invitation.reference])).status_code == 404


def test_accepting_needs_a_medium_confidence_identity(client):
    invitation = make_invitation(status="invited")
    person = UserFactory()
    client.force_login(person)
    page = client.get(_link(invitation))
    assert page.status_code == 200 and "Prove your identity" in page.content.decode()
    assert client.post(_link(invitation)).status_code == 302  # to the identity check
    api = api_client(person).post(
        "/api/v1/citizenship/invitations/accept", {"token": services.link_token(invitation)}, format="json"
    )
    assert api.status_code == 403 and api.json()["error"]["code"] == "citizenship_identity_not_verified"
    invitation.refresh_from_db()
    assert invitation.status == "invited"


def test_a_bad_or_replaced_link_is_refused_on_page_and_api(client):
    invitation = make_invitation(status="invited")
    token = services.link_token(invitation)
    CitizenshipInvitation.objects.filter(pk=invitation.pk).update(link_nonce="new")
    person = verified_person()
    client.force_login(person)
    for bad in (token, "nonsense"):
        page = client.get(reverse("citizenship:accept", args=[bad]))
        assert page.status_code == 404
        api = api_client(person).post("/api/v1/citizenship/invitations/accept", {"token": bad}, format="json")
        assert api.status_code == 404 and api.json()["error"]["message"] in page.content.decode()


def test_an_invitation_taken_by_one_account_is_refused_to_another():
    invitation = make_invitation(status="invited")
    services.accept_invitation(token=services.link_token(invitation), person=verified_person())
    with pytest.raises(services.CitizenshipRefused) as refused:
        services.accept_invitation(token=services.link_token(invitation), person=verified_person())
    assert refused.value.code == "citizenship_taken"


@time_machine.travel("2026-12-01 10:00 +0000", tick=False)
def test_a_registrar_extends_attend_by_with_a_reason(client):
    office = RegisterOfficeFactory()
    invitation = make_invitation(invited_on=datetime.date(2026, 9, 1), office=office)
    assert invitation.attend_by == datetime.date(2026, 12, 1)
    registrar = registrar_for(office)
    staff_session(client, registrar)
    url = reverse("citizenship-staff:extend", args=[invitation.reference])
    assert client.post(url, {"reason": "  "}).status_code == 400
    assert client.post(url, {"reason": "In hospital in November"}).status_code == 302
    invitation.refresh_from_db()
    assert invitation.attend_by == datetime.date(2027, 3, 1)
    assert invitation.extension_reason == "In hospital in November" and invitation.extended_by == registrar
    assert AuditEntry.objects.filter(action="citizenship.invitation_extended").exists()
