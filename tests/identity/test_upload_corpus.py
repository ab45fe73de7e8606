"""A hostile-upload corpus, generated here (no file is committed): decompression bombs of each
format, lying headers, truncated and concatenated files, polyglots, oversized metadata, animated
and multi-frame files, unusual colour modes, odd names and lying content types. Each file is
either refused with a clear message or stored re-encoded without metadata, as one frame within
the size cap; through the service, the API and the page, never a 500, and a refused file keeps
the photo sent before it (DESIGN.md invariants 5 and 6)."""

from __future__ import annotations

import io
import struct
import threading
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageDraw

from identity import cases
from identity.models import EvidenceImage
from identity.refusals import UploadRejected
from identity.uploads import clean_image, decode_slot
from tests.factories import UserFactory, api_client, document_photo

DOCUMENT = EvidenceImage.Kind.IDENTITY_DOCUMENT
STORED = "stored"
# The words each refusal must show, on the page and in the API, so the person knows what to do.
WORDS = {
    "photo_not_an_image": "must be a JPG, PNG or WebP photo",
    "photo_too_many_pixels": "The photo is too large",
    "photo_damaged": "damaged or incomplete",
    "photo_animated": "a single photo, not an animation",
    "photo_too_big": "smaller than 10MB",
    "photo_too_small": "too small to read",
    "photo_empty": "The selected file is empty",
}


# --- Building blocks --------------------------------------------------------------------------


def _picture(size=(900, 700), mode="RGB") -> Image.Image:
    """A document-like picture: pale page, dark lines of 'text'."""
    image = Image.new("RGB", size, (225, 220, 205))
    draw = ImageDraw.Draw(image)
    for row in range(20, size[1] - 20, 24):
        for column in range(20, size[0] - 40, 80):
            draw.rectangle([column, row, column + 50, row + 10], fill=(30, 30, 40))
    return image if mode == "RGB" else image.convert(mode)


def _save(image: Image.Image, fmt: str, **options) -> bytes:
    output = io.BytesIO()
    image.save(output, format=fmt, **options)
    return output.getvalue()


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def _png(width: int, height: int, bit_depth: int, colour: int, rows: bytes, *extra: bytes, interlace=0) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour, 0, 0, interlace)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + b"".join(extra)
        + _chunk(b"IDAT", zlib.compress(rows, 9))
        + _chunk(b"IEND", b"")
    )


def _png_bomb(width: int, height: int) -> bytes:
    """A 1-bit PNG whose every row is white: a few kilobytes for tens of megapixels."""
    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    return _png(width, height, 1, 0, row * height)


def _png_claiming(width: int, height: int, interlace=0) -> bytes:
    """A PNG header claiming width x height over the rows of a 900x700 grey image."""
    return _png(width, height, 8, 0, (b"\x00" + b"\x80" * width) * 700, interlace=interlace)


def _png_interlaced(width: int, height: int) -> bytes:
    """An honest Adam7-interlaced grey PNG (Pillow writes none), its rows built pass by pass."""
    passes = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))
    rows = b""
    for x, y, dx, dy in passes:
        columns, count = (width - x + dx - 1) // dx, (height - y + dy - 1) // dy
        rows += bytes(b"\x00" + bytes((column * 7) % 256 for column in range(columns))) * count
    return _png(width, height, 8, 0, rows, interlace=1)


def _png_with_chunks(*chunks: bytes) -> bytes:
    png = _save(_picture(), "PNG")
    at = png.index(b"IDAT") - 4
    return png[:at] + b"".join(chunks) + png[at:]


def _text_chunk(kind: bytes, inflated_size: int, keyword: bytes = b"Comment") -> bytes:
    body = zlib.compress(b"A" * inflated_size, 9)
    if kind == b"iTXt":
        return _chunk(b"iTXt", keyword + b"\0\x01\x00\0\0" + body)
    return _chunk(kind, keyword + b"\0\0" + body)


