"""Hostile and awkward uploads, generated here: each gets a clear reason, nothing hostile is
ever returned for storage, and what is returned carries no metadata (DESIGN.md invariant 5)."""

from __future__ import annotations

import io
import struct
import time
import zipfile
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw, ImageFile, ImageFilter

from identity.refusals import UploadRejected
from identity.uploads import clean_image, difference_hash, hash_distance
from tests.factories import document_photo, inflating_png


def _reject(data: bytes) -> str:
    """The refusal's code, after checking it is a 400 with its own message."""
    with pytest.raises(UploadRejected) as rejected:
        clean_image(io.BytesIO(data))
    assert rejected.value.status == 400
    assert rejected.value.message == str(UploadRejected.reasons[rejected.value.code].message)
    return rejected.value.code


def _png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG that claims huge dimensions: one all-zero, highly compressible IDAT."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    raw = zlib.compress(b"\x00" * (1 + (width + 7) // 8) * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def test_a_good_photo_is_rebuilt_as_a_clean_jpeg():
    result = clean_image(io.BytesIO(document_photo()))
    rebuilt = Image.open(io.BytesIO(result.content))
    assert rebuilt.format == "JPEG" and rebuilt.size == (1200, 800)
    assert not rebuilt.getexif() and "comment" not in rebuilt.info and "icc_profile" not in rebuilt.info
    assert result.quality_reasons == ()
    assert len(result.perceptual_hash) == 16


def test_exif_with_gps_and_software_is_recorded_then_stripped():
    exif = Image.Exif()
    exif[0x0131] = "Adobe Photoshop 25.0"
    exif[0x0132] = "2026:11:01 10:00:00"
    exif.get_ifd(0x8825)[2] = (51.0, 30.0, 0.0)  # GPS latitude
    result = clean_image(io.BytesIO(document_photo(exif=exif.tobytes())))
    assert result.signals["software"] == "Adobe Photoshop 25.0"
    assert result.signals["edited"] is True
    assert result.signals["captured_at"] == "2026:11:01 10:00:00"
    assert result.signals["had_gps"] is True
    rebuilt = Image.open(io.BytesIO(result.content))
    assert not rebuilt.getexif()
    assert b"Photoshop" not in result.content and b"GPS" not in result.content


def test_appended_bytes_are_gone():
    data = document_photo() + b"PK\x03\x04hidden-payload<script>alert(1)</script>"
    result = clean_image(io.BytesIO(data))
    assert b"hidden-payload" not in result.content and b"<script>" not in result.content


def test_decompression_bomb_is_refused():
    assert _reject(_png_header_only(30_000, 30_000)) == "photo_too_many_pixels"


def test_huge_dimension_png_under_pillows_limit_is_refused_by_our_cap():
    assert _reject(_png_header_only(8_000, 6_000)) == "photo_too_many_pixels"


def test_truncated_jpeg_is_damaged():
    data = document_photo()
    assert _reject(data[: len(data) // 2]) == "photo_damaged"


def test_zero_bytes():
    assert _reject(b"") == "photo_empty"


def test_too_big_file():
    assert _reject(b"\xff\xd8" + b"0" * (10 * 1024 * 1024)) == "photo_too_big"


def test_gif_zip_polyglot_is_not_an_image_we_accept():
    gif = io.BytesIO()
    Image.new("P", (500, 500)).save(gif, format="GIF")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("payload.txt", "boo")
    assert _reject(gif.getvalue() + archive.getvalue()) == "photo_not_an_image"


def test_svg_with_script_is_refused():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    assert _reject(svg) == "photo_not_an_image"


def test_executable_renamed_as_jpg_is_refused():
    assert _reject(b"MZ\x90\x00" + b"\x00" * 200 + b"This program cannot be run in DOS mode") == "photo_not_an_image"


def test_animated_webp_is_refused():
    frames = [Image.new("RGB", (600, 600), colour) for colour in ("red", "blue")]
    output = io.BytesIO()
    frames[0].save(output, format="WEBP", save_all=True, append_images=frames[1:])
    assert _reject(output.getvalue()) == "photo_animated"


def test_cmyk_jpeg_is_converted():
    result = clean_image(io.BytesIO(document_photo(mode="CMYK")))
    assert Image.open(io.BytesIO(result.content)).mode == "RGB"


def test_sixteen_bit_png_is_converted():
    image = Image.new("I;16", (800, 600))
    draw = ImageDraw.Draw(image)
    for x in range(0, 800, 40):
        draw.rectangle([x, 0, x + 20, 600], fill=60000)
    output = io.BytesIO()
    image.save(output, format="PNG")
    result = clean_image(io.BytesIO(output.getvalue()))
    assert Image.open(io.BytesIO(result.content)).mode == "RGB"


def test_transparent_png_is_flattened():
    image = Image.new("RGBA", (800, 600), (0, 0, 0, 0))
    ImageDraw.Draw(image).rectangle([100, 100, 700, 500], fill=(20, 20, 20, 255))
    output = io.BytesIO()
    image.save(output, format="PNG")
    rebuilt = Image.open(io.BytesIO(clean_image(io.BytesIO(output.getvalue())).content))
    assert rebuilt.mode == "RGB" and rebuilt.getpixel((10, 10))[0] > 240


def test_tiny_photo_is_too_small():
    assert _reject(document_photo(size=(300, 200))) == "photo_too_small"


def test_dark_bright_and_blurred_photos_have_quality_reasons():
    dark = io.BytesIO()
    Image.open(io.BytesIO(document_photo())).point(lambda v: v // 8).save(dark, format="JPEG")
    assert "too_dark" in clean_image(io.BytesIO(dark.getvalue())).quality_reasons
    glare = io.BytesIO()
    Image.new("RGB", (1000, 800), (255, 255, 255)).save(glare, format="PNG")
    assert "glare" in clean_image(io.BytesIO(glare.getvalue())).quality_reasons
    blurred = io.BytesIO()
    Image.open(io.BytesIO(document_photo())).filter(ImageFilter.GaussianBlur(12)).save(blurred, format="JPEG")
    assert "blurred" in clean_image(io.BytesIO(blurred.getvalue())).quality_reasons


def test_same_document_re_encoded_has_a_near_hash_and_a_different_one_does_not():
    original = Image.open(io.BytesIO(document_photo()))
    smaller = original.resize((900, 600))
    other = Image.new("RGB", (1200, 800), (200, 210, 230))
    ImageDraw.Draw(other).ellipse([100, 100, 900, 700], fill=(10, 60, 10))
    assert hash_distance(difference_hash(original), difference_hash(smaller)) <= 6
    assert hash_distance(difference_hash(original), difference_hash(other)) > 10


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=4096))
def test_any_bytes_are_cleaned_or_rejected_never_crash(data):
    try:
        clean_image(io.BytesIO(data))
    except UploadRejected as rejected:
        assert rejected.code in UploadRejected.reasons


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=4000), st.binary(min_size=1, max_size=64))
def test_corrupted_real_photos_never_crash(position, noise):
    data = bytearray(document_photo(size=(640, 480)))
    data[position : position + len(noise)] = noise
    try:
        clean_image(io.BytesIO(bytes(data)))
    except UploadRejected as rejected:
        assert rejected.code in UploadRejected.reasons


