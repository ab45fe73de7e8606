"""The certificate document: an A4 PDF (reportlab) of a certified copy of a register entry, with
the entry's particulars as corrected, the corrections listed beside them, the serial number,
issue date and a QR code (segno) pointing at the public verification page. Entries in Wales get
a bilingual (Welsh and English) certificate."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import reportlab
import segno
from django.conf import settings
from django.urls import reverse
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from .signing import SERIAL_KEYWORD

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


# (particulars key, English label, Welsh label), per certificate kind, in the order printed.
FIELDS = {
    "full_birth": [
        ("child_forenames", "Forenames", "Enwau cyntaf"),
        ("child_surname", "Surname", "Cyfenw"),
        ("sex", "Sex", "Rhyw"),
        ("date_of_birth", "Date of birth", "Dyddiad geni"),
        ("place_of_birth", "Place of birth", "Man geni"),
        ("mother_forenames", "Mother's forenames", "Enwau cyntaf y fam"),
        ("mother_surname", "Mother's surname", "Cyfenw'r fam"),
        ("mother_maiden_surname", "Mother's maiden surname", "Cyfenw morwynol y fam"),
        ("mother_place_of_birth", "Mother's place of birth", "Man geni'r fam"),
        ("father_forenames", "Father's or parent's forenames", "Enwau cyntaf y tad neu'r rhiant"),
        ("father_surname", "Father's or parent's surname", "Cyfenw'r tad neu'r rhiant"),
        ("father_place_of_birth", "Father's or parent's place of birth", "Man geni'r tad neu'r rhiant"),
        ("informant", "Informant", "Hysbysydd"),
    ],
    "short_birth": [
        ("child_forenames", "Forenames", "Enwau cyntaf"),
        ("child_surname", "Surname", "Cyfenw"),
        ("sex", "Sex", "Rhyw"),
        ("date_of_birth", "Date of birth", "Dyddiad geni"),
        ("place_of_birth", "Place of birth", "Man geni"),
    ],
    "death": [
        ("deceased_forenames", "Forenames", "Enwau cyntaf"),
        ("deceased_surname", "Surname", "Cyfenw"),
        ("sex", "Sex", "Rhyw"),
        ("date_of_death", "Date of death", "Dyddiad marw"),
        ("place_of_death", "Place of death", "Man marw"),
        ("date_of_birth", "Date of birth", "Dyddiad geni"),
        ("age", "Age", "Oed"),
        ("occupation", "Occupation", "Gwaith"),
        ("cause_of_death", "Cause of death", "Achos marwolaeth"),
        # Deaths registered from a coroner's certificate after inquest only.
        ("inquest_conclusion", "Conclusion of the inquest", "Casgliad y cwest"),
        ("informant", "Informant", "Hysbysydd"),
    ],
}

# A still-birth entry's certified copy: the entry as registered (REGISTRATION-RULES.md "Stillbirths").
STILLBIRTH_FIELDS = [
    ("child_forenames", "Name, if given", "Enw, os rhoddwyd"),
    ("child_surname", "Surname, if given", "Cyfenw, os rhoddwyd"),
    ("sex", "Sex", "Rhyw"),
    ("date_of_delivery", "Date of birth", "Dyddiad geni"),
    ("place_of_birth", "Place of birth", "Man geni"),
    ("cause_of_death", "Cause of death", "Achos marwolaeth"),
    ("weeks_of_pregnancy", "Weeks of pregnancy", "Wythnosau o feichiogrwydd"),
    ("certified_by", "Certified by", "Ardystiwyd gan"),
    ("mother_forenames", "Mother's forenames", "Enwau cyntaf y fam"),
    ("mother_surname", "Mother's surname", "Cyfenw'r fam"),
    ("mother_maiden_surname", "Mother's maiden surname", "Cyfenw morwynol y fam"),
    ("mother_place_of_birth", "Mother's place of birth", "Man geni'r fam"),
    ("father_forenames", "Father's or parent's forenames", "Enwau cyntaf y tad neu'r rhiant"),
    ("father_surname", "Father's or parent's surname", "Cyfenw'r tad neu'r rhiant"),
    ("informant_name", "Informant", "Hysbysydd"),
    ("informant_qualification", "Qualification of informant", "Cymhwyster yr hysbysydd"),
]
FIELDS["stillbirth"] = STILLBIRTH_FIELDS

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


class _Sheet:
    """The pages being drawn, top to bottom: a new page (with the foot of the certificate on
    each) when the next block would reach the foot."""

    FOOT_TOP = 68 * mm

    def __init__(self, content: CertificateContent) -> None:
        self.content = content
        self.regular, self.bold = _fonts()
        self.buffer = io.BytesIO()
        self.page = canvas.Canvas(self.buffer, pagesize=A4, invariant=False)
        self.width, self.height = A4
        self.left, self.right = 20 * mm, self.width - 20 * mm
        self.y = self.height - 25 * mm

    def line(self, text: str, *, bold: bool = False, size: float = 10, gap: float = 5.5 * mm, x=None) -> None:
        self.page.setFont(self.bold if bold else self.regular, size)
        self.page.drawString(self.left if x is None else x, self.y, text)
        self.y -= gap

    def wrap(self, text: str, width: float, *, bold: bool = False, size: float = 10) -> list[str]:
        return simpleSplit(text, self.bold if bold else self.regular, size, width) or [""]

    def room_for(self, height: float) -> None:
        if self.y - height < self.FOOT_TOP:
            self.foot()
            self.page.showPage()
            self.y = self.height - 25 * mm

    def rule(self) -> None:
        self.page.line(self.left, self.y, self.right, self.y)
        self.y -= 7 * mm

    def foot(self) -> None:
        """The certification, serial, date of issue and the QR code, at the foot of each page."""
        content, page, left, right = self.content, self.page, self.left, self.right
        qr_size = 38 * mm
        qr_y = 22 * mm
        page.drawImage(ImageReader(io.BytesIO(qr_png(content.serial))), right - qr_size, qr_y, qr_size, qr_size)
        foot = qr_y + qr_size - 6 * mm
        certify = (
            "Copi dilys o gofnod yn y gofrestr ganolog. / "
            "Certified to be a true copy of an entry in the central register."
            if content.bilingual
            else "Certified to be a true copy of an entry in the central register."
        )
        serial_label = "Rhif cyfresol / Serial number" if content.bilingual else "Serial number"
        issued_label = "Dyddiad cyhoeddi / Date of issue" if content.bilingual else "Date of issue"
        check_label = "Gwirio / Check at" if content.bilingual else "Check this certificate at"
        page.setFont(self.regular, 8)
        page.drawString(left, foot + 6 * mm, certify)
        page.setFont(self.bold, 11)
        page.drawString(left, foot, f"{serial_label}: {content.serial}")
        page.setFont(self.regular, 10)
        page.drawString(left, foot - 6 * mm, f"{issued_label}: {_display(content.issued_at.date().isoformat())}")
        page.setFont(self.regular, 8)
        page.drawString(left, foot - 12 * mm, f"{check_label}: {verification_url(content.serial)}")
        page.drawString(
            left,
            foot - 17 * mm,
            "Rhybudd: mae'n drosedd newid tystysgrif. / Warning: it is an offence to falsify a certificate."
            if content.bilingual
            else "Warning: it is an offence to falsify a certificate or to use a falsified one.",
        )

    def finish(self) -> bytes:
        self.foot()
        self.page.showPage()
        self.page.save()
        return self.buffer.getvalue()


def render_certificate(content: CertificateContent) -> bytes:
    """An unsigned PDF; `signing.sign_pdf()` signs it."""
    sheet = _Sheet(content)
    english_title, welsh_title = TITLES[content.kind]
    sheet.page.setTitle(f"{english_title} {content.serial}")
    sheet.page.setAuthor(str(settings.SERVICE_NAME))
    sheet.page.setSubject(f"{content.entry_reference}")
    sheet.page.setKeywords(f"{SERIAL_KEYWORD}{content.serial}")

    if content.bilingual:
        sheet.line(welsh_title, bold=True, size=16, gap=7 * mm)
        sheet.line(english_title, bold=True, size=14, gap=8 * mm)
    else:
        sheet.line(english_title, bold=True, size=16, gap=8 * mm)
    district = content.district_name
    if content.bilingual and content.district_welsh_name:
        district = f"{content.district_welsh_name} / {content.district_name}"
    label_district = "Ardal gofrestru / Registration district" if content.bilingual else "Registration district"
    label_entry = "Rhif y cofnod / Entry" if content.bilingual else "Entry"
    label_registered = "Cofrestrwyd / Registered" if content.bilingual else "Registered"
    sheet.line(f"{label_district}: {district}")
    sheet.line(f"{label_entry}: {content.entry_reference}")
    sheet.line(f"{label_registered}: {_display(content.registered_on.isoformat())}", gap=4 * mm)
    sheet.rule()

    if content.kind in PARTNERSHIP_KINDS:
        _draw_partnership(sheet, content)
    else:
        _draw_fields(sheet, content)
    _draw_corrections(sheet, content)
    return sheet.finish()


def _draw_fields(sheet: _Sheet, content: CertificateContent) -> None:
    corrected_fields = {correction.field for correction in content.corrections}
    for key, english, welsh in FIELDS[content.kind]:
        if key not in content.particulars:
            continue
        label = f"{welsh} / {english}" if content.bilingual else english
        marker = " *" if key in corrected_fields else ""
        # Long particulars (a cause of death, a coroner's statement) wrap within the margins.
        lines = sheet.wrap(_display(content.particulars.get(key)), sheet.right - sheet.left, bold=True, size=11)
        sheet.room_for((4.2 + 5.2 * len(lines) + 1.3) * mm)
        sheet.line(label + marker, size=8.5, gap=4.2 * mm)
        for index, text in enumerate(lines):
            sheet.line(text, bold=True, size=11, gap=6.5 * mm if index == len(lines) - 1 else 5.2 * mm)


def _labelled(sheet: _Sheet, label: str, values: list[str], *, bold: bool = True) -> None:
    """A label above its value lines, wrapped to the page."""
    lines = [wrapped for value in values for wrapped in sheet.wrap(value, sheet.right - sheet.left, bold=bold)]
    sheet.room_for((4.2 + 5 * len(lines) + 1.5) * mm)
    sheet.line(label, size=8.5, gap=4.2 * mm)
    for text in lines:
        sheet.line(text, bold=bold, size=10.5, gap=5 * mm)
    sheet.y -= 1.5 * mm


def _draw_partnership(sheet: _Sheet, content: CertificateContent) -> None:
    """When and where, both parties side by side, the officiants and witnesses, and for a marriage
    converted from a civil partnership, where it came from."""
    particulars, bilingual = content.particulars, content.bilingual
    corrected = {correction.field for correction in content.corrections}
    date_label, place_label = CEREMONY_LABELS[content.kind]
    date_key = "date_of_marriage" if content.kind == "marriage" else "date_of_formation"
    place_key = "place_of_marriage" if content.kind == "marriage" else "place_of_formation"
    mark = {key: " *" if key in corrected else "" for key in (date_key, place_key, "form")}
    _labelled(
        sheet,
        _words(date_label, bilingual) + mark[date_key],
        [_display(particulars.get(date_key), bilingual=bilingual)],
    )
    _labelled(sheet, _words(place_label, bilingual) + mark[place_key], [_display(particulars.get(place_key))])
    form = particulars.get("form")
    if form:
        _labelled(
            sheet,
            _words(("Form of ceremony", "Math o seremoni"), bilingual) + mark["form"],
            [_words(FORMS[form], bilingual) if form in FORMS else str(form)],
        )

    # The parties: a label column and one column each.
    label_width = 40 * mm
    column = (sheet.right - sheet.left - label_width) / 2
    columns = (sheet.left + label_width, sheet.left + label_width + column)
    sheet.room_for(14 * mm)
    sheet.y -= 1 * mm
    for x, heading in zip(columns, PARTY_HEADINGS, strict=True):
        sheet.page.setFont(sheet.bold, 9.5)
        sheet.page.drawString(x, sheet.y, _words(heading, bilingual))
    sheet.y -= 2 * mm
    sheet.page.line(sheet.left, sheet.y, sheet.right, sheet.y)
    sheet.y -= 4.5 * mm
    size, leading = 9.5, 4.3 * mm
    for what, english, welsh in PARTY_ROWS:
        values = [_party_value(particulars, position, what, bilingual) for position in (1, 2)]
        if not any(values):
            continue  # a historic entry without this particular
        fields = ("forenames", "surname") if what == "name" else (what,)
        marked = any(f"party{position}_{name}" in corrected for position in (1, 2) for name in fields)
        label_lines = sheet.wrap(
            _words((english, welsh), bilingual) + (" *" if marked else ""), label_width - 3 * mm, size=8
        )
        cells = [
            [
                wrapped
                for text in (value or ["—"])
                for wrapped in sheet.wrap(text, column - 3 * mm, bold=True, size=size)
            ]
            for value in values
        ]
        height = max(len(label_lines) * 3.6 * mm, max(len(cell) for cell in cells) * leading)
        sheet.room_for(height + 3 * mm)
        top = sheet.y
        sheet.page.setFont(sheet.regular, 8)
        for index, text in enumerate(label_lines):
            sheet.page.drawString(sheet.left, top - index * 3.6 * mm, text)
        sheet.page.setFont(sheet.bold, size)
        for x, cell in zip(columns, cells, strict=True):
            for index, text in enumerate(cell):
                sheet.page.drawString(x, top - index * leading, text)
        sheet.y = top - height - 2.5 * mm
    sheet.page.line(sheet.left, sheet.y + 1 * mm, sheet.right, sheet.y + 1 * mm)
    sheet.y -= 5 * mm

    officiants = [_officiant(officiant) for officiant in particulars.get("officiants") or []]
    if officiants:
        lines = []
        for name, english, welsh in officiants:
            role = _words((english, welsh), bilingual) if (bilingual and welsh) else english
            lines.append(f"{name}, {role}" if role else name)
        label = "Gweinyddwyr / Officiants" if bilingual else "Officiants"
        _labelled(sheet, label, lines)
    witnesses = [
        str(witness.get("name", "")) if isinstance(witness, dict) else str(witness)
        for witness in particulars.get("witnesses") or []
    ]
    if witnesses:
        _labelled(sheet, "Tystion / Witnesses" if bilingual else "Witnesses", [", ".join(witnesses)])

    converted = particulars.get("converted_from")
    if isinstance(converted, dict):
        formed = converted.get("formed_on", "")
        english = (
            f"This marriage was converted from the civil partnership formed on {_display(formed)} "
            f"(entry {converted.get('entry', '')}) and is dated from that day."
        )
        if converted.get("declared_on"):
            english += f" The declaration of conversion was made on {_display(converted['declared_on'])}."
        lines = [english]
        if bilingual:
            welsh_formed = _display(formed, bilingual=True).split(" / ")[0]
            welsh = (
                f"Troswyd y briodas hon o'r bartneriaeth sifil a ffurfiwyd ar {welsh_formed} "
                f"(cofnod {converted.get('entry', '')}) ac mae wedi'i dyddio o'r diwrnod hwnnw."
            )
            if converted.get("declared_on"):
                declared = _display(converted["declared_on"], bilingual=True).split(" / ")[0]
                welsh += f" Gwnaed y datganiad trosi ar {declared}."
            lines = [welsh, english]
        _labelled(sheet, "Trosi / Conversion" if bilingual else "Conversion", lines, bold=False)


def _draw_corrections(sheet: _Sheet, content: CertificateContent) -> None:
    if not content.corrections:
        return
    sheet.room_for(12 * mm)
    sheet.y -= 2 * mm
    heading = "Cywiriadau / Corrections" if content.bilingual else "Corrections"
    sheet.line(heading, bold=True, size=11, gap=5.5 * mm)
    for correction in content.corrections:
        text = (
            f"* {correction_label(content.kind, correction.field, content.bilingual)}: "
            f"“{correction.old_value}” corrected to “{correction.new_value}” "
            f"on {_display(correction.corrected_on.isoformat())}"
        )
        for wrapped in sheet.wrap(text, sheet.right - sheet.left, size=8.5):
            sheet.room_for(5 * mm)
            sheet.line(wrapped, size=8.5, gap=4.5 * mm)
