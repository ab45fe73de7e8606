"""Staff roles as groups with permissions. The roles and what each may do are declared here;
`sync_roles()` makes the database match (run after every migrate)."""

from __future__ import annotations

from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission

REGISTRAR = "Registrar"
SUPERINTENDENT_REGISTRAR = "Superintendent registrar"
PHONE_SUPPORT = "Phone support"
SERVICE_ADMIN = "Service admin"
# The General Register Office's officers who give the Registrar General's authority (late
# registrations over 12 months), and API clients of hospitals and medical examiners.
REGISTRAR_GENERAL = "Registrar General's office"
MEDICAL_EXAMINER = "Medical examiner (API)"
# Clergy and other religious officiants who return signed marriage schedules through the API.
AUTHORISED_PERSON = "Authorised person (API)"
# The Home Office's client, telling its decision on a referred notice of marriage.
HOME_OFFICE = "Home Office (API)"
# Coroners' offices, sending certificates after inquest and interim certificates of the fact of death.
CORONER = "Coroner (API)"
# Hospitals' and community midwives' clients, sending medical certificates of stillbirth.
STILLBIRTH_CERTIFIER = "Hospital or midwife (API)"

# "app_label.codename" of each permission a role holds. Other apps add theirs here as they
# declare them in their models' Meta.permissions.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    REGISTRAR: [
        "identity.work_cases",
        "identity.view_person_data",
        "booking.manage_diary",
        "registrar.work_notices",
        "registrar.work_registrations",
        "registrar.work_citizenship",
        "registrar.correct_entries",
        "certificates.view_orders",
        "certificates.revoke_certificate",
        "certificates.reissue_certificate",
    ],
    SUPERINTENDENT_REGISTRAR: [
        "identity.work_cases",
        "identity.view_person_data",
        "identity.conduct_ceremonies",
        "booking.manage_diary",
        "registrar.work_notices",
        "registrar.work_registrations",
        "registrar.work_citizenship",
        "registrar.correct_entries",
        "certificates.view_orders",
        "certificates.revoke_certificate",
        "certificates.reissue_certificate",
    ],
    PHONE_SUPPORT: [
        "identity.assist_citizens",
        "certificates.view_orders",
    ],
    SERVICE_ADMIN: [
        "identity.manage_staff",
        "identity.view_audit_log",
        "identity.supervise_support",
        "identity.view_user",
        "identity.add_user",
        "identity.change_user",
        "identity.view_registeroffice",
        "identity.add_registeroffice",
        "identity.change_registeroffice",
        "identity.view_auditentry",
        "identity.view_auditcheckpoint",
        "identity.view_outboundmessage",
        "auth.view_group",
        # Integrators' webhook subscriptions, managed in the admin, and what was delivered.
        "registrar.view_webhooksubscription",
        "registrar.add_webhooksubscription",
        "registrar.change_webhooksubscription",
        "registrar.view_webhookdelivery",
        "registrar.view_registerevent",
        # Local services that sign people in with their verified identity (OpenID Connect).
        "identity_oidc.manage_clients",
    ],
    REGISTRAR_GENERAL: [
        "identity.view_person_data",
        "registrar.work_registrations",
        "registrar.authorise_late_registration",
    ],
    MEDICAL_EXAMINER: [
        "registrar.submit_medical_certificates",
    ],
    AUTHORISED_PERSON: [
        "registrar.return_schedules",
    ],
    HOME_OFFICE: [
        "registrar.decide_referrals",
        # Citizenship ceremony invitations (registrar/citizenship).
        "registrar.send_citizenship_invitations",
    ],
    CORONER: [
        "registrar.submit_coroner_certificates",
    ],
    STILLBIRTH_CERTIFIER: [
        "registrar.submit_stillbirth_certificates",
    ],
}

# Roles that work every office's cases rather than their own offices'.
NATIONAL_ROLES = (REGISTRAR_GENERAL,)

ALL_ROLES = list(ROLE_PERMISSIONS)


def sync_roles() -> None:
    for role, names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        permissions = []
        for name in names:
            app_label, codename = name.split(".")
            permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if permission is not None:
                permissions.append(permission)
        group.permissions.set(permissions)


def sync_roles_after_migrate(sender, using="default", **kwargs) -> None:
    # Permissions are made by auth's own post_migrate handler, which may run after this one.
    create_permissions(sender, verbosity=0, using=using)
    sync_roles()


def roles_of(user) -> list[str]:
    return sorted(user.groups.filter(name__in=ALL_ROLES).values_list("name", flat=True))


def is_national(user) -> bool:
    """Works cases and sees figures for every office, not only the offices they belong to."""
    return bool(user.is_superuser or user.groups.filter(name__in=NATIONAL_ROLES).exists())
