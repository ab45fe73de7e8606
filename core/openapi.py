"""The API's schema class: every operation documents the errors it can really answer, each in the
one error shape (`core.api_errors.ErrorSerializer`), worked out from the view itself so that no
view lists them by hand: 400 where it reads a body or parameters, 401 and 403 where it reads a
token, 404 where its path names something, 415 where it reads a body, 429 where it is throttled.
Statuses a view declares itself (a 409 or 410 from its service's refusals, a 422, a 503) are kept,
with the error shape; tests/api/test_documented_statuses.py reaches every one of them."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .api_errors import ErrorSerializer

ERRORS = {
    "400": "Invalid input: a body or parameter that does not parse or fails a check (`invalid`, with `fields`)",
    "401": "Not signed in, or the token is not valid or has expired: send `Authorization: Bearer <token>`",
    "403": (
        "Signed in, but not allowed: an account of the wrong kind or without the role, or an `On-Behalf-Of` "
        "header without an open assisted session for that person"
    ),
    "404": "Nothing of yours has that reference (`not_found`)",
    "415": "The body is not of the media type documented for this operation (`unsupported_media_type`)",
    "429": "Too many requests from this address or for this account; wait and try again",
}


class AutoSchema(SpectacularAutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self.error_statuses() | {code for code in responses if code.startswith(("4", "5"))}:
            description = responses.get(code, {}).get("description") or ERRORS.get(code, "")
            responses[code] = self._get_response_for_code(ErrorSerializer, code, direction=direction)
            responses[code]["description"] = description
        return dict(sorted(responses.items()))

    def error_statuses(self) -> set[str]:
        view = self.view
        statuses = set()
        if self._has_body():
            statuses |= {"400", "415"}
        elif self._has_parameters():
            statuses.add("400")
        if view.get_authenticators():
            statuses |= {"401", "403"}
        if "{" in self.path:
            statuses.add("404")
        if view.get_throttles():
            statuses.add("429")
        return statuses

    def _has_body(self) -> bool:
        return self.method in ("POST", "PUT", "PATCH") and self.get_request_serializer() is not None

    def _has_parameters(self) -> bool:
        return any(parameter["in"] in ("query", "header") for parameter in self._get_parameters())


# A UK postcode as `core.places.normalise_postcode` accepts it.
POSTCODE_PATTERN = (
    r"^\s*(?:[Gg]\s*[Ii]\s*[Rr]\s*0\s*[Aa]\s*[Aa]"
    r"|[A-PR-UWYZa-pr-uwyz]\s*(?:[A-HK-Ya-hk-y]\s*)?[0-9]\s*(?:[0-9A-HJKMNPR-Ya-hjkmnpr-y]\s*)?"
    r"[0-9]\s*[ABD-HJLNP-UW-Zabd-hjlnp-uw-z]\s*[ABD-HJLNP-UW-Zabd-hjlnp-uw-z])\s*$"
)


@extend_schema_field({"type": "string", "maxLength": 20, "pattern": POSTCODE_PATTERN})
class PostcodeField(serializers.CharField):
    """A postcode in a request; the schema gives its shape, the form or serializer checks it."""

    def __init__(self, **kwargs):
        super().__init__(max_length=20, **kwargs)
