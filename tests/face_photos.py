"""Face photos for the face-matching tests and bench/face_match_rates.py, generated from real
photos that the test build installs (none is kept in the repository):

- Eileen Collins, NASA's portrait (public domain), shipped by scikit-image as `astronaut.png`;
- Grace Hopper, a US Navy portrait (public domain), shipped by matplotlib as a sample;
- Barack Obama (three different photos) and Joe Biden, White House photos (public domain), in
  the test folder of the face_recognition 1.3.0 source package, which `make test-venv` fetches
  into the virtual environment (.venv/share/test-faces).

From each photo come a "document photo" (the face small, grey-tinted and printed on a card that
is itself photographed, as on a passport page or a photocard licence) and "selfies" (cropped,
rotated, rescaled, lighter or darker, more or less contrast, JPEG-recompressed), each variant
chosen by a seeded random generator so that every run sees the same pictures."""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import io
import math
import random
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageOps

FACE_RECOGNITION_SDIST = Path(sys.prefix) / "share" / "test-faces" / "face_recognition-1.3.0.tar.gz"
FACE_RECOGNITION_SDIST_SHA256 = "5e5efdd1686aa566af0d3cc1313b131e4b197657a8ffd03669e6d3fad92705ec"


@dataclass(frozen=True)
class Source:
    """One real photo: whose it is, where it is installed, and the face's box in it (fractions of
    the width and height: left, top, right, bottom), measured once so that building the test set
    does not depend on the matcher under test."""

    key: str
    person: str
    origin: str  # "skimage", "matplotlib" or "face_recognition"
    path: str
    face: tuple[float, float, float, float]


SOURCES = (
    Source("collins", "Eileen Collins", "skimage", "data/astronaut.png", (0.350, 0.162, 0.520, 0.332)),
    Source(
        "hopper", "Grace Hopper", "matplotlib", "mpl-data/sample_data/grace_hopper.jpg", (0.314, 0.228, 0.734, 0.587)
    ),
    Source("obama", "Barack Obama", "face_recognition", "tests/test_images/obama.jpg", (0.402, 0.120, 0.686, 0.347)),
    Source("obama2", "Barack Obama", "face_recognition", "tests/test_images/obama2.jpg", (0.262, 0.252, 0.757, 0.509)),
    Source("obama3", "Barack Obama", "face_recognition", "tests/test_images/obama3.jpg", (0.441, 0.119, 0.665, 0.256)),
    Source("biden", "Joe Biden", "face_recognition", "tests/test_images/biden.jpg", (0.432, 0.109, 0.763, 0.255)),
)
BY_KEY = {source.key: source for source in SOURCES}


class PhotosMissing(RuntimeError):
    pass


