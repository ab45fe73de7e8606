"""The API documentation page at /api/docs/: the OpenAPI schema as a server-rendered GOV.UK page
(every operation with its parameters, request fields and answers), readable without JavaScript
and with a screen reader. The schema itself stays at /api/schema/; Swagger UI, which does not
pass an accessibility check, is at /api/docs/swagger/ for trying calls out."""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass, field
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.text import slugify
from drf_spectacular.views import SpectacularAPIView
from rest_framework.response import Response

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass
class Field:
    name: str
    type: str
    required: bool
    description: str


@dataclass
class Operation:
    anchor: str
    method: str
    path: str
    summary: str
    description: str
    secured: bool
    parameters: list[Field] = field(default_factory=list)
    body: list[Field] = field(default_factory=list)
    body_type: str = ""
    responses: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class Section:
    anchor: str
    title: str
    operations: list[Operation]


# drf-spectacular's generator is not safe to run in two threads at once (a web worker has
# several): the first requests after a start would build together and one could fail.
_building = threading.Lock()


@functools.lru_cache(maxsize=8)
def _built(version: str | None, language: str) -> dict[str, Any]:
    from drf_spectacular.generators import SchemaGenerator  # noqa: PLC0415 (slow to import)

    with translation.override(language):
        return SchemaGenerator(api_version=version).get_schema(request=None, public=True)


def schema_in(version: str | None, language: str) -> dict[str, Any]:
    """The OpenAPI schema of one API version in one language, built once per process and one
    thread at a time: building it walks every view and serializer (about 0.2 s and several MB of
    short-lived objects), and it changes only with the code. Bounded, as both keys come from the
    query string."""
    with _building:
        return _built(version, language)


schema_in.cache_clear = _built.cache_clear


def _schema() -> dict[str, Any]:
    return schema_in(None, "en")


class SchemaView(SpectacularAPIView):
    """/api/schema/ in YAML or JSON, from the schema built once per version and language."""

    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        return Response(
            data=schema_in(version, translation.get_language()),
            headers={"Content-Disposition": f'inline; filename="{self._get_filename(request, version)}"'},
        )


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _resolve(schema: dict, components: dict) -> dict:
    while "$ref" in schema:
        schema = components.get(_ref_name(schema["$ref"]), {})
    return schema


def type_of(schema: dict, components: dict) -> str:
    """A schema's type in words a reader scans: "string (date)", "list of Booking", "one of: a, b"."""
    if not schema:
        return "any"
    if "$ref" in schema:
        target = _resolve(schema, components)
        if "enum" in target:
            return "one of: " + ", ".join(str(choice) for choice in target["enum"] if choice not in ("", None))
        return _ref_name(schema["$ref"])
    for combiner in ("allOf", "oneOf", "anyOf"):
        if combiner in schema:
            kinds = [type_of(part, components) for part in schema[combiner]]
            kinds = [kind for kind in kinds if kind not in ("", "any")]
            return " or ".join(kinds) if kinds else "any"
    if "enum" in schema:
        return "one of: " + ", ".join(str(choice) for choice in schema["enum"] if choice not in ("", None))
    kind = schema.get("type", "object")
    if kind == "array":
        return "list of " + type_of(schema.get("items", {}), components)
    if schema.get("format"):
        return f"{kind} ({schema['format']})"
    return str(kind)


def _fields(schema: dict, components: dict) -> list[Field]:
    target = _resolve(schema, components)
    required = set(target.get("required", []))
    return [
        Field(
            name=name,
            type=type_of(value, components),
            required=name in required,
            description=str(_resolve(value, components).get("description", value.get("description", ""))),
        )
        for name, value in target.get("properties", {}).items()
        if not value.get("readOnly")
    ]


def _operation(path: str, method: str, spec: dict, components: dict) -> Operation:
    operation = Operation(
        anchor=slugify(f"{method}-{path}"),
        method=method.upper(),
        path=path,
        summary=spec.get("summary", ""),
        description=spec.get("description", ""),
        secured=any(requirement for requirement in spec.get("security", [])),
    )
    for parameter in spec.get("parameters", []):
        parameter = _resolve(parameter, components)
        operation.parameters.append(
            Field(
                name=f"{parameter['name']} ({parameter.get('in', 'query')})",
                type=type_of(parameter.get("schema", {}), components),
                required=bool(parameter.get("required")),
                description=parameter.get("description", ""),
            )
        )
    content = spec.get("requestBody", {}).get("content", {})
    if content:
        media_type, body = next(iter(content.items()))
        operation.body_type = media_type
        operation.body = _fields(body.get("schema", {}), components)
    for status, answer in sorted(spec.get("responses", {}).items()):
        schema = next(iter(answer.get("content", {}).values()), {}).get("schema")
        body = type_of(schema, components) if schema else ""
        operation.responses.append((status, answer.get("description", ""), body))
    return operation


def sections() -> tuple[dict[str, Any], list[Section]]:
    schema = _schema()
    components = schema.get("components", {}).get("schemas", {})
    by_tag: dict[str, list[Operation]] = {}
    for path, methods in schema.get("paths", {}).items():
        for method in METHODS:
            if method in methods:
                spec = methods[method]
                tag = (spec.get("tags") or ["other"])[0]
                by_tag.setdefault(tag, []).append(_operation(path, method, spec, components))
    return schema.get("info", {}), [
        Section(anchor=slugify(tag), title=tag.replace("_", " ").capitalize(), operations=operations)
        for tag, operations in sorted(by_tag.items())
    ]


def api_docs(request: HttpRequest) -> HttpResponse:
    """The contents: what the API is, how to sign in, and a page per part of the API."""
    info, found = sections()
    return render(request, "api_docs.html", {"info": info, "sections": found})


def api_docs_section(request: HttpRequest, part: str) -> HttpResponse:
    """One part of the API (a tag of the schema): each of its calls."""
    _info, found = sections()
    section = next((section for section in found if section.anchor == part), None)
    if section is None:
        raise Http404
    return render(request, "api_docs_section.html", {"section": section, "sections": found})
