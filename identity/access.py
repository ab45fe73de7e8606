"""Who may see a page: citizens signed in with a code, staff signed in with both factors and
holding the permission the page needs. Used by every staff view."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import resolve_url

STAFF_VERIFIED_SESSION_KEY = "staff_second_factor_at"


def is_verified_staff(request) -> bool:
    user = request.user
    return bool(
        user.is_authenticated and user.is_active and user.is_staff and request.session.get(STAFF_VERIFIED_SESSION_KEY)
    )


def staff_required(permission: str | None = None):
    """Staff signed in with password and authenticator app; with `permission` when given.
    The check is on the server for every request, not a hidden button."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not is_verified_staff(request):
                return redirect_to_login(request.get_full_path(), resolve_url("identity:staff-sign-in"))
            if permission and not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def citizen_required(view):
    """A signed-in citizen. Staff accounts are kept out of citizen pages."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), resolve_url(settings.LOGIN_URL))
        if request.user.is_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
