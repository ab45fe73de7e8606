"""Registering a birth through the services: automatic registration when every rule is met,
registrar cases with reason codes otherwise, the entry's particulars and index line, the
registrar's `register_registration`, deduplication and the late bands."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from core.places import registration_district_for
from identity.models import AuditEntry, OutboundMessage
from registrar import answers, services
from registrar.models import IndexName, RegisterEntry, Registration
from registrar.selectors import likely_duplicates
from tests.factories import (
    StaffFactory,
    UserFactory,
    birth_answers,
    make_real_offices,
    make_registration,
    submit_as_informant,
    verify_identity,
)

pytestmark = pytest.mark.django_db

BIRTH_PARTICULARS = {
    "child_forenames",
    "child_surname",
    "sex",
    "date_of_birth",
    "time_of_birth",
    "place_of_birth",
    "multiple_birth",
    "mother_forenames",
    "mother_surname",
    "mother_maiden_surname",
    "mother_place_of_birth",
    "mother_occupation",
    "mother_address",
    "father_forenames",
    "father_surname",
    "father_place_of_birth",
    "father_occupation",
    "informant_name",
    "informant_qualification",
    "informant_address",
}


def test_a_complete_in_time_birth_by_a_verified_mother_is_registered_at_once(
    offices, mother, django_capture_on_commit_callbacks
):
    registration = make_registration(informant=mother)
    with django_capture_on_commit_callbacks(execute=True):
        registration = submit_as_informant(registration)
    assert registration.status == Registration.Status.REGISTERED
    assert registration.decided_at is not None
    entry = registration.entry
    assert entry.registered_automatically and entry.registered_by is None
    assert entry.district.code == "E-LEEDS"
    assert entry.event == "birth" and entry.number == 1
    assert set(entry.particulars) == BIRTH_PARTICULARS
    assert entry.particulars["child_forenames"] == "Olivia Rose"
    assert entry.particulars["father_surname"] == "Hartley"
    assert entry.particulars["informant_qualification"] == "Mother"
    line = IndexName.objects.get(entry=entry)
    assert (line.surname, line.forenames, line.other_surname) == ("Hartley", "Olivia Rose", "Clarke")
    message = OutboundMessage.objects.get(key=f"registration:{registration.reference}:registered")
    assert entry.entry_reference in message.body and message.to == "emma@example.com"


def test_an_automatic_registration_tells_subscribed_integrators(offices, mother, django_capture_on_commit_callbacks):
    from registrar.models import RegisterEvent, WebhookDelivery, WebhookSubscription

    WebhookSubscription.objects.create(
        integrator="HMRC", url="https://hmrc.example/hook", secret="s" * 40, events=["registered"], active=True
    )
    registration = make_registration(informant=mother)
    with django_capture_on_commit_callbacks(execute=False):
        registration = submit_as_informant(registration)
    event = RegisterEvent.objects.get(entry=registration.entry)
    assert event.kind == "registered"
    assert WebhookDelivery.objects.filter(event=event, subscription__integrator="HMRC").count() == 1


def test_an_unverified_informant_completes_the_journey_and_it_becomes_a_registrar_case(offices):
    registration = make_registration(informant=UserFactory())
    registration = submit_as_informant(registration)
    assert registration.status == Registration.Status.WITH_REGISTRAR
    assert registration.reasons == ["identity_not_verified"]
    assert not RegisterEntry.objects.exists()


def test_a_registrar_may_register_without_a_verified_identity_and_is_audited(offices):
    registration = submit_as_informant(make_registration(informant=UserFactory()))
    registrar = StaffFactory(roles=["Registrar"])
    entry = services.register_registration(registration=registration, actor=registrar)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REGISTERED
    assert entry.registered_by == registrar and not entry.registered_automatically
    assert AuditEntry.objects.filter(action="register.entry_written", actor=registrar).exists()


def test_automatic_registration_refuses_an_unverified_identity(offices):
    registration = make_registration(informant=UserFactory(), status=Registration.Status.WITH_REGISTRAR)
    with pytest.raises(services.RegistrationRefused) as refused:
        services.register_registration(registration=registration, actor=None)
    assert refused.value.reason == "identity_not_verified"


def test_registering_twice_is_refused_and_writes_nothing_more(offices, mother):
    registration = submit_as_informant(make_registration(informant=mother))
    with pytest.raises(services.RegistrationRefused) as refused:
        services.register_registration(registration=registration, actor=StaffFactory(roles=["Registrar"]))
    assert refused.value.reason == "already_registered"
    assert RegisterEntry.objects.count() == 1


@pytest.mark.parametrize("status", [Registration.Status.REJECTED, Registration.Status.WITHDRAWN])
def test_a_closed_registration_is_not_registered(offices, mother, status):
    registration = make_registration(informant=mother, status=status)
    with pytest.raises(services.RegistrationRefused) as refused:
        services.register_registration(registration=registration, actor=StaffFactory(roles=["Registrar"]))
    assert refused.value.reason == "not_open"


def test_a_registrar_cannot_register_their_own_registration(offices):
    registrar = StaffFactory(roles=["Registrar"])
    registration = make_registration(informant=registrar, status=Registration.Status.WITH_REGISTRAR)
    with pytest.raises(services.RegistrationRefused) as refused:
        services.register_registration(registration=registration, actor=registrar)
    assert refused.value.reason == "own_registration"


def test_an_incomplete_registration_cannot_be_sent_and_keeps_its_answers(offices, mother):
    registration = make_registration(informant=mother, answers=birth_answers(mother=None))
    before = dict(registration.answers)
    with pytest.raises(services.RegistrationRefused) as refused:
        submit_as_informant(registration)
    assert refused.value.reason == "incomplete" and refused.value.params["steps"][0] == "mother"
    registration.refresh_from_db()
    assert registration.answers == before and registration.status == Registration.Status.DRAFT


def test_changing_an_answer_after_the_declaration_asks_for_it_again(offices, mother):
    registration = make_registration(informant=mother)
    registration = services.save_answers(
        registration=registration, step="child", values={**registration.answers["child"], "forenames": "Ava"}
    )
    assert "declaration" not in registration.answers
    assert answers.next_step(registration) == "declaration"


def test_saving_answers_works_out_the_district_date_and_deadline(offices, mother):
    registration = services.start_registration(informant=mother, event="birth")
    born = timezone.localdate() - timedelta(days=3)
    registration = services.save_answers(
        registration=registration, step="child", values={**birth_answers(born)["child"], "date_of_birth": born}
    )
    registration = services.save_answers(registration=registration, step="place", values=birth_answers()["place"])
    assert registration.event_date == born
    assert registration.deadline == born + timedelta(days=42)
    assert registration.district.code == "E-LEEDS"
    assert registration.answers["child"]["date_of_birth"] == born.isoformat()


def test_a_sent_registration_cannot_be_changed(offices, mother):
    registration = submit_as_informant(make_registration(informant=UserFactory()))
    with pytest.raises(services.RegistrationRefused) as refused:
        services.save_answers(registration=registration, step="child", values={"forenames": "Changed"})
    assert refused.value.reason == "not_editable"


def test_the_district_is_the_nearest_office_of_the_local_authority_else_the_nearest_office(offices):
    assert registration_district_for("ls1 4ap").code == "E-LEEDS"
    assert registration_district_for("LS25 6XX").code == "E-SELBYTEST"  # Leeds, nearer Garforth
    assert registration_district_for("LS6 2AB").code == "E-LEEDS"
    # Tadcaster is in North Yorkshire, which has no office here: the nearest office.
    assert registration_district_for("LS24 9ZZ").code == "E-SELBYTEST"
    assert registration_district_for("EH1 1AA") is None  # Scotland keeps its own registers
    assert registration_district_for("not a postcode") is None


def test_a_birth_in_central_london_is_registered_in_westminster_not_warrington(mother):
    make_real_offices("E-WESTMINSTER", "E-WARRINGTON", "E-LEEDS")
    place = {"place_type": "home", "address": "Broadcasting House, Portland Place", "postcode": "W1A 1AA"}
    registration = make_registration(informant=mother, answers=birth_answers(place=place))
    assert registration.district.code == "E-WESTMINSTER"


def test_an_unknown_district_sends_it_to_a_registrar(offices, mother):
    place = {"place_type": "hospital", "place_name": "Royal Infirmary of Edinburgh", "postcode": "EH16 4SA"}
    registration = make_registration(informant=mother, answers=birth_answers(place=place))
    assert registration.district is None
    registration = submit_as_informant(registration)
    assert registration.status == Registration.Status.WITH_REGISTRAR
    assert "district_unknown" in registration.reasons


# --- Late bands -------------------------------------------------------------------------------------


def _registered_on(days_after_birth: int, mother, **extra):
    born = timezone.localdate() - timedelta(days=days_after_birth)
    sections = {"late_reason": {"reason": "The baby was in intensive care"}} if days_after_birth > 42 else {}
    registration = make_registration(informant=mother, answers=birth_answers(born, **sections, **extra))
    return submit_as_informant(registration)


def test_registered_on_day_42_is_in_time_and_automatic(offices, mother):
    registration = _registered_on(42, mother)
    assert registration.status == Registration.Status.REGISTERED
    assert "late_reason" not in answers.missing_steps(registration)


def test_day_43_needs_a_reason_for_lateness(offices, mother):
    born = timezone.localdate() - timedelta(days=43)
    registration = make_registration(informant=mother, answers=birth_answers(born))
    assert answers.missing_steps(registration) == ["late_reason"]
    with pytest.raises(services.RegistrationRefused):
        submit_as_informant(registration)


def test_late_with_a_reason_within_3_months_is_still_registered_automatically(offices, mother):
    registration = _registered_on(80, mother)
    assert registration.status == Registration.Status.REGISTERED
    assert not registration.entry.late_authority


def test_three_to_twelve_months_late_is_the_registrars_special_procedure(offices, mother):
    registration = _registered_on(120, mother)
    assert registration.status == Registration.Status.WITH_REGISTRAR
    assert registration.reasons == ["late_special_procedure"]


def test_over_twelve_months_waits_for_the_registrar_generals_authority(offices, mother):
    registration = _registered_on(400, mother)
    assert registration.status == Registration.Status.AWAITING_AUTHORITY
    assert registration.reasons == ["late_needs_authority"]
    entry = services.register_registration(registration=registration, actor=StaffFactory(roles=["Registrar"]))
    assert entry.late_authority


def test_the_day_after_the_12_month_anniversary_needs_authority(offices, mother):
    with time_machine.travel("2027-01-11 12:00:00+00:00", tick=False):
        born = timezone.localdate().replace(year=2026, month=1, day=10)
        registration = make_registration(
            informant=mother, answers=birth_answers(born, late_reason={"reason": "Abroad"})
        )
        assert submit_as_informant(registration).reasons == ["late_needs_authority"]
    with time_machine.travel("2027-01-10 12:00:00+00:00", tick=False):
        born = timezone.localdate().replace(year=2026, month=1, day=10)
        registration = make_registration(
            informant=mother, answers=birth_answers(born, late_reason={"reason": "Abroad"}, mother={"surname": "Other"})
        )
        assert submit_as_informant(registration).reasons == ["late_special_procedure"]


# --- Informants ---------------------------------------------------------------------------------------


def test_a_married_father_registers_alone_and_is_the_informant(offices):
    father = UserFactory()
    verify_identity(father)
    registration = make_registration(
        informant=father, answers=birth_answers(informant={"qualification": "parent_married"})
    )
    registration = submit_as_informant(registration)
    assert registration.status == Registration.Status.REGISTERED
    particulars = registration.entry.particulars
    assert particulars["informant_name"] == "Daniel Hartley"
    assert particulars["informant_qualification"] == "Father"


@pytest.mark.parametrize(
    ("qualification", "in_register"),
    [
        ("occupier", "Occupier"),
        ("present_at_birth", "Present at the birth"),
        ("responsible_for_child", "Person responsible for the child"),
    ],
)
def test_other_informants_register_when_the_parents_cannot(offices, qualification, in_register):
    person = UserFactory()
    verify_identity(person)
    registration = make_registration(
        informant=person,
        answers=birth_answers(
            informant={"qualification": qualification, "parents_unable": True},
            informant_details={
                "full_name": "Grace Okafor",
                "address": "Leeds General Infirmary",
                "postcode": "LS1 3EX",
            },
        ),
    )
    registration = submit_as_informant(registration)
    assert registration.status == Registration.Status.REGISTERED
    particulars = registration.entry.particulars
    assert particulars["informant_name"] == "Grace Okafor"
    assert particulars["informant_qualification"] == in_register


def test_an_unmarried_mother_registering_alone_leaves_the_father_out(offices, mother):
    registration = make_registration(
        informant=mother,
        answers=birth_answers(relationship={"parents_married": False, "register_jointly": False}),
    )
    assert "father" not in answers.missing_steps(registration)
    registration = submit_as_informant(registration)
    particulars = registration.entry.particulars
    assert particulars["father_forenames"] == "" and particulars["father_surname"] == ""


# --- Duplicates ---------------------------------------------------------------------------------------


def test_the_same_mothers_birth_within_5_days_is_a_likely_duplicate(offices, mother):
    first = submit_as_informant(make_registration(informant=mother))
    assert first.status == Registration.Status.REGISTERED
    born = first.event_date + timedelta(days=5)
    second = make_registration(informant=UserFactory(), answers=birth_answers(born))
    verify_identity(second.informant)
    assert likely_duplicates(second) == [first.entry.entry_reference]
    second = submit_as_informant(second)
    assert second.status == Registration.Status.WITH_REGISTRAR
    assert second.reasons == ["possible_duplicate"]


def test_six_days_apart_is_not_a_duplicate(offices, mother):
    first = submit_as_informant(make_registration(informant=mother))
    born = first.event_date - timedelta(days=6)
    second = make_registration(informant=mother, answers=birth_answers(born, late_reason={"reason": "x"}))
    assert likely_duplicates(second) == []


def test_another_mother_on_the_same_day_is_not_a_duplicate(offices, mother):
    submit_as_informant(make_registration(informant=mother))
    other = make_registration(informant=mother, answers=birth_answers(mother={"forenames": "Sarah"}))
    assert likely_duplicates(other) == []


def test_an_open_registration_of_the_same_birth_is_a_duplicate_but_a_draft_is_not(offices, mother):
    draft = make_registration(informant=UserFactory())
    second = make_registration(informant=mother)
    assert likely_duplicates(second) == []
    sent = submit_as_informant(draft)
    assert sent.status == Registration.Status.WITH_REGISTRAR
    assert likely_duplicates(second) == [sent.reference]


def test_twins_are_not_duplicates_of_each_other_but_the_same_twin_is(offices, mother):
    twin = {"multiple_birth": True, "time_of_birth": "04:35"}
    first = submit_as_informant(make_registration(informant=mother, answers=birth_answers(child=twin)))
    assert first.status == Registration.Status.REGISTERED
    other_twin = make_registration(
        informant=mother, answers=birth_answers(child={**twin, "forenames": "Isla Mae", "time_of_birth": "04:51"})
    )
    assert likely_duplicates(other_twin) == []
    same_twin = make_registration(informant=mother, answers=birth_answers(child=twin))
    assert likely_duplicates(same_twin) == [first.entry.entry_reference]


def test_the_entry_fields_match_the_write_entry_contract(offices, mother):
    registration = make_registration(informant=mother)
    fields = answers.entry_fields(registration)
    assert set(fields) == {"event_date", "surname", "forenames", "particulars", "index_lines"}
    assert fields["event_date"] == registration.event_date
    assert set(fields["particulars"]) == BIRTH_PARTICULARS


def test_answers_sent_again_after_a_registrar_asked_go_back_to_the_registrar(offices, mother):
    registration = make_registration(informant=mother, status=Registration.Status.INFORMATION_REQUESTED)
    registration = services.save_answers(
        registration=registration, step="child", values={**registration.answers["child"], "forenames": "Ava"}
    )
    registration = submit_as_informant(registration)
    assert registration.status == Registration.Status.WITH_REGISTRAR
    assert not RegisterEntry.objects.exists()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_parallel_submissions_write_one_entry_on_postgres(offices, mother):
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    registration = make_registration(informant=mother)

    def submit(_):
        try:
            return submit_as_informant(registration).status
        except services.RegistrationRefused as refused:
            return refused.reason
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(submit, range(4)))
    assert sorted(outcomes) == ["not_editable"] * 3 + [Registration.Status.REGISTERED]
    assert RegisterEntry.objects.filter(registration=registration).count() == 1


def test_duplicates_read_only_names_so_the_queries_do_not_grow_with_the_births_in_the_window(
    offices, mother, django_assert_num_queries
):
    first = submit_as_informant(make_registration(informant=mother))
    for forenames in ("Sarah", "Priya", "Megan"):
        submit_as_informant(make_registration(informant=mother, answers=birth_answers(mother={"forenames": forenames})))
    open_one = make_registration(informant=UserFactory(), answers=birth_answers(mother={"forenames": "Olwen"}))
    verify_identity(open_one.informant)
    submit_as_informant(open_one)
    second = make_registration(informant=UserFactory())
    # The names of every entry and sent registration in the window, the matched entries' rows,
    # and the registrations: three queries however many births there are.
    with django_assert_num_queries(3):
        found = likely_duplicates(second)
    assert found == [first.entry.entry_reference]
