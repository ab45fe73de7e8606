"""The one settings module: every value comes from the environment (12-factor), with safe
development defaults. `DEBUG=False` switches on production hardening and makes the secrets
mandatory."""

from __future__ import annotations

import base64
import hashlib
import hmac
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

# Development by default, as `make run` expects; production sets DEBUG=False.
DEBUG = env.bool("DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-never-use-in-production-0123456789")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
else:
    try:
        SECRET_KEY = env.str("SECRET_KEY")
        ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
    except ImproperlyConfigured as error:
        raise ImproperlyConfigured(f"Production mode (DEBUG=False) needs it: {error}") from error
    if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("dev-only"):
        raise ImproperlyConfigured("SECRET_KEY must be a random value of at least 50 characters.")

ADMIN_URL_PATH = env.str("ADMIN_URL_PATH", default="admin/")
CSRF_FAILURE_VIEW = "config.views.csrf_failure"
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
SITE_URL = env.str("SITE_URL", default="http://localhost:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "identity",
    "registrar",
    "booking",
    "certificates",
    "performance",
    "config.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "crispy_forms",
    "crispy_forms_gds",
    "govuk_frontend_django",
    "csp",
    "oauth2_provider",
    "identity.oidc",
    "replay",  # manage.py replay_year: a share of a national year driven through the services, measured
]

MIDDLEWARE = [
    # First, so that an oversized body is refused before anything reads it.
    "core.request_limits.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.unavailable.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "identity.middleware.AssistedSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "config" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "config.context_processors.service",
                "config.context_processors.rules",
            ],
            # `{% unique_id %}` in every template (the scrolling tables' names).
            "builtins": ["core.template_tags"],
            # The shared form layer's filters: error-summary links that reach an input.
            "libraries": {"core_forms": "core.form_tags"},
        },
    }
]

# --- Data -------------------------------------------------------------------------------------
# `make run` creates var/; nothing here writes to the disk when settings are imported.
if "DATABASE_URL" in env and not env.str("DATABASE_URL").strip():
    # An empty value is a mistake in the deployment, not a request for the laptop default.
    raise ImproperlyConfigured(
        "DATABASE_URL is set but empty: give a database URL (postgres://user:password@host:5432/name), "
        "or unset it to use the embedded SQLite database."
    )
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (web, worker, beat) share the file in the embedded default.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL;",
    }
else:
    # Persistent connections: opening a PostgreSQL connection per request costs more than most
    # requests do. Checked before reuse, so a restarted database is survived.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# PostgreSQL compiles a query to machine code (JIT) once its estimated cost is high, as the
# performance page's live counts of the open day are: at a national week's journeys that compile
# took 312 of a count's 346 ms, and the page took 590 ms with it against 230 ms without. The
# service's queries are short, so the connections switch it off; POSTGRES_JIT=true turns it on,
# and a database URL's own `options` are kept as they are.
POSTGRES_JIT = env.bool("POSTGRES_JIT", default=False)
# A database that is unreachable answers 503 with this Retry-After (core.unavailable): a
# PostgreSQL restart or fail-over to a replica takes seconds.
DATABASE_UNAVAILABLE_RETRY_AFTER_SECONDS = 10
# --- Read replica (core.replica) ----------------------------------------------------------------
# Reads that may lag a moment (index search, availability, public notices, verification,
# statistics, the performance page) go to a PostgreSQL streaming replica when this is set;
# writes, and everything else, stay on the primary. In tests the replica is the same database
# as the primary (a mirror), so the test database is created once.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="").strip()
# Seconds to wait for the replica to answer a connection: a replica that is away must not hold
# a page for long before its reads go to the primary.
REPLICA_CONNECT_TIMEOUT_SECONDS = env.int("REPLICA_CONNECT_TIMEOUT_SECONDS", default=2)
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = env.db_url_config(DATABASE_REPLICA_URL)
    DATABASES["replica"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"].setdefault("OPTIONS", {})["connect_timeout"] = REPLICA_CONNECT_TIMEOUT_SECONDS
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
for _database in DATABASES.values():
    if _database["ENGINE"] != "django.db.backends.sqlite3" and not POSTGRES_JIT:
        _database.setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DATABASE_ROUTERS = ["core.replica.ReplicaRouter"]
# A replica further behind than this is skipped: a search or a count a few seconds old is fine,
# a notice or a certificate missing for longer would puzzle the person who was just told of it.
REPLICA_MAX_LAG_SECONDS = env.float("REPLICA_MAX_LAG_SECONDS", default=5.0)
# How long a good check of the replica (reachable, lag) is trusted, and how long a failed one
# keeps its reads on the primary before the replica is tried again.
REPLICA_CHECK_SECONDS = env.float("REPLICA_CHECK_SECONDS", default=5.0)
REPLICA_BREAKER_SECONDS = env.float("REPLICA_BREAKER_SECONDS", default=30.0)
# The person's own state, read on every request and perhaps written by the previous one: never
# read from the replica (app labels, or app_label.model).
REPLICA_PRIMARY_ONLY_MODELS = [
    "sessions",
    "auth",
    "contenttypes",
    "oauth2_provider",
    "identity.user",
    "identity.apitoken",
    "identity.staffauthenticator",
    "identity.assistedsession",
]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "identity.User"

# Throttles (codes, consent, verification) are counted in the cache, so every web process must
# share it: production refuses to start without CACHE_URL (Redis).
if not DEBUG and "CACHE_URL" not in env:
    raise ImproperlyConfigured("Production mode (DEBUG=False) needs CACHE_URL: throttles must be shared.")
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://registrar")}
if not DEBUG and CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache":
    raise ImproperlyConfigured("CACHE_URL must name a shared cache (Redis), not local memory, in production.")
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "core.cache.RedisCache"  # one Redis client per process, not one per call

# --- Accounts -----------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "identity:sign-in"
LOGIN_REDIRECT_URL = "identity:account"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 2)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# One-time codes. Numbers from shared/IDENTITY-RULES.md ("One-time codes").
OTP_EMAIL_LIFETIME_MINUTES = 15  # email codes live 15 minutes (stricter than the 24 h some allow)
OTP_SMS_LIFETIME_MINUTES = 10  # SMS codes live 10 minutes
OTP_MAX_WRONG_PER_CODE = 5  # after 5 wrong entries the code is dead and the step locks
OTP_LOCKOUT_MINUTES = 15  # ...for 15 minutes
OTP_MAX_FAILURES_PER_DAY = 20  # hard cap of failures per person per 24 hours
OTP_RESEND_MIN_SECONDS = 60  # at most one code a minute per destination
OTP_RESEND_MAX_PER_HOUR = 5  # at most five codes an hour per destination
# Per client address, so one machine cannot spray many addresses; generous for shared NATs.
OTP_MAX_REQUESTS_PER_ADDRESS_PER_HOUR = env.int("OTP_MAX_REQUESTS_PER_ADDRESS_PER_HOUR", default=60)
OTP_MAX_FAILURES_PER_ADDRESS_PER_HOUR = env.int("OTP_MAX_FAILURES_PER_ADDRESS_PER_HOUR", default=100)
# Staff authenticator apps: 30-second step, one step of drift (IDENTITY-RULES.md).
TOTP_INTERVAL_SECONDS = 30
TOTP_VALID_WINDOW = 1
STAFF_PASSWORD_MAX_FAILURES_PER_HOUR = 10
API_TOKEN_LIFETIME_HOURS = env.int("API_TOKEN_LIFETIME_HOURS", default=8)

