"""What each provider's contract (contracts/*.json) takes, built from a case's facts, and the
contract's JSON Schemas. The HTTP checkers send these bodies; the sandboxes build the same ones,
so both refuse a case that lacks what the provider needs. A builder returns None then."""

from __future__ import annotations

import base64
import json
import re
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from core.places import normalise_postcode

from . import DocumentFacts, PersonFacts

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

CONTRACTS = Path(__file__).resolve().parent / "contracts"
SCHEMAS = tuple(sorted(path.stem for path in CONTRACTS.glob("*.json")))

PASSPORT_NUMBER = re.compile(r"[A-Z0-9]{9}")
LICENCE_NUMBER = re.compile(r"[A-Z9]{5}[0-9]{6}[A-Z9]{2}[A-Z0-9]{3}")
MRZ_LINE = re.compile(r"[A-Z0-9<]{44}")
IDENTIFIER = re.compile(r"[A-Za-z0-9_-]{1,100}")
NAME_LENGTH = 200
ADDRESS_LINES = 8

# A knowledge session that could not be started carries why in its id, so that answering it
# gives the "unavailable" result to record like any other check's.
UNAVAILABLE_SESSION = "unavailable:"


@cache
def validator(name: str) -> Draft202012Validator:
    """The validator of one contract schema, e.g. "passport-response"; formats such as "date"
    are checked too."""
    # Loaded at the first check rather than by every process that imports this module:
    # jsonschema and its format checkers take about 11 MB that most web workers never use.
    from jsonschema import Draft202012Validator  # noqa: PLC0415

    schema = json.loads((CONTRACTS / f"{name}.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def image(content: bytes) -> dict:
    """An image as the document platform takes it. Images reach a checker only after
    identity.uploads.clean_image, which rebuilds every upload as a JPEG."""
    if content.startswith(b"\xff\xd8\xff"):
        content_type = "image/jpeg"
    elif content.startswith(b"\x89PNG\r\n\x1a\n"):
        content_type = "image/png"
    else:
        raise ValueError("Only JPEG or PNG images go to a checker; pass the image through clean_image first.")
    return {"content_type": content_type, "data": base64.b64encode(content).decode("ascii")}


def _text(value: str) -> str:
    return " ".join((value or "").split())[:NAME_LENGTH]


def _compact(value: str) -> str:
    return re.sub(r"\s", "", (value or "").upper())


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _names(document: DocumentFacts, person: PersonFacts | None) -> tuple[str, str, date | None]:
    """The holder's names and birth date as on the document, else as the person gave them."""
    given = _text(document.given_names) or (_text(person.given_names) if person else "")
    surname = _text(document.surname) or (_text(person.surname) if person else "")
    birth = document.birth_date or (person.birth_date if person else None)
    return given, surname, birth


def document_platform_body(*, document: DocumentFacts, document_image: bytes, selfie: bytes | None) -> dict:
    checks = ["document_authenticity", *(["liveness", "face_match"] if selfie else [])]
    facts = {"type": document.document_type if document.document_type in ("passport", "driving_licence") else "other"}
    given, surname, birth = _names(document, None)
    number = _compact(document.number)[:20]
    optional = {
        "number": number,
        "given_names": given,
        "surname": surname,
        "birth_date": _day(birth),
        "expiry_date": _day(document.expiry_date),
    }
    facts.update({key: value for key, value in optional.items() if value})
    lines = [_compact(document.mrz_line1), _compact(document.mrz_line2)]
    if document.document_type == "passport" and all(MRZ_LINE.fullmatch(line) for line in lines):
        facts["mrz"] = lines
    facts["image"] = image(document_image)
    body = {"checks": checks, "document": facts}
    if selfie:
        body["selfie"] = image(selfie)
    return body


def _require_type(document: DocumentFacts, document_type: str) -> None:
    if document.document_type != document_type:
        raise ValueError(f"This checker validates {document_type} documents, not {document.document_type!r}.")


def passport_body(*, document: DocumentFacts, person: PersonFacts) -> dict | None:
    _require_type(document, "passport")
    given, surname, birth = _names(document, person)
    number = _compact(document.number)
    if not (PASSPORT_NUMBER.fullmatch(number) and given and surname and birth and document.expiry_date):
        return None
    return {
        "passport_number": number,
        "surname": surname,
        "given_names": given,
        "birth_date": birth.isoformat(),
        "expiry_date": document.expiry_date.isoformat(),
    }


def licence_body(*, document: DocumentFacts, person: PersonFacts) -> dict | None:
    _require_type(document, "driving_licence")
    given, surname, birth = _names(document, person)
    number = _compact(document.number)
    postcode = normalise_postcode(person.postcode)
    if not (LICENCE_NUMBER.fullmatch(number) and given and surname and birth and postcode):
        return None
    return {
        "driving_licence_number": number,
        "surname": surname,
        "given_names": given,
        "birth_date": birth.isoformat(),
        "postcode": postcode,
    }


def person_body(*, person: PersonFacts) -> dict | None:
    """The person's details as the fraud and knowledge providers take them."""
    given, surname = _text(person.given_names), _text(person.surname)
    postcode = normalise_postcode(person.postcode)
    if not (given and surname and person.birth_date and postcode):
        return None
    lines = [_text(line) for line in re.split(r"[\n,]", person.address or "")]
    return {
        "given_names": given,
        "surname": surname,
        "birth_date": person.birth_date.isoformat(),
        "address": {"lines": [line for line in lines if line][:ADDRESS_LINES], "postcode": postcode},
    }


def answers_body(answers: dict[str, str]) -> dict:
    """The person's choices; a question id or a choice the contract would not take is left out
    (it can only come from a tampered form) and so counts as not answered."""
    return {
        "answers": [
            {"question_id": question, "choice": choice}
            for question, choice in answers.items()
            if isinstance(question, str)
            and isinstance(choice, str)
            and IDENTIFIER.fullmatch(question)
            and len(question) <= 50
            and 0 < len(choice) <= 200
        ]
    }
