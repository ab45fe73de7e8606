"""Values every page needs: service name, brand, phase, the language switch."""

from django.conf import settings


def service(request):
    return {
        "service_name": settings.SERVICE_NAME,
        "organisation_name": settings.ORGANISATION_NAME,
        "brand_govuk": settings.BRAND == "govuk",
        "service_phase": settings.SERVICE_PHASE,
        "feedback_url": settings.FEEDBACK_URL,
        "dev_outbox_enabled": settings.DEV_OUTBOX_ENABLED,
    }
