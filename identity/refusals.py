"""What the identity app refuses, each code written once with its HTTP status and its message:
one-time codes and sign-in, evidence photos, the identity check, registrars' decisions and live
comparisons, and phone support (consent codes, notes). Pages render them with `core.pages`, the API with
`core.api_errors`, so a refusal reads the same in both, in English and in Welsh. Numbers a rule
sets (minutes, counts) are read from settings when the message is shown."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from core.refusals import Reason, Refusal


class CodeThrottled(Refusal):
    """Too many codes asked for; `retry_after` seconds until the next one is allowed."""

    reasons = {
        "throttled": Reason(
            429,
            ngettext_lazy(
                "You have asked for too many codes. Wait %(minutes)s minute, then try again.",
                "You have asked for too many codes. Wait %(minutes)s minutes, then try again.",
                "minutes",
            ),
        ),
    }

    def __init__(self, retry_after: float) -> None:
        self.retry_after = max(1, int(retry_after))
        super().__init__("throttled", minutes=max(1, (self.retry_after + 59) // 60))


class CodeRejected(Refusal):
    """A one-time code was not accepted."""

    reasons = {
        "code_incorrect": Reason(400, _("The security code is incorrect. Check the code and try again")),
        "code_expired": Reason(400, _("The security code has expired. Ask for a new code")),
        "code_locked": Reason(
            429,
            _("You have entered a wrong code too many times. Wait %(minutes)s minutes, then ask for a new code"),
            {"minutes": "OTP_LOCKOUT_MINUTES"},
        ),
    }


class SignInRefused(Refusal):
    """Signing in failed after the code or password was checked, or a staff factor was wrong."""

    reasons = {
        "staff_account": Reason(403, _("This is a staff account. Sign in through the staff sign-in page")),
        "account_closed": Reason(403, _("This account is closed. Contact the helpline")),
        "wrong_password": Reason(400, _("Enter a correct email address and password")),
        "wrong_authenticator_code": Reason(
            400, _("The code is incorrect or has already been used. Wait for a new code and try again")
        ),
        "wrong_enrolment_code": Reason(
            400, _("The code is incorrect. Check the time on your phone is right and try again")
        ),
        # Both factors at once (the API): the answer never says which one was wrong.
        "invalid_credentials": Reason(401, _("The email address, password or code is not right.")),
        "locked": Reason(
            429, _("Too many failed attempts. Wait an hour or contact your service admin"), retry_after=3600
        ),
    }


class UploadRejected(Refusal):
    """An evidence photo that is not kept, with what the person should do instead."""

    reasons = {
        "photo_empty": Reason(400, _("The selected file is empty. Choose a photo of your document.")),
        "photo_too_big": Reason(400, _("The selected file must be smaller than 10MB.")),
        "photo_not_an_image": Reason(400, _("The selected file must be a JPG, PNG or WebP photo.")),
        "photo_animated": Reason(400, _("The selected file must be a single photo, not an animation.")),
        "photo_too_many_pixels": Reason(400, _("The photo is too large. Take it again at a lower resolution.")),
        "photo_damaged": Reason(400, _("The selected file is damaged or incomplete. Take the photo again.")),
        "photo_too_small": Reason(400, _("The photo is too small to read. Take it again, closer to the document.")),
        # Every decode slot of this process stayed busy for the whole wait: the photo was not
        # looked at, and sending it again shortly will work. 429, like the other "too many at once"
        # refusals, so that clients back off and retry; the page keeps the form to send it again.
        "photo_busy": Reason(
            429,
            _("We are checking a lot of photos at the moment. Wait a minute, then send your photo again."),
            retry_after=60,
        ),
        # A selfie, refused at upload so that the person can take it again at once.
        "photo_no_face": Reason(
            400,
            _("We could not find a face in the photo. Take it again, looking straight at the camera in good light."),
        ),
        "photo_several_faces": Reason(
            400, _("The photo shows more than one face. Take it again with only your face in the picture.")
        ),
    }


class CheckRefused(Refusal):
    """The person's identity check cannot be changed or submitted now."""

    reasons = {
        "case_with_registrar": Reason(409, _("A registrar is reviewing this check; it cannot be changed now.")),
        "nothing_to_submit": Reason(409, _("There is no open identity check to submit.")),
        # The photo is compared with the document to show the person is its holder: only they
        # can take it, so phone support acting for them cannot add one.
        "selfie_by_person_only": Reason(
            403,
            _(
                "Only the person can take the photo of their face, on their own phone or computer. "
                "They can add it the next time they sign in."
            ),
        ),
    }


class DecisionRefused(Refusal):
    """A registrar's decision on an identity case that cannot be made."""

    reasons = {
        "not_allowed": Reason(403, _("You cannot decide identity checks")),
        # 404, as for an unknown reference: a reference from another office reveals nothing.
        "other_office": Reason(404, _("No identity check with that reference in your offices")),
        "own_case": Reason(403, _("You cannot decide your own identity case")),
        "already_decided": Reason(409, _("This case has already been decided")),
        "reason_required": Reason(400, _("Enter the reason for your decision")),
        "unknown_decision": Reason(400, _("Select a decision")),
        # Medium confidence needs the person matched to the identity (GPG 45 verification):
        # photos of documents alone cannot show that, so a registrar compares the person first.
        "compare_first": Reason(
            409,
            _(
                "Compare the person with their document, by video call or in person, before you accept. "
                "Photos of documents cannot show that the document is theirs."
            ),
        ),
    }