# Uploaded evidence (IDENTITY-RULES.md, "Uploaded evidence").
EVIDENCE_MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # size limit of 10 MB
# Bounds on the work one photo can cause, checked on the header before any pixel is decoded.
# Phones take 12 MP (4032x3024) by default, recent iPhones 24 MP (5712x4284), and 48-50 MP in
# their full-resolution modes (8160x6144 is 50.1 MP): 52 MP takes every one of them. A baseline
# JPEG that large is decoded at a quarter of its size, so it costs what a 12 MP photo costs.
EVIDENCE_MAX_PIXELS = env.int("EVIDENCE_MAX_PIXELS", default=52_000_000)
# PNG, WebP and progressive JPEG cannot be decoded at reduced size: above 16 MP (64 MB as RGBA
# pixels) they are refused. A 12 MP phone photo fits; a 5 KB PNG claiming 6000x6600 does not.
EVIDENCE_FULL_DECODE_MAX_PIXELS = env.int("EVIDENCE_FULL_DECODE_MAX_PIXELS", default=16_000_000)
# Photos are checked and kept at most 2400 px on their longest side: a passport page (125 mm)
# at 2400 px is about 490 dpi, above the 300 dpi that document scanners read machine readable
# zones at, and the face matcher works at 1000 px. JPEG decodes at 1/2, 1/4 or 1/8 down to it.
EVIDENCE_MAX_SIDE_PIXELS = env.int("EVIDENCE_MAX_SIDE_PIXELS", default=2400)
# Photos decoding at once in one web process, each at most ~150 MB at the caps above (see
# bench/bench_upload_memory.py): two per process, for two cores; sync gunicorn workers decode one.
EVIDENCE_DECODES_AT_ONCE = env.int("EVIDENCE_DECODES_AT_ONCE", default=2)
# How long a photo waits for a decode slot before a clear 429 asks the person to send it again:
# a decode at the caps takes under a second, so 10 s rides out a burst.
EVIDENCE_DECODE_WAIT_SECONDS = env.float("EVIDENCE_DECODE_WAIT_SECONDS", default=10.0)
# PNG text chunks (comments, XMP) are held in memory while decoding and then dropped; Pillow
# allows 64 MB of them, a photo needs none: past 2 MB the file is refused as damaged.
EVIDENCE_PNG_TEXT_MAX_BYTES = 2 * 1024 * 1024
EVIDENCE_MIN_SIDE_PIXELS = 400  # smaller photos of a document cannot be read
EVIDENCE_DARK_MEAN = 45  # mean brightness (0-255) below which a photo is too dark
EVIDENCE_GLARE_SHARE = 0.25  # share of near-white pixels above which there is glare
EVIDENCE_BLUR_EDGE_MEAN = 6.0  # mean edge strength (0-255) below which a photo is blurred
EVIDENCE_RETENTION_DAYS = 30  # images deleted 30 days after the decision
# Callables (dotted paths) taking an IdentityCase and returning fraud reason codes; other apps
# plug their signals in here so that identity does not import them.
# An identity check in the name and date of birth of someone whose death is registered goes to a registrar.
IDENTITY_FRAUD_SIGNAL_PROVIDERS = ["registrar.selectors.death_registered_for_identity"]

# The identity checkers behind adapters (identity/verifiers): each role names a class by dotted
# path, or is empty for none. With none, no score is claimed that a check did not earn; a
# sandbox (identity.verifiers.sandbox.*) is labelled as such on every page and in every score.
IDENTITY_VERIFIERS = {
    "document_platform": env.str("IDENTITY_DOCUMENT_PLATFORM", default=""),
    "face_matcher": env.str("IDENTITY_FACE_MATCHER", default="identity.verifiers.face.OfflineFaceMatcher"),
    "passport": env.str("IDENTITY_PASSPORT_VALIDATOR", default=""),
    "driving_licence": env.str("IDENTITY_LICENCE_VALIDATOR", default=""),
    "fraud": env.str("IDENTITY_FRAUD_PROVIDER", default=""),
    "knowledge": env.str("IDENTITY_KNOWLEDGE_PROVIDER", default=""),
}
# A sandbox passes or fails by rule. Production refuses one unless this says otherwise (a
# staging site may), and every page of a site with one says so.
IDENTITY_SANDBOX_ALLOWED = env.bool("IDENTITY_SANDBOX_ALLOWED", default=DEBUG)
if not IDENTITY_SANDBOX_ALLOWED and any("sandbox" in path.lower() for path in IDENTITY_VERIFIERS.values()):
    raise ImproperlyConfigured("A sandbox identity checker is configured; IDENTITY_SANDBOX_ALLOWED=True allows it.")
# Where the HTTP checkers are and how they authenticate; keys come from the environment only.
IDENTITY_DOCUMENT_PLATFORM_URL = env.str("IDENTITY_DOCUMENT_PLATFORM_URL", default="")
IDENTITY_DOCUMENT_PLATFORM_KEY = env.str("IDENTITY_DOCUMENT_PLATFORM_KEY", default="")
IDENTITY_PASSPORT_VALIDATOR_URL = env.str("IDENTITY_PASSPORT_VALIDATOR_URL", default="")
IDENTITY_PASSPORT_VALIDATOR_KEY = env.str("IDENTITY_PASSPORT_VALIDATOR_KEY", default="")
IDENTITY_LICENCE_VALIDATOR_URL = env.str("IDENTITY_LICENCE_VALIDATOR_URL", default="")
IDENTITY_LICENCE_VALIDATOR_KEY = env.str("IDENTITY_LICENCE_VALIDATOR_KEY", default="")
IDENTITY_FRAUD_PROVIDER_URL = env.str("IDENTITY_FRAUD_PROVIDER_URL", default="")
IDENTITY_FRAUD_PROVIDER_KEY = env.str("IDENTITY_FRAUD_PROVIDER_KEY", default="")
IDENTITY_KNOWLEDGE_PROVIDER_URL = env.str("IDENTITY_KNOWLEDGE_PROVIDER_URL", default="")
IDENTITY_KNOWLEDGE_PROVIDER_KEY = env.str("IDENTITY_KNOWLEDGE_PROVIDER_KEY", default="")
# The offline face matcher takes two faces as the same person below this distance between their
# dlib descriptors. dlib's author gives 0.6 for the model (99.38% of the Labeled Faces in the Wild
# pairs right); 0.55 is stricter because a false match lets someone use another person's document
# while a false non-match only sends the check to a registrar. Measured on the generated test set
# by bench/face_match_rates.py (README, "Face matching").
IDENTITY_FACE_MATCH_THRESHOLD = env.float("IDENTITY_FACE_MATCH_THRESHOLD", default=0.55)
# A checker that has not answered in this many seconds is "unavailable": the case goes on to a
# registrar rather than the person waiting on a page.
IDENTITY_CHECKER_TIMEOUT_SECONDS = env.float("IDENTITY_CHECKER_TIMEOUT_SECONDS", default=10.0)
# Knowledge-based verification (identity/knowledge.py). Each new set of questions is another
# chance for someone who is not the person to guess, and the provider's questions repeat facts
# from one set to the next, so a guesser learns by elimination: 2 sets in any 24 hours lets a
# person who slipped once try again, and no more.
IDENTITY_KNOWLEDGE_ATTEMPTS_PER_DAY = 2
# Minutes to answer a set of questions: long enough to read five questions and their choices
# (screen readers included), short enough that nobody looks the answers up at leisure. A provider
# that ends its session sooner answers "expired", which the person is told the same way.
IDENTITY_KNOWLEDGE_MINUTES = 10

# Other apps' pages listed on the account page, so that identity need not import them.
ACCOUNT_SECTIONS = [
    ("booking:mine", _("Your ceremony and notice bookings")),
    ("registrar:mine", _("Your birth and death registrations")),
    ("marriage:start", _("Your notice of marriage or civil partnership")),
    ("certificates:mine", _("Your certificate orders")),
    ("oidc:services", _("Services that use your identity")),
]

# Other apps' staff pages listed on the staff home page: (url name, label, permission needed).
STAFF_SECTIONS = [
    ("booking-staff:offices", _("Ceremony and notice diary"), "booking.manage_diary"),
    ("identity:support-home", _("Help a person by phone"), "identity.assist_citizens"),
    ("identity:support-report", _("Phone support activity"), "identity.supervise_support"),
    ("identity:support-notes", _("Notes from phone support"), "identity.work_cases"),
    ("registrar-staff:queue", _("Registration cases"), "registrar.work_registrations"),
    ("staff-dashboard:dashboard", _("Office dashboard"), "registrar.work_registrations"),
    ("registrar-staff:find-entry", _("Find and correct a register entry"), "registrar.correct_entries"),
    ("certificates-staff:orders", _("Certificate orders"), "certificates.view_orders"),
    ("oidc-staff:clients", _("Services that sign people in with their identity"), "identity_oidc.manage_clients"),
    ("marriage-staff:conversion", _("Convert a civil partnership into a marriage"), "registrar.work_notices"),
]
# The audit log's writer (identity owns the log); `core.audit.audit_request` calls it.
AUDIT_RECORDER = "identity.audit.record_audit"

