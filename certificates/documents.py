"""The certificate document: an A4 PDF (reportlab) laid out as the statutory form of a certified
copy of a register entry in England and Wales: the entry's numbered columns, as corrected, with
the corrections as marginal notes, the certification in the register's own words, the serial
number, issue date and a QR code (segno) pointing at the public verification page, on a security
background with a seal (core.security_print). Entries in Wales get a bilingual (Welsh and English)
certificate; the short birth certificate has the short form's few particulars."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import reportlab
import segno
from django.conf import settings
from django.urls import reverse
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from core.security_print import background, border, seal

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


# --- The form ------------------------------------------------------------------------------------------

# The tint of each register's forms, as the paper registers have theirs: the security background,
# the border, the seal and the rules of the boxes.
TINTS = {
    "full_birth": "#b5475a",
    "short_birth": "#b5475a",
    "stillbirth": "#6b5b95",
    "death": "#505a5f",
    "marriage": "#2e7d4f",
    "civil_partnership": "#1d6b8f",
}
EVENT_WORDS = {
    "full_birth": ("BIRTH", "GENEDIGAETH"),
    "short_birth": ("BIRTH", "GENEDIGAETH"),
    "stillbirth": ("STILL-BIRTH", "MARW-ENEDIGAETH"),
    "death": ("DEATH", "MARWOLAETH"),
    "marriage": ("MARRIAGE", "PRIODAS"),
    "civil_partnership": ("CIVIL PARTNERSHIP", "PARTNERIAETH SIFIL"),
}
SEXES = {"female": ("Female", "Benyw"), "male": ("Male", "Gwryw"), "indeterminate": ("Indeterminate", "Amhenodol")}
CERTIFY_COPY = (
    "Certified to be a true copy of an entry in a register in my custody.",
    "Tystiwyd ei fod yn gopi cywir o gofnod mewn cofrestr sydd yn fy ngofal.",
)
CERTIFY_SHORT = (
    "Certified to have been compiled from records in my custody.",
    "Tystiwyd iddi gael ei llunio o gofnodion sydd yn fy ngofal.",
)
INFORMANT_DECLARATION = (
    "I certify that the particulars entered above are true to the best of my knowledge and belief. "
    "Signature of informant",
    "Tystiaf fod y manylion uchod yn wir hyd eithaf fy ngwybodaeth a'm cred. Llofnod yr hysbysydd",
)
CAUTION = (
    "CAUTION: THERE ARE OFFENCES RELATING TO FALSIFYING OR ALTERING A CERTIFICATE AND USING OR POSSESSING A "
    "FALSE CERTIFICATE.",
    "RHYBUDD: MAE TROSEDDAU'N YMWNEUD Â FFUGIO NEU NEWID TYSTYSGRIF A DEFNYDDIO NEU FEDDU AR DYSTYSGRIF FFUG.",
)
NOT_IDENTITY = (
    "WARNING: A CERTIFICATE IS NOT EVIDENCE OF IDENTITY.",
    "RHYBUDD: NID YW TYSTYSGRIF YN DYSTIOLAETH O HUNANIAETH.",
)


@dataclass
class Box:
    """One column of the entry: its number on the form (none on the short certificate), its
    label in English and Welsh, its value as lines, and its share of the row's width."""

    number: str | None
    label: tuple[str, str]
    lines: list[str]
    share: float = 1.0
    corrected: bool = False
    # A box that only names what the boxes beside it hold (the parties' rows): no value line.
    label_only: bool = False
    # The particulars it shows, so that a correction of one names its box.
    keys: tuple[str, ...] = ()


@dataclass
class Section:
    """The boxes about one person or thing (CHILD, FATHER...), named down the left of the form."""

    name: tuple[str, str] | None
    rows: list[list[Box]]


def _name(particulars: dict, *keys: str) -> str:
    return " ".join(str(particulars.get(key) or "").strip() for key in keys).strip()


def _sex(value, bilingual: bool) -> str:
    pair = SEXES.get(str(value or "").strip().lower())
    if pair is None:
        return str(value or "")
    return _words(pair, bilingual)


def _joined(*parts) -> str:
    return ", ".join(str(part).strip() for part in parts if part not in (None, "") and str(part).strip())


