"""Joint registration of unmarried parents: the other parent is invited by email or text, signs
in, verifies their own identity, reviews and confirms; the entry is made only then. They may
say the details are wrong, and the mother may stop waiting and register alone."""

from __future__ import annotations

import re
from datetime import date

import pytest

from identity.models import OutboundMessage
from registrar import services
from registrar.models import RegisterEntry, Registration
from tests.factories import (
    StaffFactory,
    UserFactory,
    birth_answers,
    make_registration,
    submit_as_informant,
    verify_identity,
)

pytestmark = pytest.mark.django_db

JOINT = {
    "relationship": {"parents_married": False, "register_jointly": True},
    "second_parent": {"channel": "email", "email": "daniel@example.com", "mobile": ""},
}


@pytest.fixture
def father():
    return UserFactory(email="daniel@example.com")


def _invited(mother, **sections) -> Registration:
    registration = make_registration(informant=mother, answers=birth_answers(**{**JOINT, **sections}))
    return submit_as_informant(registration)


def _link_path(to: str) -> str:
    message = OutboundMessage.objects.filter(to=to).latest("id")
    return re.search(r"https?://[^/]+(/register/joint/\S+/)", message.body).group(1)


def test_an_unmarried_mother_naming_the_father_waits_for_him(offices, mother):
    registration = _invited(mother)
    assert registration.status == Registration.Status.AWAITING_SECOND_PARENT
    assert not RegisterEntry.objects.exists()
    invitation = OutboundMessage.objects.get(to="daniel@example.com")
    assert "Olivia Rose" in invitation.body and "/register/joint/" in invitation.body
    assert OutboundMessage.objects.filter(to="emma@example.com", key__contains=":invited").exists()


def test_the_father_is_invited_by_text_message(offices, mother):
    _invited(mother, second_parent={"channel": "sms", "mobile": "+447700900982", "email": ""})
    message = OutboundMessage.objects.get(to="+447700900982")
    assert message.channel == "sms"


def test_the_entry_is_made_only_when_the_verified_father_confirms(client, offices, mother, father):
    registration = _invited(mother)
    path = _link_path("daniel@example.com")
    # Not signed in: sent to sign in and back.
    response = client.get(path)
    assert response.status_code == 302 and "/sign-in/" in response["Location"]
    client.force_login(father)
    page = client.get(path).content.decode()
    assert "prove your identity" in page.lower() and "Olivia Rose" not in page
    assert client.post(path, {"action": "confirm", "confirmed": "on"}).status_code == 302
    registration.refresh_from_db()
    assert registration.status == Registration.Status.AWAITING_SECOND_PARENT
    verify_identity(father)
    page = client.get(path).content.decode()
    assert "Olivia Rose" in page and "Daniel" in page
    response = client.post(path, {"action": "confirm"})
    assert response.status_code == 400 and "Confirm that you are the other parent" in response.content.decode()
    response = client.post(path, {"action": "confirm", "confirmed": "on"})
    assert response.status_code == 200 and "Birth registered" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REGISTERED
    particulars = registration.entry.particulars
    assert particulars["father_forenames"] == "Daniel"
    assert particulars["informant_name"] == "Emma Louise Hartley and Daniel Hartley"
    assert particulars["informant_qualification"] == "Mother and father"
    assert registration.answers["_second_parent"]["confirmed_by"] == father.pk


def test_the_mother_cannot_confirm_as_the_other_parent(client, offices, mother):
    registration = _invited(mother)
    client.force_login(mother)
    response = client.post(_link_path("daniel@example.com"), {"action": "confirm", "confirmed": "on"})
    assert response.status_code == 403
    registration.refresh_from_db()
    assert registration.status == Registration.Status.AWAITING_SECOND_PARENT
    with pytest.raises(services.RegistrationRefused):
        services.confirm_as_second_parent(registration=registration, person=mother)


def test_an_unverified_other_parent_cannot_confirm(offices, mother, father):
    registration = _invited(mother)
    with pytest.raises(services.RegistrationRefused) as refused:
        services.confirm_as_second_parent(registration=registration, person=father)
    assert refused.value.reason == "second_parent_identity_not_verified"


