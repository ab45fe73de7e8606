"""A registrar of the entry's office re-registers a birth from a court order or statutory
declaration (its scan cleaned like every upload) with one parent: the same writer, audited;
other offices, other permissions and bad input are refused clearly."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from identity import roles
from identity.models import AuditEntry
from registrar.models import EntryReRegistration, ReRegistration
from tests.factories import RegisterOfficeFactory, StaffFactory, document_photo, staff_session

pytestmark = pytest.mark.django_db


def _url(entry):
    return reverse("reregistration-staff:reregister", args=[entry.district.code, "B", entry.year, entry.number])


def _form(**overrides):
    data = {
        "reason": "court_order",
        "parent_present": "mother",
        "father_forenames": "Daniel",
        "father_surname": "Hartley",
        "father_place_of_birth": "Cardiff",
        "father_occupation": "",
        "child_surname": "",
        "evidence": "Court order of Leeds Family Court, case LS26F00123",
        "scan": SimpleUploadedFile("order.jpg", document_photo(), content_type="image/jpeg"),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_a_registrar_reregisters_from_a_court_order_with_one_parent(entry, registrar, client):
    staff_session(client, registrar)
    assert client.get(_url(entry)).status_code == 200
    response = client.post(_url(entry), _form())
    assert response.status_code == 302
    mark = EntryReRegistration.objects.get(original=entry)
    new = mark.new_entry
    assert response.url.endswith("?reregistered=1")
    assert (mark.reason, mark.by, new.registered_by) == ("court_order", registrar, registrar)
    assert "LS26F00123" in mark.evidence
    assert new.particulars["father_surname"] == "Hartley"
    assert new.particulars["child_surname"] == "Clarke"  # kept when left blank
    assert new.particulars["informant_qualification"] == "Mother"
    assert ReRegistration.objects.get(original=entry).first_parent_name == new.particulars["informant_name"]
    journey = ReRegistration.objects.get(original=entry)
    assert journey.status == "registered" and journey.scan.name.startswith("reregistrations/")
    assert AuditEntry.objects.filter(action="reregistration.registrar_reregistered", actor=registrar).exists()
    assert AuditEntry.objects.filter(action="register.entry_reregistered").exists()
    # A second go is refused: the original is re-registered.
    again = client.post(_url(entry), _form())
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"reason": "legitimation"}, "reason"),
        ({"parent_present": None}, "parent_present"),
        ({"evidence": ""}, "evidence"),
        ({"scan": None}, "scan"),
        ({"scan": SimpleUploadedFile("order.jpg", b"not an image", content_type="image/jpeg")}, "scan"),
        ({"father_surname": ""}, "father_surname"),
    ],
)
def test_bad_input_is_a_clear_4xx_and_keeps_what_was_typed(entry, registrar, client, overrides, field):
    staff_session(client, registrar)
    response = client.post(_url(entry), _form(**overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert "LS26F00123" in response.content.decode() or field == "evidence"
    assert not EntryReRegistration.objects.exists()


def test_a_registrar_of_another_office_cannot_see_or_reregister(entry, client):
    elsewhere = StaffFactory(roles=[roles.REGISTRAR])
    elsewhere.offices.add(RegisterOfficeFactory())
    staff_session(client, elsewhere)
    assert client.get(_url(entry)).status_code == 404
    assert client.post(_url(entry), _form()).status_code == 404


def test_staff_without_the_permission_are_refused(entry, client):
    support = StaffFactory(roles=[roles.PHONE_SUPPORT])
    staff_session(client, support)
    assert client.get(_url(entry)).status_code == 403


def test_the_entry_page_links_to_the_registrars_reregistration(entry, registrar, client):
    staff_session(client, registrar)
    page = client.get(reverse("registrar-staff:entry", args=[entry.district.code, "B", entry.year, entry.number]))
    assert _url(entry) in page.content.decode()
