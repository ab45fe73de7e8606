"""Every status the schema documents for an operation is one it really gives, and it gives no
other: each is reached by a request made for it, the errors every operation shares in loops
(a bad token, `On-Behalf-Of` without a session, an unknown reference, a body that does not
parse or is of another media type), the rest one by one."""

from __future__ import annotations

import datetime
import io
import threading
from collections import defaultdict

import pyotp
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from booking import selectors as booking_selectors
from identity import audit, cases, roles
from identity.models import StaffAuthenticator
from identity.uploads import decode_slot
from identity.verifiers.sandbox import SandboxKnowledgeProvider
from registrar.marriage import interview_referral, interview_services
from registrar.models import Registration
from registrar.serializers import MedicalCertificateRequestSerializer
from registrar.stillbirth.serializers import StillbirthCertificateRequestSerializer
from tests import face_photos
from tests.conftest import latest_code_for
from tests.factories import (
    API_PARTIES,
    MRZ_LINE1,
    STAFF_PASSWORD,
    RegistrationFactory,
    StaffFactory,
    UserFactory,
    api_client,
    birth_answers,
    certificate_pdf,
    document_photo,
    identity_slots,
    make_identity_office,
    make_registration,
    record_passport,
    submit_passport_check,
)
from tests.factories.citizenship import reach_documented_statuses as _citizenship
from tests.factories.citizenship_booking import reach_documented_statuses as _citizenship_ceremonies
from tests.factories.identity import mrz_line2
from tests.factories.inquest import reach_documented_statuses as _inquests
from tests.factories.marriage_downstream import reach_documented_statuses as _conversions
from tests.factories.marriage_interview import interviewed_proposal, registrar_of
from tests.factories.marriage_notices import reach_documented_statuses as _marriage_notices
from tests.factories.marriage_schedules import reach_documented_statuses as _marriage_schedules
from tests.factories.performance import reach_documented_statuses as _open_data
from tests.factories.reregistration import reach_documented_statuses as _reregistrations
from tests.factories.staff_registration import reach_documented_statuses as _taken_registrations

pytestmark = pytest.mark.django_db

SCHEMA = SchemaGenerator().get_schema(request=None, public=True)
DOCUMENTED = {
    (method.upper(), path, int(code))
    for path, item in SCHEMA["paths"].items()
    for method, operation in item.items()
    if method in ("get", "post", "put", "delete")
    for code in operation["responses"]
}


class Hits:
    """Requests made for a documented status, and the statuses they got, by operation."""

    def __init__(self):
        self.seen: dict[tuple[str, str], set[int]] = defaultdict(set)

    def __call__(self, client, method: str, template: str, values: dict | None = None, **kwargs):
        path = template.format(**(values or {}))
        response = getattr(client, method.lower())(path, **kwargs)
        self.seen[(method, template)].add(response.status_code)
        return response

    def reached(self) -> set[tuple[str, str, int]]:
        return {(method, path, code) for (method, path), codes in self.seen.items() for code in codes}


