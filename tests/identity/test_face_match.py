"""The offline face matcher on photos generated from real faces (tests/face_photos.py): the same
person on their document passes, someone else's face on a genuine document is refused, a photo
with no face or two faces says so; the threshold comes from settings, the models load once, and
a comparison never raises nor runs past the checkers' time limit."""

from __future__ import annotations

import io
import threading

import pytest
from PIL import Image

from identity.models import EvidenceCheck
from identity.verifiers import configured, face
from tests import face_photos
from tests.factories import document_photo as page_without_a_face

pytestmark = pytest.mark.usefixtures("face_models")

matcher = face.OfflineFaceMatcher()


def _compare(selfie: bytes, document: bytes):
    result = matcher.compare(selfie=selfie, document_image=document)
    assert result.kind == EvidenceCheck.Kind.FACE_MATCH
    assert result.provider == "Offline face matcher" and result.sandbox is False
    return result


@pytest.mark.parametrize(
    "selfie_of, variant, document_of",
    [
        ("collins", 0, "collins"),
        ("hopper", 3, "hopper"),
        ("biden", 5, "biden"),
        # Two different photos of one man: the selfie is not made from the document's photo.
        ("obama2", 1, "obama"),
        ("obama3", 4, "obama"),
    ],
)
def test_the_same_person_on_their_document_photo_passes(selfie_of, variant, document_of, settings):
    result = _compare(face_photos.selfie(selfie_of, variant), face_photos.document_photo(document_of))
    assert result.outcome == EvidenceCheck.Outcome.PASSED and result.reasons == ()
    assert set(result.details) == {"distance", "threshold", "method"}
    assert result.details["method"] == "automated"
    assert result.details["threshold"] == settings.IDENTITY_FACE_MATCH_THRESHOLD
    assert 0 <= result.details["distance"] < settings.IDENTITY_FACE_MATCH_THRESHOLD


@pytest.mark.parametrize(
    "selfie_of, document_of",
    [("hopper", "collins"), ("collins", "hopper"), ("obama2", "biden"), ("biden", "obama")],
)
def test_someone_elses_face_on_a_genuine_document_is_refused(selfie_of, document_of, settings):
    result = _compare(face_photos.selfie(selfie_of, 2), face_photos.document_photo(document_of))
    assert result.outcome == EvidenceCheck.Outcome.FAILED and result.reasons == ("face_no_match",)
    assert result.details["distance"] >= settings.IDENTITY_FACE_MATCH_THRESHOLD
    assert result.details["method"] == "automated"


def test_the_threshold_is_the_setting(settings):
    selfie, document = face_photos.selfie("collins", 0), face_photos.document_photo("collins")
    settings.IDENTITY_FACE_MATCH_THRESHOLD = 0.05
    result = _compare(selfie, document)
    assert result.outcome == EvidenceCheck.Outcome.FAILED and result.reasons == ("face_no_match",)
    assert result.details["threshold"] == 0.05


def test_a_selfie_without_a_face_says_so():
    result = _compare(face_photos.no_face(), face_photos.document_photo("collins"))
    assert result.outcome == EvidenceCheck.Outcome.FAILED and result.reasons == ("face_not_found_selfie",)
    assert "distance" not in result.details


def test_a_document_photo_without_a_face_says_so():
    result = _compare(face_photos.selfie("collins"), page_without_a_face())
    assert result.outcome == EvidenceCheck.Outcome.FAILED and result.reasons == ("face_not_found_document",)


def test_two_faces_in_the_selfie_are_refused():
    result = _compare(face_photos.two_faces(), face_photos.document_photo("collins"))
    assert result.outcome == EvidenceCheck.Outcome.FAILED and result.reasons == ("several_faces",)
    assert result.details == {"photo": "selfie", "faces": 2}


def test_the_small_ghost_portrait_on_a_document_is_not_a_second_face():
    assert face.describe(face_photos.document_photo("hopper")).count == 1


def test_bytes_that_are_no_image_fail_without_raising():
    result = _compare(b"<svg onload=alert(1)>", face_photos.document_photo("collins"))
    assert result.outcome == EvidenceCheck.Outcome.FAILED and result.reasons == ("face_not_found_selfie",)
    assert result.details == {"unreadable": True}


def test_a_big_phone_photo_is_shrunk_before_detection():
    document = Image.open(io.BytesIO(face_photos.document_photo("biden"))).resize((4032, 3024))
    output = io.BytesIO()
    document.save(output, format="JPEG", quality=80)
    result = _compare(face_photos.selfie("biden", 1), output.getvalue())
    assert result.outcome == EvidenceCheck.Outcome.PASSED


def test_counting_faces_for_an_upload():
    assert face.count_faces(face_photos.selfie("hopper")) == 1
    assert face.count_faces(face_photos.two_faces()) == 2
    assert face.count_faces(face_photos.no_face()) == 0
    assert face.count_faces(b"not an image") == 0


def test_a_comparison_that_runs_out_of_time_is_unavailable(monkeypatch, settings):
    release = threading.Event()
    monkeypatch.setattr(face.OfflineFaceMatcher, "_compare", staticmethod(lambda *args: release.wait(10)))
    settings.IDENTITY_CHECKER_TIMEOUT_SECONDS = 0.05
    try:
        result = _compare(b"selfie", b"document")
        counted = face.count_faces(b"queued behind it")
    finally:
        release.set()
    assert result.outcome == EvidenceCheck.Outcome.UNAVAILABLE and result.reasons == ("provider_timeout",)
    assert result.details == {}
    assert counted is None  # at upload: no answer in time, so the photo is not refused for it


def test_a_failure_inside_the_model_is_unavailable_not_raised(monkeypatch):
    def broken(data):
        raise RuntimeError("dlib: bad allocation")

    monkeypatch.setattr(face, "describe", broken)
    result = _compare(face_photos.selfie("collins"), face_photos.document_photo("collins"))
    assert result.outcome == EvidenceCheck.Outcome.UNAVAILABLE and result.reasons == ("provider_error",)


def test_the_models_are_loaded_once_however_many_threads_ask(monkeypatch):
    loads = []

    def counted(name):
        def make(*args):
            loads.append(name)
            return object()

        return make

    monkeypatch.setattr(face, "_models", None)
    monkeypatch.setattr(face.dlib, "get_frontal_face_detector", counted("detector"))
    monkeypatch.setattr(face.dlib, "shape_predictor", counted("landmarks"))
    monkeypatch.setattr(face.dlib, "face_recognition_model_v1", counted("descriptors"))
    start = threading.Barrier(6)
    seen = []

    def ask():
        start.wait()
        seen.append(face.load_models())

    threads = [threading.Thread(target=ask) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(loads) == ["descriptors", "detector", "landmarks"]
    assert len(seen) == 6 and all(models is seen[0] for models in seen)


def test_comparisons_from_several_threads_get_the_answers_one_at_a_time_gets():
    pairs = [
        (face_photos.selfie("collins", 1), face_photos.document_photo("collins")),
        (face_photos.selfie("hopper", 1), face_photos.document_photo("collins")),
        (face_photos.selfie("obama2", 2), face_photos.document_photo("obama")),
    ]
    alone = [matcher.compare(selfie=s, document_image=d) for s, d in pairs]
    together = [None] * len(pairs)

    def run(index):
        selfie, document = pairs[index]
        together[index] = matcher.compare(selfie=selfie, document_image=document)

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(pairs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert together == alone
    assert [result.outcome for result in alone] == ["passed", "failed", "passed"]


def test_the_offline_matcher_is_the_default_face_matcher():
    assert isinstance(configured("face_matcher"), face.OfflineFaceMatcher)
