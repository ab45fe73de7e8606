"""The admin site of the service, set as Django's default site (no patching of the global one)."""

from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    default_site = "config.admin.StaffAdminSite"