def _paler(colour: Color, strength: float) -> Color:
    """`colour` mixed with white: solid, so a printer prints it as it shows."""
    return Color(*(1 - strength * (1 - part) for part in colour.rgb()))


class _Form:
    """The sheets being drawn: the security background, border and heading on each page, the
    sections of boxes, and the certification at the foot of each page."""

    MARGIN = 16 * mm
    FOOT_TOP = 80 * mm  # the certification, seal, serial and QR code sit below this

    def __init__(self, content: CertificateContent) -> None:
        self.content = content
        self.bilingual = content.bilingual
        self.regular, self.bold = _fonts()
        self.tint = HexColor(TINTS.get(content.kind, "#505a5f"))
        self.pale = _paler(self.tint, 0.38)
        self.wash = _paler(self.tint, 0.1)
        self.buffer = io.BytesIO()
        self.page = canvas.Canvas(self.buffer, pagesize=A4, invariant=False)
        self.width, self.height = A4
        self.left, self.right = self.MARGIN, self.width - self.MARGIN
        self.pages = 0
        self.y = 0.0
        self.start_page()

    def words(self, pair: tuple[str, str]) -> str:
        return _words(pair, self.bilingual)

    def wrap(self, text: str, width: float, *, bold: bool = False, size: float = 9) -> list[str]:
        return simpleSplit(text, self.bold if bold else self.regular, size, width) or [""]

    # The page: background, border and heading.
    def start_page(self) -> None:
        content, page = self.content, self.page
        self.pages += 1
        background(page, self.width, self.height, colour=self.pale, font=self.bold)
        border(page, self.width, self.height, colour=self.tint)
        english, welsh = TITLES[content.kind]
        top = self.height - 22 * mm
        page.setFillColor(self.tint)
        page.setFont(self.bold, 8)
        serial_label = "Rhif cyfresol / Serial number" if self.bilingual else "Serial number"
        page.drawRightString(self.right, top + 4 * mm, f"{serial_label} {content.serial}")
        page.setFillColorRGB(0.04, 0.05, 0.05)
        if self.bilingual:
            page.setFont(self.bold, 14)
            page.drawCentredString(self.width / 2, top - 3 * mm, welsh)
            page.setFont(self.bold, 12)
            page.drawCentredString(self.width / 2, top - 9 * mm, english)
            top -= 15 * mm
        else:
            page.setFont(self.bold, 15)
            page.drawCentredString(self.width / 2, top - 4 * mm, english)
            top -= 11 * mm
        self.y = self._where(top)
        if self.pages > 1:
            page.setFont(self.regular, 7.5)
            page.drawRightString(
                self.right,
                self.y + 2 * mm,
                self.words((f"Continued: page {self.pages}", f"Parhad: tudalen {self.pages}")),
            )

    def _where(self, top: float) -> float:
        """The entry's place in the register, above the boxes: the event and entry number, the
        registration district, sub-district and administrative area."""
        content, page = self.content, self.page
        event = EVENT_WORDS[content.kind]
        district = content.district_name
        if self.bilingual and content.district_welsh_name:
            district = f"{content.district_welsh_name} / {content.district_name}"
        cells = [
            (("Registration district", "Ardal gofrestru"), district),
            (("Sub-district", "Is-ardal"), content.sub_district or "—"),
            (("Administrative area", "Ardal weinyddol"), content.administrative_area or "—"),
        ]
        number = "—" if content.entry_number is None else str(content.entry_number)
        cells.append((("Entry No.", "Cofnod rhif"), f"{number}   ({content.entry_reference})"))
        page.setFont(self.bold, 11)
        page.setFillColor(self.tint)
        page.drawString(self.left, top, self.words(event))
        page.setFillColorRGB(0.04, 0.05, 0.05)
        y = top - 5.5 * mm
        for label, text in cells:
            page.setFont(self.regular, 7.5)
            page.drawString(self.left, y, self.words(label))
            page.setFont(self.bold, 9.5)
            page.drawString(self.left + (64 if self.bilingual else 40) * mm, y, text)
            y -= 4.6 * mm
        page.setStrokeColor(self.tint)
        page.setLineWidth(0.8)
        page.line(self.left, y + 1 * mm, self.right, y + 1 * mm)
        return y - 2 * mm

    # The boxes.
    STRIP = 7 * mm
    LABEL_SIZE, VALUE_SIZE = 6.8, 9.5
    LABEL_LEADING, VALUE_LEADING = 2.9 * mm, 4.1 * mm

    def _box_lines(self, box: Box, width: float) -> tuple[list[str], list[str]]:
        number = f"{box.number}. " if box.number else ""
        marker = " *" if box.corrected else ""
        label = []
        if any(box.label):
            size = 7.5 if box.label_only else self.LABEL_SIZE
            label = self.wrap(number + self.words(box.label) + marker, width - 3 * mm, size=size)
        if box.label_only:
            return label, []
        values = [
            line
            for text in (box.lines or (["—"] if label else []))
            for line in self.wrap(text, width - 3 * mm, bold=True, size=self.VALUE_SIZE)
        ]
        return label, values

    def _row_height(self, row: list[Box], width: float) -> float:
        heights = []
        for box in row:
            label, values = self._box_lines(box, width * box.share)
            heights.append(len(label) * self.LABEL_LEADING + len(values) * self.VALUE_LEADING + 3.2 * mm)
        return max(max(heights), 10 * mm)

    def section(self, section: Section) -> None:
        left = self.left + (self.STRIP if section.name else 0)
        width = self.right - left
        heights = [self._row_height(row, width) for row in section.rows]
        # A section is kept together on a page when it fits on one.
        if self.y - sum(heights) < self.FOOT_TOP and sum(heights) < self.height - self.FOOT_TOP - 60 * mm:
            self.new_page()
        top = self.y
        page = self.page
        for row, height in zip(section.rows, heights, strict=True):
            if self.y - height < self.FOOT_TOP:
                self._strip(section, top)
                self.new_page()
                top = self.y
            x = left
            for box in row:
                self._box(box, x, self.y, width * box.share, height)
                x += width * box.share
            self.y -= height
        self._strip(section, top)
        self.y -= 1.5 * mm
        page.setStrokeColor(self.tint)

    def _strip(self, section: Section, top: float) -> None:
        if not section.name or top - self.y < 1:
            return
        page = self.page
        page.saveState()
        page.setStrokeColor(self.tint)
        page.setFillColor(self.wash)
        page.setLineWidth(0.6)
        page.rect(self.left, self.y, self.STRIP, top - self.y, stroke=1, fill=1)
        page.setFillColor(self.tint)
        page.translate(self.left + self.STRIP / 2 + 1.1 * mm, (top + self.y) / 2)
        page.rotate(90)
        text = self.words(section.name)
        size = 7
        while size > 4 and simpleSplit(text, self.bold, size, top - self.y - 2 * mm) != [text]:
            size -= 0.5
        page.setFont(self.bold, size)
        page.drawCentredString(0, 0, text)
        page.restoreState()

    def _box(self, box: Box, x: float, top: float, width: float, height: float) -> None:
        page = self.page
        page.setStrokeColor(self.tint)
        page.setLineWidth(0.6)
        page.setFillColorRGB(1, 1, 1, alpha=0.55)
        page.rect(x, top - height, width, height, stroke=1, fill=1)
        label, values = self._box_lines(box, width)
        y = top - 2.9 * mm
        page.setFillColor(self.tint)
        page.setFont(self.regular, 7.5 if box.label_only else self.LABEL_SIZE)
        for line in label:
            page.drawString(x + 1.5 * mm, y, line)
            y -= self.LABEL_LEADING
        y -= 1.3 * mm
        page.setFillColorRGB(0.04, 0.05, 0.05)
        page.setFont(self.bold, self.VALUE_SIZE)
        for line in values:
            page.drawString(x + 1.5 * mm, y, line)
            y -= self.VALUE_LEADING

    def notes(self, heading: tuple[str, str], lines: list[str]) -> None:
        """Marginal notes (corrections) and the like: a heading and wrapped lines of text."""
        if not lines:
            return
        wrapped = [piece for line in lines for piece in self.wrap(line, self.right - self.left, size=8)]
        if self.y - (6 * mm + 3.8 * mm * min(len(wrapped), 3)) < self.FOOT_TOP:
            self.new_page()
        self.y -= 1.5 * mm
        self.page.setFillColorRGB(0.04, 0.05, 0.05)
        self.page.setFont(self.bold, 8.5)
        self.page.drawString(self.left, self.y, self.words(heading))
        self.y -= 4.5 * mm
        self.page.setFont(self.regular, 8)
        for line in wrapped:
            if self.y < self.FOOT_TOP + 2 * mm:
                self.new_page()
                self.page.setFont(self.regular, 8)
            self.page.drawString(self.left, self.y, line)
            self.y -= 3.8 * mm

    def new_page(self) -> None:
        self.foot()
        self.page.showPage()
        self.start_page()

    # The foot: certification, seal, serial, QR code and the cautions.
    def foot(self) -> None:
        content, page, left, right = self.content, self.page, self.left, self.right
        page.setStrokeColor(self.tint)
        page.setLineWidth(0.8)
        page.line(left, self.FOOT_TOP - 2 * mm, right, self.FOOT_TOP - 2 * mm)
        qr_size = 32 * mm
        qr_x, qr_y = right - qr_size, 27 * mm
        page.drawImage(ImageReader(io.BytesIO(qr_png(content.serial))), qr_x, qr_y, qr_size, qr_size)
        seal(
            page,
            left + 17 * mm,
            45 * mm,
            16 * mm,
            around=str(settings.SERVICE_NAME),
            below=content.district_name[:34],
            middle=["Copi dilys", "Certified copy"] if self.bilingual else ["Certified", "copy"],
            font=self.regular,
            bold=self.bold,
            colour=self.tint,
        )
        text_left = left + 38 * mm
        # The certification across the page, in the register's words; what it certifies below.
        y = self.FOOT_TOP - 6.5 * mm
        certify = CERTIFY_SHORT if content.kind == "short_birth" else CERTIFY_COPY
        page.setFillColorRGB(0.04, 0.05, 0.05)
        for text in [certify[1], certify[0]] if self.bilingual else [certify[0]]:
            for line in self.wrap(text, right - left, bold=True, size=9):
                page.setFont(self.bold, 9)
                page.drawString(left, y, line)
                y -= 4.2 * mm
        y -= 1 * mm
        district = content.district_name
        if self.bilingual and content.district_welsh_name:
            district = f"{content.district_welsh_name} / {content.district_name}"
        rows = [
            (("Given at", "Rhoddwyd yn"), district),
            (
                ("Signed for the superintendent registrar by", "Llofnodwyd dros yr uwch-gofrestrydd gan"),
                str(settings.SERVICE_NAME),
            ),
            (
                ("Date of issue", "Dyddiad cyhoeddi"),
                _display(content.issued_at.date().isoformat(), bilingual=self.bilingual),
            ),
            (("Serial number", "Rhif cyfresol"), content.serial),
        ]
        for label, value in rows:
            page.setFont(self.regular, 7)
            page.drawString(text_left, y, self.words(label))
            y -= 3.2 * mm
            page.setFont(self.bold, 9 if label[0] != "Serial number" else 10)
            page.drawString(text_left, y, value)
            y -= 4.1 * mm
        page.setFont(self.regular, 6.5)
        check = self.words(("Check this certificate at", "Gwiriwch y dystysgrif hon yn"))
        page.drawRightString(right, qr_y - 3 * mm, f"{check}: {verification_url(content.serial)}")
        y = 20.5 * mm
        for pair in (CAUTION, NOT_IDENTITY):
            for text in [pair[1], pair[0]] if self.bilingual else [pair[0]]:
                for line in self.wrap(text, right - left, bold=True, size=6):
                    page.setFont(self.bold, 6)
                    page.drawString(left, y, line)
                    y -= 2.5 * mm

    def finish(self) -> bytes:
        self.foot()
        self.page.showPage()
        self.page.save()
        return self.buffer.getvalue()


