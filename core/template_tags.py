"""Template tags every template has without `{% load %}` (TEMPLATES "builtins" in settings)."""

from __future__ import annotations

import secrets

from django import template

from .dates import in_words

register = template.Library()


@register.simple_tag
def unique_id(prefix: str = "id") -> str:
    """An id no other element of the page has, also inside loops and repeated includes:
    `{% unique_id "table" as table_id %}` then `id="{{ table_id }}"` and
    `aria-labelledby="{{ table_id }}"`."""
    return f"{prefix}-{secrets.token_hex(4)}"


@register.filter(name="in_words")
def in_words_filter(day) -> str:
    """`{{ answers.date_of_birth|in_words }}`: a date, or an ISO date string, as "19 November 2026"."""
    return in_words(day)
