"""The Django project: settings, root URLs, the Celery app, WSGI/ASGI, the admin site, the
site-wide pages, base templates, static files and the site's Welsh catalogue. Domain apps never
import it."""

from .celery import app as celery_app

__all__ = ("celery_app",)