def _operations():
    for path, item in SCHEMA["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "delete"):
                yield method.upper(), path, operation


def _bearer(user) -> APIClient:
    return api_client(user)


@pytest.fixture
def world(settings, tmp_path, sandbox_checkers):
    from certificates.services import issue_order
    from certificates.signing import create_development_keys
    from tests.factories import historic_birth, make_entry, paid_certificate_order

    create_development_keys(tmp_path, passphrase="test passphrase")
    settings.CERTIFICATE_SIGNING_KEY_PATH = tmp_path / "signing-key.pem"
    settings.CERTIFICATE_SIGNING_CERT_PATH = tmp_path / "signing-cert.pem"
    settings.CERTIFICATE_SIGNING_CA_PATH = tmp_path / "ca-cert.pem"
    settings.CERTIFICATE_SIGNING_KEY_PASSPHRASE = "test passphrase"
    settings.SITE_URL = "http://testserver"
    office, _venue, ceremony_room, _notice_room = make_identity_office(code="E-LEEDS", postcode="LS1 3AD")
    roles.sync_roles()
    registrar = StaffFactory(roles=[roles.REGISTRAR])
    registrar.offices.add(office)
    colleague = StaffFactory(roles=[roles.REGISTRAR])
    colleague.offices.add(office)
    support = StaffFactory(roles=[roles.PHONE_SUPPORT])
    examiner = StaffFactory(roles=[roles.MEDICAL_EXAMINER])
    stillbirth_certifier = StaffFactory(roles=[roles.STILLBIRTH_CERTIFIER])
    home_office = StaffFactory(roles=[roles.HOME_OFFICE])
    citizen = UserFactory(email="casey@example.com")
    entry = make_entry(district=office)
    order = paid_certificate_order(historic_birth(office, surname="Lovelace", forenames="Ada"))
    issue_order(order_id=order.pk)
    return {
        "office": office,
        "room": ceremony_room,
        "registrar": registrar,
        "colleague": colleague,
        "support": support,
        "examiner": examiner,
        "stillbirth_certifier": stillbirth_certifier,
        "home_office": home_office,
        "citizen": citizen,
        "entry": entry,
        "certificate": order.certificates.get(),
    }


def _owner(path: str, world) -> APIClient:
    """A client of the kind the operation serves, so its answer is the operation's own."""
    if path.startswith(
        (
            "/api/v1/registrar/cases",
            "/api/v1/registrar/entries",
            "/api/v1/marriage/objections",
            "/api/v1/registrar/conversions",
            "/api/v1/citizenship/ceremonies",
        )
    ):
        return _bearer(world["registrar"])
    if path.startswith("/api/v1/notices"):
        return APIClient()
    if path.startswith("/api/v1/registrar/mccd"):
        return _bearer(world["examiner"])
    if path.startswith("/api/v1/registrar/stillbirth-certificates"):
        return _bearer(world["stillbirth_certifier"])
    if path.startswith(("/api/v1/marriage/interviews", "/api/v1/marriage/interview/notices")):
        return _bearer(world["registrar"])
    if path.startswith("/api/v1/marriage/interview/referrals"):
        return _bearer(world["home_office"])
    if path == "/api/v1/citizenship/invitations":
        return _bearer(world["home_office"])
    if path.startswith("/api/v1/citizenship/ceremonies"):
        return _bearer(world["registrar"])
    if path.startswith("/api/v1/support/"):
        return _bearer(world["support"])
    if path.startswith(("/api/v1/certificates", "/api/v1/auth/code", "/api/v1/auth/token", "/api/v1/auth/staff")):
        return APIClient()
    return _bearer(world["citizen"])


def _entry_values(entry) -> dict:
    return {"district": entry.district.code, "letter": "B", "year": entry.year, "number": entry.number}


def _shared_errors(hit: Hits, world) -> None:
    """400, 401, 403, 404 and 415, as every operation that documents them can give them."""
    citizen_draft = make_registration(informant=world["citizen"], answers={})
    case = Registration.objects.create(
        reference="RG-CASE-0001",
        event="birth",
        status="with_registrar",
        informant=UserFactory(),
        district=world["office"],
        answers={},
        submitted_at=timezone.now(),
    )
    real = {
        "reference": citizen_draft.reference,
        "step": "child",
        "serial": world["certificate"].serial,
        "ceremony": "BK-NONE-0000",
        "seat": "CS-NONE-0000",
        "dataset": "births-by-month",
        **_entry_values(world["entry"]),
    }
    for method, path, operation in _operations():
        responses = set(map(int, operation["responses"]))
        values = {**real, "reference": case.reference} if path.startswith("/api/v1/registrar/cases") else real
        if "{" in path and 404 in responses:
            hit(_owner(path, world), method, path, {key: "NOPE-0" for key in values} | {"year": 1, "number": 1})
        if 401 in responses:
            hit(APIClient(HTTP_AUTHORIZATION="Bearer not-a-token"), method, path, values)
        if 403 in responses:
            hit(APIClient(HTTP_ON_BEHALF_OF="1", HTTP_AUTHORIZATION=_token(world["citizen"])), method, path, values)
        if 415 in responses:
            hit(_owner(path, world), method, path, values, data="x", content_type="text/plain")
        if 400 in responses:
            client = _owner(path, world)
            if method == "GET":
                hit(client, method, path, values, data={"older_than_days": "-1"})
            elif "photo" in path or "selfie" in path or path == "/api/v1/certificates/verify":
                hit(client, method, path, values, data={}, format="multipart")
            else:
                hit(client, method, path, values, data="{not json", content_type="application/json")


def _stillbirths(hit: Hits, world, monkeypatch) -> None:
    """Hospitals and midwives send medical certificates of stillbirth."""
    certifier = _bearer(world["stillbirth_certifier"])
    body = {
        "reference": "MCS-0001",
        "mother_given_names": "Emma",
        "mother_surname": "Hartley",
        "delivered_on": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "place_of_delivery": "Leeds General Infirmary",
        "district": "E-LEEDS",
        "sex": "female",
        "weeks_of_pregnancy": 30,
        "cause": "Unknown",
        "certifier": "midwife",
        "certifier_name": "Grace Okafor",
        "certifier_registration_number": "12A3456E",
    }
    path = "/api/v1/registrar/stillbirth-certificates"
    hit(certifier, "POST", path, data=body, format="json")
    # The second of two sends at once passes the serializer's check before the first commits.
    monkeypatch.setattr(StillbirthCertificateRequestSerializer, "validate_reference", lambda self, value: value)
    hit(certifier, "POST", path, data=body, format="json")
    monkeypatch.undo()


def _token(user) -> str:
    from identity.services import issue_api_token

    return f"Bearer {issue_api_token(user=user)[0]}"


def _signing_in(hit: Hits, world) -> None:
    anonymous = APIClient()
    hit(anonymous, "POST", "/api/v1/auth/code", data={"email": "casey@example.com"}, format="json")
    code = latest_code_for("casey@example.com")
    hit(anonymous, "POST", "/api/v1/auth/token", data={"email": "casey@example.com", "code": code}, format="json")
    staff = world["registrar"]
    hit(anonymous, "POST", "/api/v1/auth/code", data={"email": staff.email}, format="json")
    staff_code = {"email": staff.email, "code": latest_code_for(staff.email)}
    hit(anonymous, "POST", "/api/v1/auth/token", data=staff_code, format="json")
    secret = StaffAuthenticator.objects.get(user=staff).secret
    credentials = {"email": staff.email, "password": STAFF_PASSWORD, "code": pyotp.TOTP(secret).now()}
    hit(anonymous, "POST", "/api/v1/auth/staff-token", data=credentials, format="json")
    for _attempt in range(40):
        hit(anonymous, "POST", "/api/v1/auth/code", data={"email": "x@example.com"}, format="json")
        hit(anonymous, "POST", "/api/v1/auth/token", data={"email": "x@example.com", "code": "000000"}, format="json")
        hit(anonymous, "POST", "/api/v1/auth/staff-token", data={**credentials, "code": "000000"}, format="json")


def _booking(hit: Hits, world) -> None:
    citizen = _bearer(world["citizen"])
    first, _last = booking_selectors.bookable_dates("ceremony")
    query = {"kind": "ceremony", "from": first.isoformat(), "to": (first + datetime.timedelta(days=14)).isoformat()}
    slots = hit(APIClient(), "GET", "/api/v1/booking/availability", data=query).json()
    a, b, c = ({"room_id": slot["room_id"], "starts_at": slot["starts_at"], "kind": "ceremony"} for slot in slots[:3])
    held = hit(citizen, "POST", "/api/v1/booking/holds", data=a, format="json", HTTP_IDEMPOTENCY_KEY="k1").json()
    hit(citizen, "POST", "/api/v1/booking/holds", data=b, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    hit(_bearer(UserFactory()), "POST", "/api/v1/booking/holds", data=a, format="json")
    hit(_bearer(UserFactory()), "POST", "/api/v1/booking/holds", data=c, format="json")
    booking = {"reference": held["reference"]}
    confirm = "/api/v1/booking/holds/{reference}/confirm"
    hit(citizen, "POST", confirm, booking, data="{", content_type="application/json")
    hit(citizen, "POST", confirm, booking, data="x", content_type="text/plain")
    hit(citizen, "POST", confirm, booking, data={"parties": API_PARTIES}, format="json", HTTP_IDEMPOTENCY_KEY="k2")
    hit(citizen, "POST", confirm, booking, data={}, format="json", HTTP_IDEMPOTENCY_KEY="k2")
    hit(citizen, "POST", confirm, booking, data={"parties": API_PARTIES}, format="json")
    hit(citizen, "GET", "/api/v1/booking/bookings/{reference}", booking)
    hit(citizen, "GET", "/api/v1/booking/bookings/{reference}.ics", booking)
    move = "/api/v1/booking/bookings/{reference}/reschedule"
    to_b = {key: b[key] for key in ("room_id", "starts_at")}
    hit(citizen, "POST", move, booking, data="{", content_type="application/json")
    hit(citizen, "POST", move, booking, data="x", content_type="text/plain")
    hit(citizen, "POST", move, booking, data={key: c[key] for key in ("room_id", "starts_at")}, format="json")
    hit(citizen, "POST", move, booking, data=to_b, format="json", HTTP_IDEMPOTENCY_KEY="k3")
    hit(citizen, "POST", move, booking, data={}, format="json", HTTP_IDEMPOTENCY_KEY="k3")
    cancel = "/api/v1/booking/bookings/{reference}/cancel"
    hit(citizen, "POST", cancel, booking, HTTP_IDEMPOTENCY_KEY="k" * 101)
    hit(citizen, "POST", cancel, booking, HTTP_IDEMPOTENCY_KEY="k4")
    hit(citizen, "POST", cancel, booking, data={"again": True}, format="json", HTTP_IDEMPOTENCY_KEY="k4")
    hit(citizen, "POST", cancel, booking)
    # Identity appointments: offered once the person's check is with a registrar.
    hit(citizen, "GET", "/api/v1/booking/identity-appointment")
    [video] = identity_slots("identity_video")[:1]
    appointment = {"kind": "identity_video", "room_id": video.room.pk, "starts_at": video.starts_at.isoformat()}
    hit(citizen, "POST", "/api/v1/booking/identity-appointment", data=appointment, format="json")
    person = UserFactory()
    submit_passport_check(person=person)
    own = _bearer(person)
    kwargs = {"format": "json", "HTTP_IDEMPOTENCY_KEY": "k5"}
    hit(own, "POST", "/api/v1/booking/identity-appointment", data=appointment, **kwargs)
    hit(
        own,
        "POST",
        "/api/v1/booking/identity-appointment",
        data={**appointment, "kind": "identity_in_person"},
        **kwargs,
    )


def _identity(hit: Hits, world, settings, monkeypatch) -> None:
    person = UserFactory()
    client = _bearer(person)
    hit(client, "GET", "/api/v1/identity/case")
    address = {
        "address": "1 The Headrow\nLeeds",
        "postcode": "LS1 3AD",
        "document_type": "bank_statement",
        "document_name": "Sarah Morgan",
        "document_postcode": "LS1 3AD",
        "issued_on": timezone.localdate().isoformat(),
    }
    hit(client, "PUT", "/api/v1/identity/case/address", data=address, format="json")
    hit(client, "GET", "/api/v1/identity/case")
    document = {
        "document_type": "passport",
        "given_names": "Sarah",
        "surname": "Morgan",
        "birth_date": "1976-03-11",
        "document_number": "123456789",
        "expiry_date": "2030-01-01",
        "mrz_line1": MRZ_LINE1,
        "mrz_line2": mrz_line2(),
    }
    hit(client, "PUT", "/api/v1/identity/case/document", data=document, format="json")
    for path in PHOTOS:
        hit(client, "POST", path, data={"photo": _photo(path)}, format="multipart")
    # Security questions, from the sandbox provider.
    questions, answers = "/api/v1/identity/case/questions", "/api/v1/identity/case/questions/answers"
    right = {"sandbox-low": "Station Road", "sandbox-medium": "Sandbox Bank", "sandbox-high": "£500 to £749"}
    settings.IDENTITY_KNOWLEDGE_ATTEMPTS_PER_DAY = 3
    hit(client, "GET", questions)
    hit(client, "POST", answers, data={"answers": right}, format="json")
    hit(client, "POST", questions)
    hit(client, "GET", questions)
    hit(client, "POST", answers, data={"answers": {}}, format="json")
    hit(client, "POST", answers, data="x", content_type="text/plain")
    hit(client, "POST", answers, data={"answers": right}, format="json")
    hit(client, "POST", answers, data={"answers": right}, format="json")
    hit(client, "POST", questions)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=settings.IDENTITY_KNOWLEDGE_MINUTES + 1)):
        hit(client, "POST", answers, data={"answers": right}, format="json")
        hit(client, "POST", questions)
        monkeypatch.setattr(SandboxKnowledgeProvider, "answer", _provider_down)
        hit(client, "POST", answers, data={"answers": right}, format="json")
        monkeypatch.undo()
        hit(client, "POST", questions)
    # The sandbox provider is out of reach for this surname.
    offline = UserFactory()
    case = cases.open_case(person=offline)
    record_passport(case, surname="Offline")
    cases.attach_image(case=case, kind="identity_document", upload=io.BytesIO(document_photo()))
    cases.record_proof_of_address(case=case, **{**address, "issued_on": timezone.localdate()})
    hit(_bearer(offline), "POST", questions)
    hit(_bearer(submit_passport_check().person), "POST", questions)
    settings.IDENTITY_VERIFIERS = {**settings.IDENTITY_VERIFIERS, "knowledge": ""}
    for method, path in (("GET", questions), ("POST", questions), ("POST", answers)):
        hit(client, method, path, data={"answers": right}, format="json")
    hit(client, "POST", "/api/v1/identity/case/submit")
    hit(client, "POST", "/api/v1/identity/case/submit")
    # With a registrar now: nothing can change.
    hit(client, "PUT", "/api/v1/identity/case/address", data=address, format="json")
    for path in PHOTOS:
        hit(client, "POST", path, data={"photo": _photo(path)}, format="multipart")
    hit(client, "PUT", "/api/v1/identity/case/document", data=document, format="json")


