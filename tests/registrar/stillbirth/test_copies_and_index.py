"""Still-birth entries are private: certified copies only to the parents named in the entry and
to the register office's staff (enforced by the certificates service, whatever the page), and no
route of the public index ever finds them."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from certificates import services as certificate_services
from certificates.models import Certificate
from certificates.refusals import OrderRefused, SearchRefused
from certificates.selectors import IndexSearch, search_index
from identity import roles
from registrar.models import IndexName
from registrar.refusals import RegistrationRefused
from registrar.services import confirm_as_second_parent, register_registration
from tests.factories import (
    RegisterOfficeFactory,
    StaffFactory,
    UserFactory,
    make_entry,
    make_registration,
    paid_certificate_order,
    submit_as_informant,
    verify_identity,
)
from tests.factories.stillbirth import stillbirth_answers

pytestmark = pytest.mark.django_db


def _registered(person, certificate, **sections):
    answers = stillbirth_answers(certificate, **sections)
    answers.pop("declaration")
    return submit_as_informant(make_registration(event="stillbirth", informant=person, answers=answers))


@pytest.fixture
def entry(mother, certificate):
    return _registered(mother, certificate).entry


def _order(person, entry):
    return certificate_services.start_order(person=person, entry=entry, kind="stillbirth", copies=1)


def test_the_parent_who_registered_may_order_a_copy_and_it_is_issued_as_a_signed_pdf(mother, entry, signing_key):
    order = paid_certificate_order(entry, kind="stillbirth", person=mother)
    certificate_services.issue_order(order_id=order.pk)
    certificate = Certificate.objects.get(order=order)
    assert certificate.issued_at is not None
    with certificate.pdf.open("rb") as handle:
        pdf = handle.read()
    assert pdf.startswith(b"%PDF") and b"/Sig" in pdf


def test_the_other_parent_who_confirmed_may_order_a_copy(mother, father, certificate):
    registration = submit_as_informant(
        make_registration(
            event="stillbirth",
            informant=mother,
            answers={
                **stillbirth_answers(
                    certificate,
                    relationship={"parents_married": False, "register_jointly": True},
                    second_parent={"channel": "email", "email": father.email, "mobile": ""},
                ),
                "declaration": None,
            },
        )
    )
    registration = confirm_as_second_parent(registration=registration, person=father)
    assert _order(father, registration.entry).entry == registration.entry


def test_anyone_else_is_refused_with_a_clear_message(entry):
    with pytest.raises(OrderRefused) as refused:
        _order(UserFactory(), entry)
    assert refused.value.code == "stillbirth_parents_only" and refused.value.status == 403
    assert "only to the parents named in it" in refused.value.message


def test_an_informant_who_is_not_a_parent_is_refused(certificate, offices):
    occupier = UserFactory()
    verify_identity(occupier)
    registration = _registered(
        occupier,
        certificate,
        informant={"qualification": "occupier", "parents_unable": True},
        informant_details={"full_name": "Pat Jones", "address": "1 Ward Road", "postcode": "LS1 3EX"},
    )
    with pytest.raises(OrderRefused):
        _order(occupier, registration.entry)


def test_registrars_of_the_office_may_order_and_others_may_not(entry, leeds):
    own = StaffFactory(roles=[roles.REGISTRAR])
    own.offices.add(leeds)
    assert _order(own, entry).entry == entry
    elsewhere = StaffFactory(roles=[roles.REGISTRAR])
    elsewhere.offices.add(RegisterOfficeFactory(code="E-YORK"))
    with pytest.raises(OrderRefused):
        _order(elsewhere, entry)
    phone = StaffFactory(roles=[roles.PHONE_SUPPORT])
    with pytest.raises(OrderRefused):
        _order(phone, entry)


def test_anyone_may_still_order_copies_of_other_registers(leeds):
    birth = make_entry(district=leeds)
    order = certificate_services.start_order(person=UserFactory(), entry=birth, kind="full_birth", copies=1)
    assert order.entry == birth


def test_the_copies_page_lists_the_parents_entries_and_refuses_others(client, mother, entry):
    client.force_login(mother)
    page = client.get("/certificates/stillbirth/")
    assert page.status_code == 200 and entry.entry_reference in page.content.decode()
    response = client.post("/certificates/stillbirth/", {"entry": entry.pk})
    assert response.status_code == 302 and "/certificates/orders/" in response["Location"]
    stranger = UserFactory()
    client.force_login(stranger)
    assert entry.entry_reference not in client.get("/certificates/stillbirth/").content.decode()
    refused = client.post("/certificates/stillbirth/", {"entry": entry.pk})
    assert refused.status_code == 403
    assert "only to the parents named in it" in refused.content.decode().replace("&#x27;", "'")
    assert client.post("/certificates/stillbirth/", {"entry": "nonsense"}).status_code == 404


# --- The public index never finds them --------------------------------------------------------


def test_no_index_line_is_written(entry):
    assert not IndexName.objects.filter(entry=entry).exists()


@pytest.mark.parametrize("event", ["birth", "death", "marriage", "civil_partnership"])
@pytest.mark.parametrize("sounds_like", [False, True])
def test_the_index_search_never_finds_a_still_birth(entry, event, sounds_like):
    for surname in ("Hartley", "Hartly"):
        page = search_index(IndexSearch(event=event, surname=surname, sounds_like=sounds_like))
        assert all(line.entry_id != entry.pk for line in page.lines)


def test_searching_the_still_birth_register_is_refused_on_the_page_and_the_api(client, entry):
    # The page's search is posted (names never go in a URL), and so is the API's.
    page = client.post("/certificates/search/", {"event": "stillbirth", "surname": "Hartley"})
    assert page.status_code == 400 and "Hartley" not in page.content.decode().split("</form>")[-1]
    api = APIClient().post("/api/v1/certificates/index", {"event": "stillbirth", "surname": "Hartley"}, format="json")
    assert api.status_code == 400 and api.json()["error"]["fields"]
    with pytest.raises(SearchRefused) as refused:
        search_index(IndexSearch(event="stillbirth", surname="Hartley"))
    assert refused.value.code == "unknown_event"


def test_the_birth_search_by_page_and_api_does_not_show_it(client, entry):
    page = client.post(
        "/certificates/search/", {"event": "birth", "surname": "Hartley", "sounds_like": "on"}, follow=True
    )
    assert page.status_code == 200 and "No entries found" in page.content.decode()
    assert entry.entry_reference not in page.content.decode()
    api = APIClient().post(
        "/api/v1/certificates/index", {"event": "birth", "surname": "Hartley", "sounds_like": True}, format="json"
    )
    assert api.status_code == 200 and api.json()["total"] == 0


def test_a_stillbirth_registration_cannot_be_registered_twice(mother, certificate):
    registration = _registered(mother, certificate)
    with pytest.raises(RegistrationRefused):
        register_registration(registration=registration, actor=None)


def test_parents_find_the_copies_page_from_the_certificates_start_page(client):
    page = client.get("/certificates/").content.decode()
    assert 'href="/certificates/stillbirth/"' in page
    welsh = client.get("/certificates/", HTTP_ACCEPT_LANGUAGE="cy").content.decode()
    assert "Copïau o gofnod marw-enedigaeth" in welsh