def _column_of(columns: dict[str, Box], content: CertificateContent, field: str) -> str:
    """A corrected particular by its column on the form ("2. Name and surname")."""
    box = columns.get(field)
    if box is None:
        return correction_label(content.kind, field, content.bilingual)
    number = f"{box.number}. " if box.number else ""
    return number + _words(box.label, content.bilingual)


def render_certificate(content: CertificateContent) -> bytes:
    """An unsigned PDF; `signing.sign_pdf()` signs it."""
    form = _Form(content)
    english_title, _welsh_title = TITLES[content.kind]
    form.page.setTitle(f"{english_title} {content.serial}")
    form.page.setAuthor(str(settings.SERVICE_NAME))
    form.page.setSubject(f"{content.entry_reference}")
    form.page.setKeywords(f"{SERIAL_KEYWORD}{content.serial}")
    corrected = {correction.field for correction in content.corrections}
    if content.kind in PARTNERSHIP_KINDS:
        sections = _partnership_sections(content, corrected)
    else:
        sections = SECTIONS[content.kind](content, corrected)
    columns = {key: box for section in sections for row in section.rows for box in row for key in box.keys}
    for section in sections:
        form.section(section)
    if content.kind in PARTNERSHIP_KINDS:
        _partnership_notes(form, content)
    form.notes(
        ("Marginal notes: corrections", "Nodiadau ymyl: cywiriadau"),
        [
            f"* {_column_of(columns, content, correction.field)}: "
            f"“{correction.old_value}” corrected to “{correction.new_value}” "
            f"on {_display(correction.corrected_on.isoformat())}"
            for correction in content.corrections
        ],
    )
    return form.finish()


