"""API shapes for certificates: the index search query and its lines, a certificate's status
for verification, and the verdict on an uploaded PDF."""

from __future__ import annotations

from django.conf import settings
from rest_framework import serializers

from identity.models import RegisterOffice
from registrar.models import PUBLIC_INDEX_EVENTS, Event

from .forms import validate_certificate_pdf
from .selectors import IndexSearch


class IndexQuerySerializer(serializers.Serializer):
    """The query's types; the search's rules are `selectors.check_search`'s, as on the page."""

    event = serializers.ChoiceField(choices=[event for event in Event.values if event in PUBLIC_INDEX_EVENTS])
    surname = serializers.CharField(max_length=100)
    sounds_like = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Also surnames that sound alike (phonetic code) or are misspelt (trigrams)",
    )
    forenames = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")
    year = serializers.IntegerField(required=False, help_text="Year registered, from 1837")
    years_either_side = serializers.IntegerField(
        required=False,
        default=0,
        help_text=f"With `year`: 0 to {settings.CERTIFICATE_SEARCH_MAX_YEARS_EITHER_SIDE}",
    )
    district = serializers.SlugRelatedField(
        slug_field="code", queryset=RegisterOffice.objects.all(), required=False, help_text="Register office code"
    )
    mother_maiden_surname = serializers.CharField(
        required=False, allow_blank=True, max_length=100, default="", help_text="Births only"
    )
    page = serializers.IntegerField(required=False, default=1, min_value=1, max_value=1000)

    def search(self) -> IndexSearch:
        data = self.validated_data
        return IndexSearch(
            event=data["event"],
            surname=data["surname"],
            sounds_like=data["sounds_like"],
            forenames=data["forenames"],
            year=data.get("year"),
            years_either_side=data["years_either_side"],
            district=data.get("district"),
            mother_maiden_surname=data["mother_maiden_surname"],
            page=data["page"],
        )


class IndexLineSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Order a certificate for this line on the page /certificates/order/{id}/")
    event = serializers.CharField()
    surname = serializers.CharField()
    forenames = serializers.CharField()
    other_surname = serializers.CharField(help_text="Births: mother's maiden surname; marriages: the other party's")
    age = serializers.IntegerField(allow_null=True, help_text="Deaths: age at death")
    district = serializers.CharField(source="district.name")
    district_code = serializers.CharField(source="district.code")
    year = serializers.IntegerField()
    quarter = serializers.IntegerField()


class IndexPageSerializer(serializers.Serializer):
    results = IndexLineSerializer(many=True, source="lines")
    total = serializers.IntegerField(help_text="Entries found, counted up to the cap")
    too_many = serializers.BooleanField(help_text="More than the cap were found: narrow the search")
    page = serializers.IntegerField()
    pages = serializers.IntegerField()


class VerificationSerializer(serializers.Serializer):
    serial = serializers.CharField()
    status = serializers.ChoiceField(choices=["valid", "revoked", "superseded"])
    kind = serializers.CharField()
    issued_on = serializers.DateField()
    name = serializers.CharField(help_text="The name on the entry, to compare with the certificate")
    entry = serializers.CharField(
        allow_blank=True,
        help_text="The entry: district, event, year and number (empty for a coroner's interim certificate)",
    )
    revoked_on = serializers.DateField(allow_null=True)


class PdfUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The certificate PDF, as issued", validators=[validate_certificate_pdf])


class PdfVerdictSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(
        choices=["valid", "revoked", "superseded", "tampered", "not_ours", "unknown"],
        help_text="valid only if the signature is ours and intact, the file is the one issued and the serial is valid",
    )
    signature_intact = serializers.BooleanField()
    signed_by_us = serializers.BooleanField()
    whole_document = serializers.BooleanField(help_text="Nothing was added after signing")
    content_matches_record = serializers.BooleanField()
    certificate = VerificationSerializer(allow_null=True)