PHOTOS = (
    "/api/v1/identity/case/document/photo",
    "/api/v1/identity/case/address/photo",
    "/api/v1/identity/case/selfie",
)


def _photo(path: str) -> SimpleUploadedFile:
    data = face_photos.selfie("collins", 1) if path.endswith("selfie") else document_photo()
    return SimpleUploadedFile("photo.jpg", data, content_type="image/jpeg")


def _provider_down(self, *, session_id, answers):
    raise RuntimeError("the provider is down")


def _registrar(hit: Hits, world, monkeypatch) -> None:
    registrar = _bearer(world["registrar"])
    case = RegistrationFactory(district=world["office"], reference="RG-WAIT-0002")
    values = {"reference": case.reference}
    hit(registrar, "GET", "/api/v1/registrar/cases")
    hit(registrar, "GET", "/api/v1/registrar/cases/{reference}", values)
    assign = "/api/v1/registrar/cases/{reference}/assignment"
    hit(registrar, "POST", assign, values, data={"assignee": "me"}, format="json")
    decide = "/api/v1/registrar/cases/{reference}/decision"
    hit(registrar, "POST", decide, values, data={"decision": "reject", "reason": "Not a real birth"}, format="json")
    hit(registrar, "POST", decide, values, data={"decision": "reject", "reason": "Again"}, format="json")
    hit(registrar, "POST", assign, values, data={"assignee": "me"}, format="json")
    entry = world["entry"]
    hit(registrar, "GET", "/api/v1/registrar/entries", data={"reference": entry.entry_reference})
    hit(registrar, "GET", "/api/v1/registrar/entries", data={"reference": "E-LEEDS/B/1900/000001"})
    one = "/api/v1/registrar/entries/{district}/{letter}/{year}/{number}"
    hit(registrar, "GET", one, _entry_values(entry))
    hit(registrar, "GET", one + "/corrections", _entry_values(entry))
    correction = {"field": "place_of_birth", "new_value": "Leeds General", "reason": "Misspelt", "evidence": "Letter"}
    hit(registrar, "POST", one + "/corrections", _entry_values(entry), data=correction, format="json")
    # Medical examiners.
    examiner = _bearer(world["examiner"])
    mccd = {
        "reference": "MCCD-0001",
        "deceased_given_names": "Albert",
        "deceased_surname": "Brown",
        "date_of_death": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "place_of_death": "Leeds",
        "district": "E-LEEDS",
        "cause_of_death": "Old age",
        "certifying_practitioner": "Dr A",
        "medical_examiner": "Dr B",
        "referred_to_coroner": True,
    }
    hit(examiner, "POST", "/api/v1/registrar/mccd", data=mccd, format="json")
    # The second of two sends at once passes the serializer's check before the first commits.
    monkeypatch.setattr(MedicalCertificateRequestSerializer, "validate_reference", lambda self, value: value)
    hit(examiner, "POST", "/api/v1/registrar/mccd", data=mccd, format="json")
    monkeypatch.undo()
    release = "/api/v1/registrar/mccd/{reference}/release"
    hit(examiner, "POST", release, {"reference": "MCCD-0001"}, data="{", content_type="application/json")
    hit(examiner, "POST", release, {"reference": "MCCD-0001"}, data="x", content_type="text/plain")
    hit(examiner, "POST", release, {"reference": "MCCD-0001"}, data={}, format="json")
    hit(examiner, "POST", release, {"reference": "MCCD-0001"}, data={}, format="json")
    # Citizens' own registrations.
    citizen = _bearer(world["citizen"])
    created = hit(citizen, "POST", "/api/v1/registrar/registrations", data={"event": "birth"}, format="json").json()
    own = {"reference": created["reference"], "step": "informant"}
    hit(citizen, "GET", "/api/v1/registrar/registrations")
    hit(citizen, "GET", "/api/v1/registrar/registrations/{reference}", own)
    answers = "/api/v1/registrar/registrations/{reference}/answers/{step}"
    hit(citizen, "PUT", answers, own, data={"qualification": "mother"}, format="json")
    submit = "/api/v1/registrar/registrations/{reference}/submit"
    hit(citizen, "POST", submit, own, data={"declaration": True}, format="json")
    complete = make_registration(informant=world["citizen"], answers=birth_answers())
    hit(citizen, "POST", submit, {"reference": complete.reference}, data={"declaration": True}, format="json")
    sent = make_registration(informant=world["citizen"], status="with_registrar")
    sent_values = {"reference": sent.reference, "step": "informant"}
    hit(citizen, "PUT", answers, sent_values, data={"qualification": "mother"}, format="json")
    hit(citizen, "POST", submit, sent_values, data={"declaration": True}, format="json")