def _jpeg_claiming(width: int, height: int, data_size=(900, 700), progressive=False) -> bytes:
    """A real JPEG of `data_size` whose frame header is rewritten to claim width x height."""
    jpeg = bytearray(_save(_picture(data_size), "JPEG", quality=85, progressive=progressive))
    at = jpeg.index(b"\xff\xc2" if progressive else b"\xff\xc0")
    jpeg[at + 5 : at + 9] = struct.pack(">HH", height, width)
    return bytes(jpeg)


def _jpeg_segment(marker: int, payload: bytes) -> bytes:
    return struct.pack(">BBH", 0xFF, marker, len(payload) + 2) + payload


def _jpeg_with_segments(*segments: bytes) -> bytes:
    jpeg = _save(_picture(), "JPEG", quality=85)
    return jpeg[:2] + b"".join(segments) + jpeg[2:]


def _webp_claiming(width: int, height: int) -> bytes:
    """An extended (VP8X) WebP whose canvas is rewritten to width x height over a 900x700 frame."""
    webp = bytearray(_save(_picture(), "WEBP", exif=b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x00"))
    at = webp.index(b"VP8X") + 8
    webp[at + 4 : at + 10] = (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    return bytes(webp)


def _webp_lossless_claiming(width: int, height: int) -> bytes:
    """A small lossless WebP whose bitstream header is rewritten to claim width x height."""
    webp = bytearray(_save(_picture((64, 64)), "WEBP", lossless=True))
    at = webp.index(b"VP8L") + 9
    bits = int.from_bytes(webp[at : at + 4], "little") & ~((1 << 28) - 1)
    webp[at : at + 4] = (bits | (width - 1) | ((height - 1) << 14)).to_bytes(4, "little")
    return bytes(webp)


def _zip(name: str, content: bytes) -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr(name, content)
    return archive.getvalue()


def _frames(fmt: str, count: int = 3, **options) -> bytes:
    frames = [_picture().point(lambda value, shift=index: (value + 40 * shift) % 256) for index in range(count)]
    return _save(frames[0], fmt, save_all=True, append_images=frames[1:], **options)


def _exif(**tags) -> bytes:
    exif = Image.Exif()
    exif[0x0131] = "Adobe Photoshop 25.0"
    exif[0x010E] = tags.get("description", "secret description")
    exif.get_ifd(0x8825)[2] = (51.0, 30.0, 0.0)
    return exif.tobytes()


XMP = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
    + b"<rdf:Description secret='xmp-secret'/>" * 2000
    + b"</x:xmpmeta>"
)


def _large_icc() -> bytes:
    """A 1 MB blob behind an ICC profile header: Pillow gathers it from 16 APP2 segments."""
    return b"\x00" * 1_000_000


def _jpeg_with_split_icc() -> bytes:
    profile = _large_icc()
    parts = [profile[index : index + 65_000] for index in range(0, len(profile), 65_000)]
    segments = [
        _jpeg_segment(0xE2, b"ICC_PROFILE\0" + bytes([number + 1, len(parts)]) + part)
        for number, part in enumerate(parts)
    ]
    return _jpeg_with_segments(*segments)


def _mpo() -> bytes:
    return _save(_picture(), "MPO", save_all=True, append_images=[_picture((900, 700), "RGB").rotate(180)])


def _apng(frames: int) -> bytes:
    return _frames("PNG", frames) if frames > 1 else _save(_picture(), "PNG", save_all=True, append_images=[])


# --- The corpus -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    id: str
    make: Callable[[], bytes]
    expected: str  # a refusal code, or STORED
    name: str = "photo.jpg"
    content_type: str = "image/jpeg"


CORPUS = [
    # Decompression bombs of each format, under and over the caps.
    Sample("png-1bit-6000x6600-bomb", lambda: _png_bomb(6000, 6600), "photo_too_many_pixels"),
    Sample("png-30000x30000-bomb", lambda: _png(30_000, 30_000, 1, 0, b"\x00" * 4000), "photo_too_many_pixels"),
    Sample("png-1bit-4000x4000-at-the-cap", lambda: _png_bomb(4000, 4000), STORED),
    Sample("jpeg-header-65000x65000", lambda: _jpeg_claiming(65_000, 65_000), "photo_too_many_pixels"),
    Sample("jpeg-header-9000x7000-over-cap", lambda: _jpeg_claiming(9000, 7000), "photo_too_many_pixels"),
    Sample(
        "jpeg-progressive-5000x4000-over-full-decode-cap",
        lambda: _jpeg_claiming(5000, 4000, progressive=True),
        "photo_too_many_pixels",
    ),
    Sample("webp-lossless-4100x4100-bomb", lambda: _webp_lossless_claiming(4100, 4100), "photo_too_many_pixels"),
    Sample("webp-canvas-16383x16383-bomb", lambda: _webp_claiming(16_383, 16_383), "photo_too_many_pixels"),
    Sample(
        "gif-65535x65535-bomb",
        lambda: b"GIF89a\xff\xff\xff\xff\x00\x00\x00" + b",\x00\x00\x00\x00\xff\xff\xff\xff\x00\x02\x02D\x01\x00;",
        "photo_not_an_image",
    ),
    Sample(
        "tiff-bomb", lambda: _save(Image.new("1", (6000, 6600)), "TIFF", compression="group4"), "photo_not_an_image"
    ),
    # Lying headers: more pixels claimed than the data holds.
    Sample("jpeg-header-6000x6600-over-900x700-data", lambda: _jpeg_claiming(6000, 6600), "photo_damaged"),
    Sample("jpeg-header-1800x1400-over-900x700-data", lambda: _jpeg_claiming(1800, 1400), "photo_damaged"),
    Sample("png-header-2000x2000-over-900x700-rows", lambda: _png_claiming(2000, 2000), "photo_damaged"),
    Sample("png-interlaced-honest", lambda: _png_interlaced(900, 700), STORED, "p.png", "image/png"),
    Sample(
        "png-interlaced-header-over-its-rows",
        lambda: _png_claiming(2000, 2000, interlace=1),
        "photo_damaged",
    ),
    Sample("webp-canvas-1800x1400-over-900x700-frame", lambda: _webp_claiming(1800, 1400), "photo_damaged"),
    # Truncated and concatenated.
    Sample(
        "jpeg-cut-in-half", lambda: _save(_picture(), "JPEG")[: len(_save(_picture(), "JPEG")) // 2], "photo_damaged"
    ),
    Sample(
        "jpeg-cut-with-a-forged-end-marker",
        lambda: (lambda jpeg: jpeg[: len(jpeg) * 2 // 3] + b"\xff\xd9")(_save(_picture(), "JPEG")),
        "photo_damaged",
    ),
    Sample("jpeg-header-only", lambda: _save(_picture(), "JPEG")[:600], "photo_damaged"),
    Sample("jpeg-cut-inside-its-header", lambda: _save(_picture(), "JPEG")[:40], "photo_damaged"),
    Sample("png-cut-in-half", lambda: (lambda png: png[: len(png) // 2])(_save(_picture(), "PNG")), "photo_damaged"),
    Sample("png-without-its-end", lambda: _save(_picture(), "PNG")[:-12], STORED),
    Sample(
        "webp-cut-in-half",
        lambda: (lambda webp: webp[: len(webp) // 2])(_save(_picture(), "WEBP")),
        "photo_damaged",
    ),
    Sample("jpeg-then-jpeg", lambda: _save(_picture(), "JPEG") + _save(_picture().rotate(90), "JPEG"), STORED),
    Sample("png-then-png", lambda: _save(_picture(), "PNG") + _save(_picture(), "PNG"), STORED, "p.png", "image/png"),
    # Polyglots: an image that is also an archive, a page or a script.
    Sample("png-then-zip", lambda: _save(_picture(), "PNG") + _zip("x.php", b"<?php system($_GET[1]);"), STORED),
    Sample("jpeg-then-zip", lambda: _save(_picture(), "JPEG") + _zip("a.html", b"<script>alert(1)</script>"), STORED),
    Sample("jpeg-then-html", lambda: _save(_picture(), "JPEG") + b"<html><script>alert(1)</script></html>", STORED),
    Sample("jpeg-comment-with-html", lambda: _save(_picture(), "JPEG", comment=b"<script>alert(1)</script>"), STORED),
    Sample(
        "gif-javascript-polyglot", lambda: b"GIF89a/*\x01\x00\x01\x00\x00\x00\x00;*/=alert(1);//", "photo_not_an_image"
    ),
    Sample(
        "html-then-jpeg", lambda: b"<html><script>alert(1)</script>" + _save(_picture(), "JPEG"), "photo_not_an_image"
    ),
    Sample("zip-holding-a-jpeg", lambda: _zip("photo.jpg", _save(_picture(), "JPEG")), "photo_not_an_image"),
    Sample("pdf", lambda: b"%PDF-1.7\n1 0 obj<</JS(app.alert(1))>>endobj\n%%EOF", "photo_not_an_image"),
    Sample(
        "svg-with-script", lambda: b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "photo_not_an_image"
    ),
    Sample(
        "php-script",
        lambda: b"<?php echo shell_exec($_GET['c']); ?>",
        "photo_not_an_image",
        "shell.php",
        "application/x-php",
    ),
    # Oversized or revealing metadata: refused past Pillow's limits, otherwise dropped.
    Sample("png-ztxt-inflating-to-3mb", lambda: _png_with_chunks(_text_chunk(b"zTXt", 3_000_000)), "photo_damaged"),
    Sample(
        "png-iccp-inflating-to-3mb", lambda: _png_with_chunks(_text_chunk(b"iCCP", 3_000_000, b"icc")), "photo_damaged"
    ),
    Sample(
        "png-three-ztxt-of-900kb",
        lambda: _png_with_chunks(*[_text_chunk(b"zTXt", 900_000) for _ in range(3)]),
        "photo_damaged",
    ),
    Sample("png-itxt-xmp", lambda: _png_with_chunks(_chunk(b"iTXt", b"XML:com.adobe.xmp\0\0\0\0\0" + XMP)), STORED),
    Sample("png-exif-with-gps", lambda: _save(_picture(), "PNG", exif=_exif()), STORED),
    Sample("png-text-comment", lambda: _png_with_chunks(_chunk(b"tEXt", b"Comment\0secret-png-text")), STORED),
    Sample("jpeg-exif-with-gps", lambda: _save(_picture(), "JPEG", exif=_exif()), STORED),
    Sample("jpeg-exif-60kb", lambda: _save(_picture(), "JPEG", exif=_exif(description="secret " * 8500)), STORED),
    Sample(
        "jpeg-xmp",
        lambda: _jpeg_with_segments(_jpeg_segment(0xE1, b"http://ns.adobe.com/xap/1.0/\0" + XMP[:60_000])),
        STORED,
    ),
    Sample("jpeg-icc-1mb-in-16-segments", _jpeg_with_split_icc, STORED),
    Sample("webp-exif-and-xmp", lambda: _save(_picture(), "WEBP", exif=_exif(), xmp=XMP), STORED),
    # Animated and multi-frame.
    Sample("apng-three-frames", lambda: _apng(3), "photo_animated", "p.png", "image/png"),
    Sample("apng-one-frame", lambda: _apng(1), STORED, "p.png", "image/png"),
    Sample("webp-animated", lambda: _frames("WEBP"), "photo_animated", "p.webp", "image/webp"),
    Sample("gif-animated", lambda: _frames("GIF"), "photo_not_an_image", "p.gif", "image/gif"),
    Sample("tiff-multi-page", lambda: _frames("TIFF"), "photo_not_an_image", "p.tiff", "image/tiff"),
    Sample("jpeg-mpo-two-pictures", _mpo, STORED),
    # Colour modes.
    Sample("jpeg-cmyk", lambda: _save(_picture(mode="CMYK"), "JPEG"), STORED),
    Sample("jpeg-greyscale", lambda: _save(_picture(mode="L"), "JPEG"), STORED),
    Sample(
        "png-16-bit-grey",
        lambda: _save(_picture(mode="L").convert("I").point(lambda v: v * 256).convert("I;16"), "PNG"),
        STORED,
    ),
    Sample("png-palette", lambda: _save(_picture(mode="P"), "PNG"), STORED),
    Sample("png-palette-transparent", lambda: _save(_picture(mode="P"), "PNG", transparency=0), STORED),
    Sample("png-rgba", lambda: _save(_picture(mode="RGBA"), "PNG"), STORED),
    Sample("png-la", lambda: _save(_picture(mode="LA"), "PNG"), STORED),
    Sample("png-1-bit", lambda: _save(_picture(mode="1"), "PNG"), STORED),
    Sample("webp-rgba-lossless", lambda: _save(_picture(mode="RGBA"), "WEBP", lossless=True), STORED),
    Sample("jpeg-orientation-6", lambda: _save(_picture(), "JPEG", exif=_orientation(6)), STORED),
    # Odd names and lying content types: only the decoded bytes count.
    Sample("name-path-traversal", lambda: _save(_picture(), "JPEG"), STORED, "../../../etc/passwd.jpg"),
    Sample("name-unicode", lambda: _save(_picture(), "JPEG"), STORED, "pasbort‐Cymraeg ŵŷ 照片.jpg"),
    Sample("name-without-extension", lambda: _save(_picture(), "PNG"), STORED, "passport", "application/octet-stream"),
    Sample("name-php-jpg", lambda: _save(_picture(), "JPEG"), STORED, "shell.php.jpg", "application/x-php"),
    Sample("content-type-html-for-a-jpeg", lambda: _save(_picture(), "JPEG"), STORED, "p.html", "text/html"),
    Sample("content-type-jpeg-for-a-png", lambda: _save(_picture(), "PNG"), STORED, "p.jpg", "image/jpeg"),
    Sample("content-type-jpeg-for-an-exe", lambda: b"MZ\x90\x00" + b"\x00" * 200, "photo_not_an_image"),
    Sample("empty-file", lambda: b"", "photo_empty"),
]


def _orientation(value: int) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = value
    return exif.tobytes()


SAMPLES = [pytest.param(sample, id=sample.id) for sample in CORPUS]
METADATA_MARKERS = (b"Exif", b"secret", b"xmp", b"Photoshop", b"ICC_PROFILE", b"<script", b"PK\x03\x04", b"<?php")


def test_the_corpus_is_large_and_covers_every_outcome():
    assert len(CORPUS) >= 40 and len({sample.id for sample in CORPUS}) == len(CORPUS)
    assert {sample.expected for sample in CORPUS} >= {STORED, *WORDS} - {"photo_too_big", "photo_too_small"}


def _assert_stored_clean(stored: bytes, sent: bytes) -> None:
    assert stored != sent
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG" and image.mode == "RGB"
    assert getattr(image, "n_frames", 1) == 1
    assert max(image.size) <= settings.EVIDENCE_MAX_SIDE_PIXELS
    assert not image.getexif() and "icc_profile" not in image.info and "comment" not in image.info
    assert not [segment for segment, _ in image.applist if segment not in ("APP0",)]
    for marker in METADATA_MARKERS:
        assert marker not in stored, marker


# --- Through the service ------------------------------------------------------------------------


@pytest.mark.parametrize("sample", SAMPLES)
def test_each_hostile_file_is_refused_clearly_or_stored_re_encoded_without_metadata(sample):
    data = sample.make()
    if sample.expected == STORED:
        _assert_stored_clean(clean_image(io.BytesIO(data)).content, data)
        return
    with pytest.raises(UploadRejected) as refused:
        clean_image(io.BytesIO(data))
    assert refused.value.code == sample.expected
    assert refused.value.status == 400 and WORDS[sample.expected] in refused.value.message


def test_an_upright_photo_is_stored_upright():
    data = _save(_picture((900, 700)), "JPEG", exif=_orientation(6))
    assert Image.open(io.BytesIO(clean_image(io.BytesIO(data)).content)).size == (700, 900)


# --- Through the API and the page -----------------------------------------------------------------


@pytest.fixture
def person(db):
    person = UserFactory()
    case = cases.editable_case(person=person)
    cases.choose_document_type(case=case, document_type="passport")
    cases.attach_image(case=case, kind=DOCUMENT, upload=io.BytesIO(document_photo(size=(640, 480))))
    return person


def _kept(person) -> list[EvidenceImage]:
    return list(EvidenceImage.objects.filter(case__person=person, kind=DOCUMENT, deleted_at__isnull=True))


def _upload(sample: Sample, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(sample.name, data, content_type=sample.content_type)


@pytest.mark.parametrize("sample", SAMPLES)
def test_each_hostile_file_through_the_api_and_the_page_is_a_clear_answer_never_a_500(client, person, sample):
    data = sample.make()
    earlier = _kept(person)
    for send in ("api", "page"):
        if send == "api":
            response = api_client(person).post(
                "/api/v1/identity/case/document/photo", {"photo": _upload(sample, data)}, format="multipart"
            )
        else:
            client.force_login(person)
            response = client.post(reverse("identity:check-document-photo"), {"photo": _upload(sample, data)})
        kept = _kept(person)
        if sample.expected == STORED:
            assert response.status_code == (201 if send == "api" else 302), response.content[:300]
            assert len(kept) == 1 and kept[0].pk != earlier[0].pk
            assert kept[0].file.name.endswith(".jpg") and "php" not in kept[0].file.name
            assert ".." not in kept[0].file.name and sample.name not in kept[0].file.name
            with kept[0].file.open("rb") as stored:
                _assert_stored_clean(stored.read(), data)
            earlier = kept
            continue
        assert response.status_code == 400, response.content[:300]
        if send == "api":
            error = response.json()["error"]
            if sample.expected == "photo_empty":
                # An empty file never reaches the photo checks: the serializer's own field error.
                assert error["code"] == "invalid" and "empty" in error["fields"]["photo"][0]
            else:
                assert error["code"] == sample.expected and WORDS[sample.expected] in error["message"]
        else:
            assert "govuk-error-summary" in response.content.decode()
            assert WORDS[sample.expected] in response.content.decode()
        assert [image.pk for image in kept] == [image.pk for image in earlier]


# --- When every decode slot is busy -------------------------------------------------------------


@pytest.fixture
def one_slot_held(settings):
    """The process's only decode slot held by another thread, with a short wait for it."""
    settings.EVIDENCE_DECODES_AT_ONCE = 1
    settings.EVIDENCE_DECODE_WAIT_SECONDS = 0.05
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with decode_slot():
            held.set()
            release.wait(timeout=30)

    holder = threading.Thread(target=hold)
    holder.start()
    assert held.wait(timeout=10)
    yield
    release.set()
    holder.join(timeout=10)


def test_a_photo_is_refused_with_a_429_when_no_decode_slot_frees_up_in_time(one_slot_held):
    with pytest.raises(UploadRejected) as refused:
        clean_image(io.BytesIO(document_photo()))
    assert refused.value.code == "photo_busy" and refused.value.status == 429
    assert "Wait a minute, then send your photo again" in refused.value.message


def test_a_busy_decoder_is_a_429_in_the_api_and_on_the_page_and_keeps_the_earlier_photo(client, person, one_slot_held):
    earlier = _kept(person)
    photo = SimpleUploadedFile("p.jpg", document_photo(), content_type="image/jpeg")
    response = api_client(person).post("/api/v1/identity/case/document/photo", {"photo": photo}, format="multipart")
    assert response.status_code == 429 and response.json()["error"]["code"] == "photo_busy"
    # As long as the message asks them to wait, so that clients back off.
    assert response["Retry-After"] == "60"
    client.force_login(person)
    photo = SimpleUploadedFile("p.jpg", document_photo(), content_type="image/jpeg")
    response = client.post(reverse("identity:check-document-photo"), {"photo": photo})
    assert response.status_code == 429 and "Wait a minute, then send your photo again" in response.content.decode()
    assert response["Retry-After"] == "60"
    assert _kept(person) == earlier


def test_a_photo_waiting_for_a_slot_is_cleaned_once_the_slot_frees(settings):
    settings.EVIDENCE_DECODES_AT_ONCE = 1
    settings.EVIDENCE_DECODE_WAIT_SECONDS = 30
    results: list = []
    with decode_slot():
        waiting = threading.Thread(target=lambda: results.append(clean_image(io.BytesIO(document_photo()))))
        waiting.start()
    waiting.join(timeout=30)
    assert len(results) == 1 and results[0].width == 1200
