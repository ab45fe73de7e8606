"""Registrations taken in person through the staff API: a birth's answers as the API takes them,
and the documented statuses of `/api/v1/registrar/taken/…`."""

from __future__ import annotations

import datetime
import re

from django.utils import timezone

from core.places import registration_district_for
from identity import roles
from identity.models import OutboundMessage

from .identity import StaffFactory, api_client

TAKEN = "/api/v1/registrar/taken"
START = {"event": "birth", "full_name": "Emma Hartley", "documents": "Passport 123456789"}


def taken_birth_steps(born: datetime.date) -> list[tuple[str, dict]]:
    """A married mother's answers, step by step, for a child born in Leeds on `born`."""
    return [
        ("informant", {"qualification": "mother"}),
        (
            "child",
            {
                "forenames": "Olivia Rose",
                "surname": "Hartley",
                "sex": "female",
                "date_of_birth": born.isoformat(),
                "multiple_birth": False,
            },
        ),
        (
            "place",
            {
                "place_type": "hospital",
                "place_name": "Leeds General Infirmary",
                "address": "Great George Street",
                "postcode": "LS1 3EX",
            },
        ),
        (
            "mother",
            {
                "forenames": "Emma",
                "surname": "Hartley",
                "maiden_surname": "Clarke",
                "place_of_birth": "York",
                "address": "12 Park Lane, Leeds",
                "postcode": "LS6 2AB",
                "date_of_birth": born.replace(year=1992).isoformat(),
            },
        ),
        ("relationship", {"parents_married": True}),
        (
            "father",
            {
                "forenames": "Daniel",
                "surname": "Hartley",
                "place_of_birth": "Cardiff",
                "date_of_birth": born.replace(year=1990).isoformat(),
            },
        ),
    ]


def sent_code(destination: str) -> str:
    message = OutboundMessage.objects.filter(to=destination, key__startswith="otp:").latest("id")
    return re.search(r"\b(\d{6})\b", message.body).group(1)


def reach_documented_statuses(hit) -> None:
    """Every documented status of the taken-registration API, for tests/api/test_documented_statuses.py;
    the shared loop there gives the 401s and the 403s of a request on a person's behalf.
    One registrar covers the district of the answers' place, one of no office does not."""
    steps = taken_birth_steps(timezone.localdate() - datetime.timedelta(days=6))
    registrar = StaffFactory(roles=[roles.REGISTRAR])
    registrar.offices.add(registration_district_for(steps[2][1]["postcode"]))
    client, elsewhere = api_client(registrar), api_client(StaffFactory(roles=[roles.REGISTRAR]))
    hit(client, "POST", TAKEN, data={**START, "documents": ""}, format="json")  # 400
    hit(client, "POST", TAKEN, data="{not json", content_type="application/json")  # 400
    hit(api_client(), "POST", TAKEN, data=START, format="json")  # 401
    hit(client, "POST", TAKEN, data="x", content_type="text/plain")  # 415

    one = TAKEN + "/{reference}"
    answers = one + "/answers/{step}"
    declaration, code = one + "/declaration", one + "/declaration/code"
    # In person, declared before the registrar.
    values = {"reference": hit(client, "POST", TAKEN, data=START, format="json").json()["reference"]}
    hit(client, "GET", one, values)
    hit(client, "GET", one, {"reference": "RG-NONE-0000"})  # 404
    hit(client, "POST", declaration, values, data={"read_and_signed": True}, format="json")  # 409: not ready
    hit(client, "PUT", answers, {**values, "step": "nonsense"}, data={}, format="json")  # 404
    hit(client, "PUT", answers, {**values, "step": "child"}, data={"forenames": ""}, format="json")  # 400
    hit(client, "PUT", answers, {**values, "step": "child"}, data="x", content_type="text/plain")  # 415
    for path in (declaration, code):
        hit(client, "POST", path, values, data="x", content_type="text/plain")  # 415
    for name, body in steps:
        hit(client, "PUT", answers, {**values, "step": name}, data=body, format="json")
    hit(client, "POST", declaration, values, data={"read_and_signed": False}, format="json")  # 400
    hit(elsewhere, "POST", declaration, values, data={"read_and_signed": True}, format="json")  # 404
    hit(client, "POST", declaration, values, data={"read_and_signed": True}, format="json")  # 200
    hit(client, "PUT", answers, {**values, "step": "child"}, data=steps[1][1], format="json")  # 409: registered
    # A place outside the office's districts.
    other = {"reference": hit(elsewhere, "POST", TAKEN, data=START, format="json").json()["reference"]}
    for name, body in steps[:3]:
        hit(elsewhere, "PUT", answers, {**other, "step": name}, data=body, format="json")  # the place: 403
    # By a code sent to the informant and read back.
    values = {
        "reference": hit(client, "POST", TAKEN, data={**START, "email": "taken@example.com"}, format="json").json()[
            "reference"
        ]
    }
    for name, body in steps:
        hit(client, "PUT", answers, {**values, "step": name}, data=body, format="json")
    hit(client, "POST", code, values, data={"action": "check", "code": "123456"}, format="json")  # 409
    hit(client, "POST", code, values, data={"action": "post"}, format="json")  # 400
    hit(elsewhere, "POST", code, values, data={"action": "send", "channel": "email"}, format="json")  # 404
    hit(client, "POST", code, values, data={"action": "send", "channel": "email"}, format="json")  # 200
    hit(client, "POST", code, values, data={"action": "send", "channel": "email"}, format="json")  # 429
    hit(client, "POST", code, values, data={"action": "check", "code": sent_code("taken@example.com")}, format="json")
