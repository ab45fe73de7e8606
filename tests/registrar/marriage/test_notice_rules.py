"""The rules checked while a person gives notice, at their edges: 18 on the ceremony date, 7 full
days' residence before sending, and the evidence that an earlier marriage or civil partnership
ended (a cleaned photo of the final order, or the death found in the central register)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from booking.rules import add_months
from registrar.marriage import notice_selectors, notice_services
from registrar.marriage.refusals import MarriageRefused
from registrar.models import Event, Notice, RegisterEntry
from tests.factories.identity import RegisterOfficeFactory, document_photo
from tests.factories.marriage import verified_person
from tests.factories.marriage_notices import date_fields, first_notice, notice_pages, started_proposal

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def person(client):
    person = verified_person()
    client.force_login(person)
    return person


def _answer(client, notice: Notice, pages: dict) -> None:
    for step, data in pages.items():
        response = client.post(f"/marry/{notice.reference}/{step}/", data)
        assert response.status_code == 302, (step, response.content.decode()[-3000:])
        assert "sign-in" not in response["Location"]


# --- 18 or over on the day of the ceremony ---------------------------------------------------------


def test_eighteen_on_the_day_of_the_ceremony_is_old_enough(client, person):
    notice = first_notice(started_proposal(person=person))
    ceremony = notice_selectors.ceremony_date(notice.proposal)
    eighteenth_birthday_on_the_day = add_months(ceremony, -12 * 18)
    response = client.post(
        f"/marry/{notice.reference}/date_of_birth/", date_fields("date_of_birth", eighteenth_birthday_on_the_day)
    )
    assert response.status_code == 302


def test_eighteen_the_day_after_the_ceremony_is_too_young(client, person):
    notice = first_notice(started_proposal(person=person))
    ceremony = notice_selectors.ceremony_date(notice.proposal)
    born = add_months(ceremony, -12 * 18) + datetime.timedelta(days=1)
    response = client.post(f"/marry/{notice.reference}/date_of_birth/", date_fields("date_of_birth", born))
    assert response.status_code == 400
    assert "You must be 18 or over on the day of the ceremony" in response.content.decode()
    notice.refresh_from_db()
    assert "date_of_birth" not in notice.answers


def test_a_notice_is_not_sent_when_the_person_is_too_young_on_the_ceremony_date(person):
    notice = first_notice(started_proposal(person=person))
    ceremony = notice_selectors.ceremony_date(notice.proposal)
    notice.answers = {step: {"x": 1} for step in notice_pages()}
    notice.answers.update(
        date_of_birth={"date_of_birth": (add_months(ceremony, -216) + datetime.timedelta(days=1)).isoformat()},
        condition={"condition": "never"},
        address={"lived_there_since": "2020-01-01"},
    )
    notice.save()
    with pytest.raises(MarriageRefused) as refused:
        notice_services.send_notice(notice=notice, person=person)
    assert refused.value.code == "too_young"


# --- 7 full days' residence ----------------------------------------------------------------------


def test_moved_in_on_the_first_the_notice_is_sent_from_the_ninth(client, person):
    moved_in = datetime.date(2027, 3, 1)
    with time_machine.travel(datetime.datetime(2027, 3, 8, 12, tzinfo=LONDON), tick=False):
        client.force_login(person)  # a session of its own time
        notice = first_notice(started_proposal(person=person))
        pages = notice_pages(since=moved_in)
        _answer(client, notice, pages)
        check = client.get(f"/marry/{notice.reference}/check/").content.decode()
        assert "You can send your notice from 9 March 2027" in check
        refused = client.post(f"/marry/{notice.reference}/check/")
        assert refused.status_code == 409
        assert "You can send your notice from 9 March 2027" in refused.content.decode()
        notice.refresh_from_db()
        assert notice.status == Notice.Status.DRAFT and notice.answers["address"]["lived_there_since"] == "2027-03-01"
    with time_machine.travel(datetime.datetime(2027, 3, 9, 0, 1, tzinfo=LONDON), tick=False):
        client.force_login(person)
        assert "You can send your notice from" not in client.get(f"/marry/{notice.reference}/check/").content.decode()
        assert client.post(f"/marry/{notice.reference}/check/").status_code == 302
        notice.refresh_from_db()
        assert notice.status == Notice.Status.SENT


# --- A marriage or civil partnership before -------------------------------------------------------


def _divorced(pages: dict, how: str = "divorce") -> dict:
    pages["condition"] = {
        "condition": "divorced",
        "former_partner": "Jo Bloggs",
        "how_ended": how,
        **date_fields("ended_on", datetime.date(2019, 6, 1)),
    }
    return pages


def _widowed(pages: dict, *, name: str = "Gareth Owen Jones", died=datetime.date(2021, 5, 4), **extra) -> dict:
    pages["condition"] = {
        "condition": "widowed",
        "former_partner": name,
        "died_in_england_or_wales": "yes",
        **date_fields("ended_on", died),
        **extra,
    }
    return pages


def _upload(content: bytes, name: str = "order.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def test_a_divorce_needs_the_final_order_before_the_notice_is_sent(client, person):
    notice = first_notice(started_proposal(person=person))
    pages = _divorced(notice_pages())
    response = client.post(f"/marry/{notice.reference}/condition/", pages.pop("condition"))
    assert response["Location"] == f"/marry/{notice.reference}/evidence/"
    assert "final order or decree absolute" in client.get(response["Location"]).content.decode()
    _answer(client, notice, pages)
    refused = client.post(f"/marry/{notice.reference}/check/")
    assert refused.status_code == 409 and "Upload a photo of the final order" in refused.content.decode()
    uploaded = client.post(f"/marry/{notice.reference}/evidence/", {"photo": _upload(document_photo())})
    assert uploaded.status_code == 302
    notice.refresh_from_db()
    assert notice.ending_evidence.name.startswith("notices/") and notice.ending_evidence.name.endswith(".jpg")
    assert client.post(f"/marry/{notice.reference}/check/").status_code == 302
    notice.refresh_from_db()
    assert notice.status == Notice.Status.SENT


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (document_photo()[:2000], "damaged or incomplete"),
        (b"%PDF-1.4 not a photo", "must be a JPG, PNG or WebP"),
        (b"", "The selected file is empty"),
    ],
)
def test_a_damaged_or_wrong_file_is_refused_and_nothing_is_kept(client, person, content, message):
    notice = first_notice(started_proposal(person=person))
    client.post(f"/marry/{notice.reference}/condition/", _divorced(notice_pages())["condition"])
    response = client.post(f"/marry/{notice.reference}/evidence/", {"photo": _upload(content)})
    assert response.status_code == 400 and message in response.content.decode()
    notice.refresh_from_db()
    assert not notice.ending_evidence and notice.answers["condition"]["condition"] == "divorced"


def test_no_evidence_is_taken_from_someone_never_married(client, person):
    notice = first_notice(started_proposal(person=person))
    client.post(f"/marry/{notice.reference}/condition/", {"condition": "never"})
    with pytest.raises(MarriageRefused) as refused:
        notice_services.attach_ending_evidence(notice=notice, person=person, upload=_upload(document_photo()))
    assert refused.value.code == "evidence_not_needed"


def _death(*, forenames="Gareth Owen", surname="Jones", died=datetime.date(2021, 5, 4), born="1960-02-02"):
    office = RegisterOfficeFactory()
    return RegisterEntry.objects.create(
        district=office,
        event=Event.DEATH,
        year=died.year,
        number=RegisterEntry.objects.filter(district=office).count() + 1,
        event_date=died,
        surname=surname,
        forenames=forenames,
        particulars={"date_of_birth": born},
    )


def test_a_death_in_england_or_wales_is_found_in_the_register_and_no_certificate_is_asked_for(client, person):
    entry = _death()
    notice = first_notice(started_proposal(person=person))
    pages = _widowed(notice_pages(), name="gareth owen JONES")
    _answer(client, notice, pages)
    notice.refresh_from_db()
    assert notice.former_partner_death == entry and not notice_selectors.evidence_needed(notice)
    assert "We found the death" in client.get(f"/marry/{notice.reference}/check/").content.decode()
    assert client.post(f"/marry/{notice.reference}/check/").status_code == 302


def test_a_death_registered_after_the_date_given_is_not_taken(client, person):
    _death(died=datetime.date(2021, 5, 5))
    notice = first_notice(started_proposal(person=person))
    response = client.post(f"/marry/{notice.reference}/condition/", _widowed(notice_pages())["condition"])
    assert response["Location"] == f"/marry/{notice.reference}/evidence/"
    notice.refresh_from_db()
    assert notice.former_partner_death is None and notice_selectors.evidence_kind(notice) == "death_certificate"


def test_a_death_on_the_date_given_is_taken(person):
    entry = _death(died=datetime.date(2021, 5, 4))
    answers = {"condition": _widowed_answers()}
    assert notice_services.find_former_partner_death(answers) == entry


def _widowed_answers(**extra) -> dict:
    return {
        "condition": "widowed",
        "former_partner": "Gareth Owen Jones",
        "how_ended": "death",
        "died_in_england_or_wales": True,
        "ended_on": "2021-05-04",
        **extra,
    }


def test_a_death_with_another_date_of_birth_or_another_name_is_not_taken(person):
    _death()
    assert (
        notice_services.find_former_partner_death({"condition": _widowed_answers(former_partner_born="1961-01-01")})
        is None
    )
    assert (
        notice_services.find_former_partner_death({"condition": _widowed_answers(former_partner="Gareth Jones")})
        is None
    )
    assert (
        notice_services.find_former_partner_death({"condition": _widowed_answers(died_in_england_or_wales=False)})
        is None
    )


def test_two_deaths_that_both_match_link_neither(person):
    _death()
    _death(died=datetime.date(2020, 1, 1))
    assert notice_services.find_former_partner_death({"condition": _widowed_answers()}) is None


def test_a_death_abroad_needs_the_death_certificate(client, person):
    _death()
    notice = first_notice(started_proposal(person=person))
    condition = _widowed(notice_pages())["condition"] | {"died_in_england_or_wales": "no"}
    assert client.post(f"/marry/{notice.reference}/condition/", condition)["Location"].endswith("/evidence/")
    assert "death certificate" in client.get(f"/marry/{notice.reference}/evidence/").content.decode()


def test_answering_never_married_after_all_drops_the_evidence(client, person):
    notice = first_notice(started_proposal(person=person))
    client.post(f"/marry/{notice.reference}/condition/", _divorced(notice_pages())["condition"])
    client.post(f"/marry/{notice.reference}/evidence/", {"photo": _upload(document_photo())})
    client.post(f"/marry/{notice.reference}/condition/", {"condition": "never"})
    notice.refresh_from_db()
    assert not notice.ending_evidence and notice.answers["condition"] == {"condition": "never"}


def test_the_evidence_page_is_not_asked_of_someone_never_married(client, person):
    notice = first_notice(started_proposal(person=person))
    client.post(f"/marry/{notice.reference}/condition/", {"condition": "never"})
    assert client.get(f"/marry/{notice.reference}/evidence/").status_code == 302


def test_the_date_it_ended_must_be_in_the_past(client, person):
    notice = first_notice(started_proposal(person=person))
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    condition = _divorced(notice_pages())["condition"] | date_fields("ended_on", tomorrow)
    response = client.post(f"/marry/{notice.reference}/condition/", condition)
    assert response.status_code == 400 and "The date it ended must be today or in the past" in response.content.decode()
