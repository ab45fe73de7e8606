"""The shapes of the open data API: the question (a year) and the answer (a published table)."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

from .forms import FIRST_YEAR


class OpenDataQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(
        required=False, min_value=FIRST_YEAR, help_text="Year of registration; this year when left out."
    )
    format = serializers.ChoiceField(choices=["json", "csv"], required=False, help_text="`csv` for a CSV file.")

    def validate_year(self, year: int) -> int:
        if year > timezone.localdate().year:
            raise serializers.ValidationError(f"Ask for a year up to {timezone.localdate().year}.")
        return year


class OpenDataSerializer(serializers.Serializer):
    dataset = serializers.CharField()
    title = serializers.CharField()
    year = serializers.IntegerField()
    threshold = serializers.IntegerField(help_text="Counts below this, and any count that would reveal one, are null.")
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(
        child=serializers.DictField(child=serializers.JSONField(allow_null=True)),
        help_text="One row per period and area (the last area of each period is `E+W`, England and Wales); "
        "a suppressed count is null (in the CSV, `[c]`).",
    )
