"""Assisted digital (phone support): consent codes, assisted sessions and support notes."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from .accounts import User

# --- Assisted digital (phone support) ---------------------------------------------------------------


class ConsentCode(models.Model):
    """A short code a person reads out to phone support to let them act on their case. Shown on
    the person's account page (or sent by text on request); single use; only a keyed hash is kept."""

    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consent_codes")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    wrong_attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    killed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["person", "created_at"])]

    def __str__(self) -> str:
        return f"Consent code for {self.person} ({self.created_at:%Y-%m-%d %H:%M})"


class ConsentFailure(models.Model):
    """A wrong consent code entered by a staff member, counted per staff member and per person."""

    staff = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["staff", "at"]), models.Index(fields=["person", "at"])]

    def __str__(self) -> str:
        return f"Wrong consent code by {self.staff} for {self.person} at {self.at:%Y-%m-%d %H:%M}"


class AssistedSession(models.Model):
    """Phone support acting for one person, with that person's consent, for a limited time.
    Everything done in it is audited as "done by staff on behalf of person"."""

    staff = models.ForeignKey(User, on_delete=models.PROTECT, related_name="assisted_sessions")
    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="assisted_sessions_for")
    consent = models.OneToOneField(ConsentCode, on_delete=models.PROTECT, related_name="session")
    opened_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(staff=models.F("person")), name="assisted_session_not_for_oneself"),
        ]

    def __str__(self) -> str:
        return f"{self.staff} helping {self.person} from {self.opened_at:%Y-%m-%d %H:%M}"

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.closed_at is None and self.expires_at > now


class SupportNote(models.Model):
    """What phone support recorded about a call, optionally raised to a registrar to look at.
    Written without an assisted session, so it holds only what the caller said."""

    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="support_notes")
    staff = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    for_registrar = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["for_registrar", "handled_at", "created_at"])]

    def __str__(self) -> str:
        return f"Support note on {self.person} by {self.staff} ({self.created_at:%Y-%m-%d %H:%M})"
