"""The hash-chained audit log and the signed checkpoints that anchor it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from .accounts import User


class AuditEntry(models.Model):
    """One line of the append-only audit log. Each entry carries the keyed hash of the one
    before, so editing, deleting or reordering entries is detected by `manage.py verify_audit`;
    on PostgreSQL a trigger refuses UPDATE, DELETE and TRUNCATE (migration 0008)."""

    sequence = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField()
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor_email = models.CharField(max_length=254, blank=True)
    on_behalf_of = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    subject = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+", help_text="Whose data it was."
    )
    reason = models.CharField(max_length=500, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    client_address = models.GenericIPAddressField(null=True, blank=True)
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)
    # Which AUDIT_CHAIN_KEYS secret keyed entry_hash; "" for the unkeyed SHA-256 entries written
    # before the chain was keyed, accepted only up to the point the first checkpoint sealed.
    key_id = models.CharField(max_length=40, blank=True, default="")

    class Meta:
        ordering = ["sequence"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} by {self.actor_email or 'system'}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Audit entries cannot be deleted.")


class AuditCheckpoint(models.Model):
    """A signed checkpoint of the audit log's head, written to the audit_checkpoints storage
    where the database cannot rewrite it. This row only says where it is: `verify_audit`
    trusts the storage copy and its signature, never this table."""

    sequence = models.PositiveBigIntegerField(unique=True)
    entry_hash = models.CharField(max_length=64)
    entry_count = models.PositiveBigIntegerField()
    written_at = models.DateTimeField()
    storage_name = models.CharField(max_length=200, unique=True)
    signing_key_id = models.CharField(max_length=40)

    class Meta:
        ordering = ["sequence"]

    def __str__(self) -> str:
        return f"checkpoint at #{self.sequence} ({self.storage_name})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError("Audit checkpoints cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Audit checkpoints cannot be deleted.")