def _support_and_me(hit: Hits, world) -> None:
    citizen = _bearer(world["citizen"])
    hit(citizen, "GET", "/api/v1/auth/me")
    code = hit(citizen, "POST", "/api/v1/auth/me/consent-code").json()["consent_code"]
    support = _bearer(world["support"])
    case = submit_passport_check(person=world["citizen"])
    hit(support, "GET", "/api/v1/support/people", data={"reference": case.reference})
    hit(support, "POST", "/api/v1/support/people", data={"reference": case.reference}, format="json")
    hit(support, "POST", "/api/v1/support/people", data={"full_name": "Casey"}, format="json")
    sessions = "/api/v1/support/sessions"
    hit(support, "POST", sessions, data={"person_id": 999999, "consent_code": code}, format="json")
    hit(support, "POST", sessions, data={"person_id": world["citizen"].pk, "consent_code": "WRONG-0000"}, format="json")
    hit(support, "POST", sessions, data={"person_id": world["citizen"].pk, "consent_code": code}, format="json")
    hit(support, "DELETE", "/api/v1/support/sessions/current")
    hit(support, "DELETE", "/api/v1/support/sessions/current")
    for _attempt in range(10):
        hit(
            support,
            "POST",
            sessions,
            data={"person_id": world["citizen"].pk, "consent_code": "WRONG-0000"},
            format="json",
        )
    hit(citizen, "DELETE", "/api/v1/auth/me")


