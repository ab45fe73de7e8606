"""The photo of the person's face (the selfie), compared with their document photo to show they
are its holder. It is cleaned like every upload and refused at once when it shows no face or
more than one, so that the person can take it again; a refused photo never replaces the one
kept. It is used for that comparison only, and never shown to phone support."""

from __future__ import annotations

from . import cases
from .models import EvidenceImage, IdentityCase
from .refusals import CheckRefused, UploadRejected
from .uploads import clean_image


def attach_selfie(*, case: IdentityCase, upload, assisted: bool = False) -> EvidenceImage:
    """Keep `upload` as the case's selfie. Raises UploadRejected (not an image, too big, no face,
    several faces) or CheckRefused when phone support, acting for the person, sends it."""
    if assisted:
        raise CheckRefused("selfie_by_person_only")
    from .verifiers import face  # dlib and numpy: loaded by the processes that take selfies, not by every one

    cleaned = clean_image(upload)
    faces = face.count_faces(cleaned.content)
    # None: the detector did not answer in time. The photo is kept, and the comparison at
    # submission says what it finds, rather than the person being stopped by our load.
    if faces == 0:
        raise UploadRejected("photo_no_face")
    if faces is not None and faces > 1:
        raise UploadRejected("photo_several_faces")
    # Cleaned once: its signals (editing software, capture time) were read from the original.
    return cases.attach_image(case=case, kind=EvidenceImage.Kind.SELFIE, cleaned=cleaned)