# Assisted digital: a person reads a consent code to phone support.
ASSISTED_CONSENT_CODE_LENGTH = 8  # 8 characters of a 32-letter alphabet: 40 bits, easy to read out
ASSISTED_CONSENT_CODE_MINUTES = 15  # like an email code (IDENTITY-RULES.md, one-time codes)
ASSISTED_SESSION_MINUTES = 30  # an assisted session ends on its own after half an hour
ASSISTED_MAX_WRONG_PER_PERSON = 5  # as for one-time codes: 5 wrong entries kill the code...
ASSISTED_MAX_WRONG_PER_STAFF = 10  # ...and a staff member guessing across people is stopped too
ASSISTED_CONSENT_LOCK_MINUTES = 15  # for 15 minutes
ASSISTED_NOTE_MAX_CHARACTERS = 5000
ASSISTED_FOUND_PEOPLE_SECONDS = 3600  # a person found by a search can be opened for an hour
# The supervisor report flags these patterns over the period it covers.
ASSISTED_FLAG_SEARCHES = 20  # 20+ searches and more than 3 per session opened
ASSISTED_FLAG_PEOPLE_PER_DAY = 15  # sessions for 15+ different people a day
ASSISTED_FLAG_REFUSALS = 5  # 5+ consent codes refused
# Where an assisted session never acts as the person: staff pages, the admin, the API, files.
ASSISTED_EXCLUDED_PATHS = ("/staff/", f"/{ADMIN_URL_PATH}", "/api/", "/static/", "/dev/", "/sign-out/", "/healthz")
# Functions (dotted paths) taking a reference read out on the phone and returning
# (person, stage) or None: how phone support finds a person by another app's reference.
ASSISTED_REFERENCE_FINDERS = [
    "booking.selectors.person_for_reference",
    "registrar.selectors.person_for_reference",
    "certificates.selectors.person_for_reference",
    # Notices, proposals and schedules of marriages and civil partnerships (NT-, MP-, SC-).
    "registrar.marriage.phone_support.person_for_reference",
]
# Other apps' pages an assisted session links to (url name, label), so identity need not import them.
ASSISTED_SECTIONS: list[tuple[str, str]] = [
    ("identity:check", _("Their identity check")),
    ("booking:mine", _("Their ceremony and notice bookings")),
    ("booking:search", _("Book a ceremony for them")),
    ("booking:identity-start", _("Book an identity appointment for them")),
    ("registrar:mine", _("Their birth and death registrations")),
    ("certificates:mine", _("Their certificate orders")),
    ("certificates:search", _("Order a certificate for them")),
]
# core.places reaches the register offices through this, as auth reaches AUTH_USER_MODEL, so that
# core imports no app. Each office is placed by its own postcode.
PLACES_OFFICE_MODEL = "identity.RegisterOffice"
# Booking. Holds are short so nobody sits on a slot; the person can extend.
BOOKING_HOLD_MINUTES = env.int("BOOKING_HOLD_MINUTES", default=15)
# The "do you need more time?" warning opens this long before the hold ends. To try the time-out
# locally: BOOKING_HOLD_MINUTES=1 BOOKING_HOLD_WARNING_SECONDS=30 make run.
BOOKING_HOLD_WARNING_SECONDS = env.int("BOOKING_HOLD_WARNING_SECONDS", default=120)
# Officers are busy before and after each booking: changeover time plus the time to travel
# between their office and the venue at this average road speed (distance x detour factor).
BOOKING_CHANGEOVER_MINUTES = 15
BOOKING_TRAVEL_KM_PER_HOUR = 40
BOOKING_ROAD_DETOUR_FACTOR = 1.3  # roads are longer than the straight line
BOOKING_HORIZON_DAYS = env.int("BOOKING_HORIZON_DAYS", default=548)  # 18 months ahead
BOOKING_NOTICE_MINIMUM_DAYS = 1  # a notice appointment can be booked from tomorrow
BOOKING_MAX_SEARCH_DAYS = 186  # one search covers at most about 6 months
BOOKING_SEARCH_RADIUS_KM = 40  # "near me" when searching by place
# REGISTRATION-RULES.md, marriage and civil partnership:
NOTICE_RESIDENCE_DAYS = 7  # each person has lived in the district 7 full days before notice
NOTICE_WAIT_DAYS = 28  # ceremony no sooner than 28 full days after notice...
NOTICE_REFERRED_WAIT_DAYS = 70  # ...or 70 when the Home Office referral extends it
NOTICE_VALID_MONTHS = 12  # and no later than 12 months after notice
CEREMONY_WITNESSES = 2  # two witnesses...
WITNESS_MINIMUM_AGE = 16  # ...aged 16 or over
MINIMUM_AGE_TO_MARRY = 18  # Marriage and Civil Partnership (Minimum Age) Act 2022
NOTICE_DISPLAY_DAYS = 28  # a given notice is displayed publicly for 28 days
NOTICE_PARENTS_MAX = 4  # up to four parents per party on the schedule
SCHEDULE_RETURN_DAYS = 21  # a signed schedule is returned within 21 days of the ceremony
# Giving notice online: the other person's invitation link works for 28 days (a new one can be
# sent at any time, and replaces it).
NOTICE_INVITATION_MAX_AGE_DAYS = 28
# What the notices of a ceremony allow, for booking (which does not import the registration
# domain): a dotted path to a function of the ceremony booking.
BOOKING_CEREMONY_NOTICES = "registrar.marriage.selectors.ceremony_notices"
# The Home Office (notice referrals, decisions, suspicion reports): its sandbox, or the HTTP
# integration (registrar.marriage.home_office.http.HttpHomeOffice) with its address and key.
# Referring a notice is a legal duty, so production must name the Home Office's address and key.
HOME_OFFICE_ADAPTER = env.str(
    "HOME_OFFICE_ADAPTER",
    default="registrar.marriage.home_office.sandbox.SandboxHomeOffice"
    if DEBUG
    else "registrar.marriage.home_office.http.HttpHomeOffice",
)
HOME_OFFICE_URL = env.str("HOME_OFFICE_URL", default="")
HOME_OFFICE_KEY = env.str("HOME_OFFICE_KEY", default="")
HOME_OFFICE_TIMEOUT_SECONDS = env.float("HOME_OFFICE_TIMEOUT_SECONDS", default=10.0)
HOME_OFFICE_SANDBOX_ALLOWED = env.bool("HOME_OFFICE_SANDBOX_ALLOWED", default=DEBUG)
if not HOME_OFFICE_SANDBOX_ALLOWED and "sandbox" in HOME_OFFICE_ADAPTER.lower():
    raise ImproperlyConfigured("The Home Office sandbox is configured; HOME_OFFICE_SANDBOX_ALLOWED=True allows it.")
if not DEBUG and "sandbox" not in HOME_OFFICE_ADAPTER.lower() and not (HOME_OFFICE_URL and HOME_OFFICE_KEY):
    raise ImproperlyConfigured("Production mode (DEBUG=False) needs HOME_OFFICE_URL and HOME_OFFICE_KEY.")
# --- Public notices, objections and suspicion reports -------------------------------------------
NOTICES_PER_PAGE = 25  # the public notices page, per registration district
# Anyone may object to a displayed notice without signing in; these limits per client address stop
# a flood of objections (or messages to the couple) without hindering someone with a real objection.
OBJECTIONS_PER_ADDRESS_PER_HOUR = env.int("OBJECTIONS_PER_ADDRESS_PER_HOUR", default=5)
OBJECTIONS_PER_ADDRESS_PER_DAY = env.int("OBJECTIONS_PER_ADDRESS_PER_DAY", default=20)
OBJECTION_GROUNDS_MAX_LENGTH = 5000
# A report of a suspected sham or forced marriage is sent to the Home Office by a task, retried with
# backoff; after this many attempts it is left unsent and staff are alerted to send it another way.
SUSPICION_REPORT_MAX_ATTEMPTS = 8

