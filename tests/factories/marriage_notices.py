"""Giving notice online: each question page filled in as a person would post it, and as the API
takes it, for a person born in 1990 who has lived at their address since 2020."""

from __future__ import annotations

import datetime
import threading

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from identity.uploads import decode_slot
from registrar.marriage import notice_services
from registrar.models import Notice, Proposal
from tests.factories.identity import UserFactory, api_client, document_photo, make_leeds_offices
from tests.factories.marriage import civil_ceremony, verified_person


def date_fields(name: str, day: datetime.date) -> dict:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def notice_pages(*, born=datetime.date(1990, 3, 11), since=datetime.date(2020, 1, 1), surname="Morgan") -> dict:
    """Every question page's form data, in order."""
    return {
        "names": {"forenames": "Sarah Meredyth", "surname": surname},
        "date_of_birth": date_fields("date_of_birth", born),
        "condition": {"condition": "never"},
        "occupation": {"occupation": "Teacher"},
        "address": {"address": "1 Park Row\nLeeds", "postcode": "ls1 3ad", **date_fields("lived_there_since", since)},
        "nationality": {"nationality": "british"},
        "venue": {"confirmed": "yes"},
        "parents": {
            "parent_1_forenames": "Ann",
            "parent_1_surname": surname,
            "parent_1_occupation": "Nurse",
            "parent_2_forenames": "David",
            "parent_2_surname": surname,
        },
        "declaration": {"confirmed": "on"},
    }


def notice_json(*, born="1990-03-11", since="2020-01-01", surname="Morgan") -> dict:
    """Every step's body as the API takes it."""
    return {
        "names": {"forenames": "Sarah Meredyth", "surname": surname},
        "date_of_birth": {"date_of_birth": born},
        "condition": {"condition": "never"},
        "occupation": {"occupation": "Teacher"},
        "address": {"address": "1 Park Row\nLeeds", "postcode": "ls1 3ad", "lived_there_since": since},
        "nationality": {"nationality": "british"},
        "venue": {"confirmed": True},
        "parents": {
            "parents": [
                {"forenames": "Ann", "surname": surname, "occupation": "Nurse"},
                {"forenames": "David", "surname": surname},
            ]
        },
        "declaration": {"confirmed": True},
    }


def started_proposal(*, person=None, kind: str = "marriage", days_ahead: int = 60) -> Proposal:
    """A proposal started from the person's own provisional ceremony, through the service."""
    person = person or verified_person()
    ceremony = civil_ceremony(person=person, days_ahead=days_ahead)
    return notice_services.start_from_booking(person=person, booking_reference=ceremony.reference, kind=kind)


def first_notice(proposal: Proposal) -> Notice:
    return proposal.notices.get(position=1)


