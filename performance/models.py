"""What the service learns from the people who use it: the one-question survey at the end of each
journey. A response holds the journey, the rating, an optional comment and the day it was given —
no account, no address, no time of day — so it cannot be tied back to whoever gave it."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Journey(models.TextChoices):
    BIRTH = "birth", _("Register a birth")
    DEATH = "death", _("Register a death")
    NOTICE = "notice", _("Give notice of marriage or civil partnership")
    CEREMONY_BOOKING = "ceremony_booking", _("Book a ceremony")
    CERTIFICATE_ORDER = "certificate_order", _("Order a certificate")
    IDENTITY_CHECK = "identity_check", _("Prove your identity")


class Rating(models.IntegerChoices):
    # The GOV.UK "Give feedback" pattern's five levels, best first.
    VERY_SATISFIED = 5, _("Very satisfied")
    SATISFIED = 4, _("Satisfied")
    NEITHER = 3, _("Neither satisfied or dissatisfied")
    DISSATISFIED = 2, _("Dissatisfied")
    VERY_DISSATISFIED = 1, _("Very dissatisfied")


# User satisfaction is the share of responses at these levels (GOV.UK Service Manual).
SATISFIED_RATINGS = frozenset({Rating.VERY_SATISFIED, Rating.SATISFIED})
COMMENT_MAX = 1200


class FeedbackResponse(models.Model):
    """One answer to "Overall, how did you feel about the service you received today?"."""

    journey = models.CharField(max_length=20, choices=Journey.choices)
    rating = models.PositiveSmallIntegerField(choices=Rating.choices)
    comment = models.TextField(blank=True, max_length=COMMENT_MAX)
    # The day only: a time of day could be matched to a person's journey in the logs.
    given_on = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["-given_on", "-id"]
        indexes = [
            models.Index(fields=["journey", "given_on"], name="feedback_journey_day"),
            models.Index(fields=["given_on"], name="feedback_day"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1) & Q(rating__lte=5), name="feedback_rating_1_to_5"),
            models.CheckConstraint(
                condition=Q(journey__in=[choice.value for choice in Journey]), name="feedback_known_journey"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_rating_display()} on {self.get_journey_display()} ({self.given_on})"


class DayCount(models.Model):
    """One closed day's counts of one journey, for one registration district or (district empty)
    for England and Wales, as the performance page's selector counts them from the live tables;
    written by the `summarise_closed_days` task so that the page adds up a year of days instead
    of counting a year of rows. The national rows also hold the day's survey answers, and the
    national row of MESSAGES the messages sent that day; that row is written for every day
    summarised, so its presence says the day is."""

    MESSAGES = "messages"

    day = models.DateField()
    journey = models.CharField(max_length=20)
    district = models.ForeignKey(
        "identity.RegisterOffice", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    started = models.PositiveIntegerField(default=0)
    finished = models.PositiveIntegerField(default=0)
    by_phone_support = models.PositiveIntegerField(default=0)
    by_registrar = models.PositiveIntegerField(default=0)
    registrar_cases = models.PositiveIntegerField(default=0)
    responses = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)
    messages = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["district", "day"], name="day_count_district_day")]
        constraints = [
            models.CheckConstraint(
                condition=Q(journey__in=[*(choice.value for choice in Journey), "messages"]),
                name="day_count_known_journey",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.journey} on {self.day} ({self.district_id or 'England and Wales'})"


class SummaryMark(models.Model):
    """When the summary of closed days last began to look (one row). The next run recounts the
    closed days the summary lacks and the days of the journeys changed since then, and no other:
    a day summarised once is not counted again unless one of its journeys has moved."""

    looked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"summary last looked at {self.looked_at}"
