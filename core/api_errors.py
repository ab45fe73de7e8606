"""One JSON error shape for the whole API:
`{"error": {"code": "...", "message": "...", "fields": {"name": ["..."]}}}`; the serializer that
documents it in OpenAPI; the DRF exception handler that renders every error, refusals included,
in it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, JsonResponse, QueryDict
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .refusals import Refusal


def error_body(code: str, message: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": str(message)}
    if fields:
        body["fields"] = fields
    return {"error": body}


def refusal_response(refusal: Refusal, headers: dict[str, str] | None = None) -> Response:
    return Response(
        error_body(refusal.code, refusal.message), status=refusal.status, headers=retry_headers(refusal, headers)
    )


def retry_headers(refusal: Refusal, headers: dict[str, str] | None = None) -> dict[str, str] | None:
    """The headers of a refusal's answer, with `Retry-After` when the refusal asks to wait."""
    if refusal.retry_after is None or (headers and "Retry-After" in headers):
        return headers
    return {**(headers or {}), "Retry-After": str(refusal.retry_after)}


INVALID_MESSAGE = "Check the fields listed and try again."


def form_errors_response(form, field_names: dict[str, str] | None = None) -> Response:
    """A form bound with `core.forms.bind_json` that did not validate, as the API's 400 (the same
    shape as a serializer's), with the form's own messages; `field_names` renames a form field to
    the name the API uses for it."""
    names = field_names or {}
    fields = {names.get(name, name): [str(message) for message in messages] for name, messages in form.errors.items()}
    return Response(error_body("invalid", INVALID_MESSAGE, fields), status=status.HTTP_400_BAD_REQUEST)


def _messages(detail: Any, path: str = "") -> list[str]:
    """A field's messages as a flat list; one from inside a nested object or list says where
    (`1.postcode: Enter a real postcode`)."""
    if isinstance(detail, dict):
        return [message for key, value in detail.items() for message in _messages(value, _join(path, key))]
    if isinstance(detail, list):
        nested = any(isinstance(item, (dict, list)) for item in detail)
        return [
            message
            for index, item in enumerate(detail)
            for message in _messages(item, _join(path, index) if nested else path)
        ]
    return [f"{path}: {detail}" if path else str(detail)]


def _join(path: str, key: Any) -> str:
    return f"{path}.{key}" if path else str(key)


def _flatten(detail: dict[str, Any]) -> dict[str, list[str]]:
    """A serializer's errors in the documented shape: each field with a list of messages."""
    return {str(name): _messages(value) for name, value in detail.items()}


def exception_handler(exc, context):
    if isinstance(exc, Refusal):
        return refusal_response(exc)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        fields = _flatten(detail)
        response.data = error_body("invalid", INVALID_MESSAGE, fields)
        response.status_code = status.HTTP_400_BAD_REQUEST
    else:
        code = getattr(exc, "default_code", "error")
        detail = exc.detail if hasattr(exc, "detail") else str(exc)
        response.data = error_body(
            str(code), str(detail) if not isinstance(detail, (dict, list)) else "Request refused."
        )
    return response


def wants_json(request: HttpRequest) -> bool:
    """Whether an answer made outside DRF (a Django error page, a refusal by a middleware) should
    be the JSON error shape rather than a page: the API and the health check."""
    return request.path.startswith("/api/") or request.path == "/healthz"


def json_error_response(status_code: int, code: str, message: str) -> JsonResponse:
    """For Django-level errors (404, 500, CSRF) on /api/ paths, the same shape as DRF's."""
    return JsonResponse(error_body(code, message), status=status_code)


NOT_FOUND_MESSAGE = "Nothing was found at this address."


@csrf_exempt
def not_found(request, *args, **kwargs) -> JsonResponse:
    """Any address under /api/ that no operation matches (an unknown path, or a path parameter
    of the wrong form), with any method: the error shape even with DEBUG on, where Django's own
    404 would be an HTML page."""
    return json_error_response(404, "not_found", NOT_FOUND_MESSAGE)


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable, for programs: slot_unavailable, already_decided, invalid…")
    message = serializers.CharField(help_text="For people, in the language asked for")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="With code `invalid`: what is wrong with each field",
    )


class ErrorSerializer(serializers.Serializer):
    """The one error shape of the API."""

    error = ErrorDetailSerializer()


PERSONAL_QUERY_CODE = "personal_data_in_address"
PERSONAL_QUERY_MESSAGE = _(
    "Names, dates of birth, postcodes and references must not be sent in an address, where they are "
    "kept in logs and browser history. Send this search with POST, in the body."
)
PERSONAL_QUERY_FIELD_MESSAGE = _("Send this in the body of a POST, not in the address.")


def personal_query_response(query: QueryDict, personal: Iterable[str]) -> Response:
    """The answer to a deprecated GET search: refused, with the personal parameters it was sent
    (named, never echoed), however well-formed they are, so that no client keeps sending them."""
    sent = sorted(name for name in personal if name in query)
    fields = {name: [str(PERSONAL_QUERY_FIELD_MESSAGE)] for name in sent}
    return Response(error_body(PERSONAL_QUERY_CODE, PERSONAL_QUERY_MESSAGE, fields), status=status.HTTP_400_BAD_REQUEST)


PERSONAL_QUERY_REFUSED = OpenApiResponse(
    ErrorSerializer,
    description=(
        f"`{PERSONAL_QUERY_CODE}`: always. A search with personal data in the address is refused, whatever "
        "it holds; `fields` names the personal parameters sent. Search with `POST`."
    ),
)