def _certificates(hit: Hits, world, settings) -> None:
    anonymous = APIClient()
    hit(anonymous, "GET", "/api/v1/certificates/index", data={"event": "birth", "surname": "Lovelace"})
    index = "/api/v1/certificates/index"
    hit(anonymous, "POST", index, data={"event": "birth", "surname": "Lovelace"}, format="json")
    hit(anonymous, "POST", index, data={"event": "birth", "surname": "123"}, format="json")
    serial = {"serial": world["certificate"].serial}
    hit(anonymous, "GET", "/api/v1/certificates/verify/{serial}", serial)
    pdf = SimpleUploadedFile("c.pdf", certificate_pdf(world["certificate"]), content_type="application/pdf")
    hit(anonymous, "POST", "/api/v1/certificates/verify", data={"file": pdf}, format="multipart")
    settings.CERTIFICATE_VERIFY_PER_ADDRESS_PER_MINUTE = 0
    hit(anonymous, "GET", "/api/v1/certificates/verify/{serial}", serial)
    hit(anonymous, "POST", "/api/v1/certificates/verify", data={}, format="multipart")


def _audit_checkpoints(hit: Hits, world) -> None:
    registrar = _bearer(world["registrar"])
    latest = "/api/v1/audit/checkpoints/latest"
    hit(registrar, "GET", latest)
    audit.record_audit(actor=world["registrar"], action="viewed_case", object_type="case", object_id="1")
    audit.write_checkpoint()
    hit(registrar, "GET", latest)


