"""Staff sign in with password and an authenticator app; codes are never accepted twice;
staff pages and the admin need both factors and the right role."""

from __future__ import annotations

import pyotp
import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from identity import roles
from identity.audit import record_audit, write_checkpoint
from identity.models import AuditCheckpoint, AuditEntry, StaffAuthenticator
from tests.factories import STAFF_PASSWORD, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _password(client, user, password=STAFF_PASSWORD):
    return client.post(reverse("identity:staff-sign-in"), {"email": user.email, "password": password})


def _totp(user) -> pyotp.TOTP:
    return pyotp.TOTP(StaffAuthenticator.objects.get(user=user).secret)


def test_staff_sign_in_needs_password_then_authenticator_code(client):
    staff = StaffFactory(roles=[roles.REGISTRAR])
    response = _password(client, staff)
    assert response["Location"] == reverse("identity:staff-code")
    assert client.get(reverse("identity:staff-home")).status_code == 302  # not signed in yet
    response = client.post(reverse("identity:staff-code"), {"code": _totp(staff).now()})
    assert response.status_code == 302
    page = client.get(reverse("identity:staff-home"))
    assert page.status_code == 200 and roles.REGISTRAR in page.content.decode()
    assert AuditEntry.objects.filter(action="staff.signed_in", actor=staff).exists()


def test_wrong_password_and_unknown_address_get_the_same_answer(client):
    staff = StaffFactory()
    wrong = _password(client, staff, "not-the-password")
    unknown = client.post(reverse("identity:staff-sign-in"), {"email": "nobody@registrar.example", "password": "x"})
    assert wrong.status_code == unknown.status_code == 400
    assert "Enter a correct email address and password" in wrong.content.decode()
    assert "Enter a correct email address and password" in unknown.content.decode()


def test_citizen_account_cannot_use_staff_sign_in(client):
    citizen = UserFactory()
    citizen.set_password(STAFF_PASSWORD)
    citizen.save()
    assert _password(client, citizen).status_code == 400


def test_authenticator_code_cannot_be_replayed(client):
    staff = StaffFactory()
    code = _totp(staff).now()
    _password(client, staff)
    assert client.post(reverse("identity:staff-code"), {"code": code}).status_code == 302
    other = client.__class__()
    _password(other, staff)
    response = other.post(reverse("identity:staff-code"), {"code": code})
    assert response.status_code == 400
    assert "already been used" in response.content.decode()


def test_code_from_one_step_ago_is_accepted_but_not_two(client):
    staff = StaffFactory()
    totp = _totp(staff)
    # The clock stands still in the middle of a step, so a step boundary passing during the
    # test (a slow machine) cannot turn "one step ago" into two.
    now = timezone.now().replace(second=15, microsecond=0)
    with time_machine.travel(now, tick=False):
        _password(client, staff)
        two_ago = totp.at(now.timestamp() - 60)
        assert client.post(reverse("identity:staff-code"), {"code": two_ago}).status_code == 400
        one_ago = totp.at(now.timestamp() - 30)
        assert client.post(reverse("identity:staff-code"), {"code": one_ago}).status_code == 302


def test_first_sign_in_enrols_an_authenticator_with_a_qr_code(client):
    staff = StaffFactory(authenticator=False)
    response = _password(client, staff)
    assert response["Location"] == reverse("identity:staff-enrol")
    page = client.get(reverse("identity:staff-enrol")).content.decode()
    assert "<svg" in page
    authenticator = StaffAuthenticator.objects.get(user=staff)
    assert len(authenticator.secret) >= 32  # 32 base32 characters = 160 bits
    assert authenticator.secret in page
    response = client.post(reverse("identity:staff-enrol"), {"code": pyotp.TOTP(authenticator.secret).now()})
    assert response.status_code == 302
    authenticator.refresh_from_db()
    assert authenticator.confirmed