# Sending a Home Office referral: tries before it is marked as failed (staff are alerted and may
# send it again), the first wait between tries (doubling each time), and how often the Home
# Office is asked for decisions not yet told back.
HOME_OFFICE_REFERRAL_MAX_ATTEMPTS = env.int("HOME_OFFICE_REFERRAL_MAX_ATTEMPTS", default=8)
HOME_OFFICE_REFERRAL_BACKOFF_SECONDS = 60
HOME_OFFICE_DECISION_POLL_SECONDS = 3600.0
# A provisional ceremony is released when notice can no longer be given in time; the couple are
# warned this many days before that.
PROVISIONAL_RELEASE_WARNING_DAYS = [14, 3]
BOOKING_REMINDER_DAYS = [7, 1]  # reminders before each appointment or ceremony
BANK_HOLIDAYS_URL = "https://www.gov.uk/bank-holidays.json"
BOOKING_MANAGE_LINK_MAX_AGE_DAYS = 600  # a link in a message works past the booking horizon
# Group citizenship ceremonies (booking.services.citizenship): seat holders are reminded this many
# days before (each once, through the outbox); the staff form's starting numbers.
CITIZENSHIP_REMINDER_DAYS = [7, 1]
CITIZENSHIP_DEFAULT_MINUTES = 60
CITIZENSHIP_DEFAULT_GUESTS_PER_ATTENDEE = 2
# Identity appointments with a registrar (video, or in person at any office), for whoever cannot
# reach medium confidence online. The video call's address, with {token} replaced by the
# booking's random room token: nothing about the person is ever in it.
IDENTITY_VIDEO_ROOM_URL = env.str("IDENTITY_VIDEO_ROOM_URL", default="https://video.registrar.example/room/{token}")
if "{token}" not in IDENTITY_VIDEO_ROOM_URL:
    raise ImproperlyConfigured("IDENTITY_VIDEO_ROOM_URL must contain {token}, the call's random room token.")
# Callables (dotted paths) taking an IdentityCase and returning the ids of the offices where the
# person has an identity appointment booked: a registrar of such an office may compare the person
# with their document (identity.comparison), so that identity need not import booking.
IDENTITY_COMPARISON_OFFICES = ["booking.selectors.identity_appointment_offices"]
IDENTITY_COMPARISON_NOTE_MAX_CHARACTERS = 2000  # what the registrar saw, in their own words

# --- Registrar casework, events and webhooks ------------------------------------------------------
# The dashboard flags open cases whose deadline is this close (or past).
CASEWORK_DEADLINE_WARNING_DAYS = 3
# Webhooks: a receiver must answer within this time; deliveries are retried with exponential
# backoff (Celery) up to this many attempts, then marked failed for a service admin to see.
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=10.0)
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=10)
WEBHOOK_BACKOFF_MAX_SECONDS = 3600
# Receivers reject a signature whose timestamp is older than this (replay protection).
WEBHOOK_SIGNATURE_TOLERANCE_SECONDS = 300
# The sweeper re-enqueues deliveries whose retry is this overdue (its message was lost); the same
# age as every other side effect's sweep (SIDE_EFFECT_SWEEP_AGE_SECONDS, with the Celery settings).
WEBHOOK_SWEEP_GRACE_SECONDS = 20

# --- Birth and death registration (REGISTRATION-RULES.md) ----------------------------------------
BIRTH_REGISTRATION_DAYS = 42  # "Register within 42 days of the birth"
BIRTH_LATE_MONTHS = 3  # 42 days to 3 months: late, registrable with a reason
LATE_AUTHORITY_MONTHS = 12  # 3-12 months: registrar's special procedure; over 12: Registrar General's authority
DEATH_REGISTRATION_DAYS = 5  # "within 5 days", counted from when the registrar has the MCCD
DEATH_EXTENSION_DAYS = 9  # +9 days when the registrar is told in writing that the MCCD was issued
TELL_US_ONCE_VALID_DAYS = 28  # a Tell Us Once reference is valid 28 days
# Deduplication: a birth of the same mother within this many days either side is a likely duplicate
# (twins and triplets answered as a multiple birth are told apart by the child's forenames).
DUPLICATE_BIRTH_WINDOW_DAYS = 5
# Reminders before the registration deadline (days before the last day), sent by Celery beat.
REGISTRATION_REMINDER_DAYS = {"birth": [14, 3], "death": [2]}
SECOND_PARENT_INVITATION_MAX_AGE_DAYS = 42  # an invitation link works as long as the birth is in time
GREEN_FORM_LINK_MAX_AGE_DAYS = 28  # the funeral arranger's download link, as long as Tell Us Once
# Who signs and records the documents issued at registration (the green form, the still-birth's
# certificates), so that they can be checked at /verify/: certificates does, with its signing key.
# A callable taking registration=, kind= and render= (drawing the PDF from the stamp it is given).
REGISTRATION_DOCUMENT_ISSUER = "certificates.registration_documents.issue_registration_document"

# --- Registrations taken by staff (registrar.staff_registration) -------------------------------
# The informant's link to enter their declaration code on their own device lasts as long as the
# longer of the codes it goes with (OTP_EMAIL_LIFETIME_MINUTES), so the link never outlives use.
STAFF_REGISTRATION_LINK_MINUTES = OTP_EMAIL_LIFETIME_MINUTES
# "Start a registration" for registrars on the staff home, and for phone support in a session.
STAFF_SECTIONS += [
    ("staff-registration:start", _("Start a birth or death registration for someone"), "registrar.work_registrations"),
]
ASSISTED_SECTIONS += [("staff-registration:start", _("Take a birth or death registration for them"))]
# --- Deaths after an inquest (REGISTRATION-RULES.md "Re-registration and inquests") ------------------
# The family's link to the coroner's interim certificate of the fact of death. Inquests can stay
# open for months, and the family needs the certificate (for banks, pensions) all that time.
INQUEST_INTERIM_LINK_MAX_AGE_DAYS = env.int("INQUEST_INTERIM_LINK_MAX_AGE_DAYS", default=365)

# --- Certificates ---------------------------------------------------------------------------------
# Fees per copy in pence (REGISTRATION-RULES.md, "The register and certificates": £12.50 standard
# with an index reference; every order made from the online index has one).
CERTIFICATE_FEES_PENCE = {
    "full_birth": env.int("CERTIFICATE_FEE_FULL_BIRTH_PENCE", default=1250),
    "short_birth": env.int("CERTIFICATE_FEE_SHORT_BIRTH_PENCE", default=1250),
    "death": env.int("CERTIFICATE_FEE_DEATH_PENCE", default=1250),
    "marriage": env.int("CERTIFICATE_FEE_MARRIAGE_PENCE", default=1250),
    "civil_partnership": env.int("CERTIFICATE_FEE_CIVIL_PARTNERSHIP_PENCE", default=1250),
    "stillbirth": env.int("CERTIFICATE_FEE_STILLBIRTH_PENCE", default=1250),
}
CERTIFICATE_MAX_COPIES = 10
# Births in the last 50 years: the order must also give the date and place of birth and the
# parents' names (REGISTRATION-RULES.md, "The register and certificates").
CERTIFICATE_RECENT_BIRTH_YEARS = 50
CERTIFICATE_DETAIL_ATTEMPTS = 5  # wrong sets of details before the order is locked (no guessing)
CERTIFICATE_SEARCH_PAGE_SIZE = 20
CERTIFICATE_SEARCH_MAX_RESULTS = 1000  # beyond this, people are asked to narrow the search
CERTIFICATE_SEARCH_MAX_YEARS_EITHER_SIDE = 10
# Verification is public; these stop anyone walking through serial numbers.
CERTIFICATE_VERIFY_PER_ADDRESS_PER_MINUTE = env.int("CERTIFICATE_VERIFY_PER_ADDRESS_PER_MINUTE", default=20)
CERTIFICATE_VERIFY_PER_ADDRESS_PER_HOUR = env.int("CERTIFICATE_VERIFY_PER_ADDRESS_PER_HOUR", default=200)
CERTIFICATE_VERIFY_MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# The service's signing key and certificate (PEM); `manage.py create_signing_key` makes a
# development CA and signing certificate in var/signing/. The CA is the trust root for checks.
CERTIFICATE_SIGNING_KEY_PATH = env.path("CERTIFICATE_SIGNING_KEY_PATH", default=VAR_DIR / "signing" / "signing-key.pem")
CERTIFICATE_SIGNING_CERT_PATH = env.path(
    "CERTIFICATE_SIGNING_CERT_PATH", default=VAR_DIR / "signing" / "signing-cert.pem"
)
CERTIFICATE_SIGNING_CA_PATH = env.path("CERTIFICATE_SIGNING_CA_PATH", default=VAR_DIR / "signing" / "ca-cert.pem")
CERTIFICATE_SIGNING_KEY_PASSPHRASE = env.str("CERTIFICATE_SIGNING_KEY_PASSPHRASE", default="")
# Payments: "sandbox" runs inside the service (test cards); "govuk_pay" uses GOV.UK Pay's API.
PAYMENT_PROVIDER = env.str("PAYMENT_PROVIDER", default="sandbox")
GOVUK_PAY_API_URL = env.str("GOVUK_PAY_API_URL", default="https://publicapi.payments.service.gov.uk").rstrip("/")
GOVUK_PAY_API_KEY = env.str("GOVUK_PAY_API_KEY", default="")
GOVUK_PAY_TIMEOUT_SECONDS = env.float("GOVUK_PAY_TIMEOUT_SECONDS", default=10.0)
# Answers that trying again can fix (timeouts, 429, 5xx) are tried this many times in all while
# the person waits, with GOVUK_PAY_RETRY_BACKOFF_SECONDS and then twice that between tries: two
# tries of the 10 s timeout stay inside gunicorn's 30 s worker timeout. Reading a payment's
# status is tried again later by Celery (CERTIFICATE_PAYMENT_CHECK_RETRIES, with backoff).
GOVUK_PAY_ATTEMPTS = env.int("GOVUK_PAY_ATTEMPTS", default=2)
GOVUK_PAY_RETRY_BACKOFF_SECONDS = env.float("GOVUK_PAY_RETRY_BACKOFF_SECONDS", default=0.5)
# 8 tries waiting 1 s, 2 s, 4 s ... 128 s span about 4 minutes; after that the beat sweeper
# still asks about any payment left open (GOV.UK Pay's payment pages expire after 90 minutes).
CERTIFICATE_PAYMENT_CHECK_RETRIES = env.int("CERTIFICATE_PAYMENT_CHECK_RETRIES", default=8)
# Tries at issuing an order (or rendering a reissued copy) before it is set aside for staff and
# the operators alerted: each try is counted before it starts, so one that kills its worker
# counts too. 8 tries, the sweeper waiting 15 s, 30 s, 1, 2 then 4 min between them
# (certificates.services.issue_retry_seconds), span about 20 minutes: a passing fault clears,
# one that never will (a missing signing key, a bug for one record) stops instead of looping.
CERTIFICATE_ISSUE_MAX_ATTEMPTS = env.int("CERTIFICATE_ISSUE_MAX_ATTEMPTS", default=8)
if not DEBUG and PAYMENT_PROVIDER == "govuk_pay" and not GOVUK_PAY_API_KEY:
    raise ImproperlyConfigured("PAYMENT_PROVIDER=govuk_pay needs GOVUK_PAY_API_KEY.")

