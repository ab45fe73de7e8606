"""What the staff side of taking a registration refuses, each code once with its status and
message. The one-time code's own refusals are identity's (`CodeRejected`, `CodeThrottled`), so a
wrong declaration code reads as a wrong sign-in code does; the registration's are
`registrar.refusals`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.refusals import Reason, Refusal

REFUSALS: dict[str, Reason] = {
    "not_allowed": Reason(403, _("You do not have permission to take registrations")),
    "no_session": Reason(
        403, _("Open an assisted session with the person's consent code before taking a registration for them")
    ),
    "not_found": Reason(404, _("No registration with that reference that you can work")),
    "other_office": Reason(
        403,
        _(
            "The place is in a district your offices do not cover. The registrar of that district must take "
            "this registration"
        ),
    ),
    "informant_is_staff": Reason(400, _("A staff account cannot be the informant. Enter the informant's own email")),
    "own_registration": Reason(403, _("You cannot take a registration in which you are the informant")),
    "documents_required": Reason(400, _("Enter the documents you saw to establish the informant's identity")),
    "not_in_person": Reason(
        403, _("This registration was taken by phone: the informant declares with a code sent to them")
    ),
    "not_read_and_signed": Reason(
        400, _("Confirm that you read the declaration to the informant and that they signed it")
    ),
    "no_destination": Reason(
        400, _("The informant has no email address or confirmed mobile number for a code: choose another way")
    ),
    "no_code_sent": Reason(409, _("No code has been sent for this declaration. Send a code first")),
    "not_ready": Reason(409, _("Answer every question before the declaration")),
    "link_invalid": Reason(404, _("This link is not valid or has expired. Ask the registrar for a new code")),
}


class StaffRegistrationRefused(Refusal):
    reasons = REFUSALS
