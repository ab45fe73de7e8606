"""Offline checks of identity document data (IDENTITY-RULES.md, "Document data checks"): the
passport machine readable zone (ICAO 9303 TD3), the UK driving licence number and proof of address
(its dates, postcode and name). Each failure is a reason code with a message for the person; staff see
the code."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_lazy as _

from core.places import normalise_postcode

# Reason codes: stable identifiers shown to staff, each with a plain-English message.
REASONS = {
    "mrz_format": _("The machine readable lines are not in the right format. Check you typed both lines exactly."),
    "mrz_number_check": _("The passport number in the machine readable lines does not add up. Check it."),
    "mrz_birth_check": _("The date of birth in the machine readable lines does not add up. Check it."),
    "mrz_expiry_check": _("The expiry date in the machine readable lines does not add up. Check it."),
    "mrz_personal_check": _("The personal number in the machine readable lines does not add up. Check it."),
    "mrz_composite_check": _("The machine readable lines do not add up. Check you typed them exactly."),
    "mrz_number_mismatch": _("The passport number does not match the machine readable lines."),
    "mrz_birth_mismatch": _("The date of birth does not match the machine readable lines."),
    "mrz_expiry_mismatch": _("The expiry date does not match the machine readable lines."),
    "mrz_name_mismatch": _("The name does not match the machine readable lines."),
    "licence_format": _("A driving licence number is 16 letters and numbers, like MORGA753116SM9IJ."),
    "licence_name_mismatch": _("The driving licence number does not match your surname or initials."),
    "licence_birth_mismatch": _("The driving licence number does not match your date of birth."),
    "document_expired": _("The document has expired. Use a document that is in date."),
    "birth_date_implausible": _("The date of birth is not possible. Check it."),
    "postcode_format": _("Enter a real UK postcode, like SW1A 1AA."),
    "postcode_mismatch": _("The postcode on the document does not match your address."),
    "address_proof_too_old": _("The document must be dated within the last 3 months."),
    "address_proof_future": _("The date on the document cannot be in the future."),
    "address_name_mismatch": _("The name on the document does not match the name on your identity document."),
}

# IDENTITY-RULES.md: proof of address issued within the last 3 months.
ADDRESS_PROOF_MAX_AGE_DAYS = 92
OLDEST_PLAUSIBLE_AGE_YEARS = 120

_WEIGHTS = (7, 3, 1)


def check_digit(value: str) -> int:
    """ICAO 9303 check digit: digits are their value, A-Z are 10-35, '<' is 0, weights 7,3,1."""
    total = 0
    for index, char in enumerate(value):
        if char.isdigit():
            number = int(char)
        elif "A" <= char <= "Z":
            number = ord(char) - 55
        elif char == "<":
            number = 0
        else:
            raise ValueError(f"not an MRZ character: {char!r}")
        total += number * _WEIGHTS[index % 3]
    return total % 10


@dataclass(frozen=True)
class PassportMrz:
    document_number: str
    nationality: str
    birth_date: date | None
    sex: str
    expiry_date: date | None
    personal_number: str
    surname: str
    given_names: str
    issuing_state: str


@dataclass
class CheckResult:
    reasons: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.reasons

    def fail(self, reason: str) -> None:
        if reason not in self.reasons:
            self.reasons.append(reason)

    def messages(self) -> list[str]:
        return [str(REASONS[reason]) for reason in self.reasons]


def _mrz_date(value: str, *, future: bool) -> date | None:
    """YYMMDD with the century chosen the way the field means it: birth dates in the past,
    expiry dates in the next few decades."""
    if not value.isdigit():
        return None
    year, month, day = int(value[:2]), int(value[2:4]), int(value[4:6])
    this_year = date.today().year % 100
    century = 2000 if (future and year < 80) or (not future and year <= this_year) else 1900
    try:
        return date(century + year, month, day)
    except ValueError:
        return None


def normalise_mrz_line(line: str) -> str:
    return re.sub(r"\s", "", (line or "").upper())


def parse_td3(line1: str, line2: str) -> tuple[PassportMrz | None, CheckResult]:
    """Parse and check a passport's two 44-character lines; reason codes for each failure."""
    result = CheckResult()
    line1, line2 = normalise_mrz_line(line1), normalise_mrz_line(line2)
    pattern = re.compile(r"^[A-Z0-9<]{44}$")
    if not (pattern.match(line1) and pattern.match(line2) and line1.startswith("P")):
        result.fail("mrz_format")
        return None, result
    fields = [
        (line2[0:9], line2[9], "mrz_number_check"),
        (line2[13:19], line2[19], "mrz_birth_check"),
        (line2[21:27], line2[27], "mrz_expiry_check"),
    ]
    for value, digit, reason in fields:
        if not digit.isdigit() or check_digit(value) != int(digit):
            result.fail(reason)
    personal, personal_digit = line2[28:42], line2[42]
    # An empty personal number may carry '<' or 0 as its check digit.
    empty_personal = personal_digit == "<" and set(personal) == {"<"}
    if not empty_personal and (not personal_digit.isdigit() or check_digit(personal) != int(personal_digit)):
        result.fail("mrz_personal_check")
    composite = line2[0:10] + line2[13:20] + line2[21:43]
    if not line2[43].isdigit() or check_digit(composite) != int(line2[43]):
        result.fail("mrz_composite_check")
    names = line1[5:].split("<<", 1)
    mrz = PassportMrz(
        document_number=line2[0:9].replace("<", ""),
        nationality=line2[10:13].replace("<", ""),
        birth_date=_mrz_date(line2[13:19], future=False),
        sex=line2[20],
        expiry_date=_mrz_date(line2[21:27], future=True),
        personal_number=personal.replace("<", ""),
        surname=names[0].replace("<", " ").strip(),
        given_names=(names[1] if len(names) > 1 else "").replace("<", " ").strip(),
        issuing_state=line1[2:5].replace("<", ""),
    )
    if mrz.birth_date is None:
        result.fail("mrz_birth_check")
    if mrz.expiry_date is None:
        result.fail("mrz_expiry_check")
    return mrz, result


