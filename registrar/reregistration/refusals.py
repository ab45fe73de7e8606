"""What re-registration refuses, each code once with its HTTP status and its message, for the
pages and the API alike."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.refusals import Reason

from ..refusals import RegistrarRefusal

REFUSALS: dict[str, Reason] = {
    "rr_not_found": Reason(404, _("There is no re-registration or birth entry with that reference that you can see.")),
    "rr_not_birth": Reason(400, _("Only a birth can be re-registered.")),
    "rr_not_a_parent": Reason(403, _("Only a parent named on the birth entry can start its re-registration online.")),
    "rr_identity_not_verified": Reason(
        403, _("Prove your identity before you re-register a birth. Each parent proves their own identity.")
    ),
    "rr_already_reregistered": Reason(
        409, _("This birth has already been re-registered. Start from the new entry if it needs changing again.")
    ),
    "rr_already_open": Reason(409, _("A re-registration of this birth has already been started.")),
    "rr_unknown_reason": Reason(400, _("Choose why the birth is being re-registered.")),
    "rr_parent_already_named": Reason(
        409, _("The father or second parent is already named on this entry. Choose the parents married instead.")
    ),
    "rr_marriage_details_needed": Reason(
        400,
        _(
            "We could not find one marriage or civil partnership of both parents in the register. "
            "Give the date and place of the marriage."
        ),
    ),
    "rr_marriage_before_birth": Reason(
        400, _("The marriage must be after the birth. If the parents were married at the birth, correct the entry.")
    ),
    "rr_marriage_in_future": Reason(400, _("The date of the marriage must be today or in the past.")),
    "rr_not_editable": Reason(409, _("This re-registration has been sent and cannot be changed now.")),
    "rr_details_missing": Reason(400, _("Give the new particulars before you confirm them.")),
    "rr_not_awaiting": Reason(409, _("This re-registration is not waiting for the other parent.")),
    "rr_invitation_invalid": Reason(404, _("This invitation link is not valid or has been replaced by a newer one.")),
    "rr_same_person": Reason(403, _("The other parent must sign in with their own account.")),
    "rr_closed": Reason(409, _("This re-registration is finished or cancelled.")),
    # The registrar's re-registration from a document
    "rr_not_allowed": Reason(403, _("You do not have permission to do this.")),
    "rr_other_office": Reason(
        404, _("There is no re-registration or birth entry with that reference that you can see.")
    ),
    "rr_own_entry": Reason(403, _("This entry is about you. A colleague must re-register it.")),
    "rr_document_reason_needed": Reason(400, _("Choose whether a court order or a statutory declaration was seen.")),
}


class ReRegistrationRefused(RegistrarRefusal):
    """A re-registration step that cannot be taken."""

    reasons = REFUSALS