# --- The columns of each register ------------------------------------------------------------------------


class _Entry:
    """The particulars of one entry, as the boxes want them."""

    def __init__(self, content: CertificateContent, corrected: set[str]) -> None:
        self.particulars = content.particulars
        self.bilingual = content.bilingual
        self.corrected = corrected
        self.content = content

    def words(self, pair: tuple[str, str]) -> str:
        return _words(pair, self.bilingual)

    def get(self, key: str) -> str:
        value = self.particulars.get(key)
        return "" if value in (None, "") else str(value)

    def day(self, key: str) -> str:
        value = self.get(key)
        return _display(value, bilingual=self.bilingual) if value else ""

    def box(self, number, label, keys: tuple[str, ...], text: str, share: float = 1.0) -> Box:
        return Box(
            number,
            label,
            [text] if text else [],
            share,
            corrected=any(key in self.corrected for key in keys),
            keys=keys,
        )

    def informant(self) -> str:
        return self.get("informant_name") or self.get("informant")

    def registered(self) -> str:
        return _display(self.content.registered_on.isoformat(), bilingual=self.bilingual)


def _parents(entry: _Entry, first: int) -> list[Section]:
    """The father's (or second parent's) and the mother's columns, numbered from `first`."""
    n = first
    return [
        Section(
            ("FATHER / PARENT", "TAD / RHIANT"),
            [
                [
                    entry.box(
                        str(n),
                        ("Name and surname", "Enw a chyfenw"),
                        ("father_forenames", "father_surname"),
                        _name(entry.particulars, "father_forenames", "father_surname"),
                        0.5,
                    ),
                    entry.box(
                        str(n + 1),
                        ("Place of birth", "Man geni"),
                        ("father_place_of_birth",),
                        entry.get("father_place_of_birth"),
                        0.5,
                    ),
                ],
                [
                    entry.box(
                        str(n + 2), ("Occupation", "Gwaith"), ("father_occupation",), entry.get("father_occupation")
                    )
                ],
            ],
        ),
        Section(
            ("MOTHER", "MAM"),
            [
                [
                    entry.box(
                        str(n + 3),
                        ("Name and surname", "Enw a chyfenw"),
                        ("mother_forenames", "mother_surname"),
                        _name(entry.particulars, "mother_forenames", "mother_surname"),
                        0.5,
                    ),
                    entry.box(
                        str(n + 4),
                        ("Place of birth", "Man geni"),
                        ("mother_place_of_birth",),
                        entry.get("mother_place_of_birth"),
                        0.5,
                    ),
                ],
                [
                    entry.box(
                        f"{n + 5}",
                        (
                            "(a) Maiden surname (b) Surname at marriage if different from maiden surname",
                            "(a) Cyfenw morwynol (b) Cyfenw adeg priodi os yw'n wahanol i'r cyfenw morwynol",
                        ),
                        ("mother_maiden_surname",),
                        entry.get("mother_maiden_surname"),
                        0.5,
                    ),
                    entry.box(
                        str(n + 6),
                        ("Occupation", "Gwaith"),
                        ("mother_occupation",),
                        entry.get("mother_occupation"),
                        0.5,
                    ),
                ],
                [
                    entry.box(
                        str(n + 7),
                        (
                            "Usual address (if different from place of child's birth)",
                            "Cyfeiriad arferol (os yw'n wahanol i fan geni'r plentyn)",
                        ),
                        ("mother_address",),
                        entry.get("mother_address"),
                    )
                ],
            ],
        ),
    ]


