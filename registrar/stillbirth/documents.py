"""The two certificates the parents receive when a stillbirth is registered, as signed PDFs in the
green form's layout: the certificate of registration of still-birth, and the certificate for
burial or cremation (which the burial authority or crematorium needs before the funeral, and can
check at /verify/). In Welsh then English for an entry in Wales, in English in England."""

from __future__ import annotations

from reportlab.lib.colors import HexColor

from ..green_form import ACT, Pair, day, district_names, issue, one_page_pdf, particular, same
from ..models import Registration
from ..register import UK, current_particulars

# A quiet blue for the certificate of registration; the disposal certificate keeps the green.
BLUE = HexColor("#1d70b8")
REGISTERED = (
    "I certify that the still-birth described above has been registered.",
    "Tystiaf fod y farw-enedigaeth a ddisgrifir uchod wedi'i chofrestru.",
)


def _full_name(particulars: dict, who: str) -> str:
    return " ".join(str(particulars.get(f"{who}_{key}") or "") for key in ("forenames", "surname")).strip()


def _common_rows(registration: Registration) -> list[tuple[Pair, Pair]]:
    entry = registration.entry
    particulars = current_particulars(entry)
    baby = _full_name(particulars, "child")
    father = _full_name(particulars, "father")
    rows = [
        (("Register entry", "Cofnod yn y gofrestr"), same(entry.entry_reference)),
        (("Registration district", "Ardal gofrestru"), district_names(entry.district)),
        (("Name of the baby", "Enw'r baban"), same(baby) if baby else ("Not named", "Heb ei enwi")),
        (("Sex", "Rhyw"), particular("stillbirth", "sex", particulars.get("sex"))),
        (
            ("Date of birth", "Dyddiad geni"),
            particular("stillbirth", "date_of_delivery", particulars.get("date_of_delivery")),
        ),
        (("Place of birth", "Man geni"), same(particulars.get("place_of_birth"))),
        (("Mother", "Mam"), same(_full_name(particulars, "mother"))),
    ]
    if father:
        rows.append((("Father or second parent", "Tad neu ail riant"), same(father)))
    rows.append((("Registered on", "Cofrestrwyd ar"), day(entry.registered_at.astimezone(UK).date())))
    return rows


def certificate_of_registration_pdf(registration: Registration) -> bytes:
    entry = registration.entry
    rows = _common_rows(registration)

    def render(stamp) -> bytes:
        return one_page_pdf(
            title=("Certificate of registration of still-birth", "Tystysgrif cofrestru marw-enedigaeth"),
            subtitle=(
                f"Issued to the parents on registration of the still-birth ({ACT[0]})",
                f"Rhoddwyd i'r rhieni ar gofrestru'r farw-enedigaeth ({ACT[1]})",
            ),
            pdf_title=f"Certificate of registration of still-birth {entry.entry_reference}",
            rows=rows,
            notes=[
                REGISTERED,
                (
                    "Still-birth entries are not in the public index. Certified copies are issued only to the "
                    "parents and by the register office.",
                    "Nid yw cofnodion marw-enedigaethau yn y mynegai cyhoeddus. Dim ond i'r rhieni, a chan y "
                    "swyddfa gofrestru, y rhoddir copïau dilys.",
                ),
            ],
            stamp=stamp,
            district=district_names(entry.district),
            bilingual=entry.district.in_wales,
            colour=BLUE,
        )

    return issue(registration, "stillbirth_registration", render)


def burial_or_cremation_pdf(registration: Registration) -> bytes:
    entry = registration.entry
    rows = _common_rows(registration)

    def render(stamp) -> bytes:
        return one_page_pdf(
            title=("Certificate for burial or cremation", "Tystysgrif ar gyfer claddu neu amlosgi"),
            subtitle=(
                f"Issued after registration of the still-birth ({ACT[0]})",
                f"Rhoddwyd ar ôl cofrestru'r farw-enedigaeth ({ACT[1]})",
            ),
            pdf_title=f"Certificate for burial or cremation (still-birth) {entry.entry_reference}",
            rows=rows,
            notes=[
                REGISTERED,
                (
                    "Give this certificate to the burial authority, the crematorium or the hospital arranging the "
                    "funeral before the funeral.",
                    "Rhowch y dystysgrif hon i'r awdurdod claddu, yr amlosgfa neu'r ysbyty sy'n trefnu'r angladd "
                    "cyn yr angladd.",
                ),
            ],
            stamp=stamp,
            district=district_names(entry.district),
            bilingual=entry.district.in_wales,
        )

    return issue(registration, "stillbirth_burial_or_cremation", render)
