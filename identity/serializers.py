"""API request and response shapes for signing in."""

from rest_framework import serializers


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
