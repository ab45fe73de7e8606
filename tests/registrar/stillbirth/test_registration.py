"""A parent's stillbirth registration: matched to the medical certificate of stillbirth as a
death is to its MCCD, registered in the register of still-births (numbered, never indexed),
with the birth's informants, 42 days and late bands, the other parent's confirmation, a
nameless event for integrators and a count in the statistics."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from identity import roles
from identity.models import OutboundMessage as Message
from registrar import answers, casework, rules
from registrar.models import IndexName, RegisterEntry, RegisterEvent, Registration, StillbirthCertificate
from registrar.refusals import RegistrationRefused
from registrar.services import confirm_as_second_parent, register_registration, start_registration
from registrar.statistics import year_figures
from tests.factories import StaffFactory, UserFactory, make_registration, submit_as_informant, verify_identity
from tests.factories.stillbirth import StillbirthCertificateFactory, stillbirth_answers

pytestmark = pytest.mark.django_db


def _draft(informant, certificate, **sections):
    answers = stillbirth_answers(certificate, **sections)
    answers.pop("declaration")
    return make_registration(event="stillbirth", informant=informant, answers=answers)


def test_a_matching_registration_is_registered_at_once_in_the_register_of_still_births(mother, certificate):
    registration = submit_as_informant(_draft(mother, certificate))
    assert registration.status == Registration.Status.REGISTERED
    entry = registration.entry
    assert entry.event == "stillbirth" and entry.letter == "S"
    assert entry.entry_reference == f"E-LEEDS/S/{entry.year}/000001"
    assert entry.forenames == "Grace" and entry.surname == "Hartley"
    particulars = entry.particulars
    assert particulars["weeks_of_pregnancy"] == 31
    assert particulars["cause_of_death"] == "Placental abruption"
    assert particulars["certified_by"] == "Grace Okafor, midwife (12A3456E)"
    assert particulars["informant_qualification"] == "Mother"
    assert particulars["father_surname"] == "Hartley"


def test_still_birth_entries_are_numbered_in_their_own_register_and_never_indexed(mother, certificate, leeds):
    first = submit_as_informant(_draft(mother, certificate)).entry
    other = StillbirthCertificateFactory(district=leeds, mother_given_names="Priya", mother_surname="Shah")
    second_mother = UserFactory()
    verify_identity(second_mother)
    second = submit_as_informant(
        _draft(second_mother, other, mother={"forenames": "Priya", "surname": "Shah"}, name={"give_name": False})
    ).entry
    assert (first.number, second.number) == (1, 2)
    assert not IndexName.objects.filter(entry__in=[first, second]).exists()
    # An unnamed baby's entry is found by staff under the mother's surname.
    assert second.forenames == "" and second.surname == "Shah" and second.particulars["named"] is False


def test_the_baby_need_not_be_named(mother, certificate):
    registration = submit_as_informant(
        _draft(mother, certificate, name={"give_name": False, "forenames": "", "surname": ""})
    )
    assert registration.entry.particulars["child_forenames"] == ""
    assert registration.entry.particulars["named"] is False


@pytest.mark.parametrize(
    ("sections", "reason"),
    [
        ({"mother": {"surname": "Someone"}}, "stillbirth_mother_mismatch"),
        ({"baby": {"sex": "male"}}, "stillbirth_sex_mismatch"),
        ({"place": {"postcode": "LS25 1AA"}}, "stillbirth_district_mismatch"),
    ],
)
def test_answers_that_differ_from_the_certificate_go_to_a_registrar(mother, certificate, offices, sections, reason):
    registration = submit_as_informant(_draft(mother, certificate, **sections))
    assert registration.status == Registration.Status.WITH_REGISTRAR
    assert reason in registration.reasons
    assert not RegisterEntry.objects.exists()


def test_a_different_date_of_delivery_goes_to_a_registrar(mother, certificate):
    day = (certificate.delivered_on - timedelta(days=1)).isoformat()
    registration = submit_as_informant(_draft(mother, certificate, baby={"date_of_delivery": day}))
    assert "stillbirth_date_mismatch" in registration.reasons


def test_an_unknown_certificate_goes_to_a_registrar_who_cannot_register_it_without_one(mother, certificate, leeds):
    missing = StillbirthCertificateFactory.build(reference="MCS-NOT-SENT")
    registration = submit_as_informant(_draft(mother, missing))
    assert registration.status == Registration.Status.WITH_REGISTRAR
    assert registration.reasons == ["stillbirth_certificate_not_found"]
    registrar = StaffFactory(roles=[roles.REGISTRAR])
    registrar.offices.add(leeds)
    with pytest.raises(RegistrationRefused) as refused:
        register_registration(registration=registration, actor=registrar, transition="register_case")
    assert refused.value.code == "no_stillbirth_certificate"


def test_a_second_registration_from_the_same_certificate_is_a_likely_duplicate(mother, certificate):
    submit_as_informant(_draft(mother, certificate))
    again = submit_as_informant(_draft(mother, certificate))
    assert again.status == Registration.Status.WITH_REGISTRAR
    assert "possible_duplicate" in again.reasons


def test_the_deadline_is_42_days_from_the_delivery(mother, certificate, settings):
    registration = _draft(mother, certificate)
    assert registration.deadline == certificate.delivered_on + timedelta(days=42)
    settings.STILLBIRTH_DAYS = 30
    assert make_registration(
        event="stillbirth", informant=mother, answers=stillbirth_answers(certificate)
    ).deadline == certificate.delivered_on + timedelta(days=30)


def test_late_bands_are_those_of_births(mother, leeds):
    today = timezone.localdate()
    delivered = today - timedelta(days=60)
    certificate = StillbirthCertificateFactory(district=leeds, delivered_on=delivered)
    draft = _draft(mother, certificate)
    assert rules.lateness(event="stillbirth", event_date=delivered, deadline=draft.deadline, today=today) == rules.LATE
    assert "late_reason" in [step.name for step in answers.steps_for(draft)]
    with pytest.raises(RegistrationRefused) as refused:
        submit_as_informant(draft)
    assert refused.value.params["steps"] == ["late_reason"]
    four_months = rules.add_months(today, -4)
    assert (
        rules.lateness(
            event="stillbirth", event_date=four_months, deadline=four_months + timedelta(days=42), today=today
        )
        == rules.SPECIAL_PROCEDURE
    )


def test_four_months_late_goes_to_the_registrars_special_procedure(mother, leeds):
    delivered = rules.add_months(timezone.localdate(), -4)
    certificate = StillbirthCertificateFactory(district=leeds, delivered_on=delivered)
    registration = submit_as_informant(_draft(mother, certificate, late_reason={"reason": "We were not able to."}))
    assert registration.status == Registration.Status.WITH_REGISTRAR
    assert "late_special_procedure" in registration.reasons


def test_unmarried_parents_register_jointly_and_the_entry_waits_for_the_other_parent(mother, father, certificate):
    registration = _draft(
        mother,
        certificate,
        relationship={"parents_married": False, "register_jointly": True},
        second_parent={"channel": "email", "email": "daniel@example.com", "mobile": ""},
    )
    registration = submit_as_informant(registration)
    assert registration.status == Registration.Status.AWAITING_SECOND_PARENT
    invitation = Message.objects.get(to="daniel@example.com")
    assert "stillbirth" in invitation.body and "Grace" not in invitation.body
    registration = confirm_as_second_parent(registration=registration, person=father)
    assert registration.status == Registration.Status.REGISTERED
    assert registration.entry.particulars["informant_qualification"] == "Mother and father"


def test_an_unmarried_mother_registering_alone_names_no_father(mother, certificate):
    registration = _draft(mother, certificate, relationship={"parents_married": False, "register_jointly": False})
    entry = submit_as_informant(registration).entry
    assert entry.particulars["father_forenames"] == ""


def test_the_registered_event_carries_no_names(mother, certificate):
    entry = submit_as_informant(_draft(mother, certificate)).entry
    body = json.loads(RegisterEvent.objects.get(entry=entry).body)
    assert body["entry"]["event"] == "stillbirth"
    assert body["entry"]["surname"] == "" and body["entry"]["forenames"] == ""
    assert "Hartley" not in RegisterEvent.objects.get(entry=entry).body


def test_the_parent_is_told_gently_with_no_certificate_shop(mother, certificate):
    registration = submit_as_informant(_draft(mother, certificate))
    message = Message.objects.filter(to=mother.email).order_by("-id").first()
    assert registration.entry.entry_reference in message.body
    assert not re.search(r"\b(order|buy|congratulations)\b", message.body.lower())


def test_statistics_count_still_births(mother, certificate):
    with time_machine.travel(timezone.now(), tick=False):
        entry = submit_as_informant(_draft(mother, certificate)).entry
    figures = year_figures(entry.year)
    assert figures.totals["stillbirths"] == 1
    assert figures.totals["births"] == 0


def test_a_stillbirth_can_be_started_by_api_and_page_alike(mother):
    assert start_registration(informant=mother, event="stillbirth").event == "stillbirth"


def test_the_demo_certificate_is_made_once(offices, settings):
    settings.DEBUG = True
    call_command("load_stillbirth_demo_data")
    call_command("load_stillbirth_demo_data")
    certificate = StillbirthCertificate.objects.get(reference="MCS-DEMO-0001")
    assert certificate.district.code == "E-LEEDS"


def test_a_correction_event_names_the_particular_but_not_its_values(mother, certificate, leeds):
    entry = submit_as_informant(_draft(mother, certificate)).entry
    registrar = StaffFactory(roles=[roles.REGISTRAR])
    registrar.offices.add(leeds)
    casework.correct_entry(
        entry=entry,
        actor=registrar,
        field="child_forenames",
        new_value="Grace Rose",
        reason="The parents asked",
        evidence="Mother's statement seen",
    )
    body = RegisterEvent.objects.get(entry=entry, kind="corrected").body
    assert json.loads(body)["correction"]["field"] == "child_forenames"
    assert "Grace" not in body and "Hartley" not in body
