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
NOTICE: dict[str, Reason] = {
    "notice_identity_not_verified": Reason(
        403, _("Prove your identity before you give notice. Each person proves their own identity.")
    ),
    "booking_not_yours": Reason(
        404, _("There is no provisional ceremony booking with that reference that you can see.")
    ),
    "booking_not_provisional": Reason(
        409, _("Notice can only be given for a ceremony that is provisionally booked and not yet confirmed.")
    ),
    "booking_has_proposal": Reason(409, _("Notice is already being given for this ceremony booking.")),
    "partnership_not_religious": Reason(400, _("A civil partnership cannot be formed at a religious ceremony.")),
    "notice_no_district": Reason(
        400, _("We could not find the registration district of that postcode. Check the postcode.")
    ),
    "notice_not_editable": Reason(409, _("This notice has been sent and cannot be changed now.")),
    "notice_unknown_step": Reason(404, _("There is no such question in a notice.")),
    "different_venue": Reason(
        400,
        _("Notice can only be given for the venue named here. A different venue needs a new booking and fresh notice."),
    ),
    "too_young": Reason(
        400,
        _("You must be %(age)s or over on the day of the ceremony to marry or form a civil partnership."),
        {"age": "MINIMUM_AGE_TO_MARRY"},
    ),
    "residence_too_short": Reason(
        409,
        _(
            "You must have lived at your address for %(days)s full days before you give notice. "
            "You can send your notice from %(from)s."
        ),
        {"days": "NOTICE_RESIDENCE_DAYS"},
    ),
    "notice_incomplete": Reason(400, _("Some questions have not been answered yet.")),
    "evidence_needed": Reason(
        409,
        _("Upload a photo of the final order or decree absolute, or of the death certificate, before you send."),
    ),
    "evidence_not_needed": Reason(409, _("Your answers do not need evidence that a marriage or partnership ended.")),
    "notice_invitation_invalid": Reason(
        404, _("This invitation link is not valid or has been replaced by a newer one.")
    ),
    "invitation_own": Reason(403, _("The other person must accept the invitation signed in with their own account.")),
    "invitation_taken": Reason(409, _("Someone has already accepted this invitation.")),
    "not_first_person": Reason(403, _("Only the person who started giving notice can invite the other person.")),
    "already_joined": Reason(409, _("The other person has already joined.")),
    "proposal_closed": Reason(409, _("This marriage or civil partnership is no longer open for notice.")),
}


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
SCHEDULE: dict[str, Reason] = {
    "authority_already_issued": Reason(
        409, _("The authority for this marriage or civil partnership is already issued.")
    ),
    "date_outside_notices": Reason(
        409, _("The ceremony date is not between the end of the waiting period and the end of the notices' 12 months.")
    ),
    "party_under_age": Reason(
        409, _("Both people must be %(age)s or over on the day of the ceremony."), {"age": "MINIMUM_AGE_TO_MARRY"}
    ),
    "not_authorised": Reason(409, _("No authority has been issued for this marriage or civil partnership.")),
    "already_registered": Reason(409, _("This schedule is already registered.")),
    "not_registrable": Reason(409, _("This schedule cannot be registered now.")),
    "ceremony_in_future": Reason(400, _("The date of the ceremony cannot be in the future.")),
    "wrong_form": Reason(409, _("Only the schedule of a religious marriage is returned by an authorised person.")),
    "not_taken_place_already": Reason(409, _("The ceremony is already recorded as not having taken place.")),
    "not_rebookable": Reason(409, _("A new ceremony can be booked only after one that did not take place.")),
    "booking_not_found": Reason(404, _("There is no ceremony booking with that reference.")),
    "booking_other_venue": Reason(
        409, _("The new ceremony must be at the same venue as the notices: a different venue needs fresh notice.")
    ),
    "booking_taken": Reason(409, _("That ceremony booking is already used for another marriage or civil partnership.")),
}


# --- Converting a civil partnership (conversion_*) ------------------------------------------------------
CONVERSION: dict[str, Reason] = {
    "conversion_entry_not_found": Reason(
        404, _("There is no civil partnership entry with that reference in the register.")
    ),
    "conversion_not_partnership": Reason(
        409, _("That entry is not a civil partnership, so it cannot be converted into a marriage.")
    ),
    "conversion_already_converted": Reason(
        409, _("This civil partnership has already been converted into a marriage.")
    ),
    "conversion_no_office": Reason(403, _("You must work in a register office to record a conversion there.")),
    "conversion_declared_in_future": Reason(400, _("The date of the declaration must be today or in the past.")),
    "conversion_declared_before_formation": Reason(
        400, _("The declaration cannot be dated before the civil partnership was formed.")
    ),
    "conversion_declaration_incomplete": Reason(
        400,
        _(
            "Both partners must make the declaration before you and sign it, and you must have checked "
            "both their identities."
        ),
    ),
}


_TABLES = (COMMON, NOTICE, INTERVIEW, OBJECTION, AUTHORITY, SCHEDULE, CONVERSION)
REFUSALS: dict[str, Reason] = {code: reason for table in _TABLES for code, reason in table.items()}
if len(REFUSALS) != sum(len(table) for table in _TABLES):
    raise LookupError("a marriage refusal code is declared in two parts of the journey")


class MarriageRefused(RegistrarRefusal):
    """A notice, an objection, an authority, a schedule or a conversion that cannot be made."""

    reasons = REFUSALS
