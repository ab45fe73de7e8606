"""What the citizenship services refuse, each code once with its HTTP status and its message.
`CitizenshipRefused` is a `RegistrarRefusal`, so pages and the API render it like every other
refusal of the domain. A seat that booking refuses (full, too many guests…) is booking's own
`BookingRefused` and reads the same on the pages and in the API too."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.refusals import Reason

from ..refusals import RegistrarRefusal

MONTHS = {"months": "CITIZENSHIP_INVITATION_MONTHS"}

REFUSALS: dict[str, Reason] = {
    # The Home Office's invitations.
    "citizenship_duplicate_invitation": Reason(
        409, _("An invitation with that Home Office reference was sent already.")
    ),
    "citizenship_no_district": Reason(
        400, _("We could not find the registration district of that postcode. Check the postcode.")
    ),
    # The new citizen.
    "citizenship_not_found": Reason(404, _("There is no citizenship invitation with that reference that you can see.")),
    "citizenship_link_invalid": Reason(
        404, _("This invitation link does not work. Use the link in the latest email from us.")
    ),
    "citizenship_identity_not_verified": Reason(
        403, _("Prove your identity before you accept your citizenship ceremony invitation.")
    ),
    "citizenship_taken": Reason(409, _("This invitation has been accepted by another account.")),
    "citizenship_to_check": Reason(
        409, _("A registrar is checking your details against your invitation. We will email you when they have.")
    ),
    "citizenship_not_open": Reason(409, _("This invitation is closed: the ceremony has been recorded.")),
    "citizenship_past_attend_by": Reason(
        409, _("Your invitation has run out. Contact your register office: a registrar can extend it.")
    ),
    "citizenship_no_ceremony": Reason(404, _("That ceremony could not be found. Choose one from the list.")),
    "citizenship_no_seat": Reason(409, _("You have not booked a seat at a ceremony.")),
    "citizenship_private_requested": Reason(409, _("You have asked for a private ceremony already.")),
    "citizenship_private_has_seat": Reason(
        409, _("Cancel your seat at the group ceremony before you ask for a private ceremony.")
    ),
    "citizenship_private_no_welsh": Reason(
        400, _("The oath and pledge can be taken in Welsh only at a ceremony in Wales.")
    ),
    # Registrars.
    "citizenship_not_permitted": Reason(403, _("You do not have permission to do this.")),
    "citizenship_wrong_office": Reason(403, _("This ceremony belongs to an office you do not work in.")),
    "citizenship_not_to_check": Reason(409, _("This invitation is not waiting for a registrar's check.")),
    "citizenship_before_ceremony": Reason(409, _("The ceremony has not started yet: record it on the day.")),
    "citizenship_already_recorded": Reason(409, _("What happened for this person has been recorded already.")),
    "citizenship_not_booked_here": Reason(404, _("That person is not booked at this ceremony.")),
}


class CitizenshipRefused(RegistrarRefusal):
    """An invitation, a seat, a private ceremony or the day's record that cannot be made."""

    reasons = REFUSALS
