"""The Django admin is for service admins only, behind the same two-factor staff sign-in."""

from __future__ import annotations

from django.contrib.admin import AdminSite
from django.shortcuts import redirect
from django.urls import reverse

from identity.access import is_verified_staff


def admin_requires_staff_sign_in(site: AdminSite) -> None:
    def has_permission(request) -> bool:
        return is_verified_staff(request) and (
            request.user.is_superuser or request.user.has_perm("identity.manage_staff")
        )

    def login(request, extra_context=None):
        return redirect(reverse("identity:staff-sign-in") + "?next=" + reverse("admin:index"))

    site.has_permission = has_permission
    site.login = login
    site.site_header = "Registrar Online administration"
