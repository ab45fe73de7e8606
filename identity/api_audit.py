"""The audit log's newest signed checkpoint and the public keys to verify it, for integrators
and staff who keep their own copies so that the log cannot be cut or re-forged unseen."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api_errors import ErrorSerializer, error_body

from . import audit


class IsStaffOrIntegrator(BasePermission):
    """Staff and integrators' API clients sign in with staff tokens; citizens may not."""

    message = "Only staff and integrators' API clients may read audit checkpoints."

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.is_staff)


class CheckpointFieldsSerializer(serializers.Serializer):
    format = serializers.CharField(help_text=f"Always `{audit.CHECKPOINT_FORMAT}`.")
    sequence = serializers.IntegerField(help_text="The newest audit entry when the checkpoint was written.")
    entry_hash = serializers.CharField(help_text="That entry's keyed hash (hex).")
    entry_count = serializers.IntegerField()
    legacy_through = serializers.IntegerField(help_text="The last entry chained without a key (0 for none).")
    written_at = serializers.DateTimeField()
    signing_key_id = serializers.CharField()


class CheckpointSignatureSerializer(serializers.Serializer):
    algorithm = serializers.ChoiceField(choices=["Ed25519"])
    key_id = serializers.CharField()
    value = serializers.CharField(help_text="Base64 of the signature over the checkpoint's canonical JSON.")


class PublicKeySerializer(serializers.Serializer):
    key_id = serializers.CharField()
    algorithm = serializers.ChoiceField(choices=["Ed25519"])
    public_key = serializers.CharField(help_text="Base64 of the raw 32-byte Ed25519 public key.")


class LatestCheckpointSerializer(serializers.Serializer):
    storage_name = serializers.CharField()
    checkpoint = CheckpointFieldsSerializer()
    signature = CheckpointSignatureSerializer()
    public_keys = PublicKeySerializer(many=True)


class LatestCheckpointView(APIView):
    permission_classes = [IsStaffOrIntegrator]

    @extend_schema(
        summary="The audit log's newest signed checkpoint (staff and integrators)",
        description=(
            "The signature is Ed25519 over the `checkpoint` object serialised as JSON with sorted "
            "keys, no spaces (`,` and `:` separators), UTF-8. Verify it with the public key whose "
            "`key_id` matches, keep a copy, and compare: a later checkpoint must continue from it. "
            "Each new checkpoint is also sent to webhook subscriptions that ask for `audit_checkpoint`."
        ),
        responses={
            200: LatestCheckpointSerializer,
            401: OpenApiResponse(ErrorSerializer, description="Not signed in: send `Authorization: Bearer <token>`"),
            403: OpenApiResponse(ErrorSerializer, description="Not a staff or integrator token"),
            404: OpenApiResponse(ErrorSerializer, description="No checkpoint has been written yet"),
        },
        tags=["audit"],
    )
    def get(self, request):
        latest = audit.latest_checkpoint_for_integrators()
        if latest is None:
            return Response(
                error_body("not_found", "No audit checkpoint has been written yet."), status=status.HTTP_404_NOT_FOUND
            )
        return Response(latest)
