"""Writes of the OpenID Connect provider: a person's consent and stopping it, and service admins
registering, re-keying and disabling client services. Every staff action and every "stop sharing"
is in the audit log."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import AccessToken, Application, Grant, IDToken, RefreshToken
from PIL import Image

from identity.audit import record_audit
from identity.models import User
from identity.uploads import DECODER_FAILURES, decode_slot

from .models import ServiceClient, SharingConsent
from .refusals import SharingRefused

CLAIM_SCOPES = ("email", "identity")
MANAGE_PERMISSION = "identity_oidc.manage_clients"


@dataclass(frozen=True)
class RegisteredClient:
    service: ServiceClient
    client_secret: str  # shown once, never stored in the clear


def _require_admin(actor: User) -> None:
    if not (actor.is_staff and actor.has_perm(MANAGE_PERMISSION)):
        raise SharingRefused("not_permitted")


def remember_consent(
    *, person: User, service: ServiceClient, scopes: list[str], client_address: str | None = None
) -> SharingConsent:
    """Records what the person agreed to share (audited, like stopping); a wider set replaces
    the narrower one."""
    wanted = sorted(set(scopes))
    with transaction.atomic():
        consent = (
            SharingConsent.objects.select_for_update()
            .filter(person=person, client=service, withdrawn_at__isnull=True)
            .first()
        )
        if consent is not None and set(wanted) <= set(consent.scopes):
            return consent
        if consent is not None:
            consent.scopes = sorted(set(consent.scopes) | set(wanted))
            consent.granted_at = timezone.now()
            consent.save(update_fields=["scopes", "granted_at"])
        else:
            try:
                with transaction.atomic():
                    consent = SharingConsent.objects.create(person=person, client=service, scopes=wanted)
            except IntegrityError:
                # The person agreed in two tabs at once: the first answer stands (and was audited).
                return SharingConsent.objects.get(person=person, client=service, withdrawn_at__isnull=True)
        record_audit(
            actor=person,
            action="oidc.sharing_agreed",
            subject=person,
            object_type="service_client",
            object_id=service.pk,
            detail={"scopes": consent.scopes},
            client_address=client_address,
        )
    return consent


def has_consent(*, person: User, service: ServiceClient, scopes: list[str]) -> bool:
    current = SharingConsent.objects.filter(person=person, client=service, withdrawn_at__isnull=True).first()
    return current is not None and set(scopes) <= set(current.scopes)


def _revoke_tokens(*, application: Application, person: User | None = None) -> int:
    """Revokes every token and pending code of the application (for one person when given)."""
    scope = {"application": application}
    if person is not None:
        scope["user"] = person
    count = 0
    for refresh in RefreshToken.objects.filter(revoked__isnull=True, **scope):
        refresh.revoke()
        count += 1
    for access in AccessToken.objects.filter(**scope):
        access.revoke()
        count += 1
    Grant.objects.filter(**scope).delete()
    IDToken.objects.filter(**scope).delete()
    return count


def stop_sharing(*, person: User, service: ServiceClient, client_address: str | None = None) -> SharingConsent:
    """The person withdraws their consent: the service's tokens stop working at once, and the next
    sign-in asks again."""
    with transaction.atomic():
        consent = (
            SharingConsent.objects.select_for_update()
            .filter(person=person, client=service, withdrawn_at__isnull=True)
            .first()
        )
        if consent is None:
            raise SharingRefused("no_consent")
        consent.withdrawn_at = timezone.now()
        consent.save(update_fields=["withdrawn_at"])
        revoked = _revoke_tokens(application=service.application, person=person)
        record_audit(
            actor=person,
            action="oidc.sharing_stopped",
            subject=person,
            object_type="service_client",
            object_id=service.pk,
            detail={"scopes": consent.scopes, "tokens_revoked": revoked},
            client_address=client_address,
        )
    return consent


def register_client(
    *,
    actor: User,
    name: str,
    redirect_uris: list[str],
    post_logout_redirect_uris: list[str],
    contact_email: str,
    allowed_scopes: list[str],
    sector: str = "",
    client_address: str | None = None,
) -> RegisteredClient:
    _require_admin(actor)
    if not set(allowed_scopes) <= set(CLAIM_SCOPES):
        raise SharingRefused("unknown_scope")
    secret = generate_client_secret()
    with transaction.atomic():
        application = Application(
            name=name,
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            algorithm=Application.RS256_ALGORITHM,
            redirect_uris=" ".join(redirect_uris),
            post_logout_redirect_uris=" ".join(post_logout_redirect_uris),
            client_secret=secret,
            hash_client_secret=True,
            skip_authorization=False,
        )
        application.save()
        service = ServiceClient.objects.create(
            application=application,
            contact_email=contact_email,
            allowed_scopes=sorted(set(allowed_scopes)),
            sector=sector or f"client:{application.client_id}",
            registered_by=actor,
        )
        record_audit(
            actor=actor,
            action="oidc.client_registered",
            object_type="service_client",
            object_id=service.pk,
            detail={
                "name": name,
                "redirect_uris": redirect_uris,
                "post_logout_redirect_uris": post_logout_redirect_uris,
                "allowed_scopes": service.allowed_scopes,
                "sector": service.sector,
            },
            client_address=client_address,
        )
    return RegisteredClient(service=service, client_secret=secret)


def new_client_secret(*, actor: User, service: ServiceClient, client_address: str | None = None) -> RegisteredClient:
    """A new secret replaces the old one at once (the old one stops working)."""
    _require_admin(actor)
    secret = generate_client_secret()
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=service.application_id)
        application.client_secret = secret
        application.save()
        record_audit(
            actor=actor,
            action="oidc.client_secret_replaced",
            object_type="service_client",
            object_id=service.pk,
            client_address=client_address,
        )
    return RegisteredClient(service=service, client_secret=secret)


def disable_client(
    *, actor: User, service: ServiceClient, reason: str, client_address: str | None = None
) -> ServiceClient:
    """Switches the service off: nobody can sign in to it here and its tokens stop working."""
    _require_admin(actor)
    with transaction.atomic():
        service = ServiceClient.objects.select_for_update().get(pk=service.pk)
        if not service.active:
            raise SharingRefused("already_disabled")
        service.disabled_at = timezone.now()
        service.save(update_fields=["disabled_at"])
        revoked = _revoke_tokens(application=service.application)
        record_audit(
            actor=actor,
            action="oidc.client_disabled",
            object_type="service_client",
            object_id=service.pk,
            reason=reason,
            detail={"tokens_revoked": revoked},
            client_address=client_address,
        )
    return service


LOGO_MAX_SIDE = 240
LOGO_MAX_BYTES = 1_000_000
LOGO_MAX_PIXELS = 4_000_000


def _small_logo(upload) -> bytes:
    """A new small JPEG made from the upload's pixels alone (nothing else of the file survives),
    decoded only after its header shows a PNG or JPEG of a sane size, in a decode slot."""
    upload.seek(0)
    data = upload.read(LOGO_MAX_BYTES + 1)
    if not data or len(data) > LOGO_MAX_BYTES:
        raise SharingRefused("logo_unreadable")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=("PNG", "JPEG")) as image:
                if image.width * image.height > LOGO_MAX_PIXELS:
                    raise SharingRefused("logo_unreadable")
                with decode_slot():
                    image.thumbnail((LOGO_MAX_SIDE, LOGO_MAX_SIDE))
                    rgba = image.convert("RGBA")
        except (OSError, Image.DecompressionBombWarning, Image.DecompressionBombError, *DECODER_FAILURES) as error:
            raise SharingRefused("logo_unreadable") from error
    rebuilt = Image.new("RGB", rgba.size, (255, 255, 255))
    rebuilt.paste(rgba, mask=rgba.getchannel("A"))
    output = io.BytesIO()
    rebuilt.save(output, format="JPEG", quality=90, optimize=True)
    return output.getvalue()


def set_client_logo(
    *, actor: User, service: ServiceClient, upload=None, show: bool, client_address: str | None = None
) -> ServiceClient:
    """Replace the service's logo (when `upload` is given) and switch showing it on or off. A
    logo is shown only once one is held."""
    _require_admin(actor)
    logo = _small_logo(upload) if upload is not None else None
    with transaction.atomic():
        service = ServiceClient.objects.select_for_update().get(pk=service.pk)
        if logo is not None:
            service.logo = logo
        if show and not service.logo:
            raise SharingRefused("logo_missing")
        service.show_logo = show
        service.save(update_fields=["logo", "show_logo"])
        record_audit(
            actor=actor,
            action="oidc.client_logo_changed",
            object_type="service_client",
            object_id=service.pk,
            detail={"new_logo": logo is not None, "shown": show},
            client_address=client_address,
        )
    return service