def mrz_name(value: str) -> str:
    """A name as the MRZ writes it: upper case, accents removed, anything else a space."""
    ascii_name = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^A-Z]", " ", ascii_name.upper()).split())


def compare_with_mrz(
    mrz: PassportMrz, *, document_number: str, birth_date: date, expiry_date: date, surname: str, given_names: str
) -> CheckResult:
    """Typed details against the machine readable lines."""
    result = CheckResult()
    if re.sub(r"\s", "", document_number.upper()) != mrz.document_number:
        result.fail("mrz_number_mismatch")
    if birth_date != mrz.birth_date:
        result.fail("mrz_birth_mismatch")
    if expiry_date != mrz.expiry_date:
        result.fail("mrz_expiry_mismatch")
    # The MRZ may truncate long names, so a typed name must start with what the MRZ holds.
    if not mrz_name(surname).startswith(mrz.surname) or not mrz_name(given_names).startswith(mrz.given_names[:20]):
        result.fail("mrz_name_mismatch")
    return result


def licence_number_prefix(*, surname: str, given_names: str, birth_date: date, female: bool | None) -> list[str]:
    """The first 13 characters a UK licence number can have for these details (two when the
    sex is unknown: older licences add 50 to the month for women)."""
    letters = re.sub(r"[^A-Z]", "", mrz_name(surname))
    if letters.startswith("MC"):  # the licensing agency writes Mc as Mac
        letters = "MAC" + letters[2:]
    surname_part = letters[:5].ljust(5, "9")
    initials = [name[0] for name in mrz_name(given_names).split()][:2]
    initials_part = "".join(initials).ljust(2, "9")
    year = f"{birth_date.year:04d}"
    prefixes = []
    for is_female in [female] if female is not None else [False, True]:
        month = birth_date.month + (50 if is_female else 0)
        prefixes.append(f"{surname_part}{year[2]}{month:02d}{birth_date.day:02d}{year[3]}{initials_part}")
    return prefixes


def check_licence_number(
    number: str, *, surname: str, given_names: str, birth_date: date, female: bool | None = None
) -> CheckResult:
    """Only the first 13 characters can be checked against the person's details."""
    result = CheckResult()
    number = re.sub(r"\s", "", (number or "").upper())
    if not re.fullmatch(r"[A-Z9]{5}[0-9][0-9]{4}[0-9][A-Z9]{2}[A-Z0-9]{3}", number):
        result.fail("licence_format")
        return result
    expected = licence_number_prefix(surname=surname, given_names=given_names, birth_date=birth_date, female=female)
    if number[:5] != expected[0][:5]:
        result.fail("licence_name_mismatch")
    if all(number[5:11] != prefix[5:11] for prefix in expected):
        result.fail("licence_birth_mismatch")
    # Initials: the second may be 9 when the licence was issued without a middle name.
    if number[11] != expected[0][11] or number[12] not in {expected[0][12], "9"}:
        result.fail("licence_name_mismatch")
    return result


def check_document_dates(*, birth_date: date, expiry_date: date | None, today: date) -> CheckResult:
    result = CheckResult()
    if expiry_date is not None and expiry_date < today:
        result.fail("document_expired")
    if birth_date > today or (today.year - birth_date.year) > OLDEST_PLAUSIBLE_AGE_YEARS:
        result.fail("birth_date_implausible")
    return result


def check_proof_of_address(
    *,
    issued_on: date,
    document_postcode: str,
    declared_postcode: str,
    document_name: str,
    identity_name: str,
    today: date,
) -> CheckResult:
    result = CheckResult()
    if issued_on > today:
        result.fail("address_proof_future")
    elif (today - issued_on).days > ADDRESS_PROOF_MAX_AGE_DAYS:
        result.fail("address_proof_too_old")
    on_document, declared = normalise_postcode(document_postcode), normalise_postcode(declared_postcode)
    if on_document is None or declared is None:
        result.fail("postcode_format")
    elif on_document != declared:
        result.fail("postcode_mismatch")
    if set(mrz_name(document_name).split()) != set(mrz_name(identity_name).split()):
        # Titles and middle names often differ on bills: accept when surname and first name match.
        doc, ident = mrz_name(document_name).split(), mrz_name(identity_name).split()
        if not (doc and ident and doc[-1] == ident[-1] and ident[0] in doc):
            result.fail("address_name_mismatch")
    return result