def _photo_limits(hit: Hits, settings) -> None:
    """A body over the cap is refused before it is read; a photo that finds every decode slot
    taken is asked to wait."""
    client = _bearer(UserFactory())
    cap, settings.REQUEST_BODY_MAX_BYTES = settings.REQUEST_BODY_MAX_BYTES, 1024
    for path in PHOTOS:
        hit(client, "POST", path, data={"photo": _photo(path)}, format="multipart")
    settings.REQUEST_BODY_MAX_BYTES = cap
    settings.EVIDENCE_DECODES_AT_ONCE = 1
    settings.EVIDENCE_DECODE_WAIT_SECONDS = 0.05
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with decode_slot():
            held.set()
            release.wait(timeout=30)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert held.wait(timeout=10)
        for path in PHOTOS:
            hit(client, "POST", path, data={"photo": _photo(path)}, format="multipart")
    finally:
        release.set()
        holder.join(timeout=10)


def _objections(hit: Hits, world, settings) -> None:
    """The public notices and objections, and objection casework."""
    from tests.factories.marriage import make_objection
    from tests.factories.marriage_objections import displayed_proposal, staff_at

    proposal = displayed_proposal()
    notice = proposal.notices.get(position=1)
    anonymous = APIClient()
    hit(anonymous, "GET", "/api/v1/notices", data={"district": proposal.district.code})
    objecting = "/api/v1/notices/{reference}/objections"
    values = {"reference": notice.reference}
    objection = {"name": "Pat", "email": "pat@example.com", "grounds": "Already married."}
    hit(anonymous, "POST", objecting, values, data=objection, format="json")
    hit(anonymous, "POST", objecting, values, data={}, format="json")
    hit(anonymous, "POST", objecting, values, data="x", content_type="text/plain")
    settings.OBJECTIONS_PER_ADDRESS_PER_HOUR = 1
    hit(anonymous, "POST", objecting, values, data=objection, format="json")
    registrar = _bearer(staff_at(proposal.district, roles.REGISTRAR))
    superintendent = _bearer(staff_at(proposal.district, roles.SUPERINTENDENT_REGISTRAR))
    hit(registrar, "GET", "/api/v1/marriage/objections")
    hit(registrar, "GET", "/api/v1/marriage/objections", data={"page": "0"})
    open_one = make_objection(notice)
    one = {"reference": open_one.reference}
    hit(registrar, "GET", "/api/v1/marriage/objections/{reference}", one)
    deciding = "/api/v1/marriage/objections/{reference}/decision"
    decision = {"decision": "dismiss", "reason": "Not an impediment."}
    hit(registrar, "POST", deciding, one, data=decision, format="json")
    hit(superintendent, "POST", deciding, one, data={}, format="json")
    hit(superintendent, "POST", deciding, one, data="x", content_type="text/plain")
    hit(superintendent, "POST", deciding, one, data=decision, format="json")
    hit(superintendent, "POST", deciding, one, data=decision, format="json")


