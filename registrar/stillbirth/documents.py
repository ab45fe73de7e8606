"""The two certificates the parents receive when a stillbirth is registered, as signed PDFs in the
green form's layout: the certificate of registration of still-birth, and the certificate for
burial or cremation (which the burial authority or crematorium needs before the funeral, and can
check at /verify/)."""

from __future__ import annotations

from reportlab.lib.colors import HexColor

from ..green_form import in_words, issue, one_page_pdf
from ..models import Registration
from ..register import UK, current_particulars

# A quiet blue for the certificate of registration; the disposal certificate keeps the green.
BLUE = HexColor("#1d70b8")
ACT = "Births and Deaths Registration Act 1953"


def _baby(particulars: dict) -> str:
    name = " ".join(str(particulars.get(key) or "") for key in ("child_forenames", "child_surname")).strip()
    return name or "Not named"


def _common_rows(registration: Registration) -> list[tuple[str, str]]:
    entry = registration.entry
    particulars = current_particulars(entry)
    mother = " ".join(str(particulars.get(key) or "") for key in ("mother_forenames", "mother_surname")).strip()
    father = " ".join(str(particulars.get(key) or "") for key in ("father_forenames", "father_surname")).strip()
    rows = [
        ("Register entry", entry.entry_reference),
        ("Registration district", entry.district.name),
        ("Name of the baby", _baby(particulars)),
        ("Sex", str(particulars.get("sex", "")).title()),
        ("Date of birth", in_words(particulars.get("date_of_delivery", ""))),
        ("Place of birth", particulars.get("place_of_birth", "")),
        ("Mother", mother),
    ]
    if father:
        rows.append(("Father or second parent", father))
    rows.append(("Registered on", in_words(entry.registered_at.astimezone(UK).date())))
    return rows


def certificate_of_registration_pdf(registration: Registration) -> bytes:
    entry = registration.entry
    rows = _common_rows(registration)

    def render(stamp) -> bytes:
        return one_page_pdf(
            title="Certificate of registration of still-birth",
            subtitle=f"Issued to the parents on registration of the still-birth ({ACT})",
            pdf_title=f"Certificate of registration of still-birth {entry.entry_reference}",
            rows=rows,
            notes=[
                "I certify that the still-birth described above has been registered.",
                "Still-birth entries are not in the public index. Certified copies are issued only to the parents "
                "and by the register office.",
            ],
            stamp=stamp,
            district=entry.district.name,
            colour=BLUE,
        )

    return issue(registration, "stillbirth_registration", render)


def burial_or_cremation_pdf(registration: Registration) -> bytes:
    entry = registration.entry
    rows = _common_rows(registration)

    def render(stamp) -> bytes:
        return one_page_pdf(
            title="Certificate for burial or cremation",
            subtitle=f"Issued after registration of the still-birth ({ACT})",
            pdf_title=f"Certificate for burial or cremation (still-birth) {entry.entry_reference}",
            rows=rows,
            notes=[
                "I certify that the still-birth described above has been registered.",
                "Give this certificate to the burial authority, the crematorium or the hospital arranging the "
                "funeral before the funeral.",
            ],
            stamp=stamp,
            district=entry.district.name,
        )

    return issue(registration, "stillbirth_burial_or_cremation", render)
