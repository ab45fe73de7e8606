"""API shapes for registrations: medical certificates sent by medical examiners, the coroner's
release, a citizen's own registrations, and the one error body."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

from core.places import normalise_postcode
from identity.models import RegisterOffice

from . import answers as answers_module
from . import rules
from .models import Event, MedicalCertificate, Registration


class MedicalCertificateRequestSerializer(serializers.Serializer):
    reference = serializers.RegexField(
        r"^[A-Za-z0-9][A-Za-z0-9\-/]{2,39}$",
        help_text="The MCCD's own reference, given to the family (letters, digits, - and /; 3 to 40)",
    )
    deceased_given_names = serializers.CharField(max_length=200)
    deceased_surname = serializers.CharField(max_length=200)
    deceased_date_of_birth = serializers.DateField(required=False, allow_null=True)
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
        help_text="Register office code of the registration district, e.g. E-LEEDS",
    )
    cause_of_death = serializers.CharField(max_length=2000)
    certifying_practitioner = serializers.CharField(max_length=200)
    medical_examiner = serializers.CharField(max_length=200)
    referred_to_coroner = serializers.BooleanField(default=False)
    written_notice_given = serializers.BooleanField(
        default=False,
        help_text="The registrar has been told in writing that the MCCD was issued: the family has 9 more days",
    )

    def validate_reference(self, value: str) -> str:
        value = value.strip().upper()
        if MedicalCertificate.objects.filter(reference__iexact=value).exists():
            raise serializers.ValidationError("A certificate with this reference has already been sent.")
        return value

    def validate_place_of_death_postcode(self, value: str) -> str:
        if not value:
            return ""
        normalised = normalise_postcode(value)
        if normalised is None:
            raise serializers.ValidationError("Enter a real UK postcode, like LS1 3AD.")
        return normalised

    def validate(self, data):
        today = timezone.localdate()
        if data["date_of_death"] > today:
            raise serializers.ValidationError({"date_of_death": ["The date of death cannot be in the future."]})
        born = data.get("deceased_date_of_birth")
        if born and born > data["date_of_death"]:
            raise serializers.ValidationError(
                {"deceased_date_of_birth": ["The date of birth must be on or before the date of death."]}
            )
        return data


class MedicalCertificateSerializer(serializers.ModelSerializer):
    district = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True, help_text="Null when the place matched no district"
    )
    blocks_registration = serializers.BooleanField(read_only=True)

    class Meta:
        model = MedicalCertificate
        fields = [
            "reference",
            "deceased_given_names",
            "deceased_surname",
            "deceased_date_of_birth",
            "date_of_death",
            "place_of_death",
            "district",
            "cause_of_death",
            "certifying_practitioner",
            "medical_examiner",
            "received_at",
            "extension_notified_at",
            "referred_to_coroner",
            "coroner_released_at",
            "inquest_open",
            "blocks_registration",
        ]


class CoronerReleaseSerializer(serializers.Serializer):
    inquest_open = serializers.BooleanField(
        default=False, help_text="An inquest is open: only an interim certificate of the fact of death is issued"
    )


class NewRegistrationSerializer(serializers.Serializer):
    event = serializers.ChoiceField(choices=[Event.BIRTH.value, Event.DEATH.value, Event.STILLBIRTH.value])


class SubmitSerializer(serializers.Serializer):
    declaration = serializers.BooleanField(
        help_text="true: the informant declares the answers true to the best of their knowledge and belief"
    )

    def validate_declaration(self, value: bool) -> bool:
        if not value:
            raise serializers.ValidationError("Confirm the declaration to send the registration.")
        return value


class RegistrationSerializer(serializers.ModelSerializer):
    district = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True, help_text="Null until the place decides the district"
    )
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    next_step = serializers.SerializerMethodField(help_text="The next question to answer, or null when sent")
    missing_steps = serializers.SerializerMethodField()
    steps = serializers.SerializerMethodField(help_text="The steps this registration asks, in order")
    answers = serializers.SerializerMethodField(help_text="Answers by step (see registrar/answers.py)")
    entry = serializers.SerializerMethodField(help_text="The register entry, once registered")
    tell_us_once = serializers.SerializerMethodField(help_text="Deaths, once registered: reference and last day")
    late = serializers.SerializerMethodField(help_text="in_time, late, special_procedure or needs_authority")

    class Meta:
        model = Registration
        fields = [
            "reference",
            "event",
            "status",
            "status_label",
            "district",
            "event_date",
            "deadline",
            "late",
            "created_at",
            "submitted_at",
            "decided_at",
            "next_step",
            "missing_steps",
            "steps",
            "answers",
            "entry",
            "tell_us_once",
        ]

    def _editable(self, registration) -> bool:
        return registration.status in Registration.EDITABLE

    def get_next_step(self, registration) -> str | None:
        return answers_module.next_step(registration) if self._editable(registration) else None

    def get_missing_steps(self, registration) -> list[str]:
        return answers_module.missing_steps(registration) if self._editable(registration) else []

    def get_steps(self, registration) -> list[str]:
        return [step.name for step in answers_module.steps_for(registration)]

    def get_answers(self, registration) -> dict:
        # The journey's own records (underscore keys) are not answers.
        return {key: value for key, value in (registration.answers or {}).items() if not key.startswith("_")}

    def get_entry(self, registration) -> str | None:
        entry = getattr(registration, "entry", None) if registration.status == Registration.Status.REGISTERED else None
        return entry.entry_reference if entry else None

    def get_tell_us_once(self, registration) -> dict | None:
        after = (registration.answers or {}).get("_after_death")
        if not after:
            return None
        return {"reference": after.get("tell_us_once"), "valid_until": after.get("tell_us_once_expires")}

    def get_late(self, registration) -> str:
        if registration.event_date is None:
            return rules.IN_TIME
        return rules.lateness(
            event=registration.event,
            event_date=registration.event_date,
            deadline=registration.deadline,
            today=rules.local_today(),
        )
