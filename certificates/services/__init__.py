"""Writes, by topic: orders (`ordering`), payment through the provider (`payment`), issuing each
copy as a signed PDF exactly once (`issuing`), and the registrars' revoke, reissue and retry of
their own offices' certificates (`staff`). An order's status changes only through `transition`.
Side effects run after commit. Everything is re-exported here, so callers use `services.…`."""

from .issuing import (
    certificate_ready_message,
    certificates_waiting,
    issue_order,
    issue_retry_seconds,
    keep_signed,
    make_certificate,
    new_serial,
    paid_orders_waiting,
)
from .ordering import (
    change_order,
    confirm_birth_details,
    missing_step,
    save_applicant,
    start_order,
    transition,
)
from .payment import confirm_open_payments, confirm_payment, payment_language, start_payment
from .staff import (
    STAFF_ACTIONS,
    certificate_reissued_message,
    orders_needing_attention,
    reissue_certificate,
    retry_issuing,
    revoke_certificate,
    staff_actions,
)

__all__ = [
    "STAFF_ACTIONS",
    "certificate_ready_message",
    "certificate_reissued_message",
    "certificates_waiting",
    "change_order",
    "confirm_birth_details",
    "confirm_open_payments",
    "confirm_payment",
    "issue_order",
    "issue_retry_seconds",
    "keep_signed",
    "make_certificate",
    "missing_step",
    "new_serial",
    "orders_needing_attention",
    "paid_orders_waiting",
    "payment_language",
    "reissue_certificate",
    "retry_issuing",
    "revoke_certificate",
    "save_applicant",
    "staff_actions",
    "start_order",
    "start_payment",
    "transition",
]
