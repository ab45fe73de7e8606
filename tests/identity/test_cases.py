"""Identity cases end to end at service level: a passport with a confirmed mobile reaches medium;
a licence and a bank statement reach medium; weak or suspicious evidence goes to a registrar with
reasons; one open case per person even under parallel starts; photos are stored cleaned."""

from __future__ import annotations

import io
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone
from PIL import Image

from identity import cases, roles, tasks
from identity.models import CaseDecision, EvidenceImage, IdentityCase, OutboundMessage
from identity.refusals import UploadRejected
from tests.conftest import ON_POSTGRES
from tests.factories import (
    PASSPORT_CHECKED_ON,
    StaffFactory,
    UserFactory,
    document_photo,
    make_real_offices,
    mrz_line2,
    record_checks,
    record_passport,
)

pytestmark = pytest.mark.django_db

TODAY = PASSPORT_CHECKED_ON


@pytest.fixture
def person():
    user = UserFactory(mobile_number="+447700900982")
    user.mobile_verified_at = timezone.now()
    user.save()
    return user


def _photo(case, kind=EvidenceImage.Kind.IDENTITY_DOCUMENT, data=None):
    return cases.attach_image(case=case, kind=kind, upload=io.BytesIO(data or document_photo()))


def test_passport_checked_as_genuine_and_matched_to_its_holder_is_verified(person):
    case = cases.open_case(person=person)
    assert record_passport(case) == []
    _photo(case)
    record_checks(case, "document_authenticity", "face_match")
    case = cases.submit_case(case=case)
    assert case.status == IdentityCase.Status.VERIFIED and case.profile == "M1A"
    assert case.scores["evidence"][0]["strength"] == 4 and case.scores["verification"] == 2
    assert OutboundMessage.objects.filter(to=person.email, body__contains=case.reference).exists()


def test_passport_not_matched_to_its_holder_goes_to_a_registrar_saying_what_is_missing(person):
    case = cases.open_case(person=person)
    record_passport(case)
    _photo(case)
    record_checks(case, "document_authenticity")
    case = cases.submit_case(case=case)
    assert case.status == IdentityCase.Status.WITH_REGISTRAR
    assert [m["element"] for m in case.missing] == ["verification"]
    assert "photo of your face" in case.missing[0]["advice"]


def test_licence_confirmed_by_its_issuer_and_a_live_face_match_reach_medium(person):
    case = cases.open_case(person=person)
    reasons = cases.record_identity_document(
        case=case,
        document_type="driving_licence",
        given_names="Sarah Meredyth",
        surname="Morgan",
        birth_date=date(1976, 3, 11),
        document_number="MORGA753116SM9IJ",
        expiry_date=date(2030, 1, 1),
        today=TODAY,
    )
    assert reasons == []
    _photo(case)
    reasons = cases.record_proof_of_address(
        case=case,
        address="1 The Headrow, Leeds",
        postcode="LS1 3AD",
        document_type="bank_statement",
        document_postcode="ls13ad",
        document_name="Ms Sarah Morgan",
        issued_on=TODAY - timedelta(days=20),
        today=TODAY,
    )
    assert reasons == []
    _photo(case, kind=EvidenceImage.Kind.ADDRESS_DOCUMENT)
    record_checks(case, "document_authenticity", "issuer_validation", "face_match", "liveness")
    case = cases.submit_case(case=case)
    assert case.status == IdentityCase.Status.VERIFIED, case.missing
    # Security features checked and the licence confirmed with DVLA: 3/3; a live face match: 3.
    assert case.profile == "M1C"


def _case_living_at(person, postcode: str) -> IdentityCase:
    case = cases.open_case(person=person)
    record_passport(case)
    _photo(case)
    cases.record_proof_of_address(
        case=case,
        address="1 Example Street, London",
        postcode=postcode,
        document_type="bank_statement",
        document_postcode=postcode,
        document_name="Ms Sarah Morgan",
        issued_on=TODAY - timedelta(days=20),
        today=TODAY,
    )
    _photo(case, kind=EvidenceImage.Kind.ADDRESS_DOCUMENT)
    return cases.submit_case(case=case)


@pytest.mark.parametrize("postcode", ["W1A 1AA", "SW1A 1AA", "WC2N 5DU"])
def test_a_central_london_case_is_with_the_westminster_office_not_warrington(person, postcode):
    make_real_offices("E-WESTMINSTER", "E-CAMDEN", "E-WARRINGTON", "E-LEEDS")
    assert _case_living_at(person, postcode).office.code == "E-WESTMINSTER"


@pytest.mark.parametrize(("postcode", "office"), [("CF10 1EP", "W-CARDIFF"), ("CF62 4AA", "W-VALEGLAM")])
def test_a_case_is_with_the_office_of_the_local_authority_where_the_person_lives(person, postcode, office):
    make_real_offices("E-LEEDS", "W-CARDIFF", "W-VALEGLAM")
    assert _case_living_at(person, postcode).office.code == office


