"""Settings of the relying party: the provider's address and the client's credentials come from
the environment the test starts it with."""

import os

DEBUG = False
SECRET_KEY = "relying-party-test-only-" + "x" * 40
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "tests.identity.oidc.relying_party.urls"
INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
SESSION_COOKIE_NAME = "parking_session"
DATABASES = {}
USE_TZ = True
PROVIDER_URL = os.environ["RP_PROVIDER_URL"]
CLIENT_ID = os.environ["RP_CLIENT_ID"]
CLIENT_SECRET = os.environ["RP_CLIENT_SECRET"]
SCOPE = os.environ.get("RP_SCOPE", "openid email")
