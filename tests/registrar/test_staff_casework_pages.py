"""The registrar's pages: the exception queue (with identity cases, filters, assignment), the
case page (answers, evidence link, reasons, duplicates side by side, decisions with clear
errors and clean refusals), the office dashboard, and finding and correcting entries. Every
view and action is audited."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from identity import roles
from identity.models import AuditEntry, IdentityCase
from registrar.models import CaseAction, EntryCorrection, Registration
from tests.factories import (
    RegisterOfficeFactory,
    RegistrationFactory,
    StaffFactory,
    UserFactory,
    make_entry,
    sign_in_staff,
)
from tests.factories.marriage_downstream import registered_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def registrar(client, registrar):
    """The office's registrar, signed in to the staff pages."""
    sign_in_staff(client, registrar)
    return registrar


def _identity_case(office, **extra):
    return IdentityCase.objects.create(
        reference=extra.pop("reference", "ID-TEST-0001"),
        person=extra.pop("person", None) or UserFactory(),
        office=office,
        status="with_registrar",
        reasons=["document_expired"],
        submitted_at=timezone.now() - datetime.timedelta(days=2),
        **extra,
    )


# --- Queue -------------------------------------------------------------------------------------------


def test_queue_lists_registrations_and_identity_cases_of_my_offices_oldest_first(client, registrar, office, waiting):
    identity = _identity_case(office)
    cardiff = RegisterOfficeFactory(code="W-CARDIFF", name="Cardiff")
    elsewhere = RegistrationFactory(district=cardiff, reference="RG-ELSE-0001")
    _identity_case(cardiff, reference="ID-ELSE-0001")
    draft = RegistrationFactory(district=office, status="draft", reference="RG-DRAF-0001")
    html = client.get(reverse("registrar-staff:queue")).content.decode()
    assert waiting.reference in html and identity.reference in html
    assert reverse("identity:staff-identity-case", args=[identity.reference]) in html
    assert html.index(identity.reference) < html.index(waiting.reference)  # submitted 2 days ago vs 1
    assert elsewhere.reference not in html and "ID-ELSE-0001" not in html and draft.reference not in html
    assert AuditEntry.objects.filter(action="registration_queue.viewed", actor=registrar).exists()


def test_queue_filters_by_kind_reason_age_deadline_and_assignment(client, registrar, office, waiting):
    _identity_case(office)
    death = RegistrationFactory(
        district=office,
        event="death",
        reference="RG-DEAT-0001",
        reasons=["coroner"],
        deadline=timezone.localdate() + datetime.timedelta(days=2),
        submitted_at=timezone.now() - datetime.timedelta(days=8),
        status="blocked_by_coroner",
    )
    url = reverse("registrar-staff:queue")

    def listed(**query):
        html = client.get(url, query).content.decode()
        return {ref for ref in (waiting.reference, death.reference, "ID-TEST-0001") if ref in html}

    assert listed(kind="death") == {death.reference}
    assert listed(kind="identity") == {"ID-TEST-0001"}
    assert listed(reason="coroner") == {death.reference}
    assert listed(older_than_days="5") == {death.reference}
    assert listed(deadline_within_days="3") == {death.reference}
    assert listed(office="E-LEEDS") == {waiting.reference, death.reference, "ID-TEST-0001"}
    Registration.objects.filter(pk=waiting.pk).update(assigned_to=registrar)
    assert listed(assigned="me") == {waiting.reference}
    assert listed(assigned="nobody") == {death.reference, "ID-TEST-0001"}


@pytest.mark.parametrize(
    "query",
    [
        {"office": "W-NOT-MINE"},
        {"kind": "marriage"},
        {"older_than_days": "abc"},
        {"older_than_days": "-1"},
        {"deadline_within_days": "9999"},
        {"assigned": "someone"},
        {"reason": "<script>"},
    ],
)
def test_bad_queue_filters_are_a_400_with_an_error_summary(client, registrar, waiting, query):
    response = client.get(reverse("registrar-staff:queue"), query)
    html = response.content.decode()
    assert response.status_code == 400 and "govuk-error-summary" in html and "govuk-error-message" in html


# --- Case page ---------------------------------------------------------------------------------------


