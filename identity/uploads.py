"""Uploaded evidence images are never kept as sent (DESIGN.md invariant 5, IDENTITY-RULES.md
"Uploaded evidence"): decoded by Pillow with an explicit list of formats, size- and pixel-capped,
fully loaded, then rebuilt from their pixels as a new JPEG so that metadata, comments and
appended bytes are gone. Signals (capture time, editing software, dimensions), quality reasons
and a perceptual hash are taken before the original is dropped."""

from __future__ import annotations

import ctypes
import io
import os
import struct
import threading
import warnings
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from PIL import Image, ImageFile, ImageFilter, ImageStat, PngImagePlugin, UnidentifiedImageError

from .refusals import UploadRejected

# Decoded formats only, never the extension or the Content-Type the browser claims.
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP")

# EXIF tags (TIFF/EXIF standard numbers).
_TAG_SOFTWARE = 0x0131
_TAG_DATETIME = 0x0132
_TAG_EXIF_IFD = 0x8769
_TAG_DATETIME_ORIGINAL = 0x9003
_TAG_GPS_IFD = 0x8825
_TAG_ORIENTATION = 0x0112

# EXIF orientation -> the turn that shows the photo upright (as ImageOps.exif_transpose), applied
# after the photo is shrunk, so that turning it costs the kept size, not the sent size.
_ORIENTATIONS = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}

EDITING_SOFTWARE = ("photoshop", "gimp", "lightroom", "pixelmator", "affinity", "snapseed", "picsart", "canva")


# What Pillow's decoders raise, besides OSError, for data they cannot make sense of: a chunk that
# inflates too far, broken metadata, a short read. Each is a damaged photo to refuse, never a 500.
DECODER_FAILURES = (ValueError, SyntaxError, EOFError, struct.error, IndexError, KeyError, TypeError)


@dataclass(frozen=True)
class CleanImage:
    content: bytes  # a new JPEG built from the pixels alone
    width: int
    height: int
    perceptual_hash: str  # 64-bit difference hash, 16 hex digits
    signals: dict = field(default_factory=dict)
    quality_reasons: tuple[str, ...] = ()


def _read_limited(upload, limit: int) -> bytes:
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(limit + 1)
    if not data:
        raise UploadRejected("photo_empty")
    if len(data) > limit:
        raise UploadRejected("photo_too_big")
    return data


def _signals(image: Image.Image) -> dict:
    exif = image.getexif()
    sub = exif.get_ifd(_TAG_EXIF_IFD) if exif else {}
    software = str(exif.get(_TAG_SOFTWARE, "")).strip()
    return {
        "format": image.format,
        "width": image.width,
        "height": image.height,
        "captured_at": str(sub.get(_TAG_DATETIME_ORIGINAL) or exif.get(_TAG_DATETIME) or "") or None,
        "software": software or None,
        "edited": any(name in software.lower() for name in EDITING_SOFTWARE),
        "had_gps": bool(exif.get_ifd(_TAG_GPS_IFD)) if exif else False,
        "had_metadata": bool(exif) or bool(image.info.get("comment")) or "icc_profile" in image.info,
    }


def _shrink(image: Image.Image, side: int) -> Image.Image:
    """The loaded image at most `side` pixels on its longest side, resampled in place where
    Pillow can resample its mode, so that the full-size pixels are let go before any colour
    conversion copies them; 1-bit, palette and 16-bit images are expanded to 8 bits first."""
    if image.mode == "1":
        image = image.convert("L")
    elif image.mode in ("P", "PA"):
        image = image.convert("RGBA" if image.mode == "PA" or "transparency" in image.info else "RGB")
    elif image.mode.startswith("I;16") or image.mode in ("I", "F"):
        image = image.point(lambda value: value / 256).convert("L")
    image.thumbnail((side, side), Image.Resampling.LANCZOS)
    return image


def _to_rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA", "La", "RGBa"):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _quality(image: Image.Image) -> tuple[str, ...]:
    grey = image.convert("L")
    grey.thumbnail((800, 800))
    reasons = []
    mean = ImageStat.Stat(grey).mean[0]
    if mean < settings.EVIDENCE_DARK_MEAN:
        reasons.append("too_dark")
    histogram = grey.histogram()
    bright = sum(histogram[250:]) / max(1, grey.width * grey.height)
    if bright > settings.EVIDENCE_GLARE_SHARE:
        reasons.append("glare")
    # Mean edge strength, ignoring the frame the edge filter draws at the border.
    edges = grey.filter(ImageFilter.FIND_EDGES).crop((2, 2, grey.width - 2, grey.height - 2))
    if ImageStat.Stat(edges).mean[0] < settings.EVIDENCE_BLUR_EDGE_MEAN:
        reasons.append("blurred")
    return tuple(reasons)


