"""The informant declares with a one-time code sent to them (identity's code machinery, with
its expiry, wrong-attempt limit and resend throttle): read back on the call and typed by phone
support in an assisted session, or entered by the informant from the signed link. Phone
support reaches only the person in their session, and every page they open is audited."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from identity import assisted, roles
from identity.models import AuditEntry, CodePurpose, OneTimeCode, OutboundMessage
from registrar.models import RegisterEntry, Registration
from tests.factories import StaffFactory, UserFactory, birth_pages, staff_session

from .conftest import BASE, answer_birth, days_ago, step, take_in_person

pytestmark = pytest.mark.django_db


def code_sent_to(destination: str) -> str:
    message = OutboundMessage.objects.filter(to=destination, key__startswith="otp:").order_by("-id").first()
    return re.search(r"\b(\d{6})\b", message.body).group(1)


def link_sent_to(destination: str) -> str:
    message = OutboundMessage.objects.filter(to=destination, key__contains=":declare-link:").order_by("-id").first()
    return re.search(r"https?://[^/]+(/declare/[^ ]+/)", message.body).group(1)


def by_phone(client, event="birth") -> Registration:
    assert client.post(BASE, {"event": event}).status_code == 302
    return Registration.objects.order_by("-created_at").first()


def send_code(client, registration, channel="email", expect=302):
    response = client.post(f"{BASE}{registration.reference}/declaration/", {"action": "send_code", "channel": channel})
    assert response.status_code == expect, response.content.decode()[:3000]
    return response


def enter_code(client, registration, code, expect=302):
    response = client.post(f"{BASE}{registration.reference}/declaration/code/", {"code": code})
    assert response.status_code == expect, response.content.decode()[:3000]
    registration.refresh_from_db()
    return response


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_phone_support_registers_a_birth_with_the_code_the_informant_reads_back(client, phone_support, caller):
    registration = by_phone(client)
    assert registration.informant == caller and registration.made_by == phone_support
    assert registration.assisted_session is not None
    answer_birth(client, registration, days_ago(6))
    page = client.get(f"{BASE}{registration.reference}/declaration/").content.decode()
    assert "Taken by phone by Phil Support" in page and 'value="in_person"' not in page

    send_code(client, registration)
    enter_code(client, registration, code_sent_to("emma@example.com"))

    assert registration.status == Registration.Status.REGISTERED
    assert registration.declaration_method == Registration.DeclarationMethod.CODE
    assert registration.declaration_witnessed_by is None and registration.declared_at is not None
    entry = RegisterEntry.objects.get(registration=registration)
    assert entry.registered_automatically
    assert OneTimeCode.objects.get(purpose=CodePurpose.DECLARATION).consumed_at is not None
    audited = AuditEntry.objects.filter(actor=phone_support, on_behalf_of=caller)
    assert audited.filter(action="staff_registration.viewed").count() >= 7
    declared = audited.get(action="staff_registration.declared")
    assert declared.detail == {"method": "code", "entered_by": "staff", "status": "registered"}
    # A declaration by code made by phone cannot be recorded as in person.
    assert not RegisterEntry.objects.filter(registered_by=phone_support).exists()


def test_phone_support_cannot_record_an_in_person_declaration(client, phone_support):
    registration = answer_birth(client, by_phone(client), days_ago(6))
    response = client.post(
        f"{BASE}{registration.reference}/declaration/", {"action": "in_person", "read_and_signed": "on"}
    )
    assert response.status_code == 403
    registration.refresh_from_db()
    assert registration.status == Registration.Status.DRAFT and not registration.declared_at


def test_a_wrong_code_is_refused_counted_and_locks_after_five(client, phone_support):
    registration = answer_birth(client, by_phone(client), days_ago(6))
    send_code(client, registration)
    code = code_sent_to("emma@example.com")
    first = enter_code(client, registration, wrong(code), expect=400)
    assert "The security code is incorrect" in first.content.decode()
    for _ in range(4):
        enter_code(client, registration, wrong(code), expect=400)
    locked = enter_code(client, registration, code, expect=429)
    assert "wrong code too many times" in locked.content.decode()
    assert registration.status == Registration.Status.DRAFT and not registration.declared_at


def test_an_expired_code_is_refused(client, phone_support):
    registration = answer_birth(client, by_phone(client), days_ago(6))
    send_code(client, registration)
    code = code_sent_to("emma@example.com")
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        response = enter_code(client, registration, code, expect=400)
    assert "The security code has expired" in response.content.decode()
    assert registration.status == Registration.Status.DRAFT


def test_codes_are_throttled_like_every_other_code(client, phone_support):
    registration = answer_birth(client, by_phone(client), days_ago(6))
    send_code(client, registration)
    again = send_code(client, registration, expect=429)
    assert "You have asked for too many codes" in again.content.decode() and again["Retry-After"]
    assert OneTimeCode.objects.filter(purpose=CodePurpose.DECLARATION).count() == 1


def test_the_informant_declares_on_their_own_device_from_the_link(client, at_desk):
    registration = take_in_person(client, email="susan@example.com", full_name="Susan Pendleton")
    registration = answer_birth(client, registration, days_ago(5))
    send_code(client, registration)
    link, code = link_sent_to("susan@example.com"), code_sent_to("susan@example.com")

    own = client.__class__()
    page = own.get(link)
    assert page.status_code == 200 and "Olivia Rose" in page.content.decode()
    missing = own.post(link, {"code": code})
    assert missing.status_code == 400 and "Confirm the declaration to make it" in missing.content.decode()
    done = own.post(link, {"code": code, "confirmed": "on"})

    assert done.status_code == 200
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REGISTERED
    assert registration.declaration_method == Registration.DeclarationMethod.CODE
    # Taken in person with the documents seen: the registrar who took it registers it.
    assert registration.entry.registered_by == at_desk
    assert AuditEntry.objects.get(action="staff_registration.declared").detail["entered_by"] == "informant"
    assert own.get(link).status_code == 200  # says it is done; nothing more to do


def test_a_forged_or_replaced_link_is_refused(client, at_desk):
    registration = answer_birth(client, take_in_person(client, email="susan@example.com"), days_ago(5))
    send_code(client, registration)
    old_link = link_sent_to("susan@example.com")
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        send_code(client, registration)
    own = client.__class__()
    assert own.get(old_link).status_code == 404
    assert own.get("/declare/not-a-token/").status_code == 404


def test_an_unverified_caller_declares_by_code_and_a_registrar_checks_it(client, leeds_offices):
    person = UserFactory(email="noid@example.com")
    staff = StaffFactory(roles=[roles.PHONE_SUPPORT])
    staff_session(client, staff)
    assisted.open_assisted_session(staff=staff, person=person, code=assisted.issue_consent_code(person=person))
    registration = answer_birth(client, by_phone(client), days_ago(6))
    send_code(client, registration)
    enter_code(client, registration, code_sent_to("noid@example.com"))
    assert registration.status == Registration.Status.WITH_REGISTRAR
    assert registration.reasons == ["identity_not_verified"]


def test_phone_support_sees_only_the_person_in_their_session(client, phone_support, at_desk, leeds_registrar):
    # A registration a registrar took for someone else, and one the caller began online.
    other = Registration.objects.create(
        reference="RG-OTHR-0001", event="birth", informant=UserFactory(), made_by=leeds_registrar
    )
    staff_session(client, phone_support)
    assert client.get(f"{BASE}{other.reference}/").status_code == 404
    mine = by_phone(client)
    assert client.get(f"{BASE}{mine.reference}/").status_code == 200
    assisted.close_assisted_session(session=mine.assisted_session, actor=phone_support)
    assert client.get(f"{BASE}{mine.reference}/").status_code == 404
    assert client.post(BASE, {"event": "birth"}).status_code == 403


def test_no_code_can_be_sent_before_every_question_is_answered(client, phone_support):
    registration = by_phone(client)
    step(client, registration, "informant", {"qualification": "mother"})
    response = client.post(f"{BASE}{registration.reference}/declaration/", {"action": "send_code", "channel": "email"})
    assert response.status_code == 302 and response["Location"].endswith("/child/")
    assert not OneTimeCode.objects.filter(purpose=CodePurpose.DECLARATION).exists()


def test_changing_an_answer_after_the_code_was_sent_stops_that_code_declaring(client, phone_support):
    registration = answer_birth(client, by_phone(client), days_ago(6))
    send_code(client, registration)
    code, link = code_sent_to("emma@example.com"), link_sent_to("emma@example.com")
    step(client, registration, "child", {**birth_pages(days_ago(6))["child"], "forenames": "Olive"})

    response = enter_code(client, registration, code, expect=302)

    assert response["Location"].endswith("/declaration/")
    assert registration.status == Registration.Status.DRAFT
    assert client.__class__().get(link).status_code == 404