# --- Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("cy", _("Welsh"))]
LOCALE_PATHS = [BASE_DIR / "config" / "locale"]
LANGUAGE_COOKIE_NAME = "registrar_language"
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files -------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
# `make assets` compiles GOV.UK Frontend (npm) into build/static; nothing third-party is committed.
STATICFILES_DIRS = [BASE_DIR / "build" / "static", BASE_DIR / "config" / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# A stored file that no row refers to is removed by a sweep once it is this old (core.storage):
# a file is written before its row commits, so the grace must outlast any transaction that writes
# one (CELERY_TASK_TIME_LIMIT is 90 s, a web request far less); an hour leaves a wide margin.
ORPHAN_FILE_GRACE_SECONDS = 3600
STORAGES = {
    # Uploaded evidence never sits under the web root; it is served by views that check access.
    "default": {"BACKEND": env.str("FILE_STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage")},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default=None)
AWS_DEFAULT_ACL = None
AWS_QUERYSTRING_AUTH = True
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # 2.5 MB of form fields
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# The largest request body read at all (core.request_limits): the largest upload (a 10 MB
# photo) plus 1 MB of form fields and multipart overhead. A larger Content-Length is answered 413
# before the body is read; a chunked body stops being read there.
REQUEST_BODY_MAX_BYTES = env.int("REQUEST_BODY_MAX_BYTES", default=EVIDENCE_MAX_UPLOAD_BYTES + 1024 * 1024)

# --- Audit log ------------------------------------------------------------------------------------
# DESIGN.md invariant 7. The chain is keyed (HMAC-SHA256) with secrets kept outside the database,
# so whoever can write the table cannot recompute it. AUDIT_CHAIN_KEYS is "id:secret,id:secret":
# new entries are chained with the last; keep the older ones listed after a rotation so the
# entries chained with them still verify.


def _id_value_pairs(name: str) -> dict[str, str]:
    pairs = {}
    for item in env.list(name, default=[]):
        key_id, separator, value = item.partition(":")
        if not separator or not key_id.strip() or not value.strip():
            raise ImproperlyConfigured(f"{name} is a comma-separated list of id:value pairs.")
        pairs[key_id.strip()] = value.strip()
    return pairs


def _derived(purpose: str) -> str:
    return hmac.new(SECRET_KEY.encode(), purpose.encode(), hashlib.sha256).hexdigest()


AUDIT_CHAIN_KEYS = _id_value_pairs("AUDIT_CHAIN_KEYS")
# The checkpoint signing key: "id:<base64 of the 32-byte Ed25519 private key>" (make one with
# `manage.py checkpoint_audit --new-signing-key`). Integrators verify with its public key.
AUDIT_CHECKPOINT_SIGNING_KEY = env.str("AUDIT_CHECKPOINT_SIGNING_KEY", default="")
if not DEBUG:
    if not AUDIT_CHAIN_KEYS:
        raise ImproperlyConfigured("Production mode (DEBUG=False) needs AUDIT_CHAIN_KEYS to key the audit log.")
    if any(len(secret) < 32 for secret in AUDIT_CHAIN_KEYS.values()):
        raise ImproperlyConfigured("Each AUDIT_CHAIN_KEYS secret must be a random value of at least 32 characters.")
    if not AUDIT_CHECKPOINT_SIGNING_KEY:
        raise ImproperlyConfigured("Production mode (DEBUG=False) needs AUDIT_CHECKPOINT_SIGNING_KEY.")
if not AUDIT_CHAIN_KEYS:
    # Development only: derived from SECRET_KEY so `make run` needs no set-up.
    AUDIT_CHAIN_KEYS = {"dev": _derived("audit-chain")}
if not AUDIT_CHECKPOINT_SIGNING_KEY:
    AUDIT_CHECKPOINT_SIGNING_KEY = "dev:" + base64.b64encode(bytes.fromhex(_derived("audit-checkpoint"))).decode()
_signing_id, _colon, _signing_seed = AUDIT_CHECKPOINT_SIGNING_KEY.partition(":")
try:
    _signing_seed_ok = bool(_signing_id) and len(base64.b64decode(_signing_seed, validate=True)) == 32
except ValueError:
    _signing_seed_ok = False
if not _signing_seed_ok:
    raise ImproperlyConfigured("AUDIT_CHECKPOINT_SIGNING_KEY must be id:<base64 of a 32-byte Ed25519 private key>.")
AUDIT_CHAIN_KEY_ID = list(AUDIT_CHAIN_KEYS)[-1]
# Public keys of retired signing keys ("id:<base64 of the 32-byte public key>"), so checkpoints
# signed before a rotation still verify.
AUDIT_CHECKPOINT_PUBLIC_KEYS = _id_value_pairs("AUDIT_CHECKPOINT_PUBLIC_KEYS")
# How often the chain's head is signed and exported: entries newer than the last checkpoint are
# the only ones that could be cut unnoticed, so at most 5 minutes of them.
AUDIT_CHECKPOINT_INTERVAL_SECONDS = env.int("AUDIT_CHECKPOINT_INTERVAL_SECONDS", default=300)
# `verify_audit` checks the table against this many of the newest checkpoints (an hour's worth at
# the default interval); `--checkpoints all` checks every one.
AUDIT_CHECKPOINTS_VERIFIED = env.int("AUDIT_CHECKPOINTS_VERIFIED", default=12)
# Callables (dotted paths) given each new checkpoint, so other apps announce it to integrators
# without identity importing them.
AUDIT_CHECKPOINT_LISTENERS = ["registrar.events.announce_audit_checkpoint"]
# Checkpoints go to their own storage: a folder under var/ here; in production a write-once
# bucket (S3 Object Lock in compliance mode) that the database's credentials cannot rewrite.
# Production names it: a default folder beside the database would anchor nothing.
if not DEBUG and "AUDIT_CHECKPOINT_STORAGE_BACKEND" not in env:
    raise ImproperlyConfigured(
        "Production mode (DEBUG=False) needs AUDIT_CHECKPOINT_STORAGE_BACKEND (and its "
        "AUDIT_CHECKPOINT_STORAGE_OPTIONS): a write-once store the database's credentials cannot rewrite."
    )
STORAGES["audit_checkpoints"] = {
    "BACKEND": env.str("AUDIT_CHECKPOINT_STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage"),
    "OPTIONS": env.json(
        "AUDIT_CHECKPOINT_STORAGE_OPTIONS",
        default={"location": str(VAR_DIR / "audit-checkpoints"), "file_permissions_mode": 0o444},
    ),
}

# --- Service and brand ----------------------------------------------------------------------------
SERVICE_NAME = env.str("SERVICE_NAME", default="Registrar Online")
# The crown, the GOV.UK logotype and the GDS Transport font are reserved for services on
# GOV.UK; BRAND=govuk switches them on, the default brand is neutral.
BRAND = env.str("BRAND", default="neutral")
ORGANISATION_NAME = env.str("ORGANISATION_NAME", default="") or _("Register offices of England and Wales")
SERVICE_PHASE = env.str("SERVICE_PHASE", default="beta")
FEEDBACK_URL = env.str("FEEDBACK_URL", default="mailto:feedback@registrar.example")

# --- Performance page and open data -----------------------------------------------------------------
# The cost model behind "cost per transaction" on /performance/, in pounds. The page shows the
# formula; the figures are the service's budgeted unit costs, overridable per deployment.
PERFORMANCE_COST_MODEL = {
    # Hosting, databases, queues, monitoring and the software's support contract, for a month.
    "infrastructure_per_month": env.str("PERFORMANCE_INFRASTRUCTURE_PER_MONTH", default="42000.00"),
    # A registrar's time on one case the service could not decide alone (casework, an identity
    # check decided by hand, a notice interview, a registration taken at the office), in minutes.
    "staff_minutes_per_registrar_case": env.int("PERFORMANCE_STAFF_MINUTES_PER_CASE", default=30),
    # A registrar's hour with on-costs (pay, pension, national insurance, office), in pounds.
    "staff_cost_per_hour": env.str("PERFORMANCE_STAFF_COST_PER_HOUR", default="32.00"),
    # The card payment provider's fee for one successful payment.
    "payment_fee": env.str("PERFORMANCE_PAYMENT_FEE", default="0.25"),
    # The messaging provider's fee for one email or text message sent.
    "message_fee": env.str("PERFORMANCE_MESSAGE_FEE", default="0.02"),
}
# Statistical disclosure control of the open data: a count below this is never published (nor is
# any count that would let one be worked out from the totals). ONS suppresses small cells of
# births and deaths at small areas the same way; 10 is the threshold the page documents.
OPEN_DATA_MIN_COUNT = env.int("OPEN_DATA_MIN_COUNT", default=10)
# Survey answers from one address: (window seconds, most answers in it). Stops a script from
# flooding the satisfaction figure; the address is only counted in the cache, never stored.
PERFORMANCE_FEEDBACK_LIMITS = [(60, 5), (24 * 3600, 50)]

# --- Notifications ---------------------------------------------------------------------------------
# "outbox" keeps every message in the database (readable at /dev/outbox/ when DEBUG is on);
# "notify" sends through GOV.UK Notify.
NOTIFICATIONS_BACKEND = env.str("NOTIFICATIONS_BACKEND", default="outbox")
NOTIFY_API_KEY = env.str("NOTIFY_API_KEY", default="")
NOTIFY_EMAIL_TEMPLATE_ID = env.str("NOTIFY_EMAIL_TEMPLATE_ID", default="")
NOTIFY_SMS_TEMPLATE_ID = env.str("NOTIFY_SMS_TEMPLATE_ID", default="")
DEV_OUTBOX_ENABLED = env.bool("DEV_OUTBOX_ENABLED", default=DEBUG)
if not DEBUG:
    if DEV_OUTBOX_ENABLED:
        raise ImproperlyConfigured("DEV_OUTBOX_ENABLED shows every message, codes included: never in production.")
    _notify_ready = NOTIFY_API_KEY and NOTIFY_EMAIL_TEMPLATE_ID and NOTIFY_SMS_TEMPLATE_ID
    if NOTIFICATIONS_BACKEND == "notify" and not _notify_ready:
        raise ImproperlyConfigured("NOTIFICATIONS_BACKEND=notify needs NOTIFY_API_KEY and both template ids.")

# --- Celery ---------------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
# /healthz trusts its last broker connection for this long (a cheap check for load balancers that
# poll every few seconds); /healthz?deep=1 always connects.
HEALTHZ_BROKER_CACHE_SECONDS = env.int("HEALTHZ_BROKER_CACHE_SECONDS", default=10)
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=f"file://{VAR_DIR / 'celery' / 'results'}")
if CELERY_BROKER_URL.startswith("filesystem://"):
    # The embedded default: a real worker and beat, with the queue in files, no server needed.
    # The folders are made by `make run` (scripts/run-dev.sh), not here.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(VAR_DIR / "celery" / "queue"),
        "data_folder_out": str(VAR_DIR / "celery" / "queue"),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {}  # Redis: the visibility timeout, below, with its arithmetic
