"""What makes issuing fast keeps the documents the same: the border's operators formatted once
per process are the border each certificate's tint draws (in a form every page draws, compressed
once), the QR code drawn without a PNG is the PNG's, pixel for pixel, and the room for the
signature is measured once per key instead of by a trial signature before every one."""

from __future__ import annotations

import datetime
import io
import math

from PIL import Image
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.signers.pdf_signer import PdfSigningSession
from reportlab import rl_config
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from certificates import signing
from certificates.documents import CertificateContent, form, render_certificate
from certificates.documents.content import qr_image, qr_png
from certificates.documents.form import TINTS
from core import security_print
from core.security_print import border


def _content(kind: str) -> CertificateContent:
    return CertificateContent(
        serial="QUEUE0000001",
        kind=kind,
        bilingual=False,
        entry_reference="LDS/1950/B/1",
        district_name="Leeds",
        district_welsh_name="",
        registered_on=datetime.date(1950, 4, 1),
        particulars={"child_forenames": "Ada", "child_surname": "Smith", "sex": "Female"},
        corrections=[],
        issued_at=datetime.datetime(2026, 12, 2, 9, tzinfo=datetime.UTC),
        entry_number=1,
        sub_district="Leeds",
        administrative_area="West Yorkshire",
        registrar_name="R Registrar",
    )


def _page_operators(pdf: bytes) -> str:
    """What the first page draws: its own content and that of the forms it draws."""
    page = PdfFileReader(io.BytesIO(pdf)).root["/Pages"]["/Kids"][0]
    contents = page["/Contents"]
    streams = contents if isinstance(contents, list) else [contents]
    forms = [
        xobject.get_object()
        for xobject in page["/Resources"].get("/XObject", {}).values()
        if xobject.get_object().get("/Subtype") == "/Form"
    ]
    return b"".join([stream.get_object().data for stream in streams] + [form.data for form in forms]).decode("latin-1")


def _border_drawn_directly(colour: str) -> str:
    page = canvas.Canvas(io.BytesIO(), pagesize=A4)
    border(page, *A4, colour=HexColor(colour))
    return "\n".join(page._code)


def test_each_certificate_carries_the_border_of_its_own_tint():
    birth, death = (_page_operators(render_certificate(_content(kind))) for kind in ("full_birth", "death"))
    assert TINTS["full_birth"] != TINTS["death"]
    assert _border_drawn_directly(TINTS["full_birth"]) in birth
    assert _border_drawn_directly(TINTS["death"]) in death
    assert _border_drawn_directly(TINTS["full_birth"]) not in death


def test_the_border_is_compressed_once_for_every_copy_of_its_tint():
    form._compressed.cache_clear()
    for _ in range(3):
        pdf = render_certificate(_content("death"))
    assert form._compressed.cache_info().misses == 1
    assert _border_drawn_directly(TINTS["death"]) in _page_operators(pdf)


def test_the_qr_code_is_the_png_s_pixel_for_pixel():
    serial = "K7QH-3MZP-W2XA-9RTC"
    drawn = qr_image(serial)
    assert drawn.mode == "L"
    assert Image.open(io.BytesIO(qr_png(serial))).convert("L").tobytes() == drawn.tobytes()
    assert qr_image("AAAA-BBBB-CCCC-DDDD").tobytes() != drawn.tobytes()


def test_certificate_streams_are_compressed_without_ascii85():
    pdf = render_certificate(_content("full_birth"))
    assert b"/ASCII85Decode" not in pdf and b"/FlateDecode" in pdf
    operators = _page_operators(pdf)  # still read back, decompressed, by pyHanko's reader
    assert " Tj" in operators and " l\n" in operators  # the text and the lines are there


def test_a_signature_needs_no_trial_signature_and_still_verifies(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a trial signature was built to estimate the signature's size")

    monkeypatch.setattr(PdfSigningSession, "estimate_signature_container_size", refuse)
    monkeypatch.setattr(signing, "_loaded_signer", None)
    signed = [signing.sign_pdf(render_certificate(_content("death")), reason="r", location="l") for _ in range(2)]
    assert all(signing.check_signature(pdf).ok for pdf in signed)


def test_other_documents_keep_reportlab_s_own_stream_encoding():
    before = rl_config.useA85
    render_certificate(_content("death"))
    assert rl_config.useA85 == before


def _hatch_drawn_line_by_line(width: float, height: float, *, gap: float, slope: int) -> str:
    """The background's hatching as it was drawn before it was formatted once: segment by segment."""
    page = canvas.Canvas(io.BytesIO(), pagesize=A4)
    path = page.beginPath()
    offset = -height
    while offset < width + height:
        if slope > 0:
            path.moveTo(offset, 0)
            path.lineTo(offset + height, height)
        else:
            path.moveTo(offset, height)
            path.lineTo(offset + height, 0)
        offset += gap * math.sqrt(2)
    page.drawPath(path, stroke=1, fill=0)
    return "\n".join(page._code)


def test_the_background_hatching_is_formatted_once_and_draws_the_same_lines():
    security_print._hatch_path.cache_clear()
    for _ in range(3):
        pdf = render_certificate(_content("death"))
    assert security_print._hatch_path.cache_info().misses == 2  # the fine lines and the bold ones
    drawn = _page_operators(pdf)
    for gap, slope in ((security_print.FINE_GAP, 1), (security_print.BOLD_GAP, -1)):
        expected = _hatch_drawn_line_by_line(*A4, gap=gap, slope=slope)
        assert expected.count(" l ") > 100 and expected in drawn
