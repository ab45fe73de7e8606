"""One helper for auditing what a staff member did in a request: it takes the actor, the person
they acted for in an assisted session, and the client address from the request. The audit log
itself belongs to the identity app; core reaches it through `settings.AUDIT_RECORDER` so that it
imports no app."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.module_loading import import_string

from .client import client_address


@cache
def _recorder(path: str):
    return import_string(path)


def audit_request(
    request: HttpRequest,
    *,
    action: str,
    subject: Any = None,
    object_type: str = "",
    object_id: str | int = "",
    reason: str = "",
    **detail: Any,
):
    """Append an audit entry for `request.user` doing `action`; empty detail values are left out."""
    assisted_for = getattr(request, "assisted_session", None)
    return _recorder(settings.AUDIT_RECORDER)(
        actor=getattr(request, "assisted_by", None) or request.user,
        action=action,
        subject=subject,
        object_type=object_type,
        object_id=object_id,
        reason=reason,
        detail={key: value for key, value in detail.items() if value not in ("", None)} or None,
        on_behalf_of=assisted_for.person if assisted_for is not None else None,
        client_address=client_address(request),
    )
