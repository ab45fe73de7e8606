"""How far a replay has gone: items done per kind and day, so a rerun carries on from there."""

from __future__ import annotations

from django.db import models


class ReplayProgress(models.Model):
    """Items of one kind replayed on one day of the period (copies for certificates) by one share
    of the replay's processes. A replay is named by its seed and scale: another seed or scale is
    another replay. Its items are dealt to `shares` processes in turn (item i to share i mod
    shares), each with rows of its own, so no two processes ever write one row."""

    seed = models.PositiveIntegerField()
    scale = models.CharField(max_length=20)
    kind = models.CharField(max_length=20)
    day = models.PositiveIntegerField()
    share = models.PositiveIntegerField(default=0)
    shares = models.PositiveIntegerField(default=1)
    planned = models.PositiveIntegerField()
    done = models.PositiveIntegerField(default=0)
    cpu_seconds = models.FloatField(default=0.0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["seed", "scale", "kind", "day", "share"], name="replay_progress_share_unique"
            ),
            models.CheckConstraint(condition=models.Q(share__lt=models.F("shares")), name="replay_share_lt_shares"),
            models.CheckConstraint(condition=models.Q(done__lte=models.F("planned")), name="replay_done_le_planned"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} day {self.day} share {self.share + 1}/{self.shares}: {self.done}/{self.planned}"