def test_case_page_shows_answers_reasons_evidence_and_is_audited(client, registrar, office, waiting):
    identity = _identity_case(office, person=waiting.informant, reference="ID-INFO-0001")
    response = client.get(reverse("registrar-staff:case", args=[waiting.reference]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Anne Isabella" in html and "St James&#x27;s Hospital, Leeds" in html
    assert "Parents not married" in html and "parents_not_married" not in html
    assert reverse("identity:staff-identity-case", args=[identity.reference]) in html
    audit = AuditEntry.objects.get(action="registration_case.viewed")
    assert audit.subject == waiting.informant and audit.object_id == waiting.reference


def test_case_page_shows_likely_duplicates_side_by_side(client, registrar, office, waiting):
    twin_entry = make_entry(
        district=RegisterOfficeFactory(code="E-YORK", name="York"),
        event_date=waiting.event_date + datetime.timedelta(days=3),
    )
    same_mother_later = RegistrationFactory(
        district=office, reference="RG-DUPE-0001", event_date=waiting.event_date - datetime.timedelta(days=5)
    )
    far = RegistrationFactory(
        district=office, reference="RG-FAR0-0001", event_date=waiting.event_date - datetime.timedelta(days=6)
    )
    other_mother = RegistrationFactory(
        district=office,
        reference="RG-OTHR-0001",
        answers={"mother": {"forenames": "Mary", "surname": "Shelley"}},
    )
    html = client.get(reverse("registrar-staff:case", args=[waiting.reference])).content.decode()
    assert twin_entry.entry_reference in html and same_mother_later.reference in html
    assert far.reference not in html and other_mother.reference not in html
    assert "This case" in html and "Possible duplicate" in html and "York" in html


def test_death_duplicates_match_the_deceased_name_and_birth_date(client, registrar, office):
    deceased = {"forenames": "John", "surname": "Smith", "date_of_birth": "1940-03-01"}
    case = RegistrationFactory(district=office, event="death", answers={"deceased": deceased}, reference="RG-DEAD-0001")
    same = RegistrationFactory(
        district=office, event="death", answers={"deceased": dict(deceased)}, reference="RG-DEAD-0002"
    )
    other = RegistrationFactory(
        district=office,
        event="death",
        answers={"deceased": {**deceased, "date_of_birth": "1941-03-01"}},
        reference="RG-DEAD-0003",
    )
    entry = make_entry(
        district=office,
        event="death",
        surname="Smith",
        forenames="John",
        particulars={
            "deceased_forenames": "John",
            "deceased_surname": "Smith",
            "date_of_birth": "1940-03-01",
            "place_of_death": "Leeds",
        },
    )
    html = client.get(reverse("registrar-staff:case", args=[case.reference])).content.decode()
    assert same.reference in html and entry.entry_reference in html and other.reference not in html


def test_another_offices_case_is_a_404(client, registrar):
    elsewhere = RegistrationFactory(district=RegisterOfficeFactory(code="W-CARDIFF"))
    assert client.get(reverse("registrar-staff:case", args=[elsewhere.reference])).status_code == 404
    assert client.get(reverse("registrar-staff:case", args=["RG-NONE-0000"])).status_code == 404


def test_reject_from_the_page_then_a_double_submit_is_refused_cleanly(client, registrar, waiting):
    url = reverse("registrar-staff:decide", args=[waiting.reference])
    response = client.post(url, {"decision": "reject", "reason": "Born in Bradford"})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == "rejected"
    again = client.post(url, {"decision": "reject", "reason": "Born in Bradford"})
    assert again.status_code == 409 and "already been decided" in again.content.decode()
    assert CaseAction.objects.filter(registration=waiting, kind="rejected").count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Select a decision"),
        ({"decision": "reject"}, "Enter the reason for your decision"),
        ({"decision": "authorise", "reason": "x"}, "Select one of the decisions listed"),
        ({"decision": "reject", "reason": "x" * 2001}, "2000 characters or fewer"),
    ],
)
def test_bad_decisions_are_a_400_with_an_error_summary_and_change_nothing(client, registrar, waiting, data, message):
    response = client.post(reverse("registrar-staff:decide", args=[waiting.reference]), data)
    html = response.content.decode()
    assert response.status_code == 400 and "govuk-error-summary" in html and message in html
    waiting.refresh_from_db()
    assert waiting.status == "with_registrar"


def test_a_registrar_cannot_decide_a_case_about_themselves(client, registrar, office):
    own = RegistrationFactory(district=office, informant=registrar)
    page = client.get(reverse("registrar-staff:case", args=[own.reference])).content.decode()
    assert "This case is about you" in page and 'name="decision"' not in page
    response = client.post(
        reverse("registrar-staff:decide", args=[own.reference]), {"decision": "reject", "reason": "x"}
    )
    assert response.status_code == 403 and "about yourself" in response.content.decode()
    own.refresh_from_db()
    assert own.status == "with_registrar"