def _informant(entry: _Entry, first: int) -> Section:
    n = first
    return Section(
        ("INFORMANT", "HYSBYSYDD"),
        [
            [
                entry.box(
                    str(n),
                    ("Name and surname (if not the mother or father)", "Enw a chyfenw (os nad y fam neu'r tad)"),
                    ("informant_name", "informant"),
                    entry.informant(),
                    0.5,
                ),
                entry.box(
                    str(n + 1),
                    ("Qualification", "Cymhwyster"),
                    ("informant_qualification",),
                    entry.get("informant_qualification"),
                    0.5,
                ),
            ],
            [
                entry.box(
                    str(n + 2),
                    ("Usual address (if different from that above)", "Cyfeiriad arferol (os yw'n wahanol i'r uchod)"),
                    ("informant_address",),
                    entry.get("informant_address"),
                )
            ],
            [entry.box(str(n + 3), (INFORMANT_DECLARATION[0], INFORMANT_DECLARATION[1]), (), entry.informant())],
        ],
    )


def _registration(entry: _Entry, first: int, *, name_after: bool) -> Section:
    n = first
    row = [
        entry.box(str(n), ("Date of registration", "Dyddiad cofrestru"), (), entry.registered(), 0.5),
        entry.box(
            str(n + 1), ("Signature of registrar", "Llofnod y cofrestrydd"), (), entry.content.registrar_name, 0.5
        ),
    ]
    rows = [row]
    if name_after:
        rows.append(
            [
                entry.box(
                    str(n + 2),
                    ("Name given after registration, and surname", "Enw a roddwyd ar ôl cofrestru, a chyfenw"),
                    ("name_after_registration",),
                    entry.get("name_after_registration"),
                )
            ]
        )
    return Section(None, rows)


