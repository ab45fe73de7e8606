"""The staff case page's panels for objections and suspicion reports, loaded from the proposal
alone (the page that includes them passes only the proposal)."""

from __future__ import annotations

from django import template
from django.conf import settings

from registrar.marriage import objection_selectors

register = template.Library()


@register.inclusion_tag("registrar/marriage/staff/_suspicion_reports.html")
def suspicion_reports(proposal):
    return {
        "reports": list(objection_selectors.suspicion_reports_of(proposal)),
        "max_attempts": settings.SUSPICION_REPORT_MAX_ATTEMPTS,
    }


@register.simple_tag
def objections_of(proposal):
    return list(objection_selectors.objections_of(proposal))
