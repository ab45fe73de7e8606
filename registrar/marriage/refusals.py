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
INTERVIEW: dict[str, Reason] = {}


# --- The public display, objections and suspicion reports (display_*, objection_*) ---------------------
OBJECTION: dict[str, Reason] = {
    "notice_not_displayed": Reason(
        404,
        _(
            "This notice is not on display, so it cannot be objected to here. Notices are displayed for "
            "%(days)s days after they are given."
        ),
        {"days": "NOTICE_DISPLAY_DAYS"},
    ),
    "objection_throttled": Reason(
        429,
        _(
            "Too many objections have been sent from this address: no more than %(per_hour)s an hour or "
            "%(per_day)s a day. Try again later, or contact the register office."
        ),
        {"per_hour": "OBJECTIONS_PER_ADDRESS_PER_HOUR", "per_day": "OBJECTIONS_PER_ADDRESS_PER_DAY"},
        retry_after=3600,
    ),
    "objection_not_found": Reason(404, _("There is no objection with that reference in your offices.")),
    "objection_decided": Reason(409, _("This objection has already been decided.")),
    "not_superintendent": Reason(403, _("Only a superintendent registrar can decide an objection.")),
    "objection_after_authority": Reason(
        409, _("The authority for this marriage or civil partnership has already been issued.")
    ),
    "proposal_not_open": Reason(409, _("This marriage or civil partnership is no longer going ahead.")),
}


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
