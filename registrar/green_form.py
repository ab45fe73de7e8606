"""The certificate for burial or cremation (the "green form") as a PDF, drawn with reportlab
from the register entry of a death, for the person arranging the funeral; and the one-page
layout it uses, which the stillbirth's certificates share. Each is signed and recorded by the
issuer named in REGISTRATION_DOCUMENT_ISSUER, so that a burial authority or crematorium can
check it at /verify/, and carries the serial and QR code to check it by."""

from __future__ import annotations

import io
from datetime import date
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfgen import canvas

from core.security_print import background, border, seal

from .models import Registration
from .register import UK, current_particulars

GREEN = HexColor("#00703c")
ACT = "Births and Deaths Registration Act 1953"


class Stamp(Protocol):
    """What the issuer gives the drawing to print: see `certificates.registration_documents.Stamp`."""

    serial: str
    issued_at: object
    check_url: str
    qr_png: bytes
    keywords: str


def in_words(value) -> str:
    """A date as the register writes it, 21 July 1938, from a date or its ISO text; anything else
    as it is."""
    if isinstance(value, date):
        day = value
    else:
        try:
            day = date.fromisoformat(str(value or ""))
        except ValueError:
            return str(value or "")
    return f"{day.day} {day:%B %Y}"


def issue(registration: Registration, kind: str, render) -> bytes:
    """The signed document of `kind` for this registration: made and recorded once by the issuer."""
    return import_string(settings.REGISTRATION_DOCUMENT_ISSUER)(registration=registration, kind=kind, render=render)


def green_form_pdf(registration: Registration) -> bytes:
    """One A4 page: the particulars a burial authority or crematorium needs, the entry that
    authorises disposal, and when it was issued; signed."""
    entry = registration.entry
    particulars = current_particulars(entry)
    after = registration.answers.get("_after_death", {})
    funeral = registration.answers.get("funeral", {})
    rows = [
        ("Register entry", entry.entry_reference),
        ("Registration district", entry.district.name),
        (
            "Name of the deceased",
            f"{particulars.get('deceased_forenames', '')} {particulars.get('deceased_surname', '')}",
        ),
        ("Sex", str(particulars.get("sex", "")).title()),
        ("Date of birth", in_words(particulars.get("date_of_birth", ""))),
        ("Date of death", in_words(particulars.get("date_of_death", ""))),
        ("Place of death", particulars.get("place_of_death", "")),
        ("Age", str(particulars.get("age", "") or "")),
        ("Usual address", particulars.get("usual_address", "")),
        ("Disposal", str(funeral.get("disposal", "")).title()),
        ("Funeral arranged by", funeral.get("arranger_name", "")),
        ("Registered on", in_words(entry.registered_at.astimezone(UK).date())),
    ]

    def render(stamp: Stamp) -> bytes:
        return one_page_pdf(
            title="Certificate for burial or cremation",
            subtitle=f"Issued after registration of the death ({ACT})",
            pdf_title=f"Certificate for burial or cremation {entry.entry_reference}",
            rows=rows,
            notes=[
                "I certify that the death of the person named above has been registered.",
                "Give this certificate to the burial authority or the crematorium before the funeral.",
                f"Tell Us Once reference: {after.get('tell_us_once', '')} "
                f"(valid until {in_words(after.get('tell_us_once_expires', ''))}).",
            ],
            stamp=stamp,
            district=entry.district.name,
        )

    return issue(registration, "burial_or_cremation", render)


def _paler(colour: Color, strength: float) -> Color:
    return Color(*(1 - strength * (1 - part) for part in colour.rgb()))


def one_page_pdf(
    *,
    title: str,
    subtitle: str,
    pdf_title: str,
    rows: list[tuple[str, str]],
    notes: list[str],
    stamp: Stamp,
    district: str,
    colour=GREEN,
) -> bytes:
    """The layout of the certificates a registrar issues at registration (the green form, the
    stillbirth's certificates): a coloured band with the title, labelled rows, then notes; and at
    the foot the seal, the serial, the date of issue and the QR code to check it by, on the same
    security background as certified copies. Unsigned: `issue` signs it."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(f"{pdf_title} {stamp.serial}")
    pdf.setAuthor(str(settings.SERVICE_NAME))
    # The verification pages read the serial from here, as from a certified copy.
    pdf.setKeywords(stamp.keywords)
    width, height = A4
    background(pdf, width, height, colour=_paler(colour, 0.3), font="Helvetica-Bold")
    border(pdf, width, height, colour=colour)
    left, right = 20 * mm, width - 20 * mm
    pdf.setFillColor(colour)
    pdf.rect(left - 2 * mm, height - 42 * mm, right - left + 4 * mm, 24 * mm, stroke=0, fill=1)
    pdf.setFillColor(HexColor("#ffffff"))
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(left, height - 28 * mm, title)
    pdf.setFont("Helvetica", 10)
    pdf.drawString(left, height - 35 * mm, subtitle)
    pdf.setFillColor(HexColor("#0b0c0c"))
    y = height - 54 * mm
    for label, text in rows:
        lines = simpleSplit(str(text), "Helvetica", 10, right - 75 * mm) or [""]
        pdf.setFont("Helvetica-Bold", 10)
        pdf.drawString(left, y, label)
        pdf.setFont("Helvetica", 10)
        for line in lines:
            pdf.drawString(75 * mm, y, line)
            y -= 5 * mm
        y -= 3 * mm
    y -= 4 * mm
    pdf.setFont("Helvetica", 9)
    for note in notes:
        for line in simpleSplit(note, "Helvetica", 9, right - left):
            pdf.drawString(left, y, line)
            y -= 5 * mm
        y -= 1 * mm

    qr_size = 34 * mm
    pdf.drawImage(ImageReader(io.BytesIO(stamp.qr_png)), right - qr_size, 22 * mm, qr_size, qr_size)
    seal(
        pdf,
        left + 17 * mm,
        40 * mm,
        16 * mm,
        around=str(settings.SERVICE_NAME),
        below=district[:34],
        middle=["Registered"],
        font="Helvetica",
        bold="Helvetica-Bold",
        colour=colour,
    )
    text_left = left + 40 * mm
    pdf.setFillColor(HexColor("#0b0c0c"))
    pdf.setFont("Helvetica", 8)
    pdf.drawString(text_left, 52 * mm, "Serial number")
    pdf.setFont("Helvetica-Bold", 11)
    pdf.drawString(text_left, 47 * mm, stamp.serial)
    pdf.setFont("Helvetica", 8)
    pdf.drawString(text_left, 40 * mm, "Date of issue")
    pdf.setFont("Helvetica-Bold", 10)
    pdf.drawString(text_left, 35 * mm, in_words(stamp.issued_at.astimezone(UK).date()))
    pdf.setFont("Helvetica", 7.5)
    pdf.drawString(text_left, 28 * mm, "Anyone can check this certificate, without signing in,")
    pdf.drawString(text_left, 24.5 * mm, f"at {stamp.check_url}")
    pdf.setFont("Helvetica-Bold", 6.5)
    pdf.drawString(
        left, 15 * mm, "CAUTION: IT IS AN OFFENCE TO FALSIFY A CERTIFICATE OR TO USE OR POSSESS A FALSE ONE."
    )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
