"""What the registration services refuse, each code once with its HTTP status and its message
(legal numbers filled in from settings when shown), and the reason codes that send a registration
to a registrar with the labels staff and citizens read.

One table holds every refusal code; the exception classes below share it and only say who
refused: the citizen's registration (`RegistrationRefused`), who may register (`NotQualified`),
a registrar's decision (`CaseRefused`) and a correction of the register (`CorrectionRefused`,
a kind of `CaseRefused`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.refusals import Reason, Refusal

LATE = {"months": "LATE_AUTHORITY_MONTHS"}

REFUSALS: dict[str, Reason] = {
    # --- A registration, as the informant or the second parent acts on it -----------------------
    "unknown_event": Reason(400, _("Choose to register a birth or a death.")),
    "unknown_step": Reason(404, _("There is no such question in this registration.")),
    "step_not_asked": Reason(400, _("Your earlier answers mean this question is not asked.")),
    "not_editable": Reason(409, _("This registration has been sent and cannot be changed now.")),
    "incomplete": Reason(400, _("Some questions have not been answered yet.")),
    "declaration_by_informant": Reason(
        403, _("The informant must make the declaration themselves, signed in as themselves.")
    ),
    "already_registered": Reason(409, _("This registration has already been registered.")),
    "not_open": Reason(409, _("This registration is closed.")),
    "coroner_block": Reason(
        409, _("The death was referred to the coroner and cannot be registered until the coroner releases it.")
    ),
    "identity_not_verified": Reason(
        409, _("The informant's identity is not verified, so it cannot be registered automatically.")
    ),
    "no_district": Reason(409, _("The place could not be matched to a registration district.")),
    "no_medical_certificate": Reason(
        409, _("No medical certificate of cause of death is matched to this registration.")
    ),
    "second_parent_not_confirmed": Reason(409, _("The other parent has not confirmed the details yet.")),
    "own_registration": Reason(403, _("Nobody may register their own registration as a registrar.")),
    "not_staff": Reason(403, _("Only a registrar may register a registration by hand.")),
    "not_awaiting_second_parent": Reason(409, _("This registration is not waiting for the other parent.")),
    "invitation_invalid": Reason(404, _("This invitation link is not valid or has been replaced by a newer one.")),
    "second_parent_is_informant": Reason(403, _("The other parent must sign in with their own account.")),
    "second_parent_identity_not_verified": Reason(409, _("Verify your identity before confirming the details.")),
    "already_referred": Reason(409, _("This certificate is not waiting for the coroner.")),
    "duplicate_reference": Reason(409, _("A certificate with this reference has already been sent.")),
    "no_stillbirth_certificate": Reason(
        409, _("No medical certificate of stillbirth is matched to this registration.")
    ),
    # --- Who may register (Births and Deaths Registration Act 1953) -------------------------------
    "parents_can_register": Reason(
        400,
        _("Only a parent can register the birth unless the parents cannot. If a parent can, ask them to register"),
    ),
    "unknown_qualification": Reason(400, _("Select who you are")),
    "higher_informant_available": Reason(
        400, _("Someone earlier in the list can register the death. Ask them to register, or tell us they cannot")
    ),
    "funeral_director": Reason(
        400, _("A funeral director cannot register a death as the person arranging the funeral")
    ),
    # --- A registrar's decisions on a case ------------------------------------------------------
    "not_allowed": Reason(403, _("You do not have permission to do this")),
    "other_office": Reason(404, _("No case with that reference in your offices")),
    "own_case": Reason(403, _("You cannot decide a case about yourself; ask a colleague")),
    "already_decided": Reason(409, _("This case has already been decided or has moved on; reload it to see why")),
    "not_ready_information_requested": Reason(409, _("The person has not yet answered the question asked")),
    "not_ready_awaiting_authority": Reason(409, _("This case is waiting for the Registrar General's authority")),
    "not_ready_blocked_by_coroner": Reason(409, _("This death cannot be registered until the coroner releases it")),
    "authority_needed": Reason(
        409,
        _("This registration is over %(months)s months late: send it for the Registrar General's authority first"),
        LATE,
    ),
    "not_late": Reason(
        409, _("Only registrations over %(months)s months late need the Registrar General's authority"), LATE
    ),
    "authority_already_given": Reason(409, _("The Registrar General's authority has already been given")),
    "reason_required": Reason(400, _("Enter the reason for your decision")),
    "unknown_decision": Reason(400, _("Select a decision")),
    "assignee_not_in_office": Reason(400, _("Choose someone who works registration cases in this office")),
    "assignee_own_case": Reason(400, _("This case is about that person: choose someone else")),
    "answer_required": Reason(400, _("Enter your answer")),
    "answer_too_long": Reason(400, _("Your answer must be %(characters)s characters or fewer")),
    "not_yours": Reason(404, _("No registration with that reference")),
    "no_question": Reason(409, _("There is no question to answer on this registration")),
    # --- Corrections of the register -----------------------------------------------------------
    "unknown_field": Reason(400, _("Choose a particular of this entry")),
    "reason_and_evidence_needed": Reason(400, _("Enter the reason for the correction and the evidence seen")),
    "no_change": Reason(400, _("The new value is the same as the current one")),
    "new_value_required": Reason(400, _("Enter the corrected value")),
    "entry_not_found": Reason(404, _("No entry in your offices has that reference")),
}


class RegistrarRefusal(Refusal):
    """Any refusal of the registration domain: every code of `REFUSALS`."""

    reasons = REFUSALS


class RegistrationRefused(RegistrarRefusal):
    """The registration cannot do this now (the citizen's side and the register's writer)."""


class NotQualified(RegistrarRefusal):
    """The answers do not make the person a qualified informant."""


class CaseRefused(RegistrarRefusal):
    """A registrar's decision, assignment or answer that cannot be made."""


