"""What the OpenID Connect pages refuse, each code once with its status and message."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.refusals import Reason, Refusal


class SharingRefused(Refusal):
    reasons = {
        "not_permitted": Reason(403, _("You do not have permission to manage these services")),
        "no_consent": Reason(404, _("This service does not receive your identity")),
        "already_disabled": Reason(409, _("This service has already been switched off")),
        "unknown_scope": Reason(400, _("Choose only information this service may ask for")),
        "logo_unreadable": Reason(
            400, _("The logo must be a PNG or JPG image smaller than 1MB, no more than 2,000 pixels each way")
        ),
        "logo_missing": Reason(400, _("Upload the service's logo before you choose to show it")),
    }
