"""What a certificate prints: its content as the issuing service gathers it, the titles, dates
and the wording of marriages and civil partnerships, the fonts and the QR code."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import reportlab
import segno
from django.conf import settings
from django.urls import reverse
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

# Fonts with the Welsh letters (ŵ, ŷ, â...). DejaVu is an OS package; reportlab ships Vera.
_FONT_CANDIDATES = [
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
]


def _fonts() -> tuple[str, str]:
    if "CertSans" in pdfmetrics.getRegisteredFontNames():
        return "CertSans", "CertSans-Bold"
    vera = Path(reportlab.__file__).parent / "fonts"
    for regular, bold in [*_FONT_CANDIDATES, (str(vera / "Vera.ttf"), str(vera / "VeraBd.ttf"))]:
        if Path(regular).exists() and Path(bold).exists():
            pdfmetrics.registerFont(TTFont("CertSans", regular))
            pdfmetrics.registerFont(TTFont("CertSans-Bold", bold))
            return "CertSans", "CertSans-Bold"
    return "Helvetica", "Helvetica-Bold"


TITLES = {
    "full_birth": ("Certified copy of an entry of birth", "Copi dilys o gofnod geni"),
    "short_birth": ("Birth certificate (short)", "Tystysgrif geni (fer)"),
    "death": ("Certified copy of an entry of death", "Copi dilys o gofnod marwolaeth"),
    "marriage": ("Certified copy of an entry of marriage", "Copi dilys o gofnod priodas"),
    "civil_partnership": ("Certified copy of an entry of civil partnership", "Copi dilys o gofnod partneriaeth sifil"),
    "stillbirth": ("Certified copy of an entry of still-birth", "Copi dilys o gofnod marw-enedigaeth"),
}


@dataclass(frozen=True)
class CorrectionLine:
    field: str
    old_value: str
    new_value: str
    corrected_on: date


@dataclass(frozen=True)
class CertificateContent:
    """Everything printed on a certificate, gathered by the issuing service."""

    serial: str
    kind: str
    bilingual: bool
    entry_reference: str
    district_name: str
    district_welsh_name: str
    registered_on: date
    particulars: dict
    corrections: list[CorrectionLine]
    issued_at: datetime
    # Where the entry sits in the register: the number within its district, event and year, the
    # sub-district and administrative area of the district, and who registered it.
    entry_number: int | None = None
    sub_district: str = ""
    administrative_area: str = ""
    registrar_name: str = ""


def verification_url(serial: str) -> str:
    return settings.SITE_URL + reverse("certificates:verify-serial", args=[serial])


def qr_png(serial: str) -> bytes:
    """The QR code printed on the certificate: the verification page for this serial."""
    buffer = io.BytesIO()
    segno.make(verification_url(serial), error="m").save(buffer, kind="png", scale=8, border=4)
    return buffer.getvalue()


WELSH_MONTHS = (
    "Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin",
    "Gorffennaf", "Awst", "Medi", "Hydref", "Tachwedd", "Rhagfyr",
)  # fmt: skip


def _display(value, *, bilingual: bool = False) -> str:
    if value in (None, ""):
        return "—"
    text = str(value)
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return text
    english = day.strftime("%-d %B %Y")
    if not bilingual:
        return english
    return f"{day.day} {WELSH_MONTHS[day.month - 1]} {day.year} / {english}"


# --- Marriages and civil partnerships: both parties side by side ---------------------------------------

PARTNERSHIP_KINDS = frozenset({"marriage", "civil_partnership"})
PARTY_ROWS = [
    # (what, English label, Welsh label); "name" joins forenames and surname.
    ("name", "Name and surname", "Enw a chyfenw"),
    ("age", "Age", "Oed"),
    ("condition", "Condition", "Statws"),
    ("occupation", "Occupation", "Gwaith"),
    ("address", "Address", "Cyfeiriad"),
    ("parents", "Parents' names and occupations", "Enwau a gwaith y rhieni"),
]
# The values of `Notice.Condition` in the words of the certificate; historic entries keep theirs.
CONDITIONS = {
    "never": ("Never married or in a civil partnership", "Erioed wedi priodi nac mewn partneriaeth sifil"),
    "divorced": ("Divorced or civil partnership dissolved", "Wedi ysgaru neu bartneriaeth sifil wedi'i diddymu"),
    "widowed": ("Widowed or surviving civil partner", "Gweddw neu bartner sifil sy'n goroesi"),
}
FORMS = {
    "civil": ("Civil ceremony", "Seremoni sifil"),
    "religious": ("Religious ceremony", "Seremoni grefyddol"),
}
OFFICIANT_ROLES = {
    "superintendent_registrar": ("Superintendent registrar", "Uwch-gofrestrydd"),
    "registrar": ("Registrar", "Cofrestrydd"),
    "authorised_person": ("Authorised person", "Person awdurdodedig"),
    "minister": ("Minister", "Gweinidog"),
    "clergy": ("Member of the clergy", "Aelod o'r clerigwyr"),
}
PARTY_HEADINGS = (("First party", "Parti cyntaf"), ("Second party", "Ail barti"))
CEREMONY_LABELS = {
    "marriage": (("Date of marriage", "Dyddiad y briodas"), ("Place of marriage", "Man y briodas")),
    "civil_partnership": (
        ("Date of formation", "Dyddiad ffurfio"),
        ("Place of formation", "Man ffurfio"),
    ),
}


def _words(pair: tuple[str, str], bilingual: bool) -> str:
    english, welsh = pair
    return f"{welsh} / {english}" if bilingual else english


def _party_value(particulars: dict, position: int, what: str, bilingual: bool) -> list[str]:
    """One party's answer to one row, as lines of text (empty when the entry has none)."""
    prefix = f"party{position}_"
    if what == "name":
        name = " ".join(str(particulars.get(prefix + key) or "") for key in ("forenames", "surname")).strip()
        return [name] if name else []
    value = particulars.get(prefix + what)
    if value in (None, "", []):
        return []
    if what == "condition" and value in CONDITIONS:
        return [_words(CONDITIONS[value], bilingual)]
    if what == "parents" and isinstance(value, list):
        lines = []
        for parent in value:
            if not isinstance(parent, dict):
                lines.append(str(parent))
                continue
            name = " ".join(str(parent.get(key) or "") for key in ("forenames", "surname")).strip()
            occupation = str(parent.get("occupation") or "")
            lines.append(f"{name}, {occupation}" if occupation else name)
        return lines
    return [str(value)]


def _officiant(officiant) -> tuple[str, str, str]:
    """Name, and role in English and Welsh. The role is as the officiant gave it ("Vicar",
    "Superintendent registrar"); a registrar's role is known in Welsh too."""
    if not isinstance(officiant, dict):
        return str(officiant), "", ""
    role = str(officiant.get("role") or "").strip()
    known = OFFICIANT_ROLES.get(role) or next(
        (pair for pair in OFFICIANT_ROLES.values() if pair[0].lower() == role.lower()), None
    )
    english, welsh = known or (role, "")
    return str(officiant.get("name") or ""), english, welsh


def correction_label(kind: str, field: str, bilingual: bool) -> str:
    """A corrected particular in words where it is one of a party's."""
    if kind in PARTNERSHIP_KINDS and field[:5] == "party" and field[6:7] == "_":
        position, what = field[5], field[7:]
        row = next((row for row in PARTY_ROWS if row[0] == what), None)
        if position in "12" and row is not None:
            party = PARTY_HEADINGS[int(position) - 1]
            return f"{_words(party, bilingual)}: {_words(row[1:], bilingual)}"
    return field
