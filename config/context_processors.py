"""Values every page needs: service name, brand, phase, the language switch, and the legal numbers
that pages state, read from settings so that a page says what the rules enforce."""

from django.conf import settings

from identity.verifiers import sandboxes_in_use


def service(request):
    return {
        "service_name": settings.SERVICE_NAME,
        "organisation_name": settings.ORGANISATION_NAME,
        "brand_govuk": settings.BRAND == "govuk",
        "service_phase": settings.SERVICE_PHASE,
        "feedback_url": settings.FEEDBACK_URL,
        "dev_outbox_enabled": settings.DEV_OUTBOX_ENABLED,
        # Sandbox identity checkers pass or fail by rule, not by checking: every page says so.
        "identity_sandboxes": sandboxes_in_use(),
    }


def rules(request):
    return {
        "rules": {
            "residence_days": settings.NOTICE_RESIDENCE_DAYS,
            # Pages say "at least 29 days before": the 28 full days of the wait plus the day itself.
            "notice_days": settings.NOTICE_WAIT_DAYS + 1,
            "notice_valid_months": settings.NOTICE_VALID_MONTHS,
            "witness_age": settings.WITNESS_MINIMUM_AGE,
            "birth_late_months": settings.BIRTH_LATE_MONTHS,
            "late_authority_months": settings.LATE_AUTHORITY_MONTHS,
            "evidence_retention_days": settings.EVIDENCE_RETENTION_DAYS,
        }
    }
