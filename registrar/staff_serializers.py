"""Serializers of the staff API for registrar casework: queue filters, cases, decisions,
assignment, entries and corrections. Validation only; the rules are in casework.py."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from . import presentation
from .casework import DECISIONS as CASE_DECISIONS
from .models import CaseAction, EntryCorrection, RegisterEntry, Registration
from .register import current_particulars

REGISTRATION_EVENTS = Registration._meta.get_field("event").choices
DECISIONS = list(CASE_DECISIONS)


class CaseQuerySerializer(serializers.Serializer):
    office = serializers.CharField(required=False, max_length=20, help_text="An office code of yours")
    kind = serializers.ChoiceField(choices=REGISTRATION_EVENTS, required=False)
    reason = serializers.CharField(required=False, max_length=80)
    older_than_days = serializers.IntegerField(required=False, min_value=0, max_value=3650)
    deadline_within_days = serializers.IntegerField(required=False, min_value=0, max_value=366)
    assigned = serializers.ChoiceField(choices=["me", "nobody"], required=False)


class CaseSerializer(serializers.ModelSerializer):
    district = serializers.CharField(source="district.code", allow_null=True)
    assigned_to = serializers.EmailField(source="assigned_to.email", allow_null=True, default=None)
    status_in_words = serializers.CharField(source="get_status_display", read_only=True)
    reasons_in_words = serializers.SerializerMethodField(help_text="`reasons` in words, in the request's language")

    class Meta:
        model = Registration
        fields = [
            "reference",
            "event",
            "status",
            "status_in_words",
            "district",
            "event_date",
            "deadline",
            "submitted_at",
            "reasons",
            "reasons_in_words",
            "assigned_to",
        ]

    def get_reasons_in_words(self, registration) -> list[str]:
        return [presentation.reason_in_words(code) for code in registration.reasons or []]


class CaseActionSerializer(serializers.ModelSerializer):
    actor = serializers.EmailField(source="actor.email", allow_null=True, default=None)
    assignee = serializers.EmailField(source="assignee.email", allow_null=True, default=None)

    class Meta:
        model = CaseAction
        fields = ["kind", "text", "actor", "assignee", "at"]


class DuplicateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["entry", "registration"])
    reference = serializers.CharField()
    district = serializers.CharField()
    event_date = serializers.DateField(allow_null=True)


class ToldSerializer(serializers.Serializer):
    event_id = serializers.UUIDField()
    kind = serializers.CharField()
    integrator = serializers.CharField()
    status = serializers.CharField()
    published_at = serializers.DateTimeField()
    delivered_at = serializers.DateTimeField(allow_null=True)


class LabelledAnswerSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The question's key in `answers`")
    label = serializers.CharField(help_text="The question as its page asks it")
    value = serializers.CharField(help_text="The answer in words, as the check-answers page shows it")


class LabelledStepSerializer(serializers.Serializer):
    step = serializers.CharField()
    title = serializers.CharField()
    answers = LabelledAnswerSerializer(many=True)


class CaseDetailSerializer(CaseSerializer):
    informant = serializers.EmailField(source="informant.email")
    answers = serializers.DictField()
    answers_in_words = serializers.SerializerMethodField(
        help_text="The same answers in words, in the request's language: by step, each labelled"
    )
    actions = CaseActionSerializer(source="case_actions", many=True)
    decisions = serializers.ListField(child=serializers.ChoiceField(choices=DECISIONS), help_text="Open to you now")
    duplicates = DuplicateSerializer(many=True)
    told = ToldSerializer(many=True, help_text="Integrators told of this registration's events")
    identity_case = serializers.CharField(allow_null=True, help_text="The informant's identity check")

    class Meta(CaseSerializer.Meta):
        fields = [
            *CaseSerializer.Meta.fields,
            "informant",
            "answers",
            "answers_in_words",
            "actions",
            "decisions",
            "duplicates",
            "told",
            "identity_case",
        ]

    @extend_schema_field(LabelledStepSerializer(many=True))
    def get_answers_in_words(self, registration) -> list[dict]:
        return presentation.labelled_answers(registration)


class DecisionRequestSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=DECISIONS)
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="Needed for every decision but `register`; for `request_information`, the question",
    )


class AssignRequestSerializer(serializers.Serializer):
    assignee = serializers.CharField(max_length=254, help_text="`me`, or a colleague's email address")


class CorrectionSerializer(serializers.ModelSerializer):
    corrected_by = serializers.EmailField(source="corrected_by.email")

    class Meta:
        model = EntryCorrection
        fields = ["field", "old_value", "new_value", "reason", "evidence", "corrected_by", "corrected_at"]


class LabelledParticularSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The particular's key in `particulars`")
    label = serializers.CharField()
    registered = serializers.CharField(help_text="As registered, in words")
    now = serializers.CharField(help_text="As it now reads with corrections, in words")


class ParticularGroupSerializer(serializers.Serializer):
    title = serializers.CharField()
    rows = LabelledParticularSerializer(many=True)


class EntrySerializer(serializers.ModelSerializer):
    reference = serializers.CharField(source="entry_reference")
    district = serializers.CharField(source="district.code")
    registration = serializers.CharField(source="registration.reference", allow_null=True, default=None)
    current_particulars = serializers.SerializerMethodField()
    particulars_in_words = serializers.SerializerMethodField(
        help_text="The particulars in words, in the request's language, grouped as the register groups them"
    )
    corrections = CorrectionSerializer(many=True)

    class Meta:
        model = RegisterEntry
        fields = [
            "reference",
            "district",
            "event",
            "year",
            "number",
            "event_date",
            "surname",
            "forenames",
            "particulars",
            "current_particulars",
            "particulars_in_words",
            "corrections",
            "registration",
            "registered_at",
            "registered_automatically",
            "late_authority",
        ]

    def get_current_particulars(self, entry) -> dict[str, str]:
        return current_particulars(entry)

    @extend_schema_field(ParticularGroupSerializer(many=True))
    def get_particulars_in_words(self, entry) -> list[dict]:
        sections = presentation.particular_sections(entry.event, entry.particulars or {}, current_particulars(entry))
        return [
            {
                "title": section.title,
                "rows": [
                    {"key": row.key, "label": row.label, "registered": row.registered, "now": row.now}
                    for row in section.rows
                ],
            }
            for section in sections
        ]


class EntryQuerySerializer(serializers.Serializer):
    reference = serializers.CharField(
        max_length=60, help_text="An entry reference (E-LEEDS/B/2026/000123) or a registration reference"
    )


class CorrectionRequestSerializer(serializers.Serializer):
    field = serializers.CharField(max_length=80)
    new_value = serializers.CharField(max_length=500)
    reason = serializers.CharField(max_length=2000)
    evidence = serializers.CharField(max_length=2000)
