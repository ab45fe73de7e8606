"""What the certificates services refuse, and how each refusal reads: the index search, an order
and its payment, a registrar's revoke or reissue, and public verification. Pages show these
through `core.pages`, the API through core's exception handler, so each reads the same in both,
in English and in Welsh; the numbers in them come from settings."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.refusals import Reason, Refusal


class SearchRefused(Refusal):
    """An index search that cannot be run as asked."""

    reasons = {
        "unknown_event": Reason(400, _("Select births, deaths, marriages or civil partnerships")),
        "surname_without_letters": Reason(400, _("Surname must include letters")),
        # `first` and `last` are passed: civil registration began in 1837, and the last is this year.
        "year_out_of_range": Reason(400, _("Year must be between %(first)s and %(last)s")),
        "years_either_side_without_year": Reason(400, _("Enter a year to search the years either side of it")),
        "years_either_side_out_of_range": Reason(
            400,
            _("Years either side must be from 0 to %(years)s"),
            {"years": "CERTIFICATE_SEARCH_MAX_YEARS_EITHER_SIDE"},
        ),
        "maiden_surname_births_only": Reason(400, _("Mother's maiden surname is only in the index of births")),
    }


class OrderRefused(Refusal):
    """A change to an order, or its payment, that cannot be made."""

    reasons = {
        "wrong_kind": Reason(400, _("That certificate cannot be made from this entry")),
        "copies_out_of_range": Reason(400, _("Choose between 1 and %(max)s copies"), {"max": "CERTIFICATE_MAX_COPIES"}),
        "already_paid": Reason(409, _("This order has already been paid for")),
        "too_many_attempts": Reason(
            409, _("The details did not match the entry too many times. Start a new order or call us for help")
        ),
        "details_do_not_match": Reason(
            400,
            _("The details you gave do not match the register entry. Check them against what you know and try again"),
        ),
        "order_incomplete": Reason(400, _("Some details of the order are missing")),
        # REGISTRATION-RULES.md "Stillbirths": certificates are issued only to the parents.
        "stillbirth_parents_only": Reason(
            403,
            _(
                "Copies of a still-birth entry are issued only to the parents named in it. If you are a parent, "
                "sign in with the account you used to register or confirm the registration, or contact the "
                "register office"
            ),
        ),
        "payment_unavailable": Reason(
            503,
            _(
                "The payment service is not available at the moment. You have not been charged. "
                "Try again in a few minutes"
            ),
        ),
        # The provider refused what was sent (a wrong API key, a request it cannot accept):
        # trying again cannot help, so the person is told to call, and the operators are alerted.
        "payment_failed": Reason(
            502,
            _(
                "Something went wrong when we tried to take payment for this order. You have not been charged. "
                "Do not try again: call us for help and give your order reference %(reference)s"
            ),
        ),
        "payment_check_failed": Reason(
            502,
            _(
                "We could not check the payment you started for this order. Do not pay again: "
                "call us for help and give your order reference %(reference)s"
            ),
        ),
    }

    @property
    def order_closed(self) -> bool:
        """The order can no longer be changed or paid for (paid, or locked): its page says why."""
        return self.code in ("already_paid", "too_many_attempts")


class CertificateRefused(Refusal):
    """A registrar's revoke or reissue that cannot be done."""

    reasons = {
        "reason_needed": Reason(400, _("Enter the reason")),
        "not_allowed": Reason(403, _("You cannot revoke or reissue certificates")),
        "other_office": Reason(403, _("This certificate is of an entry registered outside your offices")),
        "already_revoked": Reason(409, _("This certificate has already been revoked")),
        "already_reissued": Reason(409, _("This certificate has already been reissued")),
        "nothing_to_retry": Reason(409, _("This order is not waiting for staff: there is nothing to try again")),
    }


class VerificationRefused(Refusal):
    """A check of a certificate that gets no answer."""

    reasons = {
        "unknown": Reason(404, _("No certificate has this serial number")),
        "throttled": Reason(
            429,
            _(
                "You have checked more than %(per_minute)s certificates in a minute or %(per_hour)s in an hour. "
                "Wait a few minutes and try again."
            ),
            {
                "per_minute": "CERTIFICATE_VERIFY_PER_ADDRESS_PER_MINUTE",
                "per_hour": "CERTIFICATE_VERIFY_PER_ADDRESS_PER_HOUR",
            },
        ),
    }
