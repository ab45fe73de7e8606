"""The identity API: sign-in codes and tokens, the identity check, phone support, the audit log's checkpoints."""

from django.urls import path

from . import api, api_audit, api_identity, api_support

urlpatterns = [
    path("auth/code", api.AuthCodeView.as_view(), name="auth-code"),
    path("auth/token", api.AuthTokenView.as_view(), name="auth-token"),
    path("auth/me", api.MeView.as_view(), name="auth-me"),
    path("auth/staff-token", api_support.StaffTokenView.as_view(), name="auth-staff-token"),
    path("auth/me/consent-code", api_support.ConsentCodeView.as_view(), name="consent-code"),
    path("support/people", api_support.PeopleView.as_view(), name="support-people"),
    path("support/sessions", api_support.SessionsView.as_view(), name="support-sessions"),
    path("support/sessions/current", api_support.CurrentSessionView.as_view(), name="support-session-current"),
    path("identity/case", api_identity.IdentityCaseView.as_view(), name="identity-case"),
    path("identity/case/document", api_identity.IdentityDocumentView.as_view(), name="identity-document"),
    path("identity/case/document/photo", api_identity.DocumentPhotoView.as_view(), name="identity-document-photo"),
    path("identity/case/selfie", api_identity.SelfieView.as_view(), name="identity-selfie"),
    path("identity/case/address", api_identity.IdentityAddressView.as_view(), name="identity-address"),
    path("identity/case/address/photo", api_identity.AddressPhotoView.as_view(), name="identity-address-photo"),
    path("identity/case/submit", api_identity.SubmitView.as_view(), name="identity-submit"),
    path("identity/case/questions", api_identity.KnowledgeQuestionsView.as_view(), name="identity-questions"),
    path("identity/case/questions/answers", api_identity.KnowledgeAnswersView.as_view(), name="identity-answers"),
    path("audit/checkpoints/latest", api_audit.LatestCheckpointView.as_view(), name="audit-checkpoint-latest"),
]
