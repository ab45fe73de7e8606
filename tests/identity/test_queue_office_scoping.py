"""Identity checks are worked by the registrars of the office they belong to: another office's
case is not in the identity queue or the shared registrar queue, its page and photos are a 404,
and `decide_case` refuses it. A case no office could be found for is open to every registrar."""

from __future__ import annotations

import pytest
from django.urls import reverse

from identity import cases, roles, selectors
from identity.models import AuditEntry, CaseDecision, IdentityCase
from identity.refusals import DecisionRefused
from registrar.case_selectors import case_queue
from tests.factories import StaffFactory, record_checks, submit_passport_check

pytestmark = pytest.mark.django_db


@pytest.fixture
def manchester_case(manchester):
    case = submit_passport_check(postcode="M1 1AA")
    assert case.status == "with_registrar" and case.office == manchester
    return case


@pytest.fixture
def unplaced_case(leeds):
    """A case whose postcode gave no office."""
    case = submit_passport_check(postcode="LS1 3AD")
    IdentityCase.objects.filter(pk=case.pk).update(office=None)
    case.refresh_from_db()
    return case


@pytest.fixture
def manchester_registrar(manchester):
    staff = StaffFactory(roles=[roles.REGISTRAR])
    staff.offices.add(manchester)
    return staff


def test_the_identity_queue_lists_only_my_offices_cases(client, registrar, waiting_case, manchester_case):
    html = client.get(reverse("identity:staff-identity-queue")).content.decode()
    assert waiting_case.reference in html
    assert manchester_case.reference not in html and "Manchester Register Office" not in html


def test_the_queue_cannot_be_filtered_to_another_office(client, registrar, manchester_case):
    response = client.get(reverse("identity:staff-identity-queue"), {"office": "E-MANCHESTER"})
    assert response.status_code == 400 and manchester_case.reference not in response.content.decode()


def test_another_offices_case_page_and_photos_are_a_404(client, registrar, manchester_case):
    url = reverse("identity:staff-identity-case", args=[manchester_case.reference])
    assert client.get(url).status_code == 404
    assert client.post(url, {"outcome": "accept", "reason": "Looks fine"}).status_code == 404
    image = manchester_case.images.get()
    evidence = reverse("identity:staff-evidence", args=[manchester_case.reference, image.pk])
    assert client.get(evidence).status_code == 404
    assert IdentityCase.objects.get(pk=manchester_case.pk).status == "with_registrar"
    assert not AuditEntry.objects.filter(object_id__in=[manchester_case.reference, str(image.pk)]).exists()


def test_decide_case_refuses_a_registrar_of_another_office(leeds, manchester_case):
    leeds_registrar = StaffFactory(roles=[roles.REGISTRAR])
    leeds_registrar.offices.add(leeds)
    with pytest.raises(DecisionRefused) as refused:
        cases.decide_case(case=manchester_case, actor=leeds_registrar, outcome="accept", reason="Looks fine")
    assert refused.value.code == "other_office" and refused.value.status == 404
    assert IdentityCase.objects.get(pk=manchester_case.pk).status == "with_registrar"
    assert not CaseDecision.objects.exists()


@pytest.mark.parametrize("role", [roles.PHONE_SUPPORT, roles.SERVICE_ADMIN, roles.REGISTRAR_GENERAL])
def test_decide_case_refuses_staff_who_do_not_work_identity_cases(manchester, manchester_case, role):
    staff = StaffFactory(roles=[role])
    staff.offices.add(manchester)
    with pytest.raises(DecisionRefused) as refused:
        cases.decide_case(case=manchester_case, actor=staff, outcome="accept", reason="Looks fine")
    assert refused.value.code == "not_allowed" and refused.value.status == 403
    assert not CaseDecision.objects.exists()


def test_the_offices_own_registrar_decides_it(manchester_registrar, manchester_case):
    record_checks(manchester_case, "trained_comparison", provider="Registrar")
    decided = cases.decide_case(case=manchester_case, actor=manchester_registrar, outcome="accept", reason="Seen")
    assert decided.status == "verified"
    assert CaseDecision.objects.get().decided_by == manchester_registrar


def test_the_shared_registrar_queue_lists_only_my_offices_identity_cases(
    client, registrar, waiting_case, manchester_case
):
    html = client.get(reverse("registrar-staff:queue")).content.decode()
    assert waiting_case.reference in html and manchester_case.reference not in html


def test_both_queues_list_identity_cases_from_one_selector(
    registrar, manchester_registrar, waiting_case, manchester_case, unplaced_case
):
    for staff in (registrar, manchester_registrar):
        shared = [item.reference for item in case_queue(user=staff, kind="identity")]
        own = [case.reference for case in selectors.identity_queue(user=staff)]
        assert shared == own
    assert set(own) == {manchester_case.reference, unplaced_case.reference}


def test_a_case_with_no_office_is_open_to_every_registrar(client, registrar, manchester_registrar, unplaced_case):
    assert unplaced_case.reference in client.get(reverse("identity:staff-identity-queue")).content.decode()
    assert client.get(reverse("identity:staff-identity-case", args=[unplaced_case.reference])).status_code == 200
    # Accepting waits for a registrar to compare the person with their document.
    assert cases.decisions_open_to(case=unplaced_case, user=manchester_registrar) == ["reject", "more_evidence"]
    cases.decide_case(case=unplaced_case, actor=manchester_registrar, outcome="reject", reason="Not a UK address")
    assert IdentityCase.objects.get(pk=unplaced_case.pk).status == "rejected"


def test_national_roles_see_every_office(waiting_case, manchester_case):
    superuser = StaffFactory(is_superuser=True)
    references = {case.reference for case in selectors.identity_queue(user=superuser)}
    assert references == {waiting_case.reference, manchester_case.reference}


def test_what_a_registrar_may_decide_now_follows_the_office_and_the_status(
    registrar, manchester_registrar, waiting_case
):
    record_checks(waiting_case, "trained_comparison", provider="Registrar")
    assert cases.decisions_open_to(case=waiting_case, user=registrar) == ["accept", "reject", "more_evidence"]
    assert cases.decisions_open_to(case=waiting_case, user=manchester_registrar) == []
    cases.decide_case(case=waiting_case, actor=registrar, outcome="accept", reason="Seen")
    assert cases.decisions_open_to(case=IdentityCase.objects.get(pk=waiting_case.pk), user=registrar) == []


def test_the_case_page_offers_a_decision_only_while_one_can_be_made(client, registrar, waiting_case):
    url = reverse("identity:staff-identity-case", args=[waiting_case.reference])
    assert "Record decision" in client.get(url).content.decode()
    client.post(url, {"outcome": "reject", "reason": "Seen"})
    assert "Record decision" not in client.get(url).content.decode()