# Recovery: every pending message, certificate and webhook is delivered within 60 s of the broker
# or a worker coming back, exactly once. Each side effect is a database row that stays pending
# until its task succeeds (the task locks the row and checks its status, so a second run is a
# no-op); a sweeper re-enqueues rows pending longer than the age below. The worst case after an
# outage is: the worker's next reconnection attempt (<= 5 s apart) + the age a row must reach
# (20 s) + the sweep interval (15 s) + the task itself (a few seconds) = about 45 s, 15 s inside 60.
CELERY_BROKER_RECONNECT_MAX_SECONDS = 5  # kombu's default grows to 30 s between attempts
CELERY_BROKER_CONNECTION_MAX_RETRIES = None  # a worker outlives a broker outage of any length
SIDE_EFFECT_SWEEP_SECONDS = 15.0
# A message enqueued on commit is taken by a worker in well under a second; one still pending 20 s
# later has lost its message (broker down, Redis restarted empty, worker killed). Sweeping a live
# one costs only a duplicate task, which its row lock makes a no-op.
SIDE_EFFECT_SWEEP_AGE_SECONDS = 20
# Time limits: the slowest task is an order of CERTIFICATE_MAX_COPIES (10) copies rendered and signed
# (about 1 s a copy) or a webhook that waits WEBHOOK_TIMEOUT_SECONDS (10 s) for its receiver.
CELERY_TASK_SOFT_TIME_LIMIT = 60  # the task gets SoftTimeLimitExceeded and its row rolls back
CELERY_TASK_TIME_LIMIT = 90  # then its process is killed; the row is still pending for the sweeper
# A retry's countdown is capped here (longer waits are kept on the row and left to the sweeper):
# Redis hands an unacknowledged message to another worker after the visibility timeout, so that
# must exceed both the hard time limit and the longest countdown, or a message would run twice
# while its first run is still working or waiting.
CELERY_RETRY_COUNTDOWN_MAX_SECONDS = 240
CELERY_VISIBILITY_TIMEOUT_SECONDS = 300  # > 90 s hard limit and > 240 s countdown
if not CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] = CELERY_VISIBILITY_TIMEOUT_SECONDS
CELERY_WORKER_CONSUMER = "config.celery:PromptReconnectConsumer"  # CELERY_BROKER_RECONNECT_MAX_SECONDS
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Nothing reads a task's result (the rows are the record), so none is stored: a request that
# enqueues during a Redis outage then fails over to the sweeper in under a second, instead of
# waiting about 19 s on the result backend's reconnection.
CELERY_TASK_IGNORE_RESULT = True
# A worker child that dies mid-task (kill -9, out of memory) gives its message back at once
# (prefork pool) rather than after the visibility timeout; a whole worker killed is the sweepers'.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "resend-undelivered-messages": {
        "task": "identity.tasks.redeliver_pending_messages",
        "schedule": SIDE_EFFECT_SWEEP_SECONDS,
    },
    "delete-expired-evidence": {
        "task": "identity.tasks.delete_expired_evidence",
        "schedule": 3600.0,
    },
    "release-expired-holds": {
        "task": "booking.tasks.release_expired_holds",
        "schedule": 60.0,
    },
    "release-lapsed-provisional-bookings": {
        "task": "booking.tasks.release_lapsed_provisional_bookings",
        "schedule": 3600.0,
    },
    "send-booking-reminders": {
        "task": "booking.tasks.send_booking_reminders",
        "schedule": 3600.0,
    },
    "send-citizenship-reminders": {
        "task": "booking.tasks.send_citizenship_reminders",
        "schedule": 3600.0,
    },
    "resend-home-office-referrals": {
        "task": "registrar.tasks.interview_referrals.resend_pending_referrals",
        "schedule": SIDE_EFFECT_SWEEP_SECONDS,
    },
    "poll-home-office-decisions": {
        "task": "registrar.tasks.interview_referrals.poll_home_office_decisions",
        "schedule": HOME_OFFICE_DECISION_POLL_SECONDS,
    },
    "send-registration-reminders": {
        "task": "registrar.tasks.reminders.send_registration_reminders",
        "schedule": 3600.0,
    },
    "purge-expired-codes": {
        "task": "identity.tasks.purge_expired_codes",
        "schedule": 3600.0,
    },
    "forget-expired-knowledge-questions": {
        "task": "identity.tasks.forget_expired_knowledge_questions",
        "schedule": 3600.0,
    },
    "issue-waiting-certificates": {
        "task": "certificates.tasks.issue_waiting_certificates",
        "schedule": SIDE_EFFECT_SWEEP_SECONDS,
    },
    "confirm-open-certificate-payments": {
        "task": "certificates.tasks.confirm_open_payments",
        "schedule": 600.0,
    },
    "remove-orphan-files": {
        "task": "config.celery.remove_orphan_files",
        "schedule": 3600.0,
    },
    # Webhook deliveries whose enqueue or retry was lost are sent again.
    "redeliver-pending-webhooks": {
        "task": "registrar.tasks.webhooks.redeliver_pending_webhooks",
        "schedule": SIDE_EFFECT_SWEEP_SECONDS,
    },
    # Marriage and civil partnership schedules: the authority when the wait is over, and chasing
    # schedules not returned within SCHEDULE_RETURN_DAYS.
    "issue-due-marriage-authorities": {
        "task": "registrar.tasks.marriage_schedules.issue_due_authorities",
        "schedule": 3600.0,  # hourly: each is done once, on the first run of the day it is due
    },
    "chase-unreturned-marriage-schedules": {
        "task": "registrar.tasks.marriage_schedules.chase_unreturned_schedules",
        "schedule": 3600.0,
    },
    # Suspicion reports to the Home Office whose send was lost or failed are sent again.
    "resend-unsent-suspicion-reports": {
        "task": "registrar.tasks.marriage_reports.resend_unsent_suspicion_reports",
        "schedule": SIDE_EFFECT_SWEEP_SECONDS,
    },
    "checkpoint-audit-log": {
        "task": "identity.tasks.checkpoint_audit_log",
        "schedule": float(AUDIT_CHECKPOINT_INTERVAL_SECONDS),
    },
}
# Queues by kind of work, so each kind scales on its own and a slow kind cannot starve another:
# a webhook receiver that waits 10 s does not hold up one-time codes, and a burst of certificate
# orders does not delay reminders. Production runs workers with `-Q <queue>` (Procfile); a worker
# with no -Q, as `make run` starts, takes every queue listed here.
#   messages      email and text messages (codes, reminders): many, short, network-bound
#   certificates  rendering and signing PDFs, payment checks: CPU-bound, the heaviest memory
#   webhooks      calls to other systems (integrators' webhooks, the Home Office): slow receivers
#   sweeps        the beat schedule's periodic work: sweepers, expiry, reminders due, checkpoints
#   default       the rest (state changes a task makes, such as a marriage authority issued)
# Every project task has a route (tests/faults/test_queue_routing.py checks), by exact name or by
# glob; Celery takes an exact name before any pattern, and the first pattern that matches.
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES = {name: {} for name in ("default", "messages", "certificates", "webhooks", "sweeps")}
CELERY_TASK_ROUTES = {
    # Periodic work first, whatever app it lives in: the beat schedule's tasks are named by what they do.
    "*.redeliver_*": "sweeps",
    "*.resend_*": "sweeps",
    "*.release_*": "sweeps",
    "*.purge_*": "sweeps",
    "*.delete_expired_*": "sweeps",
    "*.forget_expired_*": "sweeps",
    "*.clear_expired_*": "sweeps",
    "*.remove_orphan_*": "sweeps",
    "*.record_lapsed_*": "sweeps",
    "*.checkpoint_*": "sweeps",
    "*.send_*_reminders": "sweeps",
    "*.poll_*": "sweeps",
    "*.issue_due_*": "sweeps",
    "*.chase_unreturned_*": "sweeps",
    "certificates.tasks.issue_waiting_certificates": "sweeps",
    "certificates.tasks.confirm_open_payments": "sweeps",
    "certificates.tasks.*": "certificates",
    "identity.tasks.deliver_message": "messages",
    "booking.tasks.notify_booking": "messages",
    "registrar.tasks.reminders.*": "messages",
    "registrar.tasks.marriage_schedules.chase_schedule": "messages",
    "registrar.tasks.webhooks.*": "webhooks",
    "registrar.tasks.interview_referrals.*": "webhooks",
    "registrar.tasks.marriage_reports.*": "webhooks",
    "registrar.tasks.citizenship.report_attendance": "webhooks",
    "registrar.tasks.marriage_schedules.issue_authority": "default",
}

