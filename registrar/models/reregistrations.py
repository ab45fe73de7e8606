"""Re-registration of a birth: `ReRegistration` is the journey (the parents' online one, or a
registrar's from a court order or statutory declaration), and `EntryReRegistration` the
write-once mark beside the original entry, naming the new entry that replaced it. The original
entry itself is never changed (REGISTRATION-RULES.md "Re-registration and inquests")."""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.status import StatusMachine
from identity.models import User

from .registrations import RegisterEntry, WriteOnceModel


def reregistration_scan_path(instance: ReRegistration, filename: str) -> str:
    """A random name: nothing the uploader sent, name or extension, reaches the disk."""
    return f"reregistrations/{secrets.token_hex(16)}.jpg"


class ReRegistrationReason(models.TextChoices):
    LEGITIMATION = "legitimation", _("The parents married after the birth")
    ADD_PARENT = "add_parent", _("To name the father or second parent")
    COURT_ORDER = "court_order", _("A court order")
    STATUTORY_DECLARATION = "statutory_declaration", _("A statutory declaration")


# The parents' own reasons online; the others are a registrar's, from a document.
CITIZEN_REASONS = (ReRegistrationReason.LEGITIMATION, ReRegistrationReason.ADD_PARENT)
DOCUMENT_REASONS = (ReRegistrationReason.COURT_ORDER, ReRegistrationReason.STATUTORY_DECLARATION)


class ReRegistration(StatusMachine, models.Model):
    """One re-registration of a birth entry. Online: the parent named on the entry starts it,
    gives the new particulars and confirms them, then the other parent (invited by a signed
    link) verifies their identity and confirms; only then is the new entry written. A
    registrar's re-registration from a court order or statutory declaration is written at once."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Not yet sent to the other parent")
        AWAITING_OTHER_PARENT = "awaiting_other_parent", _("Waiting for the other parent")
        REGISTERED = "registered", _("Re-registered")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN = frozenset({Status.DRAFT, Status.AWAITING_OTHER_PARENT})
    TRANSITIONS = {
        "invite": (frozenset({Status.DRAFT}), Status.AWAITING_OTHER_PARENT),
        "other_parent_declined": (frozenset({Status.AWAITING_OTHER_PARENT}), Status.DRAFT),
        "change": (frozenset({Status.AWAITING_OTHER_PARENT}), Status.DRAFT),
        "register": (OPEN, Status.REGISTERED),
        "cancel": (OPEN, Status.CANCELLED),
    }

    reference = models.CharField(max_length=20, unique=True)
    original = models.ForeignKey(RegisterEntry, on_delete=models.PROTECT, related_name="reregistrations")
    reason = models.CharField(max_length=30, choices=ReRegistrationReason.choices)
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.DRAFT)
    # The new particulars asked for: the other parent's names, place of birth and occupation,
    # the child's surname from now on, and for legitimation the marriage's date and place.
    particulars = models.JSONField(default=dict, blank=True)
    # Legitimation: the marriage or civil partnership entry of the parents, when exactly one matched.
    marriage_entry = models.ForeignKey(RegisterEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The parent named on the entry who started it (online), or the one present (registrar).
    first_parent = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="reregistrations_started"
    )
    first_parent_name = models.CharField(max_length=300, blank=True)
    first_confirmed_at = models.DateTimeField(null=True, blank=True)
    other_parent = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="reregistrations_joined"
    )
    other_parent_email = models.EmailField(blank=True)
    invitation_nonce = models.CharField(max_length=64, blank=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    other_confirmed_at = models.DateTimeField(null=True, blank=True)
    declined_reason = models.TextField(blank=True)
    # A registrar's re-registration: the document seen and its scan.
    registrar = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    evidence = models.TextField(blank=True)
    scan = models.FileField(upload_to=reregistration_scan_path, blank=True)
    new_entry = models.OneToOneField(
        RegisterEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="reregistration_journey"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["original"],
                condition=Q(status__in=["draft", "awaiting_other_parent"]),
                name="one_open_reregistration_per_entry",
            ),
        ]

    def __str__(self) -> str:
        return f"Re-registration {self.reference} ({self.get_status_display()})"


class EntryReRegistration(WriteOnceModel):
    """The mark beside an original entry that it was re-registered: the new entry, why, on what
    evidence, by whom and when. Written once by `register.write_reregistration` with the new
    entry; the original entry is untouched, and its public index line is no longer shown."""

    original = models.OneToOneField(RegisterEntry, on_delete=models.PROTECT, related_name="reregistered")
    new_entry = models.OneToOneField(RegisterEntry, on_delete=models.PROTECT, related_name="reregistration_of")
    reason = models.CharField(max_length=30, choices=ReRegistrationReason.choices)
    evidence = models.TextField()
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(original=models.F("new_entry")), name="reregistration_new_entry_differs"
            ),
        ]

    def __str__(self) -> str:
        return f"Entry {self.original_id} re-registered as {self.new_entry_id}"
