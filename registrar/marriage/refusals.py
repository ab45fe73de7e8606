"""What the marriage and civil partnership services refuse, each code once with its HTTP status
and its message, by part of the journey. `MarriageRefused` is raised for all of them and is a
`RegistrarRefusal`, so pages and the API render it like every other refusal of the domain."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.refusals import Reason

from ..refusals import RegistrarRefusal

# --- Whoever acts on a proposal or a notice ---------------------------------------------------------
COMMON: dict[str, Reason] = {
    "not_found": Reason(404, _("There is no notice or schedule with that reference that you can see.")),
    "not_permitted": Reason(403, _("You do not have permission to do this.")),
    "wrong_office": Reason(403, _("This belongs to an office you do not work in.")),
}


# --- Giving notice online (notice_*) -----------------------------------------------------------------
NOTICE: dict[str, Reason] = {}


# --- Interviews and the Home Office referral (interview_*) --------------------------------------------
INTERVIEW: dict[str, Reason] = {
    "interview_identity_needed": Reason(
        403, _("Confirm your identity before you book your interview: we need a medium-confidence check.")
    ),
    "interview_notice_not_sent": Reason(409, _("Send your notice before you book your interview.")),
    "interview_proposal_closed": Reason(409, _("This marriage or civil partnership is no longer going ahead.")),
    "interview_already_booked": Reason(
        409, _("You already have an interview booked. Move or cancel it from your bookings.")
    ),
    "interview_not_held": Reason(409, _("That time is no longer held for you. Choose a time again.")),
    "interview_not_booked": Reason(409, _("This notice has no interview booked.")),
    "interview_not_yet": Reason(409, _("The interview has not taken place yet.")),
    "interview_already_decided": Reason(409, _("The outcome of this interview has already been recorded.")),
    "interview_own_notice": Reason(403, _("This notice is yours or names you. A colleague must record it.")),
    "interview_unknown_office": Reason(404, _("There is no register office with that code.")),
    "referral_not_pending": Reason(409, _("That referral is not waiting for the Home Office's decision.")),
    "referral_not_failed": Reason(409, _("That referral is not one that could not be sent.")),
}


# --- The public display, objections and suspicion reports (display_*, objection_*) ---------------------
OBJECTION: dict[str, Reason] = {}


# --- Authority, schedules, the ceremony and registering (schedule_*) ------------------------------------
AUTHORITY: dict[str, Reason] = {
    "notices_not_given": Reason(409, _("Both people must have given notice first.")),
    "home_office_pending": Reason(409, _("The Home Office has not yet decided on the referral.")),
    "objection_upheld": Reason(409, _("An objection to a notice was upheld, so no authority can be issued.")),
    "objection_open": Reason(409, _("An objection to a notice is waiting for a decision.")),
    "still_waiting": Reason(409, _("The waiting period after notice has not ended yet.")),
    "notices_expired": Reason(
        409, _("The notices were given more than %(months)s months ago."), {"months": "NOTICE_VALID_MONTHS"}
    ),
}
SCHEDULE: dict[str, Reason] = {}


# --- Converting a civil partnership (conversion_*) ------------------------------------------------------
CONVERSION: dict[str, Reason] = {}


_TABLES = (COMMON, NOTICE, INTERVIEW, OBJECTION, AUTHORITY, SCHEDULE, CONVERSION)
REFUSALS: dict[str, Reason] = {code: reason for table in _TABLES for code, reason in table.items()}
if len(REFUSALS) != sum(len(table) for table in _TABLES):
    raise LookupError("a marriage refusal code is declared in two parts of the journey")


class MarriageRefused(RegistrarRefusal):
    """A notice, an objection, an authority, a schedule or a conversion that cannot be made."""

    reasons = REFUSALS
