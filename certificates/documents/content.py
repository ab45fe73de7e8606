"""What a certificate prints: its content as the issuing service gathers it, the titles, dates
and the wording of marriages and civil partnerships, the fonts and the QR code."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime

import segno
from django.conf import settings
from django.urls import reverse
from PIL import Image

from core.dates import in_words
from core.pdf_fonts import pdf_fonts
from registrar.green_form import both_languages
from registrar.presentation import format_particular, particular_label

# The fonts are core's (core.pdf_fonts), shared with the registrar's PDFs; the old name stays.
_fonts = pdf_fonts


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


QR_SCALE, QR_BORDER = 8, 4  # pixels a module, modules of quiet zone: as `qr_png` draws it


def qr_image(serial: str) -> Image.Image:
    """The same QR code as `qr_png`, pixel for pixel, as a black and white image to draw: writing
    a PNG (segno's writer is pure Python) only for reportlab to decode it again, and to widen its
    one-bit pixels to colour ones, cost a tenth of drawing a certificate. Scaling the modules up is
    done in C by Pillow; in greyscale the PDF keeps one byte a pixel, not three."""
    code = segno.make(verification_url(serial), error="m")
    width, height = code.symbol_size(scale=1, border=QR_BORDER)
    modules = bytes(0 if dark else 255 for row in code.matrix_iter(scale=1, border=QR_BORDER) for dark in row)
    image = Image.frombytes("L", (width, height), modules)
    return image.resize((width * QR_SCALE, height * QR_SCALE), Image.Resampling.NEAREST)


# The register each kind of certificate is a copy of, as `registrar.presentation` names it.
EVENTS = {
    "full_birth": "birth",
    "short_birth": "birth",
    "death": "death",
    "stillbirth": "stillbirth",
    "marriage": "marriage",
    "civil_partnership": "civil_partnership",
}


def particular_pair(kind: str, key: str, value) -> tuple[str, str]:
    """One particular's value in English and Welsh, as the staff and citizen pages write it
    (`registrar.presentation.format_particular`): dates in words, sex, yes or no."""
    return both_languages(lambda: format_particular(EVENTS[kind], key, value))


def day_pair(value) -> tuple[str, str]:
    """A date in words in English and Welsh; text that is not a date as it is."""
    day = value if isinstance(value, date) else str(value)
    return both_languages(lambda: in_words(day))


def _bilingual_value(pair: tuple[str, str], bilingual: bool) -> str:
    """A value in Welsh then English for an entry in Wales, unless both read the same."""
    english, welsh = pair
    if not bilingual or welsh == english:
        return english
    return f"{welsh} / {english}"


def particular_words(kind: str, key: str, value, *, bilingual: bool) -> str:
    return _bilingual_value(particular_pair(kind, key, value), bilingual)


def _display(value, *, bilingual: bool = False) -> str:
    """A date in words (Welsh then English for an entry in Wales), any other text as it is, and
    a dash for nothing."""
    if value in (None, ""):
        return "—"
    return _bilingual_value(day_pair(value), bilingual)


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


def _party_value(kind: str, particulars: dict, position: int, what: str, bilingual: bool) -> list[str]:
    """One party's answer to one row, as lines of text (empty when the entry has none); a
    condition in the words of the notice it was given on."""
    prefix = f"party{position}_"
    if what == "name":
        name = " ".join(str(particulars.get(prefix + key) or "") for key in ("forenames", "surname")).strip()
        return [name] if name else []
    value = particulars.get(prefix + what)
    if value in (None, "", []):
        return []
    if what == "condition":
        return [particular_words(kind, prefix + what, value, bilingual=bilingual)]
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


def correction_label_pair(kind: str, field: str) -> tuple[str, str]:
    """A corrected particular in words, in English and Welsh, where it has no column of its own:
    one of a party's by its row, any other as the pages label it."""
    if kind in PARTNERSHIP_KINDS and field[:5] == "party" and field[6:7] == "_":
        position, what = field[5], field[7:]
        row = next((row for row in PARTY_ROWS if row[0] == what), None)
        if position in "12" and row is not None:
            english_party, welsh_party = PARTY_HEADINGS[int(position) - 1]
            return f"{english_party}: {row[1]}", f"{welsh_party}: {row[2]}"
    return both_languages(lambda: particular_label(EVENTS[kind], field))


def _as_kept(text: str):
    """A correction's value as the entry keeps it: a yes or no answer is recorded as its text."""
    return {"True": True, "False": False}.get(text, text)


def correction_notes(kind: str, column: tuple[str, str], correction: CorrectionLine, *, bilingual: bool) -> list[str]:
    """The marginal note of one correction, naming its column (`column`, English and Welsh) with
    the old and new values as the pages write them: in Welsh then English for an entry in Wales."""
    old = particular_pair(kind, correction.field, _as_kept(correction.old_value))
    new = particular_pair(kind, correction.field, _as_kept(correction.new_value))
    on = day_pair(correction.corrected_on)
    english = f"* {column[0]}: “{old[0]}” corrected to “{new[0]}” on {on[0]}"
    if not bilingual:
        return [english]
    welsh = f"* {column[1]}: cywirwyd “{old[1]}” i “{new[1]}” ar {on[1]}"
    return [welsh, english]
