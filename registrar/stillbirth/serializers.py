"""API shapes of the medical certificate of stillbirth, as hospitals and midwives send it."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from rest_framework import serializers

from core.places import normalise_postcode
from identity.models import RegisterOffice

from ..models import StillbirthCertificate
from . import rules


class StillbirthCertificateRequestSerializer(serializers.Serializer):
    reference = serializers.RegexField(
        r"^[A-Za-z0-9][A-Za-z0-9\-/]{2,39}$",
        help_text="The certificate's own reference, given to the parents (letters, digits, - and /; 3 to 40)",
    )
    mother_given_names = serializers.CharField(max_length=200)
    mother_surname = serializers.CharField(max_length=200)
    mother_date_of_birth = serializers.DateField(required=False, allow_null=True)
    delivered_on = serializers.DateField(help_text="Date of delivery")
    delivered_at = serializers.TimeField(required=False, allow_null=True, help_text="Time of delivery, HH:MM")
    place_of_delivery = serializers.CharField(max_length=300)
    place_of_delivery_postcode = serializers.CharField(
        max_length=10, required=False, allow_blank=True, help_text="Decides the district when `district` is not given"
    )
    district = serializers.SlugRelatedField(
        slug_field="code",
        queryset=RegisterOffice.objects.all(),
        required=False,
        allow_null=True,
        help_text="Register office code of the registration district, e.g. E-LEEDS",
    )
    sex = serializers.ChoiceField(choices=StillbirthCertificate.Sex.choices)
    weeks_of_pregnancy = serializers.IntegerField(
        min_value=1,
        max_value=45,
        help_text=f"Completed weeks of pregnancy; at least {settings.STILLBIRTH_MINIMUM_WEEKS} for a stillbirth",
    )
    weight_grams = serializers.IntegerField(min_value=1, max_value=10000, required=False, allow_null=True)
    cause = serializers.CharField(max_length=2000)
    certifier = serializers.ChoiceField(choices=StillbirthCertificate.Certifier.choices)
    certifier_name = serializers.CharField(max_length=200)
    certifier_registration_number = serializers.RegexField(
        r"^[A-Za-z0-9]{4,20}$", help_text="The doctor's GMC number or the midwife's NMC PIN"
    )

    def validate_reference(self, value: str) -> str:
        value = value.strip().upper()
        if StillbirthCertificate.objects.filter(reference__iexact=value).exists():
            raise serializers.ValidationError("A certificate with this reference has already been sent.")
        return value

    def validate_place_of_delivery_postcode(self, value: str) -> str:
        if not value:
            return ""
        normalised = normalise_postcode(value)
        if normalised is None:
            raise serializers.ValidationError("Enter a real UK postcode, like LS1 3AD.")
        return normalised

    def validate_weeks_of_pregnancy(self, value: int) -> int:
        if not rules.is_stillbirth(value):
            raise serializers.ValidationError(
                f"A baby born dead before {settings.STILLBIRTH_MINIMUM_WEEKS} weeks of pregnancy is not registered "
                "as a stillbirth."
            )
        return value

    def validate(self, data):
        if data["delivered_on"] > timezone.localdate():
            raise serializers.ValidationError({"delivered_on": ["The date of delivery cannot be in the future."]})
        born = data.get("mother_date_of_birth")
        if born and born >= data["delivered_on"]:
            raise serializers.ValidationError(
                {"mother_date_of_birth": ["The mother's date of birth must be before the date of delivery."]}
            )
        return data


class StillbirthCertificateSerializer(serializers.ModelSerializer):
    district = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True, help_text="Null when the place matched no district"
    )

    class Meta:
        model = StillbirthCertificate
        fields = [
            "reference",
            "mother_given_names",
            "mother_surname",
            "mother_date_of_birth",
            "delivered_on",
            "delivered_at",
            "place_of_delivery",
            "district",
            "sex",
            "weeks_of_pregnancy",
            "weight_grams",
            "cause",
            "certifier",
            "certifier_name",
            "certifier_registration_number",
            "received_at",
        ]