def _marriage_interviews(hit: Hits, world, settings) -> None:
    proposal = interviewed_proposal(exempt=False)
    registrar = registrar_of(proposal.district)
    client = _bearer(registrar)
    hit(client, "GET", "/api/v1/marriage/interviews")
    outcome = "/api/v1/marriage/interview/notices/{reference}/outcome"
    first, second = proposal.notices.order_by("position")
    hit(client, "POST", outcome, {"reference": first.reference}, data={"outcome": "given"}, format="json")
    hit(client, "POST", outcome, {"reference": first.reference}, data={"outcome": "given"}, format="json")
    interview_services.record_outcome(actor=registrar, notice=second, outcome="given")
    settings.HOME_OFFICE_ADAPTER = "tests.factories.marriage_interview.LaterHomeOffice"
    interview_referral.send(proposal_id=proposal.pk)
    proposal.refresh_from_db()
    decision = "/api/v1/marriage/interview/referrals/{reference}/decision"
    body = {"decision": "investigating", "reference": proposal.home_office_reference}
    home_office = _bearer(world["home_office"])
    hit(home_office, "POST", decision, {"reference": proposal.reference}, data=body, format="json")
    hit(home_office, "POST", decision, {"reference": proposal.reference}, data=body, format="json")


def test_every_documented_status_is_reached(world, settings, monkeypatch):
    hit = Hits()
    _shared_errors(hit, world)
    _signing_in(hit, world)
    _booking(hit, world)
    _identity(hit, world, settings, monkeypatch)
    _registrar(hit, world, monkeypatch)
    _stillbirths(hit, world, monkeypatch)
    _marriage_interviews(hit, world, settings)
    _conversions(hit)
    _support_and_me(hit, world)
    _certificates(hit, world, settings)
    _audit_checkpoints(hit, world)
    _photo_limits(hit, settings)
    _marriage_notices(hit, settings=settings)
    _marriage_schedules(hit)
    _inquests(hit)
    _objections(hit, world, settings)
    _citizenship(hit, home_office_client=_bearer(world["home_office"]), settings=settings)
    _reregistrations(hit)
    _taken_registrations(hit)
    _citizenship_ceremonies(hit, office=world["office"], registrar=world["registrar"])
    _open_data(hit)
    reached = hit.reached()
    unreached = sorted(DOCUMENTED - reached)
    undocumented = sorted(
        (method, path, code) for method, path, code in reached if (method, path, code) not in DOCUMENTED
    )
    print(f"documented statuses: {len(DOCUMENTED)}, reached: {len(DOCUMENTED & reached)}")
    assert undocumented == []
    assert unreached == [], "\n".join(map(str, unreached))
