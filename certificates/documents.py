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
from reportlab.lib.utils import ImageReader
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
        ("informant", "Informant", "Hysbysydd"),
    ],
    "marriage": [
        ("date_of_marriage", "Date of marriage", "Dyddiad priodi"),
        ("place_of_marriage", "Place of marriage", "Man priodi"),
        ("party1_forenames", "First party: forenames", "Parti cyntaf: enwau cyntaf"),
        ("party1_surname", "First party: surname", "Parti cyntaf: cyfenw"),
        ("party1_age", "First party: age", "Parti cyntaf: oed"),
        ("party1_occupation", "First party: occupation", "Parti cyntaf: gwaith"),
        ("party2_forenames", "Second party: forenames", "Ail barti: enwau cyntaf"),
        ("party2_surname", "Second party: surname", "Ail barti: cyfenw"),
        ("party2_age", "Second party: age", "Ail barti: oed"),
        ("party2_occupation", "Second party: occupation", "Ail barti: gwaith"),
    ],
}
FIELDS["civil_partnership"] = FIELDS["marriage"]

TITLES = {
    "full_birth": ("Certified copy of an entry of birth", "Copi dilys o gofnod geni"),
    "short_birth": ("Birth certificate (short)", "Tystysgrif geni (fer)"),
    "death": ("Certified copy of an entry of death", "Copi dilys o gofnod marwolaeth"),
    "marriage": ("Certified copy of an entry of marriage", "Copi dilys o gofnod priodas"),
    "civil_partnership": ("Certified copy of an entry of civil partnership", "Copi dilys o gofnod partneriaeth sifil"),
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


def _display(value) -> str:
    if value in (None, ""):
        return "—"
    text = str(value)
    try:
        return date.fromisoformat(text).strftime("%-d %B %Y")
    except ValueError:
        return text


def render_certificate(content: CertificateContent) -> bytes:
    """An unsigned PDF; `signing.sign_pdf()` signs it."""
    regular, bold = _fonts()
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=False)
    english_title, welsh_title = TITLES[content.kind]
    page.setTitle(f"{english_title} {content.serial}")
    page.setAuthor(str(settings.SERVICE_NAME))
    page.setSubject(f"{content.entry_reference}")
    page.setKeywords(f"{SERIAL_KEYWORD}{content.serial}")
    width, height = A4
    left, right = 20 * mm, width - 20 * mm
    y = height - 25 * mm

    def line(text: str, *, font: str = regular, size: float = 10, gap: float = 5.5 * mm, x: float = left) -> None:
        nonlocal y
        page.setFont(font, size)
        page.drawString(x, y, text)
        y -= gap

    if content.bilingual:
        line(welsh_title, font=bold, size=16, gap=7 * mm)
        line(english_title, font=bold, size=14, gap=8 * mm)
    else:
        line(english_title, font=bold, size=16, gap=8 * mm)
    district = content.district_name
    if content.bilingual and content.district_welsh_name:
        district = f"{content.district_welsh_name} / {content.district_name}"
    label_district = "Ardal gofrestru / Registration district" if content.bilingual else "Registration district"
    label_entry = "Rhif y cofnod / Entry" if content.bilingual else "Entry"
    label_registered = "Cofrestrwyd / Registered" if content.bilingual else "Registered"
    line(f"{label_district}: {district}")
    line(f"{label_entry}: {content.entry_reference}")
    line(f"{label_registered}: {_display(content.registered_on.isoformat())}", gap=4 * mm)
    page.line(left, y, right, y)
    y -= 7 * mm

    corrected_fields = {correction.field for correction in content.corrections}
    for key, english, welsh in FIELDS[content.kind]:
        if key not in content.particulars:
            continue
        label = f"{welsh} / {english}" if content.bilingual else english
        marker = " *" if key in corrected_fields else ""
        page.setFont(regular, 8.5)
        page.drawString(left, y, label + marker)
        y -= 4.2 * mm
        line(_display(content.particulars.get(key)), font=bold, size=11, gap=6.5 * mm)

    if content.corrections:
        y -= 2 * mm
        heading = "Cywiriadau / Corrections" if content.bilingual else "Corrections"
        line(heading, font=bold, size=11, gap=5.5 * mm)
        for correction in content.corrections:
            line(
                f"* {correction.field}: “{correction.old_value}” corrected to “{correction.new_value}” "
                f"on {_display(correction.corrected_on.isoformat())}",
                size=8.5,
                gap=4.5 * mm,
            )

    # Foot of the page: the certification, serial, date of issue and the QR code.
    qr_size = 38 * mm
    qr_y = 22 * mm
    page.drawImage(ImageReader(io.BytesIO(qr_png(content.serial))), right - qr_size, qr_y, qr_size, qr_size)
    foot = qr_y + qr_size - 6 * mm
    certify = (
        "Copi dilys o gofnod yn y gofrestr ganolog. / Certified to be a true copy of an entry in the central register."
        if content.bilingual
        else "Certified to be a true copy of an entry in the central register."
    )
    serial_label = "Rhif cyfresol / Serial number" if content.bilingual else "Serial number"
    issued_label = "Dyddiad cyhoeddi / Date of issue" if content.bilingual else "Date of issue"
    check_label = "Gwirio / Check at" if content.bilingual else "Check this certificate at"
    page.setFont(regular, 8)
    page.drawString(left, foot + 6 * mm, certify)
    page.setFont(bold, 11)
    page.drawString(left, foot, f"{serial_label}: {content.serial}")
    page.setFont(regular, 10)
    page.drawString(left, foot - 6 * mm, f"{issued_label}: {_display(content.issued_at.date().isoformat())}")
    page.setFont(regular, 8)
    page.drawString(left, foot - 12 * mm, f"{check_label}: {verification_url(content.serial)}")
    page.drawString(
        left,
        foot - 17 * mm,
        "Rhybudd: mae'n drosedd newid tystysgrif. / Warning: it is an offence to falsify a certificate."
        if content.bilingual
        else "Warning: it is an offence to falsify a certificate or to use a falsified one.",
    )
    page.showPage()
    page.save()
    return buffer.getvalue()
