"""The reason codes the checkers give (stored in EvidenceCheck.reasons), each with the words staff
see for it. An "unavailable" check carries one of the provider codes and scores nothing."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# The checker could not answer: the check scores nothing and the case goes on without it.
PROVIDER_NOT_CONFIGURED = "provider_not_configured"
PROVIDER_TIMEOUT = "provider_timeout"
PROVIDER_UNREACHABLE = "provider_unreachable"
PROVIDER_REFUSED = "provider_refused"  # 401 or 403: the service's key was not accepted
PROVIDER_RATE_LIMITED = "provider_rate_limited"  # 429
PROVIDER_ERROR = "provider_error"  # 5xx
PROVIDER_BAD_RESPONSE = "provider_bad_response"  # not JSON, not the documented shape, or a status it does not document
# Not sent: the case lacks a detail the provider's contract requires, or has it in a form it does not take.
DETAILS_INCOMPLETE = "details_incomplete"

DOCUMENT_NOT_GENUINE = "document_not_genuine"
DOCUMENT_TAMPERED = "document_tampered"
DOCUMENT_DATA_INCONSISTENT = "document_data_inconsistent"
DOCUMENT_UNREADABLE = "document_unreadable"
DOCUMENT_UNSUPPORTED = "document_unsupported"
LIVENESS_FAILED = "liveness_failed"
FACE_NOT_FOUND = "face_not_found"
FACE_NO_MATCH = "face_no_match"

ISSUER_NOT_FOUND = "issuer_not_found"
ISSUER_CANCELLED_LOST_STOLEN = "issuer_cancelled_lost_stolen"
ISSUER_DETAILS_MISMATCH = "issuer_details_mismatch"

KNOWLEDGE_NO_QUESTIONS = "knowledge_no_questions"
KNOWLEDGE_SESSION_EXPIRED = "knowledge_session_expired"
KNOWLEDGE_ANSWERS_WRONG = "knowledge_answers_wrong"

FRAUD_MORTALITY = "fraud_mortality"
FRAUD_IDENTITY_THEFT = "fraud_identity_theft"
FRAUD_SYNTHETIC_IDENTITY = "fraud_synthetic_identity"
FRAUD_IMPERSONATION = "fraud_impersonation"
FRAUD_SIGNAL = "fraud_signal"  # a source this service has no words of its own for
ACTIVITY_NO_HISTORY = "activity_no_history"

UNAVAILABLE = frozenset(
    {
        PROVIDER_NOT_CONFIGURED,
        PROVIDER_TIMEOUT,
        PROVIDER_UNREACHABLE,
        PROVIDER_REFUSED,
        PROVIDER_RATE_LIMITED,
        PROVIDER_ERROR,
        PROVIDER_BAD_RESPONSE,
        DETAILS_INCOMPLETE,
        DOCUMENT_UNREADABLE,
        DOCUMENT_UNSUPPORTED,
        FACE_NOT_FOUND,
        KNOWLEDGE_NO_QUESTIONS,
        KNOWLEDGE_SESSION_EXPIRED,
    }
)

REASONS = {
    PROVIDER_NOT_CONFIGURED: _("The checker is not set up: its address or key is missing."),
    PROVIDER_TIMEOUT: _("The checker did not answer in time."),
    PROVIDER_UNREACHABLE: _("The checker could not be reached."),
    PROVIDER_REFUSED: _("The checker did not accept the service's key."),
    PROVIDER_RATE_LIMITED: _("The checker was asked too often and refused for now."),
    PROVIDER_ERROR: _("The checker had a fault of its own."),
    PROVIDER_BAD_RESPONSE: _("The checker's answer was not in the form it documents."),
    DETAILS_INCOMPLETE: _("The details this check needs are missing or not in a form the checker takes."),
    DOCUMENT_NOT_GENUINE: _("The document's security features are missing or wrong."),
    DOCUMENT_TAMPERED: _("The photo of the document shows signs of being altered."),
    DOCUMENT_DATA_INCONSISTENT: _("The details on the document do not agree with each other."),
    DOCUMENT_UNREADABLE: _("The document could not be read from the photo."),
    DOCUMENT_UNSUPPORTED: _("The checker cannot check this kind of document."),
    LIVENESS_FAILED: _("The photo of the face was not taken of a live person, for example it is a photo of a photo."),
    FACE_NOT_FOUND: _("No face could be found in a photo."),
    FACE_NO_MATCH: _("The face in the photo does not match the document photo."),
    ISSUER_NOT_FOUND: _("The issuing authority has no record of this document."),
    ISSUER_CANCELLED_LOST_STOLEN: _("The issuing authority says the document is cancelled, lost or stolen."),
    ISSUER_DETAILS_MISMATCH: _("The details do not match the issuing authority's record of the document."),
    KNOWLEDGE_NO_QUESTIONS: _("The provider knows too little about the person to ask questions."),
    KNOWLEDGE_SESSION_EXPIRED: _("The questions expired before they were answered."),
    KNOWLEDGE_ANSWERS_WRONG: _("Not enough of the answers to the questions were right."),
    FRAUD_MORTALITY: _("A death is recorded for this identity."),
    FRAUD_IDENTITY_THEFT: _("This identity has been reported as stolen."),
    FRAUD_SYNTHETIC_IDENTITY: _("This identity shows signs of being made up."),
    FRAUD_IMPERSONATION: _("Someone has been reported pretending to be this person."),
    FRAUD_SIGNAL: _("A fraud source has a warning about this identity."),
    ACTIVITY_NO_HISTORY: _("The provider has no history of this identity."),
}
