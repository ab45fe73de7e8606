"""The contract schemas are sound, and whatever a person typed, a checker either sends a body
its provider's request schema accepts or does not ask the provider at all."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from identity.verifiers import DocumentFacts, PersonFacts, http, reasons
from identity.verifiers.payloads import (
    SCHEMAS,
    answers_body,
    document_platform_body,
    licence_body,
    passport_body,
    person_body,
    validator,
)
from tests.factories.identity import document_photo

JPEG = document_photo(size=(40, 30))
texts = st.text(max_size=300)
dates = st.none() | st.dates(min_value=date(1, 1, 1))
numbers = st.one_of(texts, st.from_regex(r"[0-9]{9}", fullmatch=True), st.just("MORGA753116SM9IJ"))
postcodes = st.one_of(texts, st.sampled_from(["LS1 5HD", "ls15hd", "GIR 0AA", "SW1A 1AA", "M1 1AE"]))


def documents(document_type):
    return st.builds(
        DocumentFacts,
        document_type=st.just(document_type),
        number=numbers,
        given_names=texts,
        surname=texts,
        birth_date=dates,
        expiry_date=dates,
        mrz_line1=st.one_of(texts, st.from_regex(r"[A-Z0-9<]{44}", fullmatch=True)),
        mrz_line2=st.one_of(texts, st.from_regex(r"[A-Z0-9<]{44}", fullmatch=True)),
    )


people = st.builds(PersonFacts, given_names=texts, surname=texts, birth_date=dates, address=texts, postcode=postcodes)


def errors(schema: str, body: dict) -> list[str]:
    return [f"{error.json_path}: {error.message}" for error in validator(schema).iter_errors(body)]


def test_there_is_a_request_and_a_response_schema_for_each_call():
    calls = {name.rsplit("-", 1)[0] for name in SCHEMAS}
    assert calls == {"document-platform", "passport", "driving-licence", "fraud", "knowledge-start", "knowledge-answer"}
    assert len(SCHEMAS) == 2 * len(calls)


@pytest.mark.parametrize("name", SCHEMAS)
def test_each_schema_is_a_valid_draft_2020_12_schema(name):
    assert validator(name).schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


fast = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@fast
@given(
    document=st.one_of(documents("passport"), documents("driving_licence"), documents("other")), selfie=st.booleans()
)
def test_document_platform_bodies_keep_the_contract(document, selfie):
    body = document_platform_body(document=document, document_image=JPEG, selfie=JPEG if selfie else None)
    assert errors("document-platform-request", body) == []


@fast
@given(document=documents("passport"), person=people)
def test_passport_bodies_keep_the_contract_or_are_not_sent(document, person):
    body = passport_body(document=document, person=person)
    assert body is None or errors("passport-request", body) == []


@fast
@given(document=documents("driving_licence"), person=people)
def test_licence_bodies_keep_the_contract_or_are_not_sent(document, person):
    body = licence_body(document=document, person=person)
    assert body is None or errors("driving-licence-request", body) == []


@fast
@given(person=people)
def test_person_bodies_keep_the_fraud_and_knowledge_contracts_or_are_not_sent(person):
    body = person_body(person=person)
    assert body is None or (errors("fraud-request", body), errors("knowledge-start-request", body)) == ([], [])


@fast
@given(answers=st.dictionaries(texts, texts, max_size=25))
def test_answer_bodies_keep_the_contract(answers):
    assert errors("knowledge-answer-request", answers_body(answers)) == []


def test_every_reason_code_has_words_for_staff():
    constants = {value for name, value in vars(reasons).items() if name.isupper() and isinstance(value, str)}
    assert constants == set(reasons.REASONS)
    assert reasons.UNAVAILABLE.issubset(reasons.REASONS)
    mapped = {
        *http.HttpDocumentPlatform.DOCUMENT_REASONS.values(),
        *http.HttpDocumentPlatform.LIVENESS_REASONS.values(),
        *http.HttpDocumentPlatform.FACE_REASONS.values(),
        *http.HttpPassportValidator.RESULTS.values(),
        *http.HttpFraudProvider.SOURCES.values(),
    }
    assert mapped.issubset(reasons.REASONS)