class ConsentRefused(Refusal):
    """A consent code that was not accepted, or not sent by text."""

    reasons = {
        "consent_incorrect": Reason(
            400, _("That consent code is not right. Ask the person to read it again, or to get a new one")
        ),
        "consent_expired": Reason(
            400, _("That consent code has expired. Ask the person to get a new one from their account page")
        ),
        "consent_locked": Reason(
            429,
            _("Too many wrong codes. Wait %(minutes)s minutes before trying again"),
            {"minutes": "ASSISTED_CONSENT_LOCK_MINUTES"},
        ),
        "consent_not_allowed": Reason(403, _("You cannot open an assisted session for this person")),
        "no_mobile": Reason(400, _("Add and confirm a mobile number on your account to get the code by text")),
        "too_many_texts": Reason(429, _("You have asked for too many texts. Use the code shown on this page instead")),
    }


class SupportRefused(Refusal):
    """Phone support helping without consent (notes, a new sign-in code) cannot do this."""

    reasons = {
        "text_required": Reason(400, _("Enter the note")),
        "text_too_long": Reason(
            400,
            _("The note must be %(characters)s characters or fewer"),
            {"characters": "ASSISTED_NOTE_MAX_CHARACTERS"},
        ),
        "not_allowed": Reason(403, _("You cannot do this for this person")),
        "already_handled": Reason(409, _("This note has already been dealt with")),
        "code_sent_recently": Reason(
            429, _("A code was sent very recently. Ask them to check their email, or wait and try again.")
        ),
    }


class KnowledgeRefused(Refusal):
    """Questions about the person's history (knowledge-based verification) that cannot be asked
    or answered now. None of these says which answers were right or wrong."""

    reasons = {
        "not_offered": Reason(
            404, _("Answering security questions is not offered on this service. A registrar can check your identity.")
        ),
        "case_closed": Reason(
            409, _("Your identity check cannot be changed now, so there are no questions to answer.")
        ),
        "details_missing": Reason(
            409,
            _(
                "Enter your name, date of birth and address in your identity check first: "
                "the questions are about the person those details describe."
            ),
        ),
        "attempts_used": Reason(
            429,
            ngettext_lazy(
                "You can get security questions %(attempts)s time in 24 hours. Try again tomorrow, "
                "or carry on with your identity check without them.",
                "You can get security questions %(attempts)s times in 24 hours. Try again tomorrow, "
                "or carry on with your identity check without them.",
                "attempts",
            ),
            {"attempts": "IDENTITY_KNOWLEDGE_ATTEMPTS_PER_DAY"},
        ),
        "not_started": Reason(
            409, _("There are no security questions waiting for your answers. Get the questions first.")
        ),
        "already_answered": Reason(409, _("You have already answered these security questions.")),
        "expired": Reason(
            410,
            ngettext_lazy(
                "The security questions have expired: they must be answered within %(minutes)s minute. "
                "Get new questions to try again.",
                "The security questions have expired: they must be answered within %(minutes)s minutes. "
                "Get new questions to try again.",
                "minutes",
            ),
            {"minutes": "IDENTITY_KNOWLEDGE_MINUTES"},
        ),
        "details_changed": Reason(
            409,
            _(
                "Your details have changed since the security questions were asked, so the answers cannot count. "
                "Get new questions about the details you have given now."
            ),
        ),
        "answer_every_question": Reason(400, _("Answer every question.")),
        "no_questions": Reason(
            409,
            _(
                "We cannot ask you security questions: the company that sets them does not hold enough "
                "about your history. Carry on with your identity check without them."
            ),
        ),
        "provider_unavailable": Reason(
            503,
            _(
                "The security questions are not available at the moment. Try again later, or carry on "
                "with your identity check without them."
            ),
        ),
    }


class ComparisonRefused(Refusal):
    """A registrar's live comparison of a person with their identity document that cannot be recorded."""

    reasons = {
        "not_allowed": Reason(403, _("You cannot compare people with their identity documents")),
        # 404, as for an unknown reference: a reference from another office reveals nothing.
        "other_office": Reason(404, _("No identity check with that reference in your offices or appointments")),
        "own_case": Reason(403, _("You cannot compare yourself with your own identity document")),
        "case_decided": Reason(409, _("This identity check has already been decided, so nothing more can be recorded")),
        "unknown_method": Reason(400, _("Select how you saw the person: by video call or in person")),
        "observations_required": Reason(
            400, _("Say what you saw: something did not match, or you could not check the document's features")
        ),
        "observations_too_long": Reason(
            400,
            _("What you saw must be %(characters)s characters or fewer"),
            {"characters": "IDENTITY_COMPARISON_NOTE_MAX_CHARACTERS"},
        ),
    }
