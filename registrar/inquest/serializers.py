"""API shapes for coroners' certificates: what a coroner sends, and what the API answers."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

from core.places import normalise_postcode
from identity.models import RegisterOffice

from ..models import CoronerCertificate, MedicalCertificate


class CoronerCertificateRequestSerializer(serializers.Serializer):
    reference = serializers.RegexField(
        r"^[A-Za-z0-9][A-Za-z0-9\-]{2,39}$",
        help_text="The coroner's own reference for this certificate (letters, digits and -; 3 to 40)",
    )
    kind = serializers.ChoiceField(
        choices=CoronerCertificate.Kind.choices,
        help_text="after_inquest: the death is registered from it; interim_fact_of_death: the inquest is open",
    )
    deceased_given_names = serializers.CharField(max_length=200)
    deceased_surname = serializers.CharField(max_length=200)
    deceased_maiden_surname = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    deceased_date_of_birth = serializers.DateField(required=False, allow_null=True, default=None)
    sex = serializers.ChoiceField(choices=CoronerCertificate.Sex.choices)
    date_of_death = serializers.DateField()
    place_of_death = serializers.CharField(max_length=300)
    place_of_death_postcode = serializers.CharField(
        max_length=10, required=False, allow_blank=True, help_text="Decides the district when `district` is not given"
    )
    district = serializers.SlugRelatedField(
        slug_field="code",
        queryset=RegisterOffice.objects.all(),
        required=False,
        allow_null=True,
        help_text="Register office code of the district of the place of death, e.g. E-LEEDS",
    )
    occupation = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    usual_address = serializers.CharField(max_length=400, required=False, allow_blank=True, default="")
    cause_of_death = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default="", help_text="As found (after inquest: needed)"
    )
    conclusion = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default="", help_text="After inquest: the conclusion"
    )
    coroner_name = serializers.CharField(max_length=200)
    coroner_area = serializers.CharField(max_length=200, help_text="e.g. West Yorkshire (Eastern)")
    inquest_date = serializers.DateField(help_text="After inquest: the day it was held; interim: the day it opened")
    family_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    family_email = serializers.EmailField(
        required=False, allow_blank=True, help_text="The next of kin or contact who is told"
    )
    mccd_reference = serializers.CharField(
        max_length=40, required=False, allow_blank=True, default="", help_text="The MCCD the coroner was referred"
    )

    def validate_reference(self, value: str) -> str:
        return value.strip().upper()

    def validate_place_of_death_postcode(self, value: str) -> str:
        if not value:
            return ""
        normalised = normalise_postcode(value)
        if normalised is None:
            raise serializers.ValidationError("Enter a real UK postcode, like LS1 3AD.")
        return normalised

    def validate_mccd_reference(self, value: str) -> MedicalCertificate | None:
        value = value.strip().upper()
        if not value:
            return None
        certificate = MedicalCertificate.objects.filter(reference__iexact=value).first()
        if certificate is None:
            raise serializers.ValidationError("No medical certificate of cause of death has this reference.")
        return certificate

    def validate(self, data):
        today = timezone.localdate()
        errors: dict[str, list[str]] = {}
        if data["date_of_death"] > today:
            errors["date_of_death"] = ["The date of death cannot be in the future."]
        born = data.get("deceased_date_of_birth")
        if born and born > data["date_of_death"]:
            errors["deceased_date_of_birth"] = ["The date of birth must be on or before the date of death."]
        if data["inquest_date"] > today:
            errors["inquest_date"] = ["The date of the inquest cannot be in the future."]
        elif data["inquest_date"] < data["date_of_death"]:
            errors["inquest_date"] = ["The inquest cannot be before the death."]
        if data["kind"] == CoronerCertificate.Kind.AFTER_INQUEST:
            for name, message in (
                ("cause_of_death", "Give the cause of death as the inquest found it."),
                ("conclusion", "Give the inquest's conclusion."),
            ):
                if not data.get(name, "").strip():
                    errors[name] = [message]
        if errors:
            raise serializers.ValidationError(errors)
        return data


class CoronerCertificateSerializer(serializers.ModelSerializer):
    district = serializers.SlugRelatedField(slug_field="code", read_only=True)
    medical_certificate = serializers.SlugRelatedField(slug_field="reference", read_only=True, allow_null=True)
    registration = serializers.SlugRelatedField(
        slug_field="reference", read_only=True, allow_null=True, help_text="The family's registration it released"
    )
    entry = serializers.SerializerMethodField(help_text="The register entry, once the death is registered")

    class Meta:
        model = CoronerCertificate
        fields = [
            "reference",
            "kind",
            "status",
            "deceased_given_names",
            "deceased_surname",
            "date_of_death",
            "district",
            "coroner_name",
            "coroner_area",
            "inquest_date",
            "medical_certificate",
            "registration",
            "received_at",
            "entry",
        ]

    def get_entry(self, certificate) -> str | None:
        return certificate.entry.entry_reference if certificate.entry_id else None


class RegisteredFromCertificateSerializer(serializers.Serializer):
    certificate = serializers.CharField()
    entry = serializers.CharField()
    registration = serializers.CharField(allow_null=True)
