"""The photo of a person's face is used for the comparison only: the registrar working the case
sees it beside the document photo; phone support never does, neither on its own pages, nor
acting for the person on the citizen pages or through the API, and it cannot add one for them.
It goes with the rest of the evidence on the schedule."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from identity import assisted, cases
from identity.models import EvidenceImage, IdentityCase
from identity.refusals import CheckRefused
from tests import face_photos
from tests.factories import UserFactory, api_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("face_models")]

SELFIE = EvidenceImage.Kind.SELFIE


def _selfie_for(case) -> EvidenceImage:
    return cases.attach_image(case=case, kind=SELFIE, upload=io.BytesIO(face_photos.selfie("collins")))


@pytest.fixture
def person():
    return UserFactory(full_name="Eileen Collins")


@pytest.fixture
def open_case(person):
    case = cases.editable_case(person=person)
    cases.choose_document_type(case=case, document_type="passport")
    return case


@pytest.fixture
def helping(client, support, person, found):
    """Phone support in an assisted session for the person, on `client`."""
    found(client, person)
    code = assisted.issue_consent_code(person=person)
    client.post(reverse("identity:support-consent", args=[person.pk]), {"code": code})
    return assisted.current_session(staff=support)


def test_the_registrar_working_the_case_sees_the_selfie_beside_the_document(client, registrar, waiting_case):
    selfie = _selfie_for(waiting_case)
    page = client.get(reverse("identity:staff-identity-case", args=[waiting_case.reference])).content.decode()
    url = reverse("identity:staff-evidence", args=[waiting_case.reference, selfie.pk])
    assert url in page and "Photo of your face" in page
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"


def test_phone_support_cannot_open_the_staff_evidence_view(client, support, waiting_case):
    selfie = _selfie_for(waiting_case)
    assert client.get(reverse("identity:staff-evidence", args=[waiting_case.reference, selfie.pk])).status_code == 403
    assert client.get(reverse("identity:staff-identity-case", args=[waiting_case.reference])).status_code == 403


def test_acting_for_the_person_phone_support_never_sees_their_photos(client, person, open_case, helping):
    selfie = _selfie_for(open_case)
    document = cases.attach_image(
        case=open_case, kind="identity_document", upload=io.BytesIO(face_photos.document_photo("collins"))
    )
    assert client.get(reverse("identity:my-evidence", args=[selfie.pk])).status_code == 404
    # Nor their documents: only a registrar working the case sees evidence (the privacy notice).
    assert client.get(reverse("identity:my-evidence", args=[document.pk])).status_code == 404
    session_page = client.get(reverse("identity:support-session")).content.decode()
    person_page = client.get(reverse("identity:support-person", args=[person.pk])).content.decode()
    for html in (session_page, person_page):
        assert "/evidence/" not in html


def test_the_person_sees_their_own_selfie(client, person, open_case):
    selfie = _selfie_for(open_case)
    client.force_login(person)
    assert client.get(reverse("identity:my-evidence", args=[selfie.pk])).status_code == 200


def test_phone_support_cannot_add_a_selfie_for_the_person_on_the_page(client, open_case, helping):
    page = client.get(reverse("identity:check-selfie"))
    html = page.content.decode()
    message = CheckRefused("selfie_by_person_only").message
    assert page.status_code == 200 and message in html and 'type="file"' not in html
    photo = SimpleUploadedFile("selfie.jpg", face_photos.selfie("hopper"), content_type="image/jpeg")
    response = client.post(reverse("identity:check-selfie"), {"photo": photo})
    assert response.status_code == 403 and message in response.content.decode()
    assert not open_case.images.filter(kind=SELFIE).exists()


def test_phone_support_cannot_add_a_selfie_for_the_person_through_the_api(support, person, open_case):
    client = api_client(support)
    code = assisted.issue_consent_code(person=person)
    client.post("/api/v1/support/sessions", {"person_id": person.pk, "consent_code": code}, format="json")
    client.credentials(HTTP_AUTHORIZATION=client._credentials["HTTP_AUTHORIZATION"], HTTP_ON_BEHALF_OF=str(person.pk))
    selfie = face_photos.selfie("hopper")
    response = client.post("/api/v1/identity/case/selfie", {"photo": io.BytesIO(selfie)}, format="multipart")
    assert response.status_code == 403
    assert response.json()["error"] == {
        "code": "selfie_by_person_only",
        "message": CheckRefused("selfie_by_person_only").message,
    }
    assert not open_case.images.filter(kind=SELFIE).exists()
    _selfie_for(open_case)
    case = client.get("/api/v1/identity/case").json()
    assert case["steps"]["selfie"] is True and "evidence" not in str(case)


def test_the_selfie_is_deleted_with_the_rest_of_the_evidence(waiting_case, settings):
    selfie = _selfie_for(waiting_case)
    decided_at = timezone.now() - timedelta(days=settings.EVIDENCE_RETENTION_DAYS + 1)
    IdentityCase.objects.filter(pk=waiting_case.pk).update(status="verified", decided_at=decided_at)
    assert cases.delete_expired_evidence() == 2  # the document photo and the selfie
    selfie.refresh_from_db()
    assert selfie.deleted_at is not None and not selfie.file
