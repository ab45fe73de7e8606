"""The certificate for burial or cremation (the "green form") as a PDF, drawn with reportlab
from the register entry of a death, for the person arranging the funeral; and the one-page
layout it uses, which the stillbirth's certificates share. For an entry in Wales they are in
Welsh then English, as certified copies are; in England, in English. Each is signed and recorded
by the issuer named in REGISTRATION_DOCUMENT_ISSUER, so that a burial authority or crematorium
can check it at /verify/, and carries the serial and QR code to check it by."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Protocol

from django.conf import settings
from django.utils import translation
from django.utils.module_loading import import_string
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfgen import canvas

from core.dates import in_words
from core.security_print import background, border, seal

from .forms.death import FuneralForm
from .models import Registration
from .presentation import format_particular
from .register import UK, current_particulars

GREEN = HexColor("#00703c")
ACT = ("Births and Deaths Registration Act 1953", "Deddf Cofrestru Genedigaethau a Marwolaethau 1953")

# Words in English and Welsh; an entry in Wales prints both, Welsh first, one in England the first.
Pair = tuple[str, str]


class Stamp(Protocol):
    """What the issuer gives the drawing to print: see `certificates.registration_documents.Stamp`."""

    serial: str
    issued_at: object
    check_url: str
    qr_png: bytes
    keywords: str
    fonts: tuple[str, str]


def both_languages(words: Callable[[], Any]) -> Pair:
    """`words()` in English and in Welsh, whatever language the request or task runs in."""
    with translation.override("en"):
        english = str(words())
    with translation.override("cy"):
        welsh = str(words())
    return english, welsh


def particular(event: str, key: str, value: Any) -> Pair:
    """A particular of the entry as the staff and citizen pages write it (dates in words, sex),
    in English and Welsh."""
    return both_languages(lambda: format_particular(event, key, value))


def day(value: date | datetime | str | None) -> Pair:
    return both_languages(lambda: in_words(value))


def same(text: Any) -> Pair:
    """Text that reads the same in both languages: names, places, references."""
    text = "" if text is None else str(text)
    return text, text


def district_names(district) -> Pair:
    return district.name, district.welsh_name or district.name


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
    disposals = FuneralForm.base_fields["disposal"].choices
    disposal = funeral.get("disposal", "")
    name = f"{particulars.get('deceased_forenames', '')} {particulars.get('deceased_surname', '')}".strip()
    rows = [
        (("Register entry", "Cofnod yn y gofrestr"), same(entry.entry_reference)),
        (("Registration district", "Ardal gofrestru"), district_names(entry.district)),
        (("Name of the deceased", "Enw'r ymadawedig"), same(name)),
        (("Sex", "Rhyw"), particular("death", "sex", particulars.get("sex"))),
        (("Date of birth", "Dyddiad geni"), particular("death", "date_of_birth", particulars.get("date_of_birth"))),
        (("Date of death", "Dyddiad marw"), particular("death", "date_of_death", particulars.get("date_of_death"))),
        (("Place of death", "Man marw"), same(particulars.get("place_of_death"))),
        (("Age", "Oed"), same(particulars.get("age") or "")),
        (("Usual address", "Cyfeiriad arferol"), same(particulars.get("usual_address"))),
        (
            ("Burial or cremation", "Claddu neu amlosgi"),
            both_languages(lambda: dict(disposals).get(disposal, disposal)),
        ),
        (("Funeral arranged by", "Trefnir yr angladd gan"), same(funeral.get("arranger_name"))),
        (("Registered on", "Cofrestrwyd ar"), day(entry.registered_at.astimezone(UK).date())),
    ]
    reference = after.get("tell_us_once", "")
    valid_until = day(after.get("tell_us_once_expires", ""))
    notes = [
        (
            "I certify that the death of the person named above has been registered.",
            "Tystiaf fod marwolaeth y person a enwir uchod wedi'i chofrestru.",
        ),
        (
            "Give this certificate to the burial authority or the crematorium before the funeral.",
            "Rhowch y dystysgrif hon i'r awdurdod claddu neu'r amlosgfa cyn yr angladd.",
        ),
        (
            f"Tell Us Once reference: {reference} (valid until {valid_until[0]}).",
            f"Cyfeirnod Dweud Wrthym Unwaith: {reference} (yn ddilys tan {valid_until[1]}).",
        ),
    ]

    def render(stamp: Stamp) -> bytes:
        return one_page_pdf(
            title=("Certificate for burial or cremation", "Tystysgrif ar gyfer claddu neu amlosgi"),
            subtitle=(
                f"Issued after registration of the death ({ACT[0]})",
                f"Rhoddwyd ar ôl cofrestru'r farwolaeth ({ACT[1]})",
            ),
            pdf_title=f"Certificate for burial or cremation {entry.entry_reference}",
            rows=rows,
            notes=notes,
            stamp=stamp,
            district=district_names(entry.district),
            bilingual=entry.district.in_wales,
        )

    return issue(registration, "burial_or_cremation", render)


def _paler(colour: Color, strength: float) -> Color:
    return Color(*(1 - strength * (1 - part) for part in colour.rgb()))


def one_page_pdf(
    *,
    title: Pair,
    subtitle: Pair,
    pdf_title: str,
    rows: list[tuple[Pair, Pair]],
    notes: list[Pair],
    stamp: Stamp,
    district: Pair,
    bilingual: bool,
    colour=GREEN,
) -> bytes:
    """The layout of the certificates a registrar issues at registration (the green form, the
    stillbirth's certificates): a coloured band with the title, labelled rows, then notes; and at
    the foot the seal, the serial, the date of issue and the QR code to check it by, on the same
    security background as certified copies. Each text is a pair (English, Welsh): `bilingual`
    prints the Welsh first, then the English. Unsigned: `issue` signs it."""

    def words(pair: Pair) -> str:
        english, welsh = pair
        return f"{welsh} / {english}" if bilingual and welsh != english else english

    def both(pair: Pair) -> list[str]:
        return [pair[1], pair[0]] if bilingual else [pair[0]]

    regular, bold = stamp.fonts
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(f"{pdf_title} {stamp.serial}")
    pdf.setAuthor(str(settings.SERVICE_NAME))
    # The verification pages read the serial from here, as from a certified copy.
    pdf.setKeywords(stamp.keywords)
    width, height = A4
    background(pdf, width, height, colour=_paler(colour, 0.3), font=bold)
    border(pdf, width, height, colour=colour)
    left, right = 20 * mm, width - 20 * mm
    band = 30 * mm if bilingual else 24 * mm
    pdf.setFillColor(colour)
    pdf.rect(left - 2 * mm, height - 18 * mm - band, right - left + 4 * mm, band, stroke=0, fill=1)
    pdf.setFillColor(HexColor("#ffffff"))
    if bilingual:
        pdf.setFont(bold, 15)
        pdf.drawString(left, height - 26 * mm, title[1])
        pdf.setFont(bold, 12)
        pdf.drawString(left, height - 32.5 * mm, title[0])
        pdf.setFont(regular, 8.5)
        pdf.drawString(left, height - 39 * mm, subtitle[1])
        pdf.drawString(left, height - 43.5 * mm, subtitle[0])
    else:
        pdf.setFont(bold, 16)
        pdf.drawString(left, height - 28 * mm, title[0])
        pdf.setFont(regular, 10)
        pdf.drawString(left, height - 35 * mm, subtitle[0])
    pdf.setFillColor(HexColor("#0b0c0c"))
    y = height - 24 * mm - band
    leading = 4.5 * mm if bilingual else 5 * mm
    for label, value in rows:
        lines = simpleSplit(words(value), regular, 10, right - 75 * mm) or [""]
        labels = both(label)
        for number, text in enumerate(labels):
            pdf.setFont(bold if number == 0 else regular, 10 if number == 0 else 8.5)
            pdf.drawString(left, y - number * leading, text)
        pdf.setFont(regular, 10)
        for number, line in enumerate(lines):
            pdf.drawString(75 * mm, y - number * leading, line)
        y -= max(len(labels), len(lines)) * leading + (2.5 if bilingual else 3) * mm
    y -= 4 * mm
    size = 8.5 if bilingual else 9
    pdf.setFont(regular, size)
    for note in notes:
        for text in both(note):
            for line in simpleSplit(text, regular, size, right - left):
                pdf.drawString(left, y, line)
                y -= 4.5 * mm if bilingual else 5 * mm
        y -= 1 * mm

    qr_size = 34 * mm
    pdf.drawImage(ImageReader(io.BytesIO(stamp.qr_png)), right - qr_size, 22 * mm, qr_size, qr_size)
    seal(
        pdf,
        left + 17 * mm,
        40 * mm,
        16 * mm,
        around=str(settings.SERVICE_NAME),
        below=district[0][:34],
        middle=both(("Registered", "Cofrestrwyd")),
        font=regular,
        bold=bold,
        colour=colour,
    )
    text_left = left + 40 * mm
    pdf.setFillColor(HexColor("#0b0c0c"))
    pdf.setFont(regular, 8)
    pdf.drawString(text_left, 52 * mm, words(("Serial number", "Rhif cyfresol")))
    pdf.setFont(bold, 11)
    pdf.drawString(text_left, 47 * mm, stamp.serial)
    pdf.setFont(regular, 8)
    pdf.drawString(text_left, 40 * mm, words(("Date of issue", "Dyddiad cyhoeddi")))
    pdf.setFont(bold, 10)
    pdf.drawString(text_left, 35 * mm, words(day(stamp.issued_at.astimezone(UK).date())))
    pdf.setFont(regular, 7.5)
    check = both(
        (
            "Anyone can check this certificate, without signing in, at",
            "Gall unrhyw un wirio'r dystysgrif hon, heb fewngofnodi, yn",
        )
    )
    y = 30 * mm if bilingual else 28 * mm
    for line in [*check, stamp.check_url]:
        pdf.drawString(text_left, y, line)
        y -= 3.5 * mm
    pdf.setFont(bold, 6.5)
    caution = (
        "CAUTION: IT IS AN OFFENCE TO FALSIFY A CERTIFICATE OR TO USE OR POSSESS A FALSE ONE.",
        "RHYBUDD: MAE'N DROSEDD FFUGIO TYSTYSGRIF NEU DDEFNYDDIO NEU FEDDU AR UN FFUG.",
    )
    y = 15 * mm
    for line in both(caution):
        pdf.drawString(left, y, line)
        y -= 3 * mm
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