class CorrectionRefused(CaseRefused):
    """A correction of a register entry that cannot be recorded."""


# --- Why a registration needs a registrar ---------------------------------------------------------


@dataclass(frozen=True)
class CaseReason:
    """A reason code's label: a `gettext_lazy` text whose `%(name)s` placeholders are filled from
    the settings named in `from_settings` when it is shown."""

    label: Promise | str
    from_settings: Mapping[str, str] = field(default_factory=dict)

    def render(self) -> str:
        text = str(self.label)
        if not self.from_settings:
            return text
        return text % {name: getattr(settings, setting) for name, setting in self.from_settings.items()}


# Stored in `Registration.reasons` (services decide them, rules.LATENESS_REASONS names the late
# bands); the registrar's pages show the labels. Codes are stable: other systems may rely on them.
CASE_REASONS: dict[str, CaseReason] = {
    "identity_not_verified": CaseReason(_("The informant's identity has not been verified at medium confidence")),
    "district_unknown": CaseReason(_("The place could not be matched to a registration district")),
    "late_special_procedure": CaseReason(
        _("Birth registered %(late)s to %(authority)s months late: registrar's special procedure"),
        {"late": "BIRTH_LATE_MONTHS", "authority": "LATE_AUTHORITY_MONTHS"},
    ),
    "late_needs_authority": CaseReason(
        _("More than %(months)s months after the event: needs the Registrar General's authority"), LATE
    ),
    "possible_duplicate": CaseReason(_("A registration or entry with the same particulars may already exist")),
    "mccd_not_found": CaseReason(_("No medical certificate of cause of death with this reference has been received")),
    "mccd_name_mismatch": CaseReason(_("The deceased's name does not match the medical certificate")),
    "mccd_date_of_death_mismatch": CaseReason(_("The date of death does not match the medical certificate")),
    "mccd_date_of_birth_mismatch": CaseReason(_("The date of birth does not match the medical certificate")),
    "mccd_district_mismatch": CaseReason(
        _("The place of death is in a different district from the medical certificate")
    ),
    "coroner_referral": CaseReason(_("The death was referred to the coroner and has not been released")),
    "inquest_open": CaseReason(_("An inquest is open: only an interim certificate can be issued")),
    # Stillbirths: the parent's answers against the medical certificate of stillbirth.
    "stillbirth_certificate_not_found": CaseReason(
        _("No medical certificate of stillbirth with this reference has been received")
    ),
    "stillbirth_mother_mismatch": CaseReason(
        _("The mother's name does not match the medical certificate of stillbirth")
    ),
    "stillbirth_date_mismatch": CaseReason(
        _("The date of delivery does not match the medical certificate of stillbirth")
    ),
    "stillbirth_sex_mismatch": CaseReason(_("The baby's sex does not match the medical certificate of stillbirth")),
    "stillbirth_district_mismatch": CaseReason(
        _("The place of birth is in a different district from the medical certificate of stillbirth")
    ),
}


def case_reason_label(code: str) -> str:
    """The label of a reason code in the active language; empty for a code this app does not know."""
    reason = CASE_REASONS.get(code)
    return reason.render() if reason else ""