def difference_hash(image: Image.Image) -> str:
    """dHash: 9x8 greyscale, one bit per horizontal neighbour comparison. The same document
    photographed or re-encoded again lands within a few bits."""
    small = image.convert("L").resize((9, 8), Image.Resampling.LANCZOS)
    pixels = list(small.get_flattened_data())
    bits = 0
    for row in range(8):
        for column in range(8):
            left, right = pixels[row * 9 + column], pixels[row * 9 + column + 1]
            bits = (bits << 1) | (1 if left > right else 0)
    return f"{bits:016x}"


def hash_distance(first: str, second: str) -> int:
    return bin(int(first, 16) ^ int(second, 16)).count("1")


@contextmanager
def decode_slot() -> Iterator[None]:
    """Hold one of this process's decode slots for the body of the `with`. Raises
    UploadRejected("photo_busy") when none frees up within EVIDENCE_DECODE_WAIT_SECONDS, so that
    a burst of photos queues briefly and is then refused clearly, instead of each decode taking
    its share of memory at once."""
    global _slots
    size = settings.EVIDENCE_DECODES_AT_ONCE
    with _slots_lock:
        if _slots is None or _slots[0] != size:
            _slots = (size, threading.BoundedSemaphore(size))
        slots = _slots[1]
    if not slots.acquire(timeout=settings.EVIDENCE_DECODE_WAIT_SECONDS):
        raise UploadRejected("photo_busy")
    try:
        yield
    finally:
        slots.release()
        _give_back_freed_memory()


def _glibc_malloc_trim():
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


# glibc keeps the memory of freed decode buffers in the process for good: once its mmap threshold
# has risen, Pillow's 16 MB image blocks come from the heap, and a worker that took a few large
# photos stayed hundreds of megabytes above idle. Trimming after each decode gives it back.
_malloc_trim = _glibc_malloc_trim()


def _give_back_freed_memory() -> None:
    if _malloc_trim is not None:
        _malloc_trim(0)


def _forget_slots_after_fork() -> None:
    # A forked child (gunicorn, Celery prefork) must not inherit a slot held by a parent's thread.
    global _slots, _slots_lock
    _slots = None
    _slots_lock = threading.Lock()


_slots: tuple[int, threading.BoundedSemaphore] | None = None
_slots_lock = threading.Lock()
os.register_at_fork(after_in_child=_forget_slots_after_fork)


def _check_jpeg_data(data: bytes) -> None:
    """Decode the whole JPEG at an eighth of its size with libjpeg-turbo, treating its warnings
    as errors. Pillow pads a JPEG whose data stops early (a header claiming 6000x6600 over
    900x700 of data, or a cut file ending in a forged end marker) with grey and says nothing;
    this refuses it. Memory is an eighth squared of the pixels (progressive files are capped by
    the caller, as libjpeg keeps all their coefficients whatever the scale)."""
    import simplejpeg  # with numpy, ~13 MB: loaded by the processes that take photos, not by every one

    try:
        simplejpeg.decode_jpeg(data, colorspace="GRAY", min_height=1, min_width=1, min_factor=8, strict=True)
    except ValueError as error:
        # Cameras and editors write a few stray bytes before a marker often enough that refusing
        # them would refuse honest photos; nothing is missing from such a file.
        if "extraneous bytes before marker" not in str(error):
            raise UploadRejected("photo_damaged") from error


# PNG colour type -> samples per pixel (PNG specification, IHDR).
_PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
# Adam7 interlacing passes: first column, first row, column step, row step.
_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))


