"""API shapes for giving notice online: starting a proposal, inviting and accepting, the
proposal with both notices (a person sees their own answers, never the other person's), and
the upload of the evidence that an earlier marriage ended. Answers are validated by the pages'
own forms (`notice_forms`), not here."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.openapi import PostcodeField

from ..models import Notice, Proposal
from . import notice_selectors as selectors


class NewProposalSerializer(serializers.Serializer):
    """Either `booking` (a provisional ceremony of yours) and `kind`, or a religious marriage's
    building, its postcode and the intended date."""

    booking = serializers.CharField(
        required=False, max_length=20, help_text="The reference of your provisionally booked ceremony"
    )
    kind = serializers.ChoiceField(
        choices=Proposal.Kind.values, required=False, help_text="With `booking`: marriage or civil partnership"
    )
    building_name = serializers.CharField(required=False, max_length=120, help_text="A religious marriage")
    building_address = serializers.CharField(required=False, max_length=150)
    postcode = PostcodeField(required=False, help_text="The building's postcode: it decides the district")
    intended_date = serializers.DateField(required=False)


class InvitationSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254, help_text="The other person's email address: the link is sent there")


class AcceptSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=500, help_text="The token of the link in the invitation email")


class EvidenceSerializer(serializers.Serializer):
    photo = serializers.FileField(help_text="A photo of the final order, decree absolute or death certificate")


class NoticeSerializer(serializers.ModelSerializer):
    """A notice: everything for its own person; for the other person only its stage."""

    status_label = serializers.SerializerMethodField(help_text="The stage, in words")
    yours = serializers.SerializerMethodField()
    answers = serializers.SerializerMethodField(help_text="Your answers by step (registrar/marriage/answers.py)")
    missing_steps = serializers.SerializerMethodField()
    next_step = serializers.SerializerMethodField(help_text="The next question to answer, or null")
    evidence_needed = serializers.SerializerMethodField(
        help_text="Evidence that an earlier marriage ended must still be uploaded"
    )
    death_found_in_register = serializers.SerializerMethodField()
    exempt = serializers.SerializerMethodField(help_text="Exempt from immigration control, once sent")

    class Meta:
        model = Notice
        fields = [
            "reference",
            "position",
            "status",
            "status_label",
            "yours",
            "sent_at",
            "answers",
            "missing_steps",
            "next_step",
            "evidence_needed",
            "death_found_in_register",
            "exempt",
        ]

    def _yours(self, notice: Notice) -> bool:
        user = self.context.get("user")
        return bool(user and notice.person_id == user.pk)

    def get_status_label(self, notice: Notice) -> str:
        return selectors.notice_stage(notice)

    def get_yours(self, notice: Notice) -> bool:
        return self._yours(notice)

    @extend_schema_field({"type": "object", "nullable": True, "additionalProperties": True})
    def get_answers(self, notice: Notice) -> dict | None:
        return dict(notice.answers or {}) if self._yours(notice) else None

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_missing_steps(self, notice: Notice) -> list[str]:
        if not self._yours(notice) or notice.status != Notice.Status.DRAFT:
            return []
        return selectors.missing_steps(notice)

    @extend_schema_field({"type": "string", "nullable": True})
    def get_next_step(self, notice: Notice) -> str | None:
        if not self._yours(notice) or notice.status != Notice.Status.DRAFT:
            return None
        return selectors.next_step(notice)

    @extend_schema_field({"type": "boolean", "nullable": True})
    def get_evidence_needed(self, notice: Notice) -> bool | None:
        return selectors.evidence_needed(notice) if self._yours(notice) else None

    @extend_schema_field({"type": "boolean", "nullable": True})
    def get_death_found_in_register(self, notice: Notice) -> bool | None:
        return notice.former_partner_death_id is not None if self._yours(notice) else None

    @extend_schema_field({"type": "boolean", "nullable": True})
    def get_exempt(self, notice: Notice) -> bool | None:
        return notice.exempt if self._yours(notice) else None


class ProposalSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    district = serializers.SlugRelatedField(slug_field="code", read_only=True)
    ceremony = serializers.SlugRelatedField(
        slug_field="reference", read_only=True, allow_null=True, help_text="The ceremony booking, for a civil one"
    )
    venue = serializers.SerializerMethodField(help_text="The venue the notices name")
    ceremony_date = serializers.SerializerMethodField()
    notices = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = [
            "reference",
            "kind",
            "kind_label",
            "form",
            "status",
            "status_label",
            "district",
            "ceremony",
            "venue",
            "ceremony_date",
            "notices",
        ]

    def get_venue(self, proposal: Proposal) -> str:
        return selectors.venue_words(proposal)

    @extend_schema_field(OpenApiTypes.DATE)
    def get_ceremony_date(self, proposal: Proposal):
        return selectors.ceremony_date(proposal)

    @extend_schema_field(NoticeSerializer(many=True))
    def get_notices(self, proposal: Proposal) -> list[dict]:
        notices = sorted(proposal.notices.all(), key=lambda notice: notice.position)
        return NoticeSerializer(notices, many=True, context=self.context).data


STEP_BODY_HELP = (
    "The step's answers as a JSON object, as the page's form takes them (dates as YYYY-MM-DD, yes/no as "
    f'booleans); `parents` takes `{{"parents": [{{"forenames", "surname", "occupation"}}]}}` with 1 to '
    f'{settings.NOTICE_PARENTS_MAX} parents, `declaration` takes `{{"confirmed": true}}`.'
)
