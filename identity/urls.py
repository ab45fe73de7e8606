"""Page URLs: signing in and accounts, the identity check, phone support and the registrar's
identity queue with its live comparisons."""

from django.urls import path

from . import check_views, comparison_views, knowledge_views, queue_views, support_views, views

app_name = "identity"

urlpatterns = [
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-in/code/", views.sign_in_code, name="sign-in-code"),
    path("sign-in/code/resend/", views.resend_sign_in_code, name="sign-in-resend"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("signed-out/", views.signed_out, name="signed-out"),
    path("account/", views.account, name="account"),
    path("account/mobile/", views.mobile, name="mobile"),
    path("account/language/", views.language, name="language"),
    path("account/consent-code/", support_views.consent_code, name="consent-code"),
    path("account/mobile/code/", views.mobile_code, name="mobile-code"),
    path("staff/sign-in/", views.staff_sign_in, name="staff-sign-in"),
    path("staff/sign-in/code/", views.staff_code, name="staff-code"),
    path("staff/sign-in/authenticator/", views.staff_enrol, name="staff-enrol"),
    path("staff/", views.staff_home, name="staff-home"),
    path("staff/support/", support_views.support_home, name="support-home"),
    path("staff/support/person/<int:person_id>/consent/", support_views.support_consent, name="support-consent"),
    path("staff/support/person/<int:person_id>/", support_views.support_person, name="support-person"),
    path("staff/support/notes/", support_views.support_notes, name="support-notes"),
    path("staff/support/session/", support_views.support_session, name="support-session"),
    path("staff/support/session/end/", support_views.support_end, name="support-end"),
    path("staff/support/report/", support_views.support_report, name="support-report"),
    path("dev/outbox/", views.dev_outbox, name="dev-outbox"),
    path("identity/", check_views.identity_status, name="check"),
    path("identity/document-type/", check_views.check_document_type, name="check-document-type"),
    path("identity/document/", check_views.check_document, name="check-document"),
    path("identity/document/photo/", check_views.check_document_photo, name="check-document-photo"),
    path("identity/selfie/", check_views.check_selfie, name="check-selfie"),
    path("identity/address/", check_views.check_address, name="check-address"),
    path("identity/address/photo/", check_views.check_address_photo, name="check-address-photo"),
    path("identity/submit/", check_views.check_submit, name="check-submit"),
    path("identity/questions/", knowledge_views.check_questions, name="check-questions"),
    path("identity/questions/start/", knowledge_views.start_questions, name="check-questions-start"),
    path("identity/evidence/<int:image_id>/", check_views.my_evidence_image, name="my-evidence"),
    path("staff/identity/", queue_views.staff_identity_queue, name="staff-identity-queue"),
    path("staff/identity/<str:reference>/", queue_views.staff_identity_case, name="staff-identity-case"),
    path("staff/identity/<str:reference>/compare/", comparison_views.staff_compare, name="staff-identity-compare"),
    path(
        "staff/identity/<str:reference>/evidence/<int:image_id>/",
        queue_views.staff_evidence_image,
        name="staff-evidence",
    ),
]