def test_the_other_parent_says_the_details_are_wrong(client, offices, mother, father):
    registration = _invited(mother)
    verify_identity(father)
    client.force_login(father)
    path = _link_path("daniel@example.com")
    assert client.post(path, {"action": "decline", "reason": ""}).status_code == 400
    response = client.post(path, {"action": "decline", "reason": "My surname is spelt Hartly"})
    assert response.status_code == 200
    registration.refresh_from_db()
    assert registration.status == Registration.Status.DRAFT
    assert "declaration" not in registration.answers and registration.answers["father"]["forenames"] == "Daniel"
    told = OutboundMessage.objects.filter(to="emma@example.com", key__contains=":declined").get()
    assert "Hartly" in told.body
    # The old link no longer works.
    assert client.get(path).status_code == 404


def test_the_mother_stops_waiting_and_registers_alone(client, offices, mother):
    registration = _invited(mother)
    old_link = _link_path("daniel@example.com")
    client.force_login(mother)
    status = client.get(f"/register/{registration.reference}/").content.decode()
    assert "register alone" in status
    response = client.post(f"/register/{registration.reference}/stop-waiting/")
    assert response["Location"].endswith("/relationship/")
    response = client.post(
        f"/register/{registration.reference}/relationship/", {"parents_married": "no", "register_jointly": "no"}
    )
    assert response["Location"].endswith("/check/")
    check = client.get(response["Location"]).content.decode()
    assert "will not be named in the register" in check and "re-registering" in check
    client.post(f"/register/{registration.reference}/declaration/", {"confirmed": "on"})
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REGISTERED
    assert registration.entry.particulars["father_surname"] == ""
    client.force_login(UserFactory())
    assert client.get(old_link).status_code == 404


def test_an_unmarried_father_needs_the_mother_to_confirm(offices, mother):
    father = UserFactory()
    verify_identity(father)
    registration = make_registration(
        informant=father,
        answers=birth_answers(
            informant={"qualification": "parent_unmarried"},
            relationship={"parents_married": False, "register_jointly": None},
            second_parent={"channel": "email", "email": "emma@example.com", "mobile": ""},
        ),
    )
    registration = submit_as_informant(registration)
    assert registration.status == Registration.Status.AWAITING_SECOND_PARENT
    registration = services.confirm_as_second_parent(registration=registration, person=mother)
    assert registration.status == Registration.Status.REGISTERED
    assert registration.entry.particulars["father_forenames"] == "Daniel"


def test_registering_before_the_other_parent_confirms_is_refused_even_for_a_registrar(offices, mother):
    registration = _invited(mother)
    with pytest.raises(services.RegistrationRefused) as refused:
        services.register_registration(registration=registration, actor=StaffFactory(roles=["Registrar"]))
    assert refused.value.reason == "second_parent_not_confirmed"


def test_a_tampered_invitation_link_is_404(client, offices, mother, father):
    _invited(mother)
    client.force_login(father)
    path = _link_path("daniel@example.com")
    assert client.get(path[:-3] + "xx/").status_code == 404
    assert client.get("/register/joint/nonsense/").status_code == 404


def test_the_other_parents_own_email_is_required(client, offices, mother):
    registration = make_registration(
        informant=mother, answers=birth_answers(relationship=JOINT["relationship"], declaration=None)
    )
    client.force_login(mother)
    url = f"/register/{registration.reference}/second_parent/"
    response = client.post(url, {"channel": "email", "email": "emma@example.com"})
    assert response.status_code == 400 and "not yours" in response.content.decode()
    response = client.post(url, {"channel": "sms", "mobile": "12345"})
    assert response.status_code == 400 and "UK mobile phone number" in response.content.decode()
    response = client.post(url, {"channel": "sms", "mobile": "07700 900 982"})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.answers["second_parent"]["mobile"] == "+447700900982"


def test_the_other_parent_reads_the_date_of_birth_in_words(client, offices, mother, father, settings):
    registration = _invited(mother)
    born = date.fromisoformat(registration.answers["child"]["date_of_birth"])
    path = _link_path("daniel@example.com")
    verify_identity(father)
    client.force_login(father)
    page = client.get(path).content.decode()
    assert f"{born.day} {born:%B} {born.year}" in page and born.isoformat() not in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    welsh = client.get(path).content.decode()
    assert born.isoformat() not in welsh and f"{born.day} {WELSH_MONTHS[born.month - 1]} {born.year}" in welsh


WELSH_MONTHS = [
    "Ionawr",
    "Chwefror",
    "Mawrth",
    "Ebrill",
    "Mai",
    "Mehefin",
    "Gorffennaf",
    "Awst",
    "Medi",
    "Hydref",
    "Tachwedd",
    "Rhagfyr",
]
