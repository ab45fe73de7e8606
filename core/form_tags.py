"""Template filters of the shared form layer (`{% load core_forms %}`, registered in TEMPLATES)."""

from __future__ import annotations

from django import template

from . import forms

register = template.Library()


@register.filter
def error_links(form):
    """`form`'s error-summary links as (target id, message): see `core.forms.error_links`."""
    return forms.error_links(form)
