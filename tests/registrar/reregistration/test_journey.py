"""Re-registration by both parents online: legitimation (the marriage linked when the register
holds exactly one of both parents, else its date and place given) and naming the other parent.
Both verify their identity and confirm; then a new numbered entry is written and the original
is marked, never changed."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from identity.models import OutboundMessage
from registrar.models import EntryReRegistration, IndexName, RegisterEntry, ReRegistration
from registrar.reregistration import services
from registrar.reregistration.refusals import ReRegistrationRefused
from tests.factories import UserFactory, verify_identity
from tests.factories.registrar import historic_marriage

from .conftest import DETAILS, register_birth

pytestmark = pytest.mark.django_db


def _invite(mother, entry, reason="add_parent", **details):
    reregistration = services.start(person=mother, entry=entry, reason=reason)
    services.save_details(reregistration=reregistration, person=mother, data={**DETAILS, **details})
    return services.confirm_and_invite(reregistration=reregistration, person=mother)


def test_naming_the_father_needs_both_parents_then_writes_a_new_entry_and_marks_the_original(mother, father, entry):
    original_particulars = dict(entry.particulars)
    reregistration = _invite(mother, entry)
    assert reregistration.status == ReRegistration.Status.AWAITING_OTHER_PARENT
    assert not EntryReRegistration.objects.exists()
    invitation = OutboundMessage.objects.get(to="daniel@example.com")
    assert "/register/re-registration/invitation/" in invitation.body

    done = services.confirm_as_other_parent(reregistration=reregistration, person=father)

    assert done.status == ReRegistration.Status.REGISTERED
    new = done.new_entry
    assert (new.district, new.event, new.number) == (entry.district, "birth", entry.number + 1)
    assert new.particulars["father_surname"] == "Hartley"
    assert new.particulars["child_surname"] == "Hartley"
    assert new.particulars["informant_qualification"] == "Mother and father"
    assert new.particulars["reregistration_of"] == entry.entry_reference
    assert new.registered_automatically
    mark = EntryReRegistration.objects.get(original=entry)
    assert (mark.new_entry, mark.reason, mark.by) == (new, "add_parent", father)
    entry.refresh_from_db()
    assert entry.particulars == original_particulars
    assert IndexName.objects.filter(entry=new, surname="Hartley").exists()


def test_numbering_stays_gap_free_when_a_reregistration_fails_to_write(mother, father, entry, monkeypatch):
    reregistration = _invite(mother, entry)
    from registrar import register

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(register, "write_entry", broken)
    with pytest.raises(RuntimeError):
        services.confirm_as_other_parent(reregistration=reregistration, person=father)
    monkeypatch.undo()
    reregistration.refresh_from_db()
    assert reregistration.status == ReRegistration.Status.AWAITING_OTHER_PARENT
    done = services.confirm_as_other_parent(reregistration=reregistration, person=father)
    other = register_birth(mother, child={"forenames": "Second"})
    numbers = sorted(
        RegisterEntry.objects.filter(district=entry.district, event="birth").values_list("number", flat=True)
    )
    assert numbers == list(range(1, len(numbers) + 1))
    assert {done.new_entry.number, other.number} <= set(numbers)


def test_a_parent_without_medium_confidence_is_refused_at_each_step(mother, entry):
    unverified = UserFactory(email="daniel@example.com")
    reregistration = _invite(mother, entry)
    with pytest.raises(ReRegistrationRefused) as refused:
        services.confirm_as_other_parent(reregistration=reregistration, person=unverified)
    assert refused.value.code == "rr_identity_not_verified"
    stranger = UserFactory()
    with pytest.raises(ReRegistrationRefused) as refused:
        services.start(person=stranger, entry=entry, reason="add_parent")
    assert refused.value.code == "rr_identity_not_verified"


def test_the_first_parent_cannot_confirm_for_the_other(mother, entry):
    reregistration = _invite(mother, entry)
    with pytest.raises(ReRegistrationRefused) as refused:
        services.confirm_as_other_parent(reregistration=reregistration, person=mother)
    assert refused.value.code == "rr_same_person"


def test_only_a_parent_named_on_the_entry_may_start(entry, father):
    with pytest.raises(ReRegistrationRefused) as refused:
        services.start(person=father, entry=entry, reason="add_parent")
    assert refused.value.code == "rr_not_a_parent"


def test_naming_a_parent_already_named_is_refused(mother, offices):
    married = register_birth(
        mother,
        relationship={"parents_married": True},
        father={"forenames": "Daniel", "surname": "Hartley", "place_of_birth": "Cardiff", "occupation": ""},
    )
    with pytest.raises(ReRegistrationRefused) as refused:
        services.start(person=mother, entry=married, reason="add_parent")
    assert refused.value.code == "rr_parent_already_named"


def test_a_birth_is_reregistered_once_and_one_journey_is_open_at_a_time(mother, father, entry):
    services.start(person=mother, entry=entry, reason="add_parent")
    with pytest.raises(ReRegistrationRefused) as refused:
        services.start(person=mother, entry=entry, reason="legitimation")
    assert refused.value.code == "rr_already_open"
    ReRegistration.objects.update(status="cancelled")
    services.confirm_as_other_parent(reregistration=_invite(mother, entry), person=father)
    with pytest.raises(ReRegistrationRefused) as refused:
        services.start(person=mother, entry=entry, reason="legitimation")
    assert refused.value.code == "rr_already_reregistered"


def test_legitimation_links_the_one_marriage_of_both_parents_in_the_register(mother, father, entry):
    marriage = historic_marriage(
        entry.district, one=("Daniel", "Hartley"), two=("Emma Louise", "Clarke"), married=timezone.localdate()
    )
    reregistration = _invite(mother, entry, reason="legitimation")
    assert reregistration.marriage_entry == marriage
    assert reregistration.particulars["married_on"] == marriage.event_date.isoformat()
    done = services.confirm_as_other_parent(reregistration=reregistration, person=father)
    assert done.new_entry.particulars["parents_married_on"] == marriage.event_date.isoformat()
    assert marriage.entry_reference in EntryReRegistration.objects.get(original=entry).evidence


def test_legitimation_without_a_single_match_needs_the_marriage_date_and_place(mother, entry):
    for _ in range(2):
        historic_marriage(
            entry.district, one=("Daniel", "Hartley"), two=("Emma Louise", "Clarke"), married=timezone.localdate()
        )
    reregistration = services.start(person=mother, entry=entry, reason="legitimation")
    with pytest.raises(ReRegistrationRefused) as refused:
        services.save_details(reregistration=reregistration, person=mother, data=DETAILS)
    assert refused.value.code == "rr_marriage_details_needed"
    with pytest.raises(ReRegistrationRefused) as refused:
        services.save_details(
            reregistration=reregistration,
            person=mother,
            data={**DETAILS, "married_on": entry.event_date - datetime.timedelta(days=1), "marriage_place": "Leeds"},
        )
    assert refused.value.code == "rr_marriage_before_birth"
    saved = services.save_details(
        reregistration=reregistration,
        person=mother,
        data={**DETAILS, "married_on": timezone.localdate(), "marriage_place": "Leeds Town Hall"},
    )
    assert saved.marriage_entry is None and saved.particulars["marriage_place"] == "Leeds Town Hall"


def test_reregistering_later_than_the_months_after_marriage_is_allowed_and_said(mother, father, entry, settings):
    married = timezone.localdate()
    reregistration = services.start(person=mother, entry=entry, reason="legitimation")
    services.save_details(
        reregistration=reregistration,
        person=mother,
        data={**DETAILS, "married_on": married, "marriage_place": "Leeds"},
    )
    reregistration.refresh_from_db()
    assert not services.late_after_marriage(reregistration)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=120)):
        assert services.late_after_marriage(reregistration)
        settings.REREGISTRATION_AFTER_MARRIAGE_MONTHS = 6
        assert not services.late_after_marriage(reregistration)


def test_the_other_parent_declining_sends_it_back_and_kills_the_link(mother, father, entry, client):
    reregistration = _invite(mother, entry)
    token = services.invitation_token(reregistration)
    services.decline_as_other_parent(reregistration=reregistration, person=father, reason="Wrong place of birth")
    reregistration.refresh_from_db()
    assert reregistration.status == "draft" and reregistration.declined_reason == "Wrong place of birth"
    client.force_login(father)
    response = client.get(reverse("reregistration:invitation", args=[token]))
    assert response.status_code == 404


# --- The pages --------------------------------------------------------------------------------


def test_the_whole_journey_through_the_pages(mother, father, entry, client):
    client.force_login(mother)
    start = client.get(reverse("reregistration:start"))
    assert start.status_code == 200 and entry.entry_reference in start.content.decode()
    mine = client.get(reverse("registrar:mine"))
    assert reverse("reregistration:start") in mine.content.decode()
    status = client.get(reverse("registrar:status", args=[entry.registration.reference]))
    assert reverse("reregistration:start") in status.content.decode()
    reason_url = reverse("reregistration:reason", args=[entry.district.code, entry.year, entry.number])
    response = client.post(reason_url, {"entry": entry.entry_reference, "reason": "add_parent"})
    reregistration = ReRegistration.objects.get()
    assert response.url == reverse("reregistration:details", args=[reregistration.reference])
    response = client.post(response.url, DETAILS)
    assert response.status_code == 302
    check = client.get(response.url)
    assert "Daniel Hartley" in check.content.decode()
    response = client.post(reverse("reregistration:check", args=[reregistration.reference]), {"confirmed": "on"})
    assert response.status_code == 302
    token = services.invitation_token(ReRegistration.objects.get())
    client.force_login(father)
    invitation_url = reverse("reregistration:invitation", args=[token])
    page = client.get(invitation_url)
    assert page.status_code == 200 and "Daniel Hartley" in page.content.decode()
    done = client.post(invitation_url, {"confirmed": "on"})
    assert done.status_code == 200 and "The birth is re-registered" in done.content.decode()
    assert EntryReRegistration.objects.filter(original=entry).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({**DETAILS, "father_surname": ""}, "father_surname"),
        ({**DETAILS, "other_parent_email": "not-an-email"}, "other_parent_email"),
        ({**DETAILS, "father_forenames": "x" * 300}, "father_forenames"),
    ],
)
def test_bad_details_are_a_400_and_keep_what_was_typed(mother, entry, client, data, field):
    reregistration = services.start(person=mother, entry=entry, reason="add_parent")
    client.force_login(mother)
    response = client.post(reverse("reregistration:details", args=[reregistration.reference]), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert "Cardiff" in response.content.decode()


def test_bad_input_on_every_citizen_page_is_a_clear_4xx(mother, father, entry, client):
    client.force_login(mother)
    reason_url = reverse("reregistration:reason", args=[entry.district.code, entry.year, entry.number])
    assert client.post(reason_url, {"reason": "because"}).status_code == 400
    assert client.get(reverse("reregistration:reason", args=["NOWHERE", 2026, 1])).status_code == 404
    reregistration = services.start(person=mother, entry=entry, reason="legitimation")
    details_url = reverse("reregistration:details", args=[reregistration.reference])
    bad_date = {**DETAILS, "married_on_0": "31", "married_on_1": "2", "married_on_2": "2026"}
    assert client.post(details_url, bad_date).status_code == 400
    assert client.post(details_url, DETAILS).status_code == 400  # no marriage found, none given
    check_url = reverse("reregistration:check", args=[reregistration.reference])
    assert client.get(check_url).status_code == 302  # details first
    assert client.post(check_url, {}).status_code in (302, 400)
    assert client.get(reverse("reregistration:check", args=["RR-NONE-0000"])).status_code == 404
    assert client.post(reverse("reregistration:change", args=[reregistration.reference])).status_code == 409
    assert client.get(reverse("reregistration:invitation", args=["forged"])).status_code == 404
    client.force_login(father)
    assert client.get(check_url).status_code == 404  # someone else's


def test_the_invitation_asks_an_unverified_parent_to_prove_their_identity_first(mother, entry, client):
    reregistration = _invite(mother, entry)
    unverified = UserFactory()
    client.force_login(unverified)
    url = reverse("reregistration:invitation", args=[services.invitation_token(reregistration)])
    page = client.get(url)
    assert page.status_code == 200 and reverse("identity:check") in page.content.decode()
    assert client.post(url, {"confirmed": "on"}).status_code == 403
    verify_identity(unverified)
    assert client.post(url, {}).status_code == 400
    assert not EntryReRegistration.objects.exists()


def test_statistics_count_a_reregistration_apart_from_the_births(mother, father, entry):
    from registrar.statistics import year_figures

    services.confirm_as_other_parent(reregistration=_invite(mother, entry), person=father)
    figures = year_figures(entry.year)
    assert (figures.totals["births"], figures.totals["reregistrations"]) == (1, 1)


def test_the_demo_birth_is_made_once_and_can_be_started(offices, settings):
    from identity.models import User
    from registrar.reregistration import selectors
    from registrar.reregistration.demo import MOTHER_EMAIL, load_demo_reregistration

    assert load_demo_reregistration() == 1
    assert load_demo_reregistration() == 0
    mother = User.objects.get(email=MOTHER_EMAIL)
    assert len(selectors.startable_entries(mother)) == 1
