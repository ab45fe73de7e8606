"""The certificate drawn: the security background, border and heading of each page, the sections
of boxes, the certification in the register's words, the seal, serial and QR code."""

from __future__ import annotations

import contextlib
import functools
import io
import zlib
from collections.abc import Iterator

from django.conf import settings
from reportlab import rl_config
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase.pdfdoc import PDFStream, pdfdocEnc, xObjectName
from reportlab.pdfgen import canvas

from core.security_print import background, border, seal

from ..signing import SERIAL_KEYWORD
from .columns import SECTIONS, Box, Section, _partnership_sections
from .content import (
    PARTNERSHIP_KINDS,
    TITLES,
    CertificateContent,
    _display,
    _fonts,
    _officiant,
    _words,
    correction_label_pair,
    correction_notes,
    day_pair,
    qr_image,
    verification_url,
)


@contextlib.contextmanager
def _binary_streams() -> Iterator[None]:
    """A certificate's streams are left binary (zlib only), not also ASCII85-encoded: that only
    makes a PDF 7-bit safe for old mail systems, where ours is downloaded over HTTPS, and
    reportlab's encoder, in pure Python, took about 60 ms of each certificate's 150 ms of drawing.
    reportlab reads the choice from its global configuration while drawing and saving, so it is
    set for the certificate's drawing only and put back after (other documents keep theirs)."""
    previous = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = previous


@functools.cache
def _border_operators(width: float, height: float, colour: str) -> str:
    """The guilloche border's drawing operators for a page of this size and tint: the same on
    every certificate, and its ~6,000 points cost more to format than the rest of the page, so
    they are formatted once per process. Only paths, colours and line widths: nothing that names
    a font or another resource of the document it was first drawn for."""
    scratch = canvas.Canvas(io.BytesIO(), pagesize=(width, height))
    drawn_before = len(scratch._code)  # reportlab's list of the page's operators so far
    border(scratch, width, height, colour=HexColor(colour))
    return "\n".join(scratch._code[drawn_before:])


@functools.lru_cache(maxsize=8)  # one stream for each tint
def _compressed(stream: bytes) -> bytes:
    return zlib.compress(stream)


class _KeptFlate:
    """The PDF's zlib filter (FlateDecode) for the border's form, remembering what it made: the
    border is four fifths of a page's drawing, the same on every copy of a tint, and compressing
    it was a fifth of each certificate's drawing. Kept by the stream's own bytes, so a stream that
    differs in any way is compressed afresh."""

    pdfname = "FlateDecode"

    def encode(self, text: bytes) -> bytes:
        return _compressed(text)

    def decode(self, encoded: bytes) -> bytes:
        return zlib.decompress(encoded)


_KEPT_FLATE = _KeptFlate()


@functools.cache
def _border_stream(width: float, height: float, colour: str, preamble: str) -> bytes:
    """The border form's stream, encoded as reportlab encodes streams; one bytes object per tint,
    so that `_compressed` finds it by a hash already worked out."""
    return pdfdocEnc("\n".join([preamble, _border_operators(width, height, colour)]))


def _add_border_form(page: canvas.Canvas, width: float, height: float, colour: str) -> str:
    """The guilloche border as a form (a PDF XObject) that every page of the document draws, its
    stream compressed once per process (`_KeptFlate`). Its name, for `doForm`."""
    name = f"Border{colour.lstrip('#')}"
    page.beginForm(name)
    page.endForm()
    form = page._doc.idToObject[xObjectName(name)]
    form.compression = 0  # the filter below instead of reportlab's own
    form.Contents = PDFStream(content=_border_stream(width, height, colour, page._preamble), filters=[_KEPT_FLATE])
    form.Contents.__Comment__ = "xobject form stream"
    return name


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
CERTIFY_COPY = (
    "Certified to be a true copy of an entry in a register in my custody.",
    "Tystiwyd ei fod yn gopi cywir o gofnod mewn cofrestr sydd yn fy ngofal.",
)
CERTIFY_SHORT = (
    "Certified to have been compiled from records in my custody.",
    "Tystiwyd iddi gael ei llunio o gofnodion sydd yn fy ngofal.",
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
        self.tint_code = TINTS.get(content.kind, "#505a5f")
        self.tint = HexColor(self.tint_code)
        self.pale = _paler(self.tint, 0.38)
        self.wash = _paler(self.tint, 0.1)
        self.buffer = io.BytesIO()
        self.page = canvas.Canvas(self.buffer, pagesize=A4, invariant=False)
        self.width, self.height = A4
        self.left, self.right = self.MARGIN, self.width - self.MARGIN
        self.pages = 0
        self.y = 0.0
        self.border = _add_border_form(self.page, self.width, self.height, self.tint_code)
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
        page.doForm(self.border)
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
                self.y - 1 * mm,
                self.words((f"Continued: page {self.pages}", f"Parhad: tudalen {self.pages}")),
            )
            self.y -= 5 * mm

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
        page.drawImage(ImageReader(qr_image(content.serial)), qr_x, qr_y, qr_size, qr_size)
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
                _display(content.issued_at.date(), bilingual=self.bilingual),
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


def _column_of(columns: dict[str, Box], content: CertificateContent, field: str) -> tuple[str, str]:
    """A corrected particular by its column on the form ("2. Name and surname"), in English and
    Welsh."""
    box = columns.get(field)
    if box is None:
        return correction_label_pair(content.kind, field)
    number = f"{box.number}. " if box.number else ""
    return number + box.label[0], number + box.label[1]


def render_certificate(content: CertificateContent) -> bytes:
    """An unsigned PDF; `signing.sign_pdf()` signs it."""
    with _binary_streams():
        return _drawn(content)


def _drawn(content: CertificateContent) -> bytes:
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
            line
            for correction in content.corrections
            for line in correction_notes(
                content.kind, _column_of(columns, content, correction.field), correction, bilingual=content.bilingual
            )
        ],
    )
    return form.finish()


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
        formed = day_pair(converted.get("formed_on", ""))
        declared = day_pair(converted["declared_on"]) if converted.get("declared_on") else None
        english = (
            f"This marriage was converted from the civil partnership formed on {formed[0]} "
            f"(entry {converted.get('entry', '')}) and is dated from that day."
        )
        if declared:
            english += f" The declaration of conversion was made on {declared[0]}."
        lines = [english]
        if bilingual:
            welsh = (
                f"Troswyd y briodas hon o'r bartneriaeth sifil a ffurfiwyd ar {formed[1]} "
                f"(cofnod {converted.get('entry', '')}) ac mae wedi'i dyddio o'r diwrnod hwnnw."
            )
            if declared:
                welsh += f" Gwnaed y datganiad trosi ar {declared[1]}."
            lines = [welsh, english]
        form.notes(("Conversion", "Trosi"), lines)