def reach_documented_statuses(hit, *, settings) -> None:
    """Every status the notice API documents, each by a request made for it (for
    tests/api/test_documented_statuses.py: `hit(client, method, path_template, values, **kwargs)`)."""

    def photo(content: bytes | None = None) -> SimpleUploadedFile:
        return SimpleUploadedFile("order.jpg", content or document_photo(), content_type="image/jpeg")

    person = verified_person()
    api = api_client(person)
    proposals, proposal_path = "/api/v1/marriage/proposals", "/api/v1/marriage/proposals/{reference}"
    invitation = proposal_path + "/invitation"
    notice_path = "/api/v1/marriage/notices/{reference}"
    answers, evidence, submit = (
        notice_path + "/answers/{step}",
        notice_path + "/ending-evidence",
        notice_path + "/submit",
    )
    accept = "/api/v1/marriage/invitations/accept"

    ceremony = civil_ceremony(person=person)
    created = hit(api, "POST", proposals, data={"booking": ceremony.reference, "kind": "marriage"}, format="json")
    proposal = Proposal.objects.get(reference=created.json()["reference"])
    notice = first_notice(proposal)
    mine = {"reference": notice.reference, "step": "names"}
    hit(api, "POST", proposals, data={"booking": ceremony.reference, "kind": "marriage"}, format="json")  # 409
    hit(api, "POST", proposals, data={"booking": "BK-NOPE", "kind": "marriage"}, format="json")  # 404
    hit(api, "GET", proposals)
    hit(api, "GET", proposal_path, {"reference": proposal.reference})
    hit(api, "GET", notice_path, mine)
    hit(api, "PUT", answers, mine, data="x", content_type="text/plain")  # 415
    hit(api, "PUT", answers, mine, data={"forenames": "Sarah"}, format="json")  # 400
    divorced = {
        "condition": "divorced",
        "former_partner": "Jo Bloggs",
        "how_ended": "divorce",
        "ended_on": "2019-06-01",
    }
    hit(api, "PUT", answers, {**mine, "step": "condition"}, data=divorced, format="json")  # 200
    hit(api, "POST", submit, mine)  # 400: steps missing
    for step, body in notice_json().items():
        if step != "condition":
            api.put(answers.format(reference=notice.reference, step=step), body, format="json")
    hit(api, "POST", submit, mine)  # 409: the final order is missing
    hit(api, "POST", evidence, mine, data={"photo": photo(document_photo()[:1500])}, format="multipart")  # 400
    hit(api, "POST", evidence, mine, data={"photo": photo()}, format="multipart")  # 201
    hit(api, "POST", evidence, mine, data="x", content_type="text/plain")  # 415
    cap, settings.REQUEST_BODY_MAX_BYTES = settings.REQUEST_BODY_MAX_BYTES, 1024
    hit(api, "POST", evidence, mine, data={"photo": photo()}, format="multipart")  # 413
    settings.REQUEST_BODY_MAX_BYTES = cap
    settings.EVIDENCE_DECODES_AT_ONCE, settings.EVIDENCE_DECODE_WAIT_SECONDS = 1, 0.05
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with decode_slot():
            held.set()
            release.wait(timeout=30)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert held.wait(timeout=10)
        hit(api, "POST", evidence, mine, data={"photo": photo()}, format="multipart")  # 429
    finally:
        release.set()
        holder.join(timeout=10)
    hit(api, "POST", submit, mine)  # 200
    hit(api, "PUT", answers, mine, data={"forenames": "X", "surname": "Y"}, format="json")  # 409: sent
    never = first_notice(started_proposal(person=person))
    hit(
        api,
        "PUT",
        answers,
        {"reference": never.reference, "step": "condition"},
        data={"condition": "never"},
        format="json",
    )
    hit(api, "POST", evidence, {"reference": never.reference}, data={"photo": photo()}, format="multipart")  # 409

    reference = {"reference": proposal.reference}
    hit(api, "POST", invitation, reference, data="x", content_type="text/plain")  # 415
    hit(api, "POST", invitation, reference, data={"email": "nope"}, format="json")  # 400
    hit(api, "POST", invitation, reference, data={"email": "rhys@example.com"}, format="json")  # 200
    token = notice_services.invitation_token(proposal.notices.get(position=2))
    hit(api_client(UserFactory()), "POST", accept, data={"token": token}, format="json")  # 403: not verified
    hit(api_client(verified_person()), "POST", accept, data={"token": "nonsense"}, format="json")  # 404
    hit(api_client(verified_person()), "POST", accept, data={"token": token}, format="json")  # 200
    hit(api, "POST", invitation, reference, data={"email": "rhys@example.com"}, format="json")  # 409: joined
    # A link used at the same time by two people: the second finds the notice taken.
    racing = started_proposal(person=person)
    second = notice_services.invite_other_person(proposal=racing, person=person, email="b@example.com")
    racing_token = notice_services.invitation_token(second)
    Notice.objects.filter(pk=second.pk).update(person=UserFactory())
    hit(api_client(verified_person()), "POST", accept, data={"token": racing_token}, format="json")  # 409
    make_leeds_offices()
    intended = (timezone.localdate() + datetime.timedelta(days=90)).isoformat()
    religious = {
        "building_name": "St Anne's",
        "building_address": "Leeds",
        "postcode": "LS1 3AD",
        "intended_date": intended,
    }
    hit(api, "POST", proposals, data=religious, format="json")  # 201
