"""App configuration for identity; keeps the staff roles in step after every migrate."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class IdentityConfig(AppConfig):
    name = "identity"
    verbose_name = "Identity and accounts"

    def ready(self) -> None:
        # Not at the top: roles imports django.contrib.auth's models, which cannot be imported
        # while the app registry is still loading this module.
        from .roles import sync_roles_after_migrate

        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="identity.sync_roles")
