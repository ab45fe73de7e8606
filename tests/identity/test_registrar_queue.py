"""The registrar's identity queue: who may see it, filters, the case page with evidence, the
three decisions, and an audit entry for every view and action. Office scoping is in
test_queue_office_scoping."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from identity import cases, roles
from identity.models import AuditEntry, CaseDecision, IdentityCase, OutboundMessage
from tests.factories import RegisterOfficeFactory, StaffFactory, UserFactory, record_checks

pytestmark = pytest.mark.django_db


def test_queue_lists_waiting_cases_and_is_audited(client, registrar, waiting_case):
    assert waiting_case.status == "with_registrar" and waiting_case.office.code == "E-LEEDS"
    page = client.get(reverse("identity:staff-identity-queue"))
    assert page.status_code == 200 and waiting_case.reference in page.content.decode()
    assert AuditEntry.objects.filter(action="identity_queue.viewed", actor=registrar).exists()


def test_queue_filters_by_office_and_reason(client, registrar, waiting_case):
    url = reverse("identity:staff-identity-queue")
    assert waiting_case.reference in client.get(url, {"office": "E-LEEDS"}).content.decode()
    registrar.offices.add(RegisterOfficeFactory(code="W-CARDIFF", name="Cardiff", postcode="CF10 4UW"))
    assert waiting_case.reference not in client.get(url, {"office": "W-CARDIFF"}).content.decode()
    assert waiting_case.reference not in client.get(url, {"reason": "fraud_image_reused"}).content.decode()


@pytest.mark.parametrize("query", [{"office": "NOPE"}, {"older_than_days": "abc"}, {"older_than_days": "-1"}])
def test_bad_filters_are_a_400_not_a_crash(client, registrar, waiting_case, query):
    response = client.get(reverse("identity:staff-identity-queue"), query)
    assert response.status_code == 400 and "govuk-error-message" in response.content.decode()


def test_case_page_shows_evidence_and_every_view_is_audited(client, registrar, waiting_case):
    page = client.get(reverse("identity:staff-identity-case", args=[waiting_case.reference]))
    html = page.content.decode()
    assert "Morgan" in html and "Person matched to the identity" in html
    image = waiting_case.images.get()
    assert reverse("identity:staff-evidence", args=[waiting_case.reference, image.pk]) in html
    response = client.get(reverse("identity:staff-evidence", args=[waiting_case.reference, image.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    actions = set(AuditEntry.objects.filter(actor=registrar).values_list("action", flat=True))
    assert {"identity_case.viewed", "identity_case.evidence_viewed"} <= actions
    assert AuditEntry.objects.filter(action="identity_case.viewed", subject=waiting_case.person).exists()


@pytest.mark.parametrize(
    "outcome, status, words",
    [
        ("accept", "verified", "has confirmed"),
        ("reject", "rejected", "could not confirm"),
        ("more_evidence", "more_evidence", "needs more evidence"),
    ],
)
def test_decisions_change_the_case_tell_the_person_and_are_audited(
    client, registrar, waiting_case, outcome, status, words
):
    record_checks(waiting_case, "trained_comparison", provider="Registrar")
    response = client.post(
        reverse("identity:staff-identity-case", args=[waiting_case.reference]),
        {"outcome": outcome, "reason": "Compared the photo with the document"},
    )
    assert response.status_code == 302
    waiting_case.refresh_from_db()
    assert waiting_case.status == status
    assert CaseDecision.objects.get(case=waiting_case).decided_by == registrar
    assert AuditEntry.objects.filter(action=f"identity_case.{outcome}", subject=waiting_case.person).exists()
    assert OutboundMessage.objects.filter(to=waiting_case.person.email, body__contains=words).exists()


def test_decision_needs_a_reason_and_a_choice(client, registrar, waiting_case):
    response = client.post(reverse("identity:staff-identity-case", args=[waiting_case.reference]), {})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Select a decision" in html and "Enter the reason for your decision" in html
    assert IdentityCase.objects.get(pk=waiting_case.pk).status == "with_registrar"


def test_a_case_is_decided_once(client, registrar, waiting_case):
    record_checks(waiting_case, "trained_comparison", provider="Registrar")
    url = reverse("identity:staff-identity-case", args=[waiting_case.reference])
    client.post(url, {"outcome": "accept", "reason": "ok"})
    response = client.post(url, {"outcome": "reject", "reason": "changed my mind"})
    assert response.status_code == 409 and "This case has already been decided" in response.content.decode()
    assert IdentityCase.objects.get(pk=waiting_case.pk).status == "verified"


def test_nobody_decides_their_own_case(waiting_case, leeds):
    person = waiting_case.person
    person.is_staff = True
    person.save()
    person.groups.set(Group.objects.filter(name=roles.REGISTRAR))
    person.offices.add(leeds)
    with pytest.raises(cases.DecisionRefused) as refused:
        cases.decide_case(case=waiting_case, actor=person, outcome="accept", reason="me")
    assert refused.value.code == "own_case" and refused.value.status == 403
    assert IdentityCase.objects.get(pk=waiting_case.pk).status == "with_registrar"


@pytest.mark.parametrize("role", [roles.PHONE_SUPPORT, roles.SERVICE_ADMIN])
def test_other_staff_roles_cannot_work_the_queue(client, sign_in_staff, waiting_case, role):
    sign_in_staff(client, StaffFactory(roles=[role]))
    assert client.get(reverse("identity:staff-identity-queue")).status_code == 403
    response = client.post(
        reverse("identity:staff-identity-case", args=[waiting_case.reference]), {"outcome": "accept", "reason": "x"}
    )
    assert response.status_code == 403
    image = waiting_case.images.get()
    assert client.get(reverse("identity:staff-evidence", args=[waiting_case.reference, image.pk])).status_code == 403


def test_citizens_cannot_reach_the_queue_or_other_peoples_photos(client, waiting_case):
    other = UserFactory()
    client.force_login(other)
    assert client.get(reverse("identity:staff-identity-queue")).status_code == 302
    image = waiting_case.images.get()
    assert client.get(reverse("identity:my-evidence", args=[image.pk])).status_code == 404
    client.force_login(waiting_case.person)
    assert client.get(reverse("identity:my-evidence", args=[image.pk])).status_code == 200


def test_unknown_case_is_404(client, registrar):
    assert client.get(reverse("identity:staff-identity-case", args=["ID-NOPE-NOPE"])).status_code == 404


def test_queue_page_query_count_does_not_grow_with_cases(
    client, registrar, waiting_case, django_assert_max_num_queries
):
    for _ in range(5):
        person = UserFactory()
        case = cases.open_case(person=person)
        cases.submit_case(case=case)
    with django_assert_max_num_queries(15):
        client.get(reverse("identity:staff-identity-queue"))


def test_accepting_needs_a_registrars_comparison_of_the_person_with_the_document(client, registrar, waiting_case):
    url = reverse("identity:staff-identity-case", args=[waiting_case.reference])
    assert cases.decisions_open_to(case=waiting_case, user=registrar) == ["reject", "more_evidence"]
    response = client.post(url, {"outcome": "accept", "reason": "The photos look right"})
    assert response.status_code == 409
    assert "Compare the person with their document" in response.content.decode()
    assert IdentityCase.objects.get(pk=waiting_case.pk).status == "with_registrar"
    record_checks(waiting_case, "trained_comparison", provider="Registrar")
    assert cases.decisions_open_to(case=waiting_case, user=registrar)[0] == "accept"
