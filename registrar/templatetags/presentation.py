"""Template filters for the codes staff pages show: a reason code in words."""

from __future__ import annotations

from django import template

from .. import presentation

register = template.Library()


@register.filter
def reason_in_words(code: str) -> str:
    return presentation.reason_in_words(code)