def _full_birth(content: CertificateContent, corrected: set[str]) -> list[Section]:
    entry = _Entry(content, corrected)
    when_where = _joined(entry.day("date_of_birth"), entry.get("time_of_birth"), entry.get("place_of_birth"))
    child = Section(
        ("CHILD", "PLENTYN"),
        [
            [
                entry.box(
                    "1",
                    ("Date and place of birth", "Dyddiad a man geni"),
                    ("date_of_birth", "time_of_birth", "place_of_birth"),
                    when_where,
                )
            ],
            [
                entry.box(
                    "2",
                    ("Name and surname", "Enw a chyfenw"),
                    ("child_forenames", "child_surname"),
                    _name(content.particulars, "child_forenames", "child_surname"),
                    0.7,
                ),
                entry.box("3", ("Sex", "Rhyw"), ("sex",), _sex(content.particulars.get("sex"), content.bilingual), 0.3),
            ],
        ],
    )
    return [child, *_parents(entry, 4), _informant(entry, 12), _registration(entry, 16, name_after=True)]


def _short_birth(content: CertificateContent, corrected: set[str]) -> list[Section]:
    """The short certificate: the child's particulars and where the birth was registered only."""
    entry = _Entry(content, corrected)
    return [
        Section(
            None,
            [
                [
                    entry.box(
                        None,
                        ("Name and surname", "Enw a chyfenw"),
                        ("child_forenames", "child_surname"),
                        _name(content.particulars, "child_forenames", "child_surname"),
                    )
                ],
                [
                    entry.box(
                        None, ("Sex", "Rhyw"), ("sex",), _sex(content.particulars.get("sex"), content.bilingual), 0.35
                    ),
                    entry.box(
                        None, ("Date of birth", "Dyddiad geni"), ("date_of_birth",), entry.day("date_of_birth"), 0.65
                    ),
                ],
                [entry.box(None, ("Place of birth", "Man geni"), ("place_of_birth",), entry.get("place_of_birth"))],
            ],
        )
    ]


