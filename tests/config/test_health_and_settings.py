"""/healthz, production settings (check --deploy, required secrets) and error pages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest

from config import views

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "x7!k2" * 12,
    "ALLOWED_HOSTS": "registrar.example",
    "DATABASE_URL": "sqlite:////tmp/registrar-deploy-check.sqlite3",
    "CACHE_URL": "redis://127.0.0.1:6379/0",
    "AUDIT_CHAIN_KEYS": "2026:" + "k3y!" * 10,
    "AUDIT_CHECKPOINT_SIGNING_KEY": "2026:" + "A" * 43 + "=",
    # A write-once mount in this test's make-believe deployment.
    "AUDIT_CHECKPOINT_STORAGE_BACKEND": "django.core.files.storage.FileSystemStorage",
    "AUDIT_CHECKPOINT_STORAGE_OPTIONS": '{"location": "/tmp/registrar-deploy-check-checkpoints"}',
    "HOME_OFFICE_URL": "https://home-office.example/marriage-referrals/",
    "HOME_OFFICE_KEY": "h0me-0ffice-k3y",
    "OIDC_SIGNING_KEY_PATH": str(ROOT / "tests" / "identity" / "oidc" / "keys" / "signing-key-2027.pem"),
    "OIDC_PAIRWISE_KEY": "p4irw1se!" * 4,
}


def _manage(*args, env_overrides=None, drop=()):
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("DJANGO_")}
    env.update(env_overrides or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_healthz_reports_each_part(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok", "broker": "ok"}}


@pytest.mark.parametrize("part", ["database", "cache", "broker"])
def test_healthz_is_503_when_a_part_is_down(client, db, part):
    def broken():
        raise ConnectionError("down")

    with mock.patch.dict(views.HEALTH_CHECKS, {part: broken}):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"][part] == "down"
    assert response.json()["status"] == "down"


def test_healthz_broker_check_fails_for_an_unreachable_redis(client, db, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["checks"]["broker"] == "down"


def test_check_deploy_is_clean_in_production_mode():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_mode_refuses_to_start_without_secrets(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = _manage("check", env_overrides=env, drop=(missing,))
    assert result.returncode != 0
    assert missing in result.stderr and "Production mode" in result.stderr


def test_production_mode_refuses_a_short_or_development_key():
    result = _manage("check", env_overrides={**PRODUCTION_ENV, "SECRET_KEY": "short"})
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    ("overrides", "drop", "named"),
    [
        ({"CACHE_URL": "locmemcache://"}, (), "CACHE_URL"),
        ({}, ("CACHE_URL",), "CACHE_URL"),
        ({"NOTIFICATIONS_BACKEND": "notify"}, ("NOTIFY_API_KEY",), "NOTIFY_API_KEY"),
        ({"PAYMENT_PROVIDER": "govuk_pay"}, ("GOVUK_PAY_API_KEY",), "GOVUK_PAY_API_KEY"),
        ({"DEV_OUTBOX_ENABLED": "true"}, (), "DEV_OUTBOX_ENABLED"),
        ({}, ("AUDIT_CHAIN_KEYS",), "AUDIT_CHAIN_KEYS"),
        ({"AUDIT_CHAIN_KEYS": "2026:short"}, (), "AUDIT_CHAIN_KEYS"),
        ({}, ("AUDIT_CHECKPOINT_SIGNING_KEY",), "AUDIT_CHECKPOINT_SIGNING_KEY"),
        ({"AUDIT_CHECKPOINT_SIGNING_KEY": "2026:not-a-key"}, (), "AUDIT_CHECKPOINT_SIGNING_KEY"),
        ({}, ("AUDIT_CHECKPOINT_STORAGE_BACKEND",), "AUDIT_CHECKPOINT_STORAGE_BACKEND"),
        ({}, ("HOME_OFFICE_KEY",), "HOME_OFFICE_KEY"),
        ({}, ("OIDC_SIGNING_KEY_PATH",), "OIDC_SIGNING_KEY_PATH"),
        ({"OIDC_SIGNING_KEY_PATH": str(ROOT / "identity/oidc/dev-signing-key.pem")}, (), "OIDC_SIGNING_KEY_PATH"),
        ({"OIDC_SIGNING_KEY_PATH": "/nonexistent/key.pem"}, (), "OIDC signing key file"),
        ({}, ("OIDC_PAIRWISE_KEY",), "OIDC_PAIRWISE_KEY"),
        (
            {"HOME_OFFICE_ADAPTER": "registrar.marriage.home_office.sandbox.SandboxHomeOffice"},
            (),
            "HOME_OFFICE_SANDBOX_ALLOWED",
        ),
        (
            {"IDENTITY_FRAUD_PROVIDER": "identity.verifiers.sandbox.SandboxFraudProvider"},
            (),
            "IDENTITY_SANDBOX_ALLOWED",
        ),
    ],
)
def test_production_mode_refuses_unsafe_or_incomplete_settings(overrides, drop, named):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k not in drop}
    result = _manage("check", env_overrides={**env, **overrides}, drop=drop)
    assert result.returncode != 0
    assert named in result.stderr


def test_postgres_connections_are_persistent_and_checked():
    code = "from django.conf import settings as s; d = s.DATABASES['default']; "
    code += "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    env = {**PRODUCTION_ENV, "DATABASE_URL": "postgres://u:p@127.0.0.1:1/x", "CONN_MAX_AGE": "120"}
    result = _manage("shell", "-c", code, env_overrides=env)
    assert result.stdout.strip().splitlines()[-1].split() == ["120", "True"], result.stderr


def test_postgres_connections_switch_off_jit_unless_asked():
    code = "from django.conf import settings as s; "
    code += "print(repr([s.DATABASES[n].get('OPTIONS', {}).get('options') for n in ('default', 'replica')]))"
    urls = {"DATABASE_URL": "postgres://u:p@127.0.0.1:1/x", "DATABASE_REPLICA_URL": "postgres://u:p@127.0.0.1:2/x"}
    result = _manage("shell", "-c", code, env_overrides={**PRODUCTION_ENV, **urls})
    assert result.stdout.strip().splitlines()[-1] == "['-c jit=off', '-c jit=off']", result.stderr
    result = _manage("shell", "-c", code, env_overrides={**PRODUCTION_ENV, **urls, "POSTGRES_JIT": "true"})
    assert result.stdout.strip().splitlines()[-1] == "[None, None]", result.stderr


@pytest.mark.postgres_only
def test_the_test_database_runs_without_jit(db):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_importing_settings_makes_no_folders():
    code = (
        "import pathlib\n"
        "def refuse(self, *args, **kwargs): raise AssertionError(f'settings made {self}')\n"
        "pathlib.Path.mkdir = refuse\n"
        "import config.settings\n"
    )
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}, "DEBUG": "true"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_production_headers(client, db, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_SSL_REDIRECT = False
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_pages_have_no_inline_scripts_or_styles(client, db):
    html = client.get("/").content.decode()
    assert "<script>" not in html and "style=" not in html and "<style" not in html


def test_unknown_page_is_a_govuk_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_server_error_page_is_friendly(client, db, settings):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    response = views.server_error(request)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()
    api_response = views.server_error(RequestFactory().get("/api/v1/x"))
    assert api_response.status_code == 500 and b'"server_error"' in api_response.content


def test_csrf_failure_is_a_friendly_403(db):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/sign-in/", {"email": "a@b.com"})
    assert response.status_code == 403
    assert "Your form has expired" in response.content.decode()


def test_every_page_has_a_unique_title(client, db):
    titles = set()
    for url in ["/", "/sign-in/", "/staff/sign-in/", "/accessibility/", "/cookies/", "/privacy/"]:
        html = client.get(url).content.decode()
        title = html.split("<title>")[1].split("</title>")[0]
        assert title not in titles
        titles.add(title)


def test_neutral_brand_has_no_crown_or_gds_font(client, db):
    html = client.get("/").content.decode()
    assert "GOV.UK" not in html and "site/neutral.css" in html


def test_govuk_brand_shows_the_logotype(client, db, settings):
    settings.BRAND = "govuk"
    html = client.get("/").content.decode()
    assert 'aria-label="GOV.UK"' in html and "site/govuk.css" in html


def test_neutral_stylesheet_does_not_load_gds_transport():
    css = (ROOT / "build" / "static" / "site" / "neutral.css").read_text()
    assert "GDS Transport" not in css and "/assets/fonts" not in css
    govuk_css = (ROOT / "build" / "static" / "site" / "govuk.css").read_text()
    assert "/static/govuk/assets/fonts/" in govuk_css


def test_demo_data_loads_170_offices_and_is_idempotent(db, settings):
    from django.core.management import call_command

    from identity.models import RegisterOffice, User

    settings.DEBUG = True
    call_command("load_demo_data", verbosity=0)
    call_command("load_demo_data", verbosity=0)
    assert RegisterOffice.objects.count() >= 170
    assert RegisterOffice.objects.filter(region="Wales").exclude(welsh_name="").count() == 22
    assert User.objects.filter(is_staff=True).count() == 6
    officiant = User.objects.get(email="officiant@registrar.example")
    assert officiant.has_perm("registrar.return_schedules") and not officiant.has_perm("registrar.work_notices")
    registrar = User.objects.get(email="registrar@registrar.example")
    assert registrar.groups.filter(name="Registrar").exists()
    assert set(registrar.offices.values_list("code", flat=True)) == {"E-LEEDS", "W-CARDIFF"}


@pytest.mark.django_db
def test_the_privacy_notice_says_what_the_face_photo_is_for_in_both_languages(client, settings):
    settings.EVIDENCE_RETENTION_DAYS = 45
    page = client.get("/privacy/").content.decode()
    assert "to compare it with the photo on your document" in page
    assert "Phone support staff cannot see them" in page
    assert "deleted 45 days after a decision" in page
    welsh = client.get("/privacy/", HTTP_ACCEPT_LANGUAGE="cy").content.decode()
    assert "i'w gymharu â'r llun ar eich dogfen" in welsh.replace("&#x27;", "'")
    assert "45 diwrnod" in welsh


@pytest.mark.django_db
def test_every_page_warns_when_a_sandbox_identity_checker_is_switched_on(client, settings):
    assert "data-sandbox-checkers" not in client.get("/privacy/").content.decode()
    settings.IDENTITY_VERIFIERS = {
        **settings.IDENTITY_VERIFIERS,
        "fraud": "identity.verifiers.sandbox.SandboxFraudProvider",
    }
    for path in ["/privacy/", "/sign-in/", "/staff/sign-in/"]:
        page = client.get(path).content.decode()
        assert "data-sandbox-checkers" in page and "Sandbox fraud provider" in page, path


def test_an_empty_database_url_is_a_clear_message_not_a_key_error():
    result = _manage("check", env_overrides={"DATABASE_URL": ""})
    assert result.returncode != 0
    assert "DATABASE_URL is set but empty" in result.stderr and "KeyError" not in result.stderr


def _counting_broker(monkeypatch, *, fails: list[bool]):
    """Replaces the broker connection with one that records each attempt and fails while
    `fails[0]` is true."""
    attempts = []

    def connect():
        attempts.append(1)
        if fails[0]:
            raise ConnectionError("broker down")

    monkeypatch.setattr(views, "_connect_to_broker", connect)
    monkeypatch.setattr(views, "_broker_answers", {})
    return attempts


def test_healthz_does_not_connect_to_the_broker_on_every_call(client, db, monkeypatch, settings):
    settings.HEALTHZ_BROKER_CACHE_SECONDS = 60
    attempts = _counting_broker(monkeypatch, fails=[False])
    for _ in range(5):
        assert client.get("/healthz").json()["checks"]["broker"] == "ok"
    assert len(attempts) == 1


def test_healthz_reports_a_broker_that_went_down_once_the_remembered_answer_is_old(client, db, monkeypatch, settings):
    settings.HEALTHZ_BROKER_CACHE_SECONDS = 10
    fails = [False]
    attempts = _counting_broker(monkeypatch, fails=fails)
    clock = [1000.0]
    monkeypatch.setattr(views.time, "monotonic", lambda: clock[0])
    assert client.get("/healthz").status_code == 200
    fails[0] = True
    clock[0] += 10
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["checks"]["broker"] == "down"
    # A down broker is remembered too, so a poll does not wait for a connection timeout each time.
    assert client.get("/healthz").status_code == 503
    assert len(attempts) == 2
    fails[0] = False
    clock[0] += 10
    assert client.get("/healthz").status_code == 200


def test_deep_healthz_always_connects_to_the_broker(client, db, monkeypatch, settings):
    settings.HEALTHZ_BROKER_CACHE_SECONDS = 60
    fails = [False]
    attempts = _counting_broker(monkeypatch, fails=fails)
    assert client.get("/healthz").status_code == 200
    fails[0] = True
    assert client.get("/healthz").status_code == 200  # the remembered answer
    response = client.get("/healthz?deep=1")
    assert response.status_code == 503 and response.json()["checks"]["broker"] == "down"
    assert len(attempts) == 2
