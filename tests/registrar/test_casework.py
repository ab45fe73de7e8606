"""Registrar decisions as services: assignment, reject, ask for information and the answer,
escalation to the Registrar General and their authority or refusal, register (through the
citizen side's service), corrections; nobody decides about themselves; a second decision on a
decided case is refused; every action is audited with the informant as subject."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from identity import roles
from identity.models import AuditEntry, OutboundMessage
from registrar import casework
from registrar.case_selectors import late_authority_given, needs_registrar_generals_authority
from registrar.models import CaseAction, EntryCorrection, RegisterEvent, Registration
from tests.factories import RegisterOfficeFactory, RegistrationFactory, StaffFactory, UserFactory, make_entry

pytestmark = pytest.mark.django_db


def _late(office, **extra):
    born = timezone.localdate() - datetime.timedelta(days=500)
    return RegistrationFactory(district=office, event_date=born, deadline=born + datetime.timedelta(days=42), **extra)


def test_reject_records_the_reason_tells_the_person_and_audits_with_the_informant_as_subject(registrar, waiting):
    casework.decide(registration=waiting, actor=registrar, decision="reject", reason="The child was born in Bradford")
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.REJECTED and waiting.decided_at is not None
    action = CaseAction.objects.get(registration=waiting)
    assert action.kind == "rejected" and action.text == "The child was born in Bradford" and action.actor == registrar
    message = OutboundMessage.objects.get(to=waiting.informant.email)
    assert "Bradford" in message.body
    audit = AuditEntry.objects.get(action="registration_case.rejected")
    assert audit.subject == waiting.informant and audit.actor == registrar and audit.object_id == waiting.reference


def test_a_second_decision_on_a_decided_case_is_refused(registrar, waiting):
    casework.decide(registration=waiting, actor=registrar, decision="reject", reason="Wrong district")
    with pytest.raises(casework.CaseRefused) as refused:
        casework.decide(registration=waiting, actor=registrar, decision="reject", reason="Wrong district")
    assert refused.value.reason == "already_decided"
    with pytest.raises(casework.CaseRefused):
        casework.decide(registration=waiting, actor=registrar, decision="request_information", reason="Which hospital?")
    assert CaseAction.objects.filter(registration=waiting).count() == 1


def test_nobody_decides_a_case_about_themselves(office):
    staff = StaffFactory(roles=[roles.REGISTRAR])
    staff.offices.add(office)
    own = RegistrationFactory(district=office, informant=staff)
    named = RegistrationFactory(district=office, answers={"second_parent_email": staff.email.upper()})
    for registration in (own, named):
        with pytest.raises(casework.CaseRefused) as refused:
            casework.decide(registration=registration, actor=staff, decision="reject", reason="No")
        assert refused.value.reason == "own_case"
        assert casework.decisions_open_to(staff, registration) == []
    own.refresh_from_db()
    assert own.status == Registration.Status.WITH_REGISTRAR


def test_a_registrar_of_another_office_cannot_decide(waiting):
    elsewhere = StaffFactory(roles=[roles.REGISTRAR])
    elsewhere.offices.add(RegisterOfficeFactory(code="W-CARDIFF"))
    with pytest.raises(casework.CaseRefused) as refused:
        casework.decide(registration=waiting, actor=elsewhere, decision="reject", reason="No")
    assert refused.value.reason == "other_office"


@pytest.mark.parametrize("role", [roles.PHONE_SUPPORT, roles.SERVICE_ADMIN])
def test_staff_without_casework_permission_cannot_decide(role, office, waiting):
    staff = StaffFactory(roles=[role])
    staff.offices.add(office)
    with pytest.raises(casework.CaseRefused) as refused:
        casework.decide(registration=waiting, actor=staff, decision="reject", reason="No")
    assert refused.value.reason == "not_allowed"


def test_reasons_are_required_for_every_decision_but_registering(registrar, waiting):
    for decision in ("reject", "escalate", "request_information"):
        with pytest.raises(casework.CaseRefused) as refused:
            casework.decide(registration=waiting, actor=registrar, decision=decision, reason="   ")
        assert refused.value.reason == "reason_required"


def test_asking_for_information_leaves_the_queue_until_the_person_answers(registrar, waiting):
    casework.decide(
        registration=waiting, actor=registrar, decision="request_information", reason="Which hospital was it?"
    )
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.INFORMATION_REQUESTED
    assert casework.open_question(waiting).text == "Which hospital was it?"
    assert "Which hospital was it?" in OutboundMessage.objects.get(to=waiting.informant.email).body
    with pytest.raises(casework.CaseRefused) as refused:
        casework.answer_information_request(registration=waiting, person=UserFactory(), text="St James's")
    assert refused.value.reason == "not_yours"
    with pytest.raises(casework.CaseRefused) as refused:
        casework.answer_information_request(registration=waiting, person=waiting.informant, text="  ")
    assert refused.value.reason == "answer_required"
    casework.answer_information_request(registration=waiting, person=waiting.informant, text="St James's, Leeds")
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.WITH_REGISTRAR and casework.open_question(waiting) is None
    assert waiting.case_actions.last().kind == "information_given"
    with pytest.raises(casework.CaseRefused) as refused:
        casework.answer_information_request(registration=waiting, person=waiting.informant, text="Again")
    assert refused.value.reason == "no_question"


def test_assign_to_me_and_to_a_colleague_in_the_office_only(office, registrar, waiting):
    casework.assign_case(registration=waiting, assignee=registrar, actor=registrar)
    colleague = StaffFactory(roles=[roles.SUPERINTENDENT_REGISTRAR])
    colleague.offices.add(office)
    casework.assign_case(registration=waiting, assignee=colleague, actor=registrar)
    waiting.refresh_from_db()
    assert waiting.assigned_to == colleague
    stranger = StaffFactory(roles=[roles.REGISTRAR])
    stranger.offices.add(RegisterOfficeFactory(code="W-CARDIFF"))
    support = StaffFactory(roles=[roles.PHONE_SUPPORT])
    support.offices.add(office)
    for assignee in (stranger, support, waiting.informant):
        with pytest.raises(casework.CaseRefused) as refused:
            casework.assign_case(registration=waiting, assignee=assignee, actor=registrar)
        assert refused.value.reason == "assignee_not_in_office"
    assert AuditEntry.objects.filter(action="registration_case.assigned", subject=waiting.informant).count() == 2


def test_late_registrations_need_the_registrar_generals_authority(office, registrar, general):
    late = _late(office)
    assert needs_registrar_generals_authority(late) and not late_authority_given(late)
    assert casework.decisions_open_to(registrar, late) == ["escalate", "request_information", "reject"]
    with pytest.raises(casework.CaseRefused) as refused:
        casework.register_case(registration=late, actor=registrar)
    assert refused.value.reason == "authority_needed"
    casework.decide(registration=late, actor=registrar, decision="escalate", reason="Born 500 days ago")
    late.refresh_from_db()
    assert late.status == Registration.Status.AWAITING_AUTHORITY
    # A registrar cannot give the authority; the Registrar General's office can.
    with pytest.raises(casework.CaseRefused) as refused:
        casework.decide(registration=late, actor=registrar, decision="authorise", reason="ok")
    assert refused.value.reason == "not_allowed"
    assert casework.decisions_open_to(general, late) == ["authorise", "refuse_authority"]
    casework.decide(registration=late, actor=general, decision="authorise", reason="Hospital records seen")
    late.refresh_from_db()
    assert late.status == Registration.Status.WITH_REGISTRAR and late_authority_given(late)
    assert casework.decisions_open_to(registrar, late)[0] == "register"
    assert AuditEntry.objects.filter(action="registration_case.authority_given", actor=general).exists()


def test_refused_authority_rejects_and_tells_the_person(office, registrar, general):
    late = _late(office, status=Registration.Status.AWAITING_AUTHORITY)
    casework.decide(registration=late, actor=general, decision="refuse_authority", reason="No evidence of the birth")
    late.refresh_from_db()
    assert late.status == Registration.Status.REJECTED
    assert "No evidence of the birth" in OutboundMessage.objects.get(to=late.informant.email).body


def test_only_late_registrations_can_be_escalated(registrar, waiting):
    with pytest.raises(casework.CaseRefused) as refused:
        casework.decide(registration=waiting, actor=registrar, decision="escalate", reason="Just in case")
    assert refused.value.reason == "not_late"


def test_registering_without_authority_is_refused_before_any_entry_is_written(office, registrar):
    late = _late(office)
    with pytest.raises(casework.CaseRefused) as refused:
        casework.register_case(registration=late, actor=registrar)
    assert refused.value.reason == "authority_needed"
    assert not RegisterEvent.objects.exists()


def test_a_death_held_by_the_coroner_cannot_be_registered(office, registrar):
    held = RegistrationFactory(district=office, event="death", status=Registration.Status.BLOCKED_BY_CORONER)
    assert casework.decisions_open_to(registrar, held) == ["reject"]
    with pytest.raises(casework.CaseRefused) as refused:
        casework.register_case(registration=held, actor=registrar)
    assert refused.value.reason == "not_ready_blocked_by_coroner"


def test_register_writes_the_entry_and_publishes_registered_once(registrar, waiting):
    entry = casework.register_case(registration=waiting, actor=registrar)
    waiting.refresh_from_db()
    assert entry.registration == waiting and waiting.status == Registration.Status.REGISTERED
    assert RegisterEvent.objects.filter(kind="registered", entry=entry).count() == 1
    with pytest.raises(casework.CaseRefused) as refused:
        casework.register_case(registration=waiting, actor=registrar)
    assert refused.value.reason == "already_decided"


def test_a_correction_is_recorded_beside_the_entry_and_published(office, registrar):
    entry = make_entry(district=office)
    correction = casework.correct_entry(
        entry=entry,
        field="place_of_birth",
        new_value="St James's Hospital, Leeds",
        reason="Hospital named wrongly",
        evidence="Hospital birth notification seen",
        actor=registrar,
    )
    entry.refresh_from_db()
    assert entry.particulars["place_of_birth"] == "Leeds" and correction.old_value == "Leeds"
    event = RegisterEvent.objects.get(kind="corrected")
    assert event.correction == correction and '"new_value":"St James\'s Hospital, Leeds"' in event.body


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"field": "nope"}, "unknown_field"),
        ({"evidence": " "}, "reason_and_evidence_needed"),
        ({"new_value": "Leeds"}, "no_change"),
        ({"new_value": "  "}, "new_value_required"),
    ],
)
def test_bad_corrections_are_refused_and_nothing_is_written(office, registrar, changes, reason):
    entry = make_entry(district=office)
    arguments = {"field": "place_of_birth", "new_value": "York", "reason": "Typo", "evidence": "Seen", **changes}
    with pytest.raises(casework.CaseRefused) as refused:
        casework.correct_entry(entry=entry, actor=registrar, **arguments)
    assert refused.value.reason == reason
    assert not EntryCorrection.objects.exists() and not RegisterEvent.objects.exists()


def test_corrections_only_in_ones_own_offices(registrar):
    entry = make_entry(district=RegisterOfficeFactory(code="W-CARDIFF"))
    with pytest.raises(casework.CaseRefused) as refused:
        casework.correct_entry(
            entry=entry, field="place_of_birth", new_value="York", reason="r", evidence="e", actor=registrar
        )
    assert refused.value.reason == "other_office"


def test_a_status_change_applies_only_from_the_statuses_it_starts_from(waiting):
    stale = Registration.objects.get(pk=waiting.pk)
    assert waiting.move("reject") and waiting.status == Registration.Status.REJECTED
    # A second change made from an out-of-date copy loses the compare-and-swap and writes nothing.
    assert not stale.move("request_information")
    assert stale.status == Registration.Status.WITH_REGISTRAR
    stale.refresh_from_db()
    assert stale.status == Registration.Status.REJECTED and stale.decided_at is not None


@pytest.mark.parametrize("status", Registration.Status.values)
def test_the_decisions_offered_are_the_transitions_open_from_the_status(office, registrar, general, status):
    registration = RegistrationFactory(district=office, status=status)
    offered = casework.decisions_open_to(registrar, registration) + casework.decisions_open_to(general, registration)
    for name in offered:
        sources, _target = Registration.TRANSITIONS[casework.DECISIONS[name].transition]
        assert status in sources
    expected = {
        "with_registrar": {"register", "request_information", "reject"},
        "blocked_by_coroner": {"reject"},
        "awaiting_authority": {"authorise", "refuse_authority"},
    }
    assert set(offered) == expected.get(status, set())
