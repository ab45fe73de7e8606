"""Uploaded evidence images are never kept as sent (DESIGN.md invariant 5, IDENTITY-RULES.md
"Uploaded evidence"): decoded by Pillow with an explicit list of formats, size- and pixel-capped,
fully loaded, then rebuilt from their pixels as a new JPEG so that metadata, comments and
appended bytes are gone. Signals (capture time, editing software, dimensions), quality reasons
and a perceptual hash are taken before the original is dropped."""

from __future__ import annotations

import io
import struct
import warnings
from dataclasses import dataclass, field

from django.conf import settings
from PIL import Image, ImageFile, ImageFilter, ImageOps, ImageStat, UnidentifiedImageError

from .refusals import UploadRejected

# Decoded formats only, never the extension or the Content-Type the browser claims.
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP")

# EXIF tags (TIFF/EXIF standard numbers).
_TAG_SOFTWARE = 0x0131
_TAG_DATETIME = 0x0132
_TAG_EXIF_IFD = 0x8769
_TAG_DATETIME_ORIGINAL = 0x9003
_TAG_GPS_IFD = 0x8825

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


def _to_rgb(image: Image.Image) -> Image.Image:
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if image.mode.startswith("I;16") or image.mode in ("I", "F"):
        # 16-bit and float images: scale to 8 bits before anything else.
        return image.point(lambda value: value / 256).convert("L").convert("RGB")
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


def clean_image(upload) -> CleanImage:
    """Decode, check and rebuild an uploaded image. Raises UploadRejected with a code whose
    message tells the person what to do."""
    data = _read_limited(upload, settings.EVIDENCE_MAX_UPLOAD_BYTES)
    # Truncated files must fail, never be silently padded.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
        except (UnidentifiedImageError, Image.DecompressionBombWarning, Image.DecompressionBombError, OSError) as error:
            raise UploadRejected(
                "photo_too_many_pixels"
                if isinstance(error, (Image.DecompressionBombWarning, Image.DecompressionBombError))
                else "photo_not_an_image"
            ) from error
        except DECODER_FAILURES as error:
            # An image of a format we take whose insides the decoder refuses, such as a PNG text
            # or colour-profile chunk that inflates past Pillow's limit (ValueError).
            raise UploadRejected("photo_damaged") from error
        if getattr(image, "n_frames", 1) > 1:
            raise UploadRejected("photo_animated")
        if image.width * image.height > settings.EVIDENCE_MAX_PIXELS:
            raise UploadRejected("photo_too_many_pixels")
        if min(image.width, image.height) < settings.EVIDENCE_MIN_SIDE_PIXELS:
            raise UploadRejected("photo_too_small")
        try:
            signals = _signals(image)
            image.load()
            rgb = _to_rgb(image)
        except (OSError, Image.DecompressionBombWarning, *DECODER_FAILURES) as error:
            raise UploadRejected("photo_damaged") from error
    # A brand new image made from the pixels alone: nothing else of the upload survives.
    rebuilt = Image.frombytes("RGB", rgb.size, rgb.tobytes())
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
