"""The services registered to sign people in here, what each person agreed to share with each, and
a record of every release of their claims (what and when), which the person can see."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oauth2_provider.models import Application


class ServiceClient(models.Model):
    """A local service (parking permits, school admissions...) allowed to sign people in. The
    protocol side (client id, hashed secret, exact redirect URIs) is the library's Application."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="service")
    contact_email = models.EmailField(help_text="Who to tell about a problem with this service.")
    # Claim sets (scopes beyond "openid") the service may ask for; a person is never asked for more.
    allowed_scopes = models.JSONField(default=list, blank=True)
    # Services that share a sector get the same pairwise `sub` for a person; by default each
    # client is its own sector.
    sector = models.CharField(max_length=200)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    registered_at = models.DateTimeField(default=timezone.now)
    disabled_at = models.DateTimeField(null=True, blank=True)
    # The service's logo, rebuilt from its pixels as a small JPEG and served from here (never
    # fetched from the service). Shown on the consent and sign-in pages only when switched on.
    logo = models.BinaryField(blank=True, default=b"", editable=False)
    show_logo = models.BooleanField(default=False)

    class Meta:
        permissions = [("manage_clients", "Can register services that sign people in with their identity")]

    def __str__(self) -> str:
        return self.application.name

    @property
    def name(self) -> str:
        return self.application.name

    @property
    def active(self) -> bool:
        return self.disabled_at is None


class SharingConsent(models.Model):
    """A person's agreement that a service may receive a set of claims. Remembered, so they are
    not asked again for the same set; withdrawn when they stop sharing."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sharing_consents")
    client = models.ForeignKey(ServiceClient, on_delete=models.CASCADE, related_name="consents")
    scopes = models.JSONField(default=list)
    granted_at = models.DateTimeField(default=timezone.now)
    last_shared_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "client"], condition=Q(withdrawn_at__isnull=True), name="one_live_consent_per_service"
            )
        ]

    def __str__(self) -> str:
        return f"consent {self.pk}"


class ClaimRelease(models.Model):
    """One release of a person's claims to a service (an ID token or a userinfo answer): the claim
    names only, never their values."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="claim_releases")
    client = models.ForeignKey(ServiceClient, on_delete=models.CASCADE, related_name="releases")
    claims = models.JSONField(default=list)
    released_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["person", "client", "-released_at"])]
        verbose_name = _("claim release")

    def __str__(self) -> str:
        return f"release {self.pk}"