def _png_rows_size(width: int, height: int, channels: int, depth: int, interlaced: bool) -> int:
    def size(columns: int, rows: int) -> int:
        return rows * (1 + (columns * channels * depth + 7) // 8) if columns and rows else 0

    if not interlaced:
        return size(width, height)
    return sum(size((width - x + dx - 1) // dx, (height - y + dy - 1) // dy) for x, y, dx, dy in _ADAM7)


def _check_png_data(data: bytes) -> None:
    """Inflate the image data, counting and keeping nothing, and refuse a PNG whose data stops
    short of what its header claims: Pillow ends such a file quietly and pads the rest."""
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", data[16:29])
    expected = _png_rows_size(width, height, _PNG_CHANNELS.get(colour, 4), depth, interlace == 1)
    inflater, inflated, at = zlib.decompressobj(), 0, 8
    try:
        while at + 8 <= len(data) and inflated < expected:
            length, kind = struct.unpack(">I4s", data[at : at + 8])
            if kind == b"IDAT":
                body = data[at + 8 : at + 8 + length]
                for start in range(0, len(body), 1 << 16):
                    piece = inflater.decompress(body[start : start + (1 << 16)], 1 << 20)
                    inflated += len(piece)
                    while inflater.unconsumed_tail and inflated < expected:
                        piece = inflater.decompress(inflater.unconsumed_tail, 1 << 20)
                        inflated += len(piece)
            elif kind == b"IEND":
                break
            at += 12 + length
    except zlib.error as error:
        raise UploadRejected("photo_damaged") from error
    if inflated < expected:
        raise UploadRejected("photo_damaged")


def _starts_like_a_photo(data: bytes) -> bool:
    """Whether the file begins as a JPEG, PNG or WebP does: one that then fails to open was cut
    short or spoiled, and the person is told it is damaged rather than of the wrong kind."""
    return data.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")


def _open(data: bytes) -> Image.Image:
    """The image's header only: format, size, frames and metadata, no pixels decoded yet."""
    try:
        image = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
    except (UnidentifiedImageError, Image.DecompressionBombWarning, Image.DecompressionBombError, OSError) as error:
        if isinstance(error, (Image.DecompressionBombWarning, Image.DecompressionBombError)):
            raise UploadRejected("photo_too_many_pixels") from error
        raise UploadRejected("photo_damaged" if _starts_like_a_photo(data) else "photo_not_an_image") from error
    except DECODER_FAILURES as error:
        # An image of a format we take whose insides the decoder refuses, such as a PNG text
        # or colour-profile chunk that inflates past Pillow's limit (ValueError).
        raise UploadRejected("photo_damaged") from error
    if image.format == "MPO":
        # A phone's multi-picture JPEG (a depth map or a preview after the photo): the first
        # picture is the photo, and it is the only one decoded.
        image.seek(0)
    elif getattr(image, "n_frames", 1) > 1:
        raise UploadRejected("photo_animated")
    return image


def _check_size(image: Image.Image) -> None:
    pixels = image.width * image.height
    if pixels > settings.EVIDENCE_MAX_PIXELS:
        raise UploadRejected("photo_too_many_pixels")
    # Only a baseline JPEG decodes at reduced size in reduced memory (draft); PNG and WebP are
    # decoded whole, and a progressive JPEG holds all its coefficients, whatever size is kept.
    reducible = image.format in ("JPEG", "MPO") and not image.info.get("progressive")
    if not reducible and pixels > settings.EVIDENCE_FULL_DECODE_MAX_PIXELS:
        raise UploadRejected("photo_too_many_pixels")
    if min(image.width, image.height) < settings.EVIDENCE_MIN_SIDE_PIXELS:
        raise UploadRejected("photo_too_small")


def _draft_box(image: Image.Image, side: int) -> tuple[int, int]:
    """The smallest size, in the photo's proportions, whose longest side is `side`: JPEG then
    decodes at the largest of 1/2, 1/4 or 1/8 that still covers it."""
    scale = side / max(image.width, image.height)
    return max(1, int(image.width * scale)), max(1, int(image.height * scale))


def clean_image(upload) -> CleanImage:
    """Decode, check and rebuild an uploaded image. Raises UploadRejected with a code whose
    message tells the person what to do.

    The work is bounded before any pixel is decoded: the header's size against the pixel caps,
    one of a few decode slots per process, JPEG decoded at reduced size, and the photo shrunk to
    EVIDENCE_MAX_SIDE_PIXELS before it is converted, so memory follows the kept size."""
    data = _read_limited(upload, settings.EVIDENCE_MAX_UPLOAD_BYTES)
    # Truncated files must fail, never be silently padded.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    PngImagePlugin.MAX_TEXT_MEMORY = settings.EVIDENCE_PNG_TEXT_MAX_BYTES
    side = settings.EVIDENCE_MAX_SIDE_PIXELS
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = _open(data)
        _check_size(image)
        with decode_slot():
            try:
                signals = _signals(image)
                orientation = image.getexif().get(_TAG_ORIENTATION, 1)
                if image.format in ("JPEG", "MPO"):
                    _check_jpeg_data(data)
                    image.draft("RGB", _draft_box(image, side))
                elif image.format == "PNG":
                    _check_png_data(data)
                image.load()
                rgb = _to_rgb(_shrink(image, side))
                del image
                method = _ORIENTATIONS.get(orientation)
                if method is not None:
                    rgb = rgb.transpose(method)
            except (OSError, Image.DecompressionBombWarning, *DECODER_FAILURES) as error:
                raise UploadRejected("photo_damaged") from error
            # A brand new image made from the pixels alone: nothing else of the upload survives.
            rebuilt = Image.new("RGB", rgb.size)
            rebuilt.paste(rgb)
            del rgb
            output = io.BytesIO()
            rebuilt.save(output, format="JPEG", quality=90, optimize=True)
            return CleanImage(
                content=output.getvalue(),
                width=rebuilt.width,
                height=rebuilt.height,
                perceptual_hash=difference_hash(rebuilt),
                signals=signals,
                quality_reasons=_quality(rebuilt),
            )
