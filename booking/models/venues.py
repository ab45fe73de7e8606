"""Venues (register offices and approved premises) and their rooms: where a booking takes place."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from identity.models import RegisterOffice


class Venue(models.Model):
    class Kind(models.TextChoices):
        REGISTER_OFFICE = "register_office", _("Register office")
        APPROVED_PREMISES = "approved_premises", _("Approved premises")

    code = models.CharField(max_length=30, unique=True)
    name = models.CharField(max_length=200)
    welsh_name = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    office = models.ForeignKey(RegisterOffice, on_delete=models.PROTECT, related_name="venues")
    address = models.CharField(max_length=300)
    postcode = models.CharField(max_length=10)
    latitude = models.DecimalField(max_digits=8, decimal_places=5)
    longitude = models.DecimalField(max_digits=8, decimal_places=5)
    capacity = models.PositiveIntegerField()
    accessibility_notes = models.TextField(blank=True)
    ceremony_fee_pence = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def ceremony_fee_pounds(self) -> str:
        return f"£{self.ceremony_fee_pence / 100:,.2f}"


class Room(models.Model):
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="rooms")
    name = models.CharField(max_length=100)
    capacity = models.PositiveIntegerField()

    class Meta:
        ordering = ["venue", "name"]
        constraints = [models.UniqueConstraint(fields=["venue", "name"], name="room_name_unique_per_venue")]

    def __str__(self) -> str:
        return f"{self.name}, {self.venue.name}"