def _death(content: CertificateContent, corrected: set[str]) -> list[Section]:
    entry = _Entry(content, corrected)
    p = content.particulars
    cause = [line for line in (entry.get("cause_of_death"),) if line]
    if entry.get("certified_by"):
        cause.append(f"{entry.words(('Certified by', 'Ardystiwyd gan'))} {entry.get('certified_by')}")
    if entry.get("inquest_conclusion"):
        cause.append(
            f"{entry.words(('Conclusion of the inquest:', 'Casgliad y cwest:'))} {entry.get('inquest_conclusion')}"
        )
    age = entry.get("age")
    born = _joined(entry.day("date_of_birth"), entry.get("place_of_birth"))
    if age and not entry.get("date_of_birth"):
        born = f"{entry.words(('Age', 'Oed'))} {age}"
    return [
        Section(
            None,
            [
                [
                    entry.box(
                        "1",
                        ("Date and place of death", "Dyddiad a man marw"),
                        ("date_of_death", "place_of_death"),
                        _joined(entry.day("date_of_death"), entry.get("place_of_death")),
                    )
                ],
                [
                    entry.box(
                        "2",
                        ("Name and surname", "Enw a chyfenw"),
                        ("deceased_forenames", "deceased_surname"),
                        _name(p, "deceased_forenames", "deceased_surname"),
                        0.7,
                    ),
                    entry.box("3", ("Sex", "Rhyw"), ("sex",), _sex(p.get("sex"), content.bilingual), 0.3),
                ],
                [
                    entry.box(
                        "4",
                        ("Maiden surname of a woman who has married", "Cyfenw morwynol menyw sydd wedi priodi"),
                        ("deceased_maiden_surname",),
                        entry.get("deceased_maiden_surname"),
                        0.5,
                    ),
                    entry.box(
                        "5",
                        ("Date and place of birth", "Dyddiad a man geni"),
                        ("date_of_birth", "place_of_birth", "age"),
                        born,
                        0.5,
                    ),
                ],
                [
                    entry.box(
                        "6",
                        ("Occupation and usual address", "Gwaith a chyfeiriad arferol"),
                        ("occupation", "usual_address"),
                        _joined(entry.get("occupation"), entry.get("usual_address")),
                    )
                ],
            ],
        ),
        Section(
            ("INFORMANT", "HYSBYSYDD"),
            [
                [
                    entry.box(
                        "7(a)",
                        ("Name and surname of informant", "Enw a chyfenw'r hysbysydd"),
                        ("informant_name", "informant"),
                        entry.informant(),
                        0.5,
                    ),
                    entry.box(
                        "7(b)",
                        ("Qualification", "Cymhwyster"),
                        ("informant_qualification",),
                        entry.get("informant_qualification"),
                        0.5,
                    ),
                ],
                [
                    entry.box(
                        "7(c)",
                        ("Usual address", "Cyfeiriad arferol"),
                        ("informant_address",),
                        entry.get("informant_address"),
                    )
                ],
                [entry.box("8", INFORMANT_DECLARATION, (), entry.informant())],
            ],
        ),
        Section(
            None,
            [
                [
                    Box(
                        "9",
                        ("Cause of death", "Achos marwolaeth"),
                        cause,
                        corrected=bool({"cause_of_death", "certified_by", "inquest_conclusion"} & corrected),
                    )
                ],
                [
                    entry.box("10", ("Date of registration", "Dyddiad cofrestru"), (), entry.registered(), 0.5),
                    entry.box(
                        "11", ("Signature of registrar", "Llofnod y cofrestrydd"), (), content.registrar_name, 0.5
                    ),
                ],
            ],
        ),
    ]


def _stillbirth(content: CertificateContent, corrected: set[str]) -> list[Section]:
    entry = _Entry(content, corrected)
    p = content.particulars
    cause = [line for line in (entry.get("cause_of_death"),) if line]
    if entry.get("weeks_of_pregnancy"):
        cause.append(
            f"{entry.words(('Weeks of pregnancy:', 'Wythnosau o feichiogrwydd:'))} {entry.get('weeks_of_pregnancy')}"
        )
    if entry.get("certified_by"):
        cause.append(f"{entry.words(('Certified by', 'Ardystiwyd gan'))} {entry.get('certified_by')}")
    name = _name(p, "child_forenames", "child_surname")
    child = Section(
        ("CHILD", "PLENTYN"),
        [
            [
                entry.box(
                    "1",
                    ("Date and place of birth", "Dyddiad a man geni"),
                    ("date_of_delivery", "time_of_delivery", "place_of_birth"),
                    _joined(entry.day("date_of_delivery"), entry.get("time_of_delivery"), entry.get("place_of_birth")),
                )
            ],
            [
                entry.box(
                    "2",
                    ("Name and surname (if given)", "Enw a chyfenw (os rhoddwyd)"),
                    ("child_forenames", "child_surname"),
                    name,
                    0.7,
                ),
                entry.box("3", ("Sex", "Rhyw"), ("sex",), _sex(p.get("sex"), content.bilingual), 0.3),
            ],
            [
                Box(
                    "4",
                    ("Cause of death and certifying practitioner", "Achos marwolaeth a'r ymarferydd a'i hardystiodd"),
                    cause,
                    corrected=bool({"cause_of_death", "certified_by", "weeks_of_pregnancy"} & corrected),
                )
            ],
        ],
    )
    return [child, *_parents(entry, 5), _informant(entry, 13), _registration(entry, 17, name_after=False)]