def test_enrolment_page_needs_the_password_first(client):
    assert client.get(reverse("identity:staff-enrol"))["Location"] == reverse("identity:staff-sign-in")
    assert client.get(reverse("identity:staff-code"))["Location"] == reverse("identity:staff-sign-in")


def test_password_guessing_is_throttled(client, settings):
    settings.STAFF_PASSWORD_MAX_FAILURES_PER_HOUR = 3
    staff = StaffFactory()
    for _ in range(3):
        assert _password(client, staff, "wrong").status_code == 400
    response = _password(client, staff)
    assert response.status_code == 429
    with time_machine.travel(timezone.now() + timezone.timedelta(hours=1, minutes=1)):
        assert _password(client, staff).status_code == 302


def test_force_login_without_second_factor_is_not_enough_for_staff_pages(client):
    staff = StaffFactory(roles=[roles.SERVICE_ADMIN])
    client.force_login(staff)
    assert client.get(reverse("identity:staff-home")).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 302


def test_admin_is_only_for_service_admins(client, sign_in_staff):
    registrar = StaffFactory(roles=[roles.REGISTRAR])
    sign_in_staff(client, registrar)
    assert client.get(reverse("admin:index")).status_code == 302
    admin_client = client.__class__()
    admin = StaffFactory(roles=[roles.SERVICE_ADMIN])
    sign_in_staff(admin_client, admin)
    assert admin_client.get(reverse("admin:index")).status_code == 200


def test_staff_cannot_open_citizen_pages(client, sign_in_staff):
    staff = StaffFactory()
    sign_in_staff(client, staff)
    assert client.get(reverse("identity:account")).status_code == 403


def test_roles_are_groups_with_their_permissions(db):
    registrar = StaffFactory(roles=[roles.REGISTRAR])
    support = StaffFactory(roles=[roles.PHONE_SUPPORT])
    assert registrar.has_perm("identity.work_cases")
    assert not registrar.has_perm("identity.assist_citizens")
    assert support.has_perm("identity.assist_citizens")
    assert not support.has_perm("identity.work_cases")


@pytest.mark.parametrize("data", [{}, {"email": "x"}, {"email": "a@b.com"}, {"password": "x"}])
def test_bad_staff_sign_in_input_is_a_form_error(client, data):
    response = client.post(reverse("identity:staff-sign-in"), data)
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()


def test_admin_view_of_a_person_is_audited(client, sign_in_staff):
    admin = StaffFactory(roles=[roles.SERVICE_ADMIN])
    person = UserFactory()
    sign_in_staff(client, admin)
    response = client.get(reverse("admin:identity_user_change", args=[person.pk]))
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="admin.user_viewed")
    assert entry.actor == admin and entry.subject == person


def test_audit_log_cannot_be_edited_in_the_admin(client, sign_in_staff):
    admin = StaffFactory(roles=[roles.SERVICE_ADMIN])
    sign_in_staff(client, admin)
    entry = record_audit(actor=admin, action="x")
    response = client.post(reverse("admin:identity_auditentry_change", args=[entry.pk]), {"action": "y"})
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.action == "x"


def test_audit_checkpoints_are_listed_in_the_admin_and_cannot_be_edited_or_deleted_there(client, sign_in_staff):
    admin = StaffFactory(roles=[roles.SERVICE_ADMIN])
    sign_in_staff(client, admin)
    record_audit(actor=admin, action="x")
    write_checkpoint()
    checkpoint = AuditCheckpoint.objects.get()
    listing = client.get(reverse("admin:identity_auditcheckpoint_changelist"))
    assert listing.status_code == 200 and checkpoint.storage_name in listing.content.decode()
    change = reverse("admin:identity_auditcheckpoint_change", args=[checkpoint.pk])
    assert client.post(change, {"sequence": 99}).status_code == 403
    delete = reverse("admin:identity_auditcheckpoint_delete", args=[checkpoint.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert AuditCheckpoint.objects.get().sequence == checkpoint.sequence
