"""API request and response shapes for signing in and the identity check."""

from rest_framework import serializers

from core.names import max_length
from core.openapi import PostcodeField

from .checks import REASONS
from .models import AddressDocumentType, DocumentType
from .selectors import journey_steps


class CodeRequestSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class CodeAcceptedSerializer(serializers.Serializer):
    detail = serializers.CharField()


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    code = serializers.RegexField(r"^\s*[0-9]{6}\s*$", error_messages={"invalid": "The code must be 6 numbers."})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()
    token_type = serializers.CharField(default="Bearer")


class MeSerializer(serializers.Serializer):
    email = serializers.EmailField()
    full_name = serializers.CharField()
    mobile_number = serializers.CharField()
    mobile_verified = serializers.BooleanField()


class EvidenceSerializer(serializers.Serializer):
    kind = serializers.CharField()
    strength = serializers.IntegerField()
    validity = serializers.IntegerField()


class ShortfallSerializer(serializers.Serializer):
    element = serializers.CharField()
    have = serializers.CharField()
    need = serializers.CharField()
    advice = serializers.CharField()


class IdentityCaseSerializer(serializers.Serializer):
    """What the person (or a front end acting for them) sees of their identity check."""

    reference = serializers.CharField()
    status = serializers.CharField()
    document_type = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())
    reason_messages = serializers.SerializerMethodField()
    profile = serializers.CharField()
    missing = ShortfallSerializer(many=True)
    steps = serializers.SerializerMethodField()
    sandbox = serializers.SerializerMethodField(help_text="True when a sandbox checker's answer counted.")

    def get_sandbox(self, case) -> bool:
        return bool((case.scores or {}).get("sandbox"))

    def get_reason_messages(self, case) -> list[str]:
        return [str(REASONS[code]) for code in case.reasons if code in REASONS]

    def get_steps(self, case) -> dict[str, bool]:
        return {step["name"]: step["done"] for step in journey_steps(case)}


NAME_RULE = "Letters of any alphabet, spaces, hyphens and apostrophes, with at least one letter"
EXPIRY = "Needed unless `document_type` is `other` (not every other document expires)"
PASSPORT_ONLY = "Needed for a passport: a line of its machine-readable zone, 44 characters once spaces are taken out"


class IdentityDocumentSerializer(serializers.Serializer):
    """The shape of the request, for the API's documentation. The page's forms validate it
    (`DocumentTypeForm`, then `IdentityDocumentForm`), so the rules are the same on both."""

    document_type = serializers.ChoiceField(choices=DocumentType.values)
    given_names = serializers.CharField(max_length=max_length("forenames"), help_text=NAME_RULE)
    surname = serializers.CharField(max_length=max_length("surname"), help_text=NAME_RULE)
    birth_date = serializers.DateField()
    document_number = serializers.CharField(max_length=20)
    expiry_date = serializers.DateField(required=False, help_text=EXPIRY)
    mrz_line1 = serializers.CharField(max_length=60, required=False, help_text=PASSPORT_ONLY)
    mrz_line2 = serializers.CharField(max_length=60, required=False, help_text=PASSPORT_ONLY)


class AddressSerializer(serializers.Serializer):
    """The shape of the request, for the API's documentation; `AddressForm` validates it."""

    address = serializers.CharField(max_length=300)
    postcode = PostcodeField()
    document_type = serializers.ChoiceField(choices=AddressDocumentType.values)
    document_name = serializers.CharField(max_length=max_length("full_name"), help_text=NAME_RULE)
    document_postcode = PostcodeField()
    issued_on = serializers.DateField()


class PhotoSerializer(serializers.Serializer):
    photo = serializers.FileField()


class KnowledgeQuestionSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="Send it back as the key of the answer to this question")
    text = serializers.CharField()
    choices = serializers.ListField(child=serializers.CharField())


class KnowledgeQuestionsSerializer(serializers.Serializer):
    """The security questions waiting for the person's answers. The provider's session id is not
    in it: the service keeps that and finds it through the person's own case."""

    questions = KnowledgeQuestionSerializer(many=True)
    expires_at = serializers.DateTimeField()
    provider = serializers.CharField()
    sandbox = serializers.BooleanField(help_text="True when a sandbox sets the questions: not a real check.")


class KnowledgeAnswersSerializer(serializers.Serializer):
    """The shape of the request, for the API's documentation; `KnowledgeAnswersForm` validates it."""

    answers = serializers.DictField(
        child=serializers.CharField(), help_text="Question id -> the choice, exactly as given in `choices`"
    )


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()