def test_mistyped_mrz_is_a_reason_and_not_medium(person):
    case = cases.open_case(person=person)
    bad = mrz_line2()[:-1] + "0" if not mrz_line2().endswith("0") else mrz_line2()[:-1] + "1"
    assert "mrz_composite_check" in record_passport(case, mrz_line2=bad)
    _photo(case)
    case = cases.submit_case(case=case)
    assert case.status == IdentityCase.Status.WITH_REGISTRAR
    assert "mrz_composite_check" in case.reasons


def test_fixing_the_details_clears_the_old_reasons(person):
    case = cases.open_case(person=person)
    record_passport(case, birth_date=date(1976, 3, 12))
    case.refresh_from_db()
    assert "mrz_birth_mismatch" in case.reasons
    record_passport(case)
    case.refresh_from_db()
    assert case.reasons == []


def test_same_document_used_by_another_person_is_a_fraud_signal(person):
    other = UserFactory()
    other_case = cases.open_case(person=other)
    record_passport(other_case)
    _photo(other_case)
    case = cases.open_case(person=person)
    record_passport(case)
    _photo(case)
    case = cases.submit_case(case=case)
    assert case.status == IdentityCase.Status.WITH_REGISTRAR
    assert {"fraud_document_reused", "fraud_image_reused"} <= set(case.reasons)
    assert case.scores["fraud"] == 0


def test_photo_from_editing_software_is_a_fraud_signal(person):
    exif = Image.Exif()
    exif[0x0131] = "GIMP 2.10"
    case = cases.open_case(person=person)
    record_passport(case)
    _photo(case, data=document_photo(exif=exif.tobytes()))
    case = cases.submit_case(case=case)
    assert "fraud_edited_image" in case.reasons and case.status == IdentityCase.Status.WITH_REGISTRAR