@pytest.mark.parametrize("kind", [b"zTXt", b"iCCP"])
def test_a_png_chunk_that_inflates_past_pillows_limit_is_a_damaged_photo(kind):
    with pytest.raises(UploadRejected) as refused:
        clean_image(io.BytesIO(inflating_png(kind)))
    assert refused.value.code == "photo_damaged"


def test_truncated_files_stay_refused_even_when_something_else_allowed_them():
    ImageFile.LOAD_TRUNCATED_IMAGES = True
    try:
        data = document_photo()
        assert _reject(data[: len(data) // 2]) == "photo_damaged"
        assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = False


def test_a_png_claiming_6000_by_6600_pixels_is_refused_before_it_is_decoded():
    data = _png_header_only(6000, 6600)
    assert len(data) < 10_000
    started = time.perf_counter()
    assert _reject(data) == "photo_too_many_pixels"
    assert time.perf_counter() - started < 0.5


def test_a_jpeg_whose_header_claims_more_than_its_data_holds_is_damaged():
    jpeg = bytearray(document_photo(size=(900, 700)))
    at = jpeg.index(b"\xff\xc0")
    jpeg[at + 5 : at + 9] = struct.pack(">HH", 6600, 6000)
    assert _reject(bytes(jpeg)) == "photo_damaged"


def test_a_large_jpeg_is_decoded_at_reduced_size_and_kept_at_the_longest_side_allowed(settings):
    settings.EVIDENCE_MAX_SIDE_PIXELS = 600
    result = clean_image(io.BytesIO(document_photo(size=(2400, 1600))))
    assert (result.width, result.height) == (600, 400)


def test_a_png_too_large_to_decode_at_reduced_size_is_refused_above_the_full_decode_cap(settings):
    settings.EVIDENCE_FULL_DECODE_MAX_PIXELS = 1200 * 800 - 1
    assert _reject(document_photo(fmt="PNG")) == "photo_too_many_pixels"
    assert clean_image(io.BytesIO(document_photo())).width == 1200  # a baseline JPEG decodes at reduced size


def test_a_multi_picture_jpeg_keeps_its_first_picture_only():
    first = Image.open(io.BytesIO(document_photo()))
    output = io.BytesIO()
    first.save(output, format="MPO", save_all=True, append_images=[Image.new("RGB", (1200, 800), (0, 0, 0))])
    rebuilt = Image.open(io.BytesIO(clean_image(io.BytesIO(output.getvalue())).content))
    assert rebuilt.format == "JPEG" and getattr(rebuilt, "n_frames", 1) == 1
    assert rebuilt.convert("L").getpixel((5, 5)) > 200  # the pale page, not the black second picture


def test_a_photo_taken_sideways_is_turned_upright_after_it_is_shrunk(settings):
    settings.EVIDENCE_MAX_SIDE_PIXELS = 600
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to show it upright
    result = clean_image(io.BytesIO(document_photo(size=(1200, 800), exif=exif.tobytes())))
    assert (result.width, result.height) == (400, 600)