# --- API ------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["identity.api_auth.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "core.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "core.api_errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"auth": "30/min"},
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Registrar Online API",
    "DESCRIPTION": "Register births and deaths, book ceremonies and order certificates. "
    "Sign in with `POST /api/v1/auth/code` then `POST /api/v1/auth/token`, and send "
    "`Authorization: Bearer <token>`.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the pip package, served by us: no CDN, and the CSP stays strict.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Names for the registrar API's choice sets, which share field names with booking's.
    "ENUM_NAME_OVERRIDES": {
        "RegistrationStatusEnum": "registrar.models.Registration.Status",
        "RegistrationEventEnum": "registrar.staff_serializers.REGISTRATION_EVENTS",
        "RegisterEventEnum": "registrar.models.Event",
        "RegistrarDecisionEnum": "registrar.staff_serializers.DECISIONS",
        "ScheduleParticularEnum": "registrar.marriage.schedule_api.CORRECTABLE",
        "ProposalStatusEnum": "registrar.models.Proposal.Status",
        "NoticeStatusEnum": "registrar.models.Notice.Status",
        "ObjectionStatusEnum": "registrar.models.Objection.Status",
        "ScheduleStatusEnum": "registrar.models.Schedule.Status",
        # Deaths after an inquest.
        "CoronerCertificateKindEnum": "registrar.models.CoronerCertificate.Kind",
        "CoronerCertificateStatusEnum": "registrar.models.CoronerCertificate.Status",
        "CoronerCertificateSexEnum": "registrar.models.CoronerCertificate.Sex",
        # Still-births.
        "StillbirthCertificateSexEnum": "registrar.models.StillbirthCertificate.Sex",
    },
}

# --- Forms -----------------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# --- Security ---------------------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# No inline scripts or styles anywhere: the policy is the same in development, so breakage shows.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}


# --- OpenID Connect provider ----------------------------------------------------------------------
# Other local services sign people in with their verified identity here (django-oauth-toolkit).
# Signing keys (RSA, PEM files): the current key signs; older keys stay published in the JWKS so
# tokens signed before a rotation still verify. Rotate by adding the new key as current and moving
# the old one to OIDC_OLD_SIGNING_KEY_PATHS until every token it signed has expired.
OIDC_SIGNING_KEY_PATH = env.str("OIDC_SIGNING_KEY_PATH", default="")
OIDC_OLD_SIGNING_KEY_PATHS = env.list("OIDC_OLD_SIGNING_KEY_PATHS", default=[])
# The key of the pairwise subject identifiers: an HMAC of the person and the service's sector, so
# two services cannot link a person by `sub`. Changing it changes every `sub`: never rotate it.
OIDC_PAIRWISE_KEY = env.str("OIDC_PAIRWISE_KEY", default="")
if not DEBUG:
    if not OIDC_SIGNING_KEY_PATH:
        raise ImproperlyConfigured("Production mode (DEBUG=False) needs OIDC_SIGNING_KEY_PATH (an RSA private key).")
    if len(OIDC_PAIRWISE_KEY) < 32:
        raise ImproperlyConfigured("Production mode (DEBUG=False) needs OIDC_PAIRWISE_KEY of at least 32 characters.")


def _read_key(key_path: str) -> str:
    try:
        return Path(key_path).read_text()
    except OSError as error:
        raise ImproperlyConfigured(f"Cannot read the OIDC signing key file {key_path}: {error}") from error


