"""What the staff entry page shows of re-registration and of the index lines (as first written
and after corrections)."""

from __future__ import annotations

from django import template

from ..reregistration import selectors

register = template.Library()


@register.inclusion_tag("registrar/reregistration/_entry_panel.html")
def reregistration_panel(entry) -> dict:
    return selectors.entry_panel(entry)