def test_stored_photo_is_the_cleaned_one_under_a_random_name(person, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    exif = Image.Exif()
    exif[0x0131] = "Camera 1.0"
    case = cases.open_case(person=person)
    image = _photo(case, data=document_photo(exif=exif.tobytes()) + b"APPENDED")
    stored = image.file.read()
    assert b"APPENDED" not in stored and b"Camera 1.0" not in stored
    assert image.file.name.startswith("evidence/") and image.file.name.endswith(".jpg")
    assert len(image.file.name) == len("evidence/") + 32 + 4


def test_new_photo_replaces_and_deletes_the_old_file(person, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    case = cases.open_case(person=person)
    first = _photo(case)
    path = tmp_path / first.file.name
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):  # the old file goes once the new one is saved
        _photo(case)
    first.refresh_from_db()
    assert first.deleted_at is not None and not path.exists()


def test_hostile_upload_stores_nothing(person):
    case = cases.open_case(person=person)
    with pytest.raises(UploadRejected):
        cases.attach_image(case=case, kind=EvidenceImage.Kind.IDENTITY_DOCUMENT, upload=io.BytesIO(b"<svg/>"))
    assert EvidenceImage.objects.count() == 0


def test_one_open_case_per_person(person):
    first = cases.open_case(person=person)
    assert cases.open_case(person=person).pk == first.pk
    assert first.reference.startswith("ID-") and len(first.reference) == 12


def test_submitting_twice_does_not_change_a_decided_case(person):
    case = cases.open_case(person=person)
    record_passport(case)
    _photo(case)
    decided = cases.submit_case(case=case)
    again = cases.submit_case(case=decided)
    assert again.status == decided.status and again.decided_at == decided.decided_at


def test_evidence_is_deleted_30_days_after_the_decision_and_the_decision_stays(
    person, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    case = cases.open_case(person=person)
    record_passport(case)
    image = _photo(case)
    record_checks(case, "document_authenticity", "face_match")
    case = cases.submit_case(case=case)
    path = tmp_path / image.file.name
    assert case.status == "verified" and path.exists()
    with time_machine.travel(case.decided_at + timedelta(days=29)):
        assert tasks.delete_expired_evidence.apply().get() == 0
    with time_machine.travel(case.decided_at + timedelta(days=30, minutes=1)):
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.delete_expired_evidence.apply().get() == 1
    image.refresh_from_db()
    case.refresh_from_db()
    assert image.deleted_at is not None and not path.exists()
    assert case.profile == "M1A" and case.scores["verification"] == 2


def test_evidence_of_a_case_still_with_a_registrar_is_kept(person, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    person.mobile_verified_at = None
    person.save()
    case = cases.open_case(person=person)
    record_passport(case)
    _photo(case)
    case = cases.submit_case(case=case)
    with time_machine.travel(timezone.now() + timedelta(days=365)):
        assert tasks.delete_expired_evidence.apply().get() == 0


def test_more_evidence_reopens_the_journey(person, client):
    # The case has no office (no address given): every registrar may decide it.
    registrar = StaffFactory(roles=[roles.REGISTRAR])
    person.mobile_verified_at = None
    person.save()
    case = cases.open_case(person=person)
    record_passport(case)
    _photo(case)
    case = cases.submit_case(case=case)
    cases.decide_case(
        case=case, actor=registrar, outcome=CaseDecision.Outcome.MORE_EVIDENCE, reason="Add a bank statement"
    )
    client.force_login(person)
    page = client.get("/identity/").content.decode()
    assert "Add a bank statement" in page
    assert client.get("/identity/address/").status_code == 200
    record_checks(case, "document_authenticity", "face_match")
    assert cases.submit_case(case=IdentityCase.objects.get(pk=case.pk)).status == "verified"


def _resized_photo() -> bytes:
    original = Image.open(io.BytesIO(document_photo()))
    output = io.BytesIO()
    original.resize((1000, 666)).save(output, format="JPEG", quality=70)
    return output.getvalue()


def test_a_re_photographed_copy_of_anothers_document_is_a_fraud_signal(person):
    other_case = cases.open_case(person=UserFactory())
    _photo(other_case)
    case = cases.open_case(person=person)
    record_passport(case)
    _photo(case, data=_resized_photo())
    assert "fraud_image_reused" in cases.fraud_signals(case)


def death_already_registered(case):
    return ["fraud_death_registered"] if case.surname == "Morgan" else []


def test_fraud_signal_providers_plug_in_by_setting(person, settings):
    settings.IDENTITY_FRAUD_SIGNAL_PROVIDERS = ["tests.identity.test_cases.death_already_registered"]
    case = cases.open_case(person=person)
    record_passport(case)
    _photo(case)
    case = cases.submit_case(case=case)
    assert case.status == "with_registrar" and "fraud_death_registered" in case.reasons


# --- Status changes ------------------------------------------------------------------------------------


@pytest.fixture
def office_registrar():
    """A registrar who may decide cases with no office (these have no address)."""
    return StaffFactory(roles=[roles.REGISTRAR])


def _with_registrar(person):
    person.mobile_verified_at = None
    person.save()
    case = cases.open_case(person=person)
    record_passport(case)
    _photo(case)
    return cases.submit_case(case=case)


def test_every_status_change_is_a_transition_from_the_statuses_it_names():
    statuses = set(IdentityCase.Status.values)
    for name, (starts_from, ends_in) in cases.TRANSITIONS.items():
        assert starts_from and set(starts_from) <= statuses and ends_in in statuses, name
    assert set(cases.DECISIONS) == set(CaseDecision.Outcome.values) <= set(cases.TRANSITIONS)


def test_a_decision_made_from_a_stale_copy_of_the_case_is_refused(person, office_registrar):
    case = _with_registrar(person)
    stale = IdentityCase.objects.get(pk=case.pk)
    cases.decide_case(case=case, actor=office_registrar, outcome="reject", reason="Not the person")
    with pytest.raises(cases.DecisionRefused) as refused:
        cases.decide_case(case=stale, actor=office_registrar, outcome="accept", reason="Changed my mind")
    assert refused.value.code == "already_decided" and refused.value.status == 409
    assert IdentityCase.objects.get(pk=case.pk).status == "rejected" and CaseDecision.objects.count() == 1


def test_a_case_still_in_progress_cannot_be_decided(person, office_registrar):
    case = cases.open_case(person=person)
    assert cases.decisions_open_to(case=case, user=office_registrar) == []
    with pytest.raises(cases.DecisionRefused) as refused:
        cases.decide_case(case=case, actor=office_registrar, outcome="accept", reason="Too early")
    assert refused.value.code == "already_decided"


@pytest.mark.parametrize("outcome, reason", [("approve", "Fine"), ("accept", "   ")])
def test_a_decision_needs_a_known_outcome_and_a_reason(person, office_registrar, outcome, reason):
    case = _with_registrar(person)
    with pytest.raises(cases.DecisionRefused) as refused:
        cases.decide_case(case=case, actor=office_registrar, outcome=outcome, reason=reason)
    assert refused.value.status == 400
    assert IdentityCase.objects.get(pk=case.pk).status == "with_registrar"


def test_only_a_case_in_progress_or_sent_back_can_be_changed(person, office_registrar):
    case = _with_registrar(person)
    assert not cases.can_change(case)
    with pytest.raises(cases.CheckRefused):
        cases.editable_case(person=person)
    cases.decide_case(case=case, actor=office_registrar, outcome="more_evidence", reason="Add a bank statement")
    reopened = cases.editable_case(person=person)
    assert reopened.pk == case.pk and cases.can_change(reopened) and reopened.decided_at is None


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_registrars_deciding_at_once_make_one_decision_on_postgres():
    assert ON_POSTGRES
    person = UserFactory()
    case = _with_registrar(person)
    record_checks(case, "trained_comparison", provider="Registrar")
    registrars = [StaffFactory(roles=[roles.REGISTRAR]) for _ in range(6)]
    barrier = threading.Barrier(6)

    def decide(index):
        barrier.wait()
        try:
            cases.decide_case(case=case, actor=registrars[index], outcome="accept", reason="Seen")
            return "decided"
        except cases.DecisionRefused as refused:
            return refused.code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(pool.map(decide, range(6)))
    assert outcomes.count("decided") == 1 and outcomes.count("already_decided") == 5
    assert CaseDecision.objects.filter(case=case).count() == 1
    assert OutboundMessage.objects.filter(key__startswith="identity-decision:").count() == 1
