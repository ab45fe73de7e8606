"""What the inquest services refuse, each code once with its HTTP status and its message.
`InquestRefused` is a `RegistrarRefusal`, so pages and the API render it like every other refusal
of the domain."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.refusals import Reason

from ..refusals import RegistrarRefusal

REFUSALS: dict[str, Reason] = {
    # --- The coroner's intake ---------------------------------------------------------------------
    "coroner_duplicate": Reason(409, _("A certificate with this reference has already been sent.")),
    "coroner_district_unknown": Reason(
        400, _("We could not find the registration district of the place of death. Give the district or a postcode.")
    ),
    "coroner_wrong_area": Reason(
        403, _("The place of death is in a registration district your coroner's office does not send to.")
    ),
    "coroner_not_permitted": Reason(403, _("Only a coroner's office can send coroners' certificates.")),
    # --- Registering the death from a certificate after inquest --------------------------------------
    "inquest_not_found": Reason(404, _("There is no coroner's certificate with that reference in your offices.")),
    "inquest_not_permitted": Reason(403, _("You do not have permission to register deaths.")),
    "inquest_wrong_office": Reason(403, _("This death belongs to a district you do not work in.")),
    "inquest_already_registered": Reason(409, _("This death has already been registered from this certificate.")),
    "inquest_interim": Reason(
        409,
        _(
            "An interim certificate of the fact of death is not registered. The death is registered from the "
            "certificate after inquest."
        ),
    ),
    "inquest_registration_decided": Reason(
        409, _("The family's registration of this death has already been decided. Look at the case first.")
    ),
    "inquest_not_confirmed": Reason(400, _("Confirm that you have checked the particulars.")),
    # --- The family's interim certificate ------------------------------------------------------------
    "interim_link_invalid": Reason(
        404, _("This link has expired or is not right. Ask the coroner's office for a new one.")
    ),
}


class InquestRefused(RegistrarRefusal):
    """A coroner's certificate cannot be taken, registered or opened."""

    reasons = REFUSALS
