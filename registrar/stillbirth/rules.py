"""The rules of stillbirth registration (REGISTRATION-RULES.md "Stillbirths") as plain
functions: the minimum weeks of pregnancy, the deadline, and who may register (the informants
of a birth, worded for parents whose baby was stillborn)."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.utils.translation import gettext_lazy as _

# The same informants as a birth (1953 Act, s. 12 applies ss. 1-2 to still-births), same keys,
# so registrar.rules.check_birth_informant and the joint-registration rules apply unchanged.
STILLBIRTH_QUALIFICATIONS: dict[str, str] = {
    "mother": _("The baby's mother"),
    "parent_married": _("The baby's father or second parent, married to or in a civil partnership with the mother"),
    "parent_unmarried": _("The baby's father or second parent, not married to the mother"),
    "occupier": _("The occupier of the place where the baby was born"),
    "present_at_birth": _("A person who was present at the birth"),
    # For a stillbirth, the person responsible for the child is the person who has charge of the body.
    "responsible_for_child": _("The person who has charge of the baby's body"),
}
QUALIFICATION_IN_REGISTER: dict[str, str] = {
    "mother": "Mother",
    "parent_married": "Father",
    "parent_unmarried": "Father",
    "occupier": "Occupier",
    "present_at_birth": "Present at the birth",
    "responsible_for_child": "Person having charge of the body",
}


def is_stillbirth(weeks_of_pregnancy: int) -> bool:
    """Born dead after the minimum weeks of pregnancy: registrable as a stillbirth."""
    return weeks_of_pregnancy >= settings.STILLBIRTH_MINIMUM_WEEKS


def stillbirth_deadline(delivered_on: date) -> date:
    """The last day to register in time: day STILLBIRTH_DAYS counting the delivery as day 0."""
    return delivered_on + timedelta(days=settings.STILLBIRTH_DAYS)