# Development signs with a fixed key kept in the repository (so every process agrees and `make run`
# needs no set-up); it is public, so production refuses it.
OIDC_DEV_SIGNING_KEY_PATH = BASE_DIR / "identity" / "oidc" / "dev-signing-key.pem"
OIDC_SIGNING_KEY = _read_key(OIDC_SIGNING_KEY_PATH or str(OIDC_DEV_SIGNING_KEY_PATH))
if not DEBUG and OIDC_DEV_SIGNING_KEY_PATH.read_text() == OIDC_SIGNING_KEY:
    raise ImproperlyConfigured("OIDC_SIGNING_KEY_PATH names the development key, which is public.")
if not OIDC_PAIRWISE_KEY:
    OIDC_PAIRWISE_KEY = _derived("oidc-pairwise-subject")
# The issuer: the site's own address in production; in development the address a request came to.
OIDC_ISSUER = env.str("OIDC_ISSUER", default="" if DEBUG else SITE_URL)
# The confidence a service may ask for (acr_values or vtr): P0 is a signed-in person, P2 an
# identity checked at medium confidence (GPG 45 medium profiles, as GOV.UK One Login states it).
OIDC_CONFIDENCE_LEVELS = ("P0", "P2")
OIDC_TOKEN_REQUESTS_PER_MINUTE = env.int("OIDC_TOKEN_REQUESTS_PER_MINUTE", default=60)  # per client address
OIDC_TOKEN_REQUESTS_PER_CLIENT_PER_MINUTE = env.int("OIDC_TOKEN_REQUESTS_PER_CLIENT_PER_MINUTE", default=600)
# How long the record of each release of a person's claims is kept, so they can see who received
# their details and when: two years, as the privacy notice says.
OIDC_CLAIM_RELEASE_RETENTION_DAYS = env.int("OIDC_CLAIM_RELEASE_RETENTION_DAYS", default=730)
CELERY_BEAT_SCHEDULE["clear-expired-oidc-tokens"] = {
    "task": "identity.oidc.tasks.clear_expired_tokens",
    "schedule": 3600.0,
}
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": OIDC_SIGNING_KEY,
    "OIDC_RSA_PRIVATE_KEYS_INACTIVE": [_read_key(old) for old in OIDC_OLD_SIGNING_KEY_PATHS],
    "OIDC_ISS_ENDPOINT": OIDC_ISSUER,
    "OAUTH2_VALIDATOR_CLASS": "identity.oidc.validators.IdentityValidator",
    "SCOPES": {
        "openid": _("Sign you in (an identifier for you that only this service has)"),
        "email": _("Your email address"),
        "identity": _("Your verified identity: name, date of birth, address and how well it was checked"),
    },
    "DEFAULT_SCOPES": ["openid"],
    "OIDC_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OIDC_SUBJECT_TYPES_SUPPORTED": ["pairwise"],
    "OIDC_TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED": ["client_secret_basic", "client_secret_post"],
    "PKCE_REQUIRED": True,
    # Codes are single use (the grant row is deleted when exchanged) and live 60 seconds.
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "ACCESS_TOKEN_EXPIRE_SECONDS": 60 * 10,
    "ID_TOKEN_EXPIRE_SECONDS": 60 * 10,
    "REFRESH_TOKEN_EXPIRE_SECONDS": 60 * 60 * 24 * 30,
    # A refresh token is swapped for a new one on each use; using an old one again revokes the
    # whole family (someone else has a copy).
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "REFRESH_TOKEN_GRACE_PERIOD_SECONDS": 0,
    "REQUEST_APPROVAL_PROMPT": "force",
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"] if not DEBUG else ["http", "https"],
    "ALLOW_URI_WILDCARDS": False,
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": True,
    "OIDC_RP_INITIATED_LOGOUT_STRICT_REDIRECT_URIS": True,
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    # Tokens are kept as hashes: a copy of the database gives nobody a working token.
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": not DEBUG,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
}

# --- Citizenship ceremonies, the registrar's side (registrar/citizenship) -----------------------
# A new citizen attends a ceremony within 3 months of the Home Office's invitation; a registrar
# may extend that (with a reason) by CITIZENSHIP_EXTENSION_MONTHS at a time.
CITIZENSHIP_INVITATION_MONTHS = 3
CITIZENSHIP_EXTENSION_MONTHS = 3
# The fee for a private ceremony instead of a group one (the office arranges it and takes the fee).
CITIZENSHIP_PRIVATE_FEE_PENCE = env.int("CITIZENSHIP_PRIVATE_FEE_PENCE", default=20000)
# Who attended, the certificate handed over and who did not attend, told to the Home Office: its
# sandbox, or registrar.citizenship.home_office.HttpCitizenshipHomeOffice (HOME_OFFICE_URL and
# HOME_OFFICE_KEY, as for notice referrals).
CITIZENSHIP_HOME_OFFICE_ADAPTER = env.str(
    "CITIZENSHIP_HOME_OFFICE_ADAPTER",
    default="registrar.citizenship.home_office.SandboxCitizenshipHomeOffice"
    if DEBUG
    else "registrar.citizenship.home_office.HttpCitizenshipHomeOffice",
)
if not HOME_OFFICE_SANDBOX_ALLOWED and "sandbox" in CITIZENSHIP_HOME_OFFICE_ADAPTER.lower():
    raise ImproperlyConfigured("The Home Office sandbox is configured; HOME_OFFICE_SANDBOX_ALLOWED=True allows it.")
CITIZENSHIP_REPORT_MAX_ATTEMPTS = env.int("CITIZENSHIP_REPORT_MAX_ATTEMPTS", default=8)
CITIZENSHIP_REPORT_BACKOFF_SECONDS = 60
CELERY_BEAT_SCHEDULE["resend-citizenship-reports"] = {
    "task": "registrar.tasks.citizenship.resend_citizenship_reports",
    "schedule": SIDE_EFFECT_SWEEP_SECONDS,
}
CELERY_BEAT_SCHEDULE["record-citizenship-non-attendance"] = {
    "task": "registrar.tasks.citizenship.record_lapsed_invitations",
    "schedule": 3600.0,
}
# --- Re-registration of a birth (REGISTRATION-RULES.md "Re-registration and inquests") -------------
# Parents who marry after the birth are required to re-register within this many months of the
# marriage (they may still do so later; the service says they are late, never refuses).
REREGISTRATION_AFTER_MARRIAGE_MONTHS = 3
# --- Stillbirths (REGISTRATION-RULES.md "Stillbirths") ----------------------------------------------
# A child born dead after 24 weeks of pregnancy is a stillbirth (Births and Deaths Registration
# Act 1953, s. 41, as amended by the Still-Birth (Definition) Act 1992); earlier, it is not registered.
STILLBIRTH_MINIMUM_WEEKS = 24
STILLBIRTH_DAYS = 42  # registered within 42 days, as a birth; the late bands are those of births

# --- Private searches and names in a register -------------------------------------------------------
# A search carrying personal data is posted and kept in the session under a random token for this
# long (core.private_search); after it the token URL asks for the search again.
PRIVATE_SEARCH_MINUTES = env.int("PRIVATE_SEARCH_MINUTES", default=30)
# The longest name each register column holds (core.names): a forename, a surname, a full name.
REGISTER_FORENAMES_MAX_LENGTH = 100
REGISTER_SURNAME_MAX_LENGTH = 100
REGISTER_FULL_NAME_MAX_LENGTH = 200

# --- The performance page at national volume (perfpage) ---------------------------------------------
# The page adds up a summary of closed days (performance.DayCount) and counts today live; each run
# recounts the days it lacks and those whose journeys were stamped as changed since the last, so a
# closed day's figures are at most this old. Once a night every day is counted again, for the
# changes no row stamps (a booking moved to a room of another office changes its district).
PERFORMANCE_SUMMARY_SECONDS = env.float("PERFORMANCE_SUMMARY_SECONDS", default=900.0)
CELERY_BEAT_SCHEDULE["summarise-performance-days"] = {
    "task": "performance.tasks.summarise_closed_days",
    "schedule": PERFORMANCE_SUMMARY_SECONDS,
}
CELERY_BEAT_SCHEDULE["recount-performance-days"] = {
    "task": "performance.tasks.summarise_closed_days",
    "schedule": crontab(hour=3, minute=20),
    "kwargs": {"full": True},
}
CELERY_TASK_ROUTES["performance.tasks.summarise_closed_days"] = "sweeps"
