"""The path converter of the API's references (`<ref:reference>`): any text but a slash or a NUL
character, which no reference holds and PostgreSQL cannot compare, so an address with one
matches no operation and is the API's JSON 404 instead of a server error."""

from django.urls import register_converter


class ReferenceConverter:
    regex = r"[^/\x00]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ReferenceConverter, "ref")