def test_ask_for_information_from_the_page(client, registrar, waiting):
    response = client.post(
        reverse("registrar-staff:decide", args=[waiting.reference]),
        {"decision": "request_information", "reason": "Which hospital?"},
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == "information_requested"
    assert AuditEntry.objects.filter(action="registration_case.information_requested", subject=waiting.informant)


def test_escalate_then_the_registrar_generals_office_authorises_from_the_page(client, registrar, office):
    born = timezone.localdate() - datetime.timedelta(days=400)
    late = RegistrationFactory(district=office, event_date=born, deadline=born + datetime.timedelta(days=42))
    url = reverse("registrar-staff:decide", args=[late.reference])
    assert client.post(url, {"decision": "register"}).status_code == 400  # not offered: escalate first
    assert client.post(url, {"decision": "escalate", "reason": "13 months late"}).status_code == 302
    general = StaffFactory(roles=[roles.REGISTRAR_GENERAL])
    client.logout()
    sign_in_staff(client, general)
    page = client.get(reverse("registrar-staff:case", args=[late.reference])).content.decode()
    assert "Give the Registrar General" in page
    assert client.post(url, {"decision": "authorise", "reason": "Records seen"}).status_code == 302
    late.refresh_from_db()
    assert late.status == "with_registrar"


def test_the_months_in_the_escalate_choice_and_the_late_tag_follow_their_setting(client, registrar, office, settings):
    settings.LATE_AUTHORITY_MONTHS = 18
    born = timezone.localdate() - datetime.timedelta(days=600)
    late = RegistrationFactory(district=office, event_date=born, deadline=born + datetime.timedelta(days=42))
    page = client.get(reverse("registrar-staff:case", args=[late.reference])).content.decode()
    assert "Send for the Registrar General&#x27;s authority (over 18 months late)" in page
    assert "Over 18 months late" in page and "12 months" not in page


def test_assign_to_me_and_to_a_colleague(client, registrar, office, waiting):
    colleague = StaffFactory(roles=[roles.REGISTRAR], full_name="Colin Colleague")
    colleague.offices.add(office)
    url = reverse("registrar-staff:assign", args=[waiting.reference])
    page = client.get(reverse("registrar-staff:case", args=[waiting.reference])).content.decode()
    assert "Colin Colleague" in page
    assert client.post(url, {"assignee": "me"}).status_code == 302
    waiting.refresh_from_db()
    assert waiting.assigned_to == registrar
    assert client.post(url, {"assignee": str(colleague.pk)}).status_code == 302
    waiting.refresh_from_db()
    assert waiting.assigned_to == colleague
    stranger = StaffFactory(roles=[roles.REGISTRAR])
    for bad in (str(stranger.pk), "", "abc", str(waiting.informant_id)):
        response = client.post(url, {"assignee": bad})
        assert response.status_code == 400 and "govuk-error-summary" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.assigned_to == colleague


# --- Dashboard ---------------------------------------------------------------------------------------


def test_dashboard_counts_my_offices_only(client, registrar, office):
    now = timezone.now()
    for automatic, hours in ((True, 1), (True, 3), (False, 30)):
        registration = RegistrationFactory(
            district=office, status="registered", submitted_at=now - datetime.timedelta(hours=hours)
        )
        make_entry(district=office, registration=registration, automatically=automatic, registered_at=now)
    cardiff = RegisterOfficeFactory(code="W-CARDIFF")
    make_entry(district=cardiff, registration=RegistrationFactory(district=cardiff, status="registered"))
    make_entry(district=office, historic=True)
    near = RegistrationFactory(district=office, deadline=timezone.localdate() + datetime.timedelta(days=1))
    RegistrationFactory(district=office, deadline=timezone.localdate() + datetime.timedelta(days=30))
    response = client.get(reverse("staff-dashboard:dashboard"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<p class="govuk-heading-xl" id="registered-total">3</p>' in html
    assert '<p class="govuk-heading-xl" id="automatic-share">67%</p>' in html
    assert '<p class="govuk-heading-xl" id="median-hours">3.0 h</p>' in html
    assert near.reference in html
    assert AuditEntry.objects.filter(action="registrar_dashboard.viewed").exists()


@pytest.mark.parametrize(
    "query", [{"office": "W-CARDIFF"}, {"date_from_0": "abc", "date_from_1": "1", "date_from_2": "2026"}]
)
def test_bad_dashboard_filters_are_a_400(client, registrar, query):
    RegisterOfficeFactory(code="W-CARDIFF")
    response = client.get(reverse("staff-dashboard:dashboard"), query)
    assert response.status_code == 400 and "govuk-error-summary" in response.content.decode()


def test_the_registrar_generals_office_sees_every_office(client, office):
    general = StaffFactory(roles=[roles.REGISTRAR_GENERAL])
    sign_in_staff(client, general)
    registration = RegistrationFactory(district=office, status="registered")
    make_entry(district=office, registration=registration)
    html = client.get(reverse("staff-dashboard:dashboard")).content.decode()
    assert '<p class="govuk-heading-xl" id="registered-total">1</p>' in html


# --- Entries and corrections ---------------------------------------------------------------------------


def _entry_url(entry, suffix=""):
    return reverse("registrar-staff:entry", args=[entry.district.code, "B", entry.year, entry.number]) + suffix


def test_find_an_entry_by_its_reference_or_its_registration(client, registrar, office, waiting):
    entry = make_entry(district=office, registration=waiting)
    url = reverse("registrar-staff:find-entry")
    assert client.post(url, {"reference": entry.entry_reference}).url == _entry_url(entry)
    assert client.post(url, {"reference": entry.entry_reference.lower()}).url == _entry_url(entry)
    assert client.post(url, {"reference": waiting.reference}).url == _entry_url(entry)
    # A reference in the query string is not searched: searches are posted.
    assert client.get(url, {"reference": waiting.reference}).status_code == 200
    assert AuditEntry.objects.filter(action="register_entry.searched").count() == 3


@pytest.mark.parametrize("reference", ["", "E-LEEDS/B/2026/999999", "W-CARDIFF/B/2026/1", "x" * 61, "RG-NONE"])
def test_entries_not_found_or_bad_references_are_a_clear_error(client, registrar, reference):
    make_entry(district=RegisterOfficeFactory(code="W-CARDIFF"))
    response = client.post(reverse("registrar-staff:find-entry"), {"reference": reference, "submit": "Find"})
    assert response.status_code in (400, 404) and "govuk-error-summary" in response.content.decode()


def test_entry_page_shows_the_original_and_corrections_and_records_a_correction(client, registrar, office):
    entry = make_entry(district=office)
    response = client.post(
        _entry_url(entry, "correct/"),
        {
            "field": "place_of_birth",
            "new_value": "St James's Hospital, Leeds",
            "reason": "Hospital named wrongly",
            "evidence": "Birth notification seen",
        },
    )
    assert response.status_code == 302
    html = client.get(_entry_url(entry)).content.decode()
    assert "Hospital named wrongly" in html and "Birth notification seen" in html
    assert "Leeds → St James&#x27;s Hospital, Leeds" in html
    entry.refresh_from_db()
    assert entry.particulars["place_of_birth"] == "Leeds"
    assert AuditEntry.objects.filter(action="register_entry.viewed").exists()
    assert AuditEntry.objects.filter(action="register.entry_corrected", actor=registrar).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose the particular to correct"),
        ({"field": "no_such", "new_value": "x", "reason": "r", "evidence": "e"}, "Choose a particular"),
        ({"field": "place_of_birth", "new_value": "Leeds", "reason": "r", "evidence": "e"}, "same as the current"),
        ({"field": "place_of_birth", "new_value": "York", "reason": "r"}, "Enter the evidence you saw"),
        ({"field": "place_of_birth", "new_value": "y" * 501, "reason": "r", "evidence": "e"}, "500 characters"),
    ],
)
def test_bad_corrections_are_a_400_and_write_nothing(client, registrar, office, data, message):
    entry = make_entry(district=office)
    response = client.post(_entry_url(entry, "correct/"), data)
    html = response.content.decode()
    assert response.status_code == 400 and "govuk-error-summary" in html and message in html
    assert not EntryCorrection.objects.exists()


def test_another_offices_entry_is_a_404(client, registrar):
    entry = make_entry(district=RegisterOfficeFactory(code="W-CARDIFF"))
    assert client.get(_entry_url(entry)).status_code == 404
    bad = reverse("registrar-staff:entry", args=["E-LEEDS", "X", 2026, 1])
    assert client.get(bad).status_code == 404


def test_staff_home_links_to_casework_for_registrars(client, registrar):
    html = client.get(reverse("identity:staff-home")).content.decode()
    assert reverse("registrar-staff:queue") in html and reverse("registrar-staff:find-entry") in html


def test_a_marriage_entry_page_reads_its_people_in_words(client, registrar, office):
    entry = registered_entry(office)
    html = client.get(reverse("registrar-staff:entry", args=[office.code, "M", entry.year, entry.number])).content
    page = html.decode()
    assert "[{" not in page and "&#x27;forenames&#x27;" not in page
    parents = entry.particulars["party1_parents"][0]
    assert f"{parents['forenames']} {parents['surname']} ({parents['occupation']})" in page
