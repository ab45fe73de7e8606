"""Corrections reach the index: after a correction of a name the index holds, the public index
finds the entry under the corrected name too and shows the corrected name, once per person; the
entry page shows registrars both lines. A re-registered birth's original is no longer shown
publicly (hidden, not deleted): the new entry is found, certificates of the original are
superseded (the verify page says so, in words), and ordering it gives the new entry. Run on
SQLite and on PostgreSQL (the write-once triggers and the trigram dictionary)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from certificates.models import Certificate
from certificates.selectors import IndexSearch, certificate_status, search_index
from registrar.casework import correct_entry
from registrar.models import IndexName
from registrar.reregistration import services
from tests.factories import historic_death, historic_marriage, staff_session
from tests.factories.certificates import paid_certificate_order

from .conftest import DETAILS

pytestmark = pytest.mark.django_db


def names(page) -> list[tuple[str, str, str]]:
    return [(line.surname, line.forenames, line.other_surname) for line in page.lines]


def _correct(entry, registrar, field, value):
    return correct_entry(
        entry=entry, field=field, new_value=value, reason="Spelling", evidence="Passport seen", actor=registrar
    )


def test_a_corrected_forename_is_found_and_shown_and_the_first_line_stays(entry, registrar):
    _correct(entry, registrar, "child_forenames", "Olive Rose")
    found = search_index(IndexSearch(event="birth", surname="Clarke", forenames="Olive"))
    assert names(found) == [("Clarke", "Olive Rose", "Clarke")]
    # Searching by the name first registered still finds the entry, shown as corrected, once.
    by_first = search_index(IndexSearch(event="birth", surname="Clarke", forenames="Olivia"))
    assert names(by_first) == [("Clarke", "Olive Rose", "Clarke")]
    assert names(search_index(IndexSearch(event="birth", surname="Clarke"))) == [("Clarke", "Olive Rose", "Clarke")]
    lines = list(IndexName.objects.filter(entry=entry).order_by("pk"))
    assert [(line.forenames, line.correction_id is not None) for line in lines] == [
        ("Olivia Rose", False),
        ("Olive Rose", True),
    ]
    assert lines[1].replaces == lines[0]


def test_each_correction_carries_the_earlier_ones(entry, registrar):
    _correct(entry, registrar, "child_forenames", "Olive Rose")
    _correct(entry, registrar, "child_surname", "Clark")
    _correct(entry, registrar, "mother_maiden_surname", "Clark")
    assert names(search_index(IndexSearch(event="birth", surname="Clark"))) == [("Clark", "Olive Rose", "Clark")]
    assert names(search_index(IndexSearch(event="birth", surname="Clarke"))) == [("Clark", "Olive Rose", "Clark")]
    assert names(search_index(IndexSearch(event="birth", surname="Clark", mother_maiden_surname="Clark"))) == [
        ("Clark", "Olive Rose", "Clark")
    ]


def test_a_correction_of_another_particular_adds_no_line(entry, registrar):
    _correct(entry, registrar, "place_of_birth", "Leeds General Infirmary, Leeds")
    assert IndexName.objects.filter(entry=entry).count() == 1


def test_a_marriage_partys_corrected_surname_reaches_both_lines(entry, registrar):
    marriage = historic_marriage(entry.district, one=("Tom", "Evans"), two=("Sian", "Pritchard"))
    _correct(marriage, registrar, "party2_surname", "Prichard")
    assert names(search_index(IndexSearch(event="marriage", surname="Prichard"))) == [("Prichard", "Sian", "Evans")]
    assert names(search_index(IndexSearch(event="marriage", surname="Evans"))) == [("Evans", "Tom", "Prichard")]


def test_a_deceaseds_corrected_name_keeps_the_age(entry, registrar):
    death = historic_death(entry.district, surname="Brown", forenames="Albert", age=80)
    _correct(death, registrar, "deceased_forenames", "Alberto")
    [line] = search_index(IndexSearch(event="death", surname="Brown")).lines
    assert (line.forenames, line.age) == ("Alberto", 80)


def test_the_entry_page_shows_registrars_both_lines(entry, registrar, client):
    _correct(entry, registrar, "child_forenames", "Olive Rose")
    staff_session(client, registrar)
    page = client.get(
        reverse("registrar-staff:entry", args=[entry.district.code, "B", entry.year, entry.number])
    ).content.decode()
    assert "Olivia Rose" in page and "Olive Rose" in page and "After a correction on" in page


# --- A re-registered birth in the index and its certificates -----------------------------------------


@pytest.fixture
def reregistered(mother, father, entry):
    order = paid_certificate_order(entry)
    certificate = Certificate.objects.create(
        serial="AAAA-BBBB-CCCC-DDDD", order=order, copy_number=1, entry=entry, kind="full_birth", pdf_sha256="0" * 64
    )
    assert certificate_status(certificate) == "valid"
    reregistration = services.start(person=mother, entry=entry, reason="add_parent")
    services.save_details(reregistration=reregistration, person=mother, data=DETAILS)
    services.confirm_and_invite(reregistration=reregistration, person=mother)
    done = services.confirm_as_other_parent(reregistration=reregistration, person=father)
    return {"certificate": certificate, "new": done.new_entry}


def test_the_index_finds_the_new_entry_and_hides_the_originals_line(entry, reregistered):
    new = reregistered["new"]
    assert [line.entry_id for line in search_index(IndexSearch(event="birth", surname="Hartley")).lines] == [new.pk]
    assert search_index(IndexSearch(event="birth", surname="Clarke")).lines == []
    assert IndexName.objects.filter(entry=entry).exists()  # hidden, not deleted


def test_certificates_of_the_original_are_superseded_and_verify_says_so_in_words(reregistered, client):
    certificate = reregistered["certificate"]
    assert certificate_status(certificate) == "superseded"
    page = client.get(reverse("certificates:verify-serial", args=[certificate.serial])).content.decode()
    assert "superseded by a re-registration of the birth on" in page
    api = client.get(f"/api/v1/certificates/verify/{certificate.serial}").json()
    assert api["status"] == "superseded"


def test_ordering_a_copy_of_the_original_gives_the_new_entry(entry, reregistered, client, mother):
    line = IndexName.objects.get(entry=entry)
    client.force_login(mother)
    response = client.post(reverse("certificates:order-start", args=[line.pk]), {"kind": "full_birth", "copies": 1})
    assert response.status_code == 302
    assert mother.certificate_orders.get().entry == reregistered["new"]


def test_registrars_see_both_entries(entry, reregistered, registrar, client):
    staff_session(client, registrar)
    new = reregistered["new"]
    original_page = client.get(
        reverse("registrar-staff:entry", args=[entry.district.code, "B", entry.year, entry.number])
    ).content.decode()
    assert new.entry_reference in original_page and "its certificates are superseded" in original_page
    new_page = client.get(
        reverse("registrar-staff:entry", args=[new.district.code, "B", new.year, new.number])
    ).content.decode()
    assert entry.entry_reference in new_page
