"""The Django admin is for service admins only, behind the same two-factor staff sign-in."""

from __future__ import annotations

from django.contrib.admin import AdminSite
from django.shortcuts import redirect
from django.urls import reverse

from identity.access import is_verified_staff


class StaffAdminSite(AdminSite):
    site_header = "Registrar Online administration"
    site_title = "Registrar Online administration"

    def has_permission(self, request) -> bool:
        return is_verified_staff(request) and (
            request.user.is_superuser or request.user.has_perm("identity.manage_staff")
        )

    def login(self, request, extra_context=None):
        # Staff sign in once, with password and authenticator app, on the service's own page.
        return redirect(reverse("identity:staff-sign-in") + "?next=" + reverse("admin:index"))
