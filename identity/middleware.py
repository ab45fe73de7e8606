"""Assisted sessions across the citizen pages: while a phone-support member has an open
session, every citizen page they open runs as the person they are helping."""

from __future__ import annotations

from django.conf import settings

from .access import is_verified_staff
from .assisted import current_session, record_assisted_request


class AssistedSessionMiddleware:
    """Runs after authentication. For a verified phone-support member with an open assisted
    session, a request outside the staff areas runs with `request.user` = the person, so it
    reaches only that person's things and keeps every rule of the citizen journeys;
    `request.assisted_by` is the staff member, and each request is audited as done by them on
    the person's behalf. Staff pages, the admin and the API are never affected."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        request.assisted_by = None
        request.assisted_session = None
        if not request.path.startswith(settings.ASSISTED_EXCLUDED_PATHS) and self._phone_support(request):
            session = current_session(staff=request.user)
            if session is not None:
                record_assisted_request(request=request, session=session)
                request.assisted_by = request.user
                request.assisted_session = session
                request.user = session.person
        return self.get_response(request)

    @staticmethod
    def _phone_support(request) -> bool:
        user = getattr(request, "user", None)
        return bool(
            user is not None
            and user.is_authenticated
            and user.is_staff
            and is_verified_staff(request)
            and user.has_perm("identity.assist_citizens")
        )
