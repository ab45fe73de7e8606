"""The one compare-and-swap status change (`core.status.StatusMachine`): a move allowed from the
row's status writes it and its fields in one UPDATE; a move not allowed, or one made from a copy
another change has overtaken, writes nothing; on PostgreSQL, of many racing moves exactly one wins."""

from __future__ import annotations

import datetime
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone

from core.status import StatusMachine
from registrar.models import Objection, Registration
from tests.factories import RegistrationFactory
from tests.factories.marriage import make_objection, make_proposal


def test_an_allowed_move_writes_the_status_and_its_fields_together(db):
    registration = RegistrationFactory(status="with_registrar", reasons=["parents_not_married"])
    assert registration.move("request_information", reasons=["question"])
    assert registration.status == Registration.Status.INFORMATION_REQUESTED
    registration.refresh_from_db()
    assert registration.status == Registration.Status.INFORMATION_REQUESTED
    assert registration.reasons == ["question"]
    # Not a final status: no decision time.
    assert registration.decided_at is None


def test_a_move_stamps_the_time_of_the_move_and_of_a_final_decision(db, time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 1, 10, 30, tzinfo=datetime.UTC), tick=False)
    registration = RegistrationFactory(status="with_registrar")
    assert registration.move("reject")
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REJECTED
    assert registration.updated_at == registration.decided_at == timezone.now()


def test_a_time_the_caller_gives_wins_over_the_stamp(db):
    given = timezone.now() - datetime.timedelta(days=3)
    registration = RegistrationFactory(status="with_registrar")
    assert registration.move("reject", decided_at=given)
    registration.refresh_from_db()
    assert registration.decided_at == given and registration.updated_at > given


def test_a_move_not_allowed_from_the_status_writes_nothing(db):
    registration = RegistrationFactory(status="with_registrar", reasons=["parents_not_married"])
    before = Registration.objects.values().get(pk=registration.pk)
    assert not registration.allows("authorise")
    assert not registration.move("authorise", reasons=[])
    assert registration.status == Registration.Status.WITH_REGISTRAR and registration.reasons == ["parents_not_married"]
    assert Registration.objects.values().get(pk=registration.pk) == before


def test_a_move_from_an_overtaken_copy_loses_and_writes_nothing(db):
    objection = make_objection(make_proposal(notices="given").notices.first())
    stale = Objection.objects.get(pk=objection.pk)
    assert objection.move("uphold", decision_reason="Already married.")
    assert not stale.move("dismiss", decision_reason="No grounds.")
    stale.refresh_from_db()
    assert stale.status == Objection.Status.UPHELD and stale.decision_reason == "Already married."


def test_an_unknown_transition_is_a_programming_error(db):
    registration = RegistrationFactory()
    with pytest.raises(KeyError):
        registration.move("approve")


def test_every_model_with_a_transitions_table_moves_through_the_one_status_machine():
    machines = [model for model in apps.get_models() if "TRANSITIONS" in vars(model) and hasattr(model, "move")]
    assert {model.__name__ for model in machines} >= {
        "Registration",
        "Proposal",
        "Notice",
        "Objection",
        "Schedule",
        "CitizenshipInvitation",
        "CeremonyAttendance",
        "ReRegistration",
        "CoronerCertificate",
    }
    for model in machines:
        assert issubclass(model, StatusMachine), model
        assert model.move is StatusMachine.move and model.allows is StatusMachine.allows, model


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_of_racing_moves_on_one_row_exactly_one_wins_on_postgres():
    registration = RegistrationFactory(status="with_registrar")
    transitions = ["reject", "request_information", "escalate", "register_case"] * 2
    barrier = threading.Barrier(len(transitions))

    def run(index):
        # Each thread has its own connection and its own copy read before any move.
        copy = Registration.objects.get(pk=registration.pk)
        barrier.wait()
        try:
            with transaction.atomic():
                return copy.move(transitions[index])
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(transitions)) as pool:
        outcomes = list(pool.map(run, range(len(transitions))))
    assert outcomes.count(True) == 1
    winner = transitions[outcomes.index(True)]
    registration.refresh_from_db()
    assert registration.status == Registration.TRANSITIONS[winner][1]