SECTIONS = {
    "full_birth": _full_birth,
    "short_birth": _short_birth,
    "death": _death,
    "stillbirth": _stillbirth,
}


def _partnership_sections(content: CertificateContent, corrected: set[str]) -> list[Section]:
    """When and where, then both parties side by side, column by column."""
    particulars, bilingual = content.particulars, content.bilingual
    date_label, place_label = CEREMONY_LABELS[content.kind]
    date_key = "date_of_marriage" if content.kind == "marriage" else "date_of_formation"
    place_key = "place_of_marriage" if content.kind == "marriage" else "place_of_formation"
    first = [
        Box(
            "1",
            date_label,
            [_display(particulars.get(date_key), bilingual=bilingual)],
            0.4,
            corrected=date_key in corrected,
        ),
    ]
    form = particulars.get("form")
    if form:
        first.append(
            Box(
                "2",
                ("Form of ceremony", "Math o seremoni"),
                [_words(FORMS[form], bilingual) if form in FORMS else str(form)],
                0.6,
                corrected="form" in corrected,
            )
        )
    else:
        first[0].share = 1.0
    rows = [
        first,
        [
            Box(
                "3",
                (place_label[0], place_label[1]),
                [_display(particulars.get(place_key))],
                corrected=place_key in corrected,
            )
        ],
    ]
    number = 4
    party_rows: list[list[Box]] = [
        [
            Box(None, ("", ""), [], 0.26),
            Box(None, ("", ""), [_words(PARTY_HEADINGS[0], bilingual)], 0.37),
            Box(None, ("", ""), [_words(PARTY_HEADINGS[1], bilingual)], 0.37),
        ]
    ]
    for what, english, welsh in PARTY_ROWS:
        values = [_party_value(particulars, position, what, bilingual) for position in (1, 2)]
        if not any(values):
            continue  # a historic entry without this particular
        fields = ("forenames", "surname") if what == "name" else (what,)
        marked = any(f"party{position}_{name}" in corrected for position in (1, 2) for name in fields)
        party_rows.append(
            [
                Box(str(number), (english, welsh), [], 0.26, corrected=marked, label_only=True),
                Box(None, ("", ""), values[0] or ["—"], 0.37),
                Box(None, ("", ""), values[1] or ["—"], 0.37),
            ]
        )
        number += 1
    return [Section(None, rows), Section(None, party_rows)]


def _partnership_notes(form: _Form, content: CertificateContent) -> None:
    """Who officiated, the witnesses, and for a marriage converted from a civil partnership,
    where it came from."""
    particulars, bilingual = content.particulars, content.bilingual
    officiants = [_officiant(officiant) for officiant in particulars.get("officiants") or []]
    rows: list[list[Box]] = []
    if officiants:
        lines = []
        for name, english, welsh in officiants:
            role = _words((english, welsh), bilingual) if (bilingual and welsh) else english
            lines.append(f"{name}, {role}" if role else name)
        rows.append([Box(None, ("Officiants", "Gweinyddwyr"), lines)])
    witnesses = [
        str(witness.get("name", "")) if isinstance(witness, dict) else str(witness)
        for witness in particulars.get("witnesses") or []
    ]
    if witnesses:
        rows.append([Box(None, ("Witnesses", "Tystion"), [", ".join(witnesses)])])
    if rows:
        form.section(Section(None, rows))
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
        form.notes(("Conversion", "Trosi"), lines)
