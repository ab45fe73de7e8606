"""The certificate for burial or cremation (the "green form") as a PDF, drawn with reportlab
from the register entry of a death, for the person arranging the funeral; and the one-page
layout it uses, which the stillbirth's certificates share."""

from __future__ import annotations

from io import BytesIO

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from .models import Registration
from .register import UK, current_particulars

GREEN = HexColor("#00703c")


def green_form_pdf(registration: Registration) -> bytes:
    """One A4 page: the particulars a burial authority or crematorium needs, the entry that
    authorises disposal, and when it was issued."""
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
        ("Date of birth", particulars.get("date_of_birth", "")),
        ("Date of death", particulars.get("date_of_death", "")),
        ("Place of death", particulars.get("place_of_death", "")),
        ("Age", str(particulars.get("age", "") or "")),
        ("Usual address", particulars.get("usual_address", "")),
        ("Disposal", str(funeral.get("disposal", "")).title()),
        ("Funeral arranged by", funeral.get("arranger_name", "")),
        ("Registered on", entry.registered_at.astimezone(UK).strftime("%d %B %Y")),
    ]
    return one_page_pdf(
        title="Certificate for burial or cremation",
        subtitle="Issued after registration of the death (Births and Deaths Registration Act 1953)",
        pdf_title=f"Certificate for burial or cremation {entry.entry_reference}",
        rows=rows,
        notes=[
            "I certify that the death of the person named above has been registered.",
            "Give this certificate to the burial authority or the crematorium before the funeral.",
            f"Tell Us Once reference: {after.get('tell_us_once', '')} "
            f"(valid until {after.get('tell_us_once_expires', '')}).",
        ],
    )


def one_page_pdf(
    *, title: str, subtitle: str, pdf_title: str, rows: list[tuple[str, str]], notes: list[str], colour=GREEN
) -> bytes:
    """The layout of the certificates a registrar issues at registration (the green form, the
    stillbirth's certificates): a coloured band with the title, labelled rows, then notes."""
    buffer = BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(pdf_title)
    pdf.setAuthor("Registrar Online")
    width, height = A4
    pdf.setFillColor(colour)
    pdf.rect(0, height - 30 * mm, width, 30 * mm, stroke=0, fill=1)
    pdf.setFillColor(HexColor("#ffffff"))
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(20 * mm, height - 15 * mm, title)
    pdf.setFont("Helvetica", 10)
    pdf.drawString(20 * mm, height - 22 * mm, subtitle)
    pdf.setFillColor(HexColor("#0b0c0c"))
    y = height - 45 * mm
    for label, text in rows:
        pdf.setFont("Helvetica-Bold", 10)
        pdf.drawString(20 * mm, y, label)
        pdf.setFont("Helvetica", 10)
        pdf.drawString(75 * mm, y, str(text)[:90])
        y -= 8 * mm
    y -= 6 * mm
    pdf.setFont("Helvetica", 9)
    for line in notes:
        pdf.drawString(20 * mm, y, line)
        y -= 6 * mm
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