def _installed(package: str, relative: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise PhotosMissing(f"{package} is not installed: run `make test-venv` (requirements-test.txt)")
    return Path(next(iter(spec.submodule_search_locations))) / relative


@functools.cache
def _sdist_members() -> dict[str, bytes]:
    if not FACE_RECOGNITION_SDIST.exists():
        raise PhotosMissing(f"{FACE_RECOGNITION_SDIST} is missing: run `make test-venv`")
    data = FACE_RECOGNITION_SDIST.read_bytes()
    if hashlib.sha256(data).hexdigest() != FACE_RECOGNITION_SDIST_SHA256:
        raise PhotosMissing(f"{FACE_RECOGNITION_SDIST} is not the expected file: delete it and run `make test-venv`")
    members = {}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for member in archive.getmembers():
            if "/tests/test_images/" in member.name and member.isfile():
                members["tests/test_images/" + member.name.rsplit("/", 1)[1]] = archive.extractfile(member).read()
    return members


@functools.cache
def original(key: str) -> Image.Image:
    """The real photo, as RGB."""
    source = BY_KEY[key]
    if source.origin == "face_recognition":
        data = _sdist_members()[source.path]
    else:
        data = _installed(source.origin, source.path).read_bytes()
    return Image.open(io.BytesIO(data)).convert("RGB")


def _face_box(key: str) -> tuple[float, float, float, float]:
    image = original(key)
    left, top, right, bottom = BY_KEY[key].face
    return left * image.width, top * image.height, right * image.width, bottom * image.height


def _crop(image: Image.Image, box: tuple[float, float, float, float]) -> Image.Image:
    """A crop that may reach past the photo's edges; the outside takes the photo's edge colour."""
    left, top, right, bottom = (round(value) for value in box)
    edge = image.resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
    canvas = Image.new("RGB", (right - left, bottom - top), edge)
    canvas.paste(image, (-left, -top))
    return canvas


def _jpeg(image: Image.Image, quality: int) -> bytes:
    output = io.BytesIO()
    image.save(output, format="JPEG", quality=quality)
    return output.getvalue()


def portrait(key: str, width: int = 240) -> Image.Image:
    """The face framed as for a passport photo (35 by 45 mm: the head about 70% of the height)."""
    left, top, right, bottom = _face_box(key)
    face = right - left
    centre = (left + right) / 2
    crop_width = face * 1.9
    crop_height = crop_width * 45 / 35
    crop_top = top - 0.55 * (bottom - top)
    framed = _crop(original(key), (centre - crop_width / 2, crop_top, centre + crop_width / 2, crop_top + crop_height))
    return framed.resize((width, round(width * 45 / 35)), Image.Resampling.LANCZOS)


def _printed(image: Image.Image) -> Image.Image:
    """As a portrait is printed on a card: grey, tinted, flatter and a little soft."""
    grey = ImageOps.grayscale(image)
    tinted = ImageOps.colorize(grey, black=(38, 36, 44), white=(236, 229, 214))
    return ImageEnhance.Contrast(tinted).enhance(0.85).filter(ImageFilter.GaussianBlur(0.7))


@functools.cache
def document_photo(key: str, seed: int = 0) -> bytes:
    """A photographed identity card with the person's portrait and its small ghost image."""
    rng = random.Random(f"document:{key}:{seed}")
    card = Image.new("RGB", (900, 568), (233, 229, 216))
    draw = ImageDraw.Draw(card)
    for line in range(0, 568, 9):  # a guilloche-like background
        points = [(x, line + 5 * math.sin(x / 37 + line / 23)) for x in range(0, 900, 12)]
        draw.line(points, fill=(214, 212, 222), width=1)
    draw.rectangle([0, 0, 900, 70], fill=(128, 30, 52))
    draw.rectangle([30, 22, 330, 46], fill=(240, 226, 200))
    main = _printed(portrait(key, 250))
    card.paste(main, (36, 100))
    ghost = _printed(portrait(key, 70)).point(lambda value: 140 + value // 2)
    card.paste(ghost, (780, 300))
    for row in range(110, 400, 38):
        draw.rectangle([320, row, 320 + rng.randrange(180, 400), row + 14], fill=(40, 40, 52))
    for row in (460, 500):
        draw.rectangle([36, row, 860, row + 18], fill=(60, 60, 66))
    # The card photographed on a table, not quite straight.
    angle = rng.uniform(-3, 3)
    card = card.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=(96, 84, 72))
    photo = Image.new("RGB", (1040, 720), (96, 84, 72))
    photo.paste(card, ((1040 - card.width) // 2, (720 - card.height) // 2))
    return _jpeg(photo.filter(ImageFilter.GaussianBlur(0.5)), quality=rng.randrange(70, 90))


@functools.cache
def selfie(key: str, variant: int = 0) -> bytes:
    """A phone photo of the person's face: its framing, angle, size, light and compression vary
    with `variant`; variant 0 is a plain, straight one."""
    rng = random.Random(f"selfie:{key}:{variant}")
    plain = variant == 0
    left, top, right, bottom = _face_box(key)
    face = right - left
    width = face * (2.2 if plain else rng.uniform(1.8, 2.7))
    height = width * 4 / 3
    centre_x = (left + right) / 2 + (0 if plain else rng.uniform(-0.15, 0.15) * face)
    centre_y = (top + bottom) / 2 + (0 if plain else rng.uniform(-0.1, 0.2) * face) + 0.1 * face
    box = (centre_x - width / 2, centre_y - height / 2, centre_x + width / 2, centre_y + height / 2)
    image = _crop(original(key), box)
    if not plain:
        image = image.rotate(rng.uniform(-10, 10), resample=Image.Resampling.BICUBIC, fillcolor=image.getpixel((0, 0)))
    size = 480 if plain else rng.randrange(420, 760)
    image = image.resize((size, round(size * 4 / 3)), Image.Resampling.LANCZOS)
    if not plain:
        image = ImageEnhance.Brightness(image).enhance(rng.uniform(0.7, 1.3))
        image = ImageEnhance.Contrast(image).enhance(rng.uniform(0.7, 1.3))
        image = ImageEnhance.Color(image).enhance(rng.uniform(0.7, 1.2))
    return _jpeg(image, quality=85 if plain else rng.randrange(35, 85))


@functools.cache
def two_faces(first: str = "collins", second: str = "hopper") -> bytes:
    """Two people side by side in one photo."""
    left, right = (Image.open(io.BytesIO(selfie(key))) for key in (first, second))
    photo = Image.new("RGB", (left.width + right.width, max(left.height, right.height)), (200, 200, 200))
    photo.paste(left, (0, 0))
    photo.paste(right, (left.width, 0))
    return _jpeg(photo, quality=85)


@functools.cache
def no_face() -> bytes:
    """A real photo with no person in it: scikit-image's cat (Chelsea), big enough to upload."""
    cat = Image.open(_installed("skimage", "data/chelsea.png")).convert("RGB")
    return _jpeg(cat.resize((cat.width * 2, cat.height * 2), Image.Resampling.LANCZOS), quality=85)


def camera_video(photo: bytes, frames: int = 2) -> bytes:
    """`photo` as a YUV4MPEG2 video (4:2:0), the format Chromium's fake camera plays."""
    image = Image.open(io.BytesIO(photo)).convert("RGB")
    image = image.crop((0, 0, image.width // 2 * 2, image.height // 2 * 2))
    luma, blue, red = image.convert("YCbCr").split()
    half = (image.width // 2, image.height // 2)
    chroma = [plane.resize(half, Image.Resampling.BOX).tobytes() for plane in (blue, red)]
    planes = luma.tobytes() + b"".join(chroma)
    header = f"YUV4MPEG2 W{image.width} H{image.height} F30:1 Ip A1:1 C420jpeg\n".encode()
    return header + (b"FRAME\n" + planes) * frames
