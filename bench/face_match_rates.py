"""False-match and false-non-match rates of the offline face matcher on the generated test set
(tests/face_photos.py): every document photo compared with every selfie, at the configured
threshold and a few around it, with the time one comparison takes and the memory the models
hold. Prints figures; it does not pass or fail.

    .venv/bin/python bench/face_match_rates.py

A genuine pair is one person's selfie with their own document photo; an impostor pair is anyone
else's. A genuine pair that is not matched (including a face not found) is a false non-match; an
impostor pair that is matched is a false match."""

from __future__ import annotations

import io
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.conf import settings  # noqa: E402
from PIL import Image  # noqa: E402

from identity.verifiers import face  # noqa: E402
from tests import face_photos  # noqa: E402

SELFIES_PER_PHOTO = int(os.environ.get("BENCH_SELFIES", "6"))
DOCUMENTS_PER_PHOTO = int(os.environ.get("BENCH_DOCUMENTS", "2"))


def rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    before = rss_mib()
    started = time.perf_counter()
    face.load_models()
    load_seconds = time.perf_counter() - started
    models_mib = rss_mib() - before

    documents, selfies = [], []
    for source in face_photos.SOURCES:
        for seed in range(DOCUMENTS_PER_PHOTO):
            documents.append((source, f"{source.key} document {seed}", face_photos.document_photo(source.key, seed)))
        for variant in range(SELFIES_PER_PHOTO):
            selfies.append((source, f"{source.key} selfie {variant}", face_photos.selfie(source.key, variant)))

    described = {label: face.describe(data) for _source, label, data in documents + selfies}
    for label, found in described.items():
        if found.count != 1:
            print(f"  {label}: {found.count} faces found")

    genuine, impostor, other_photo = [], [], []
    for doc_source, doc_label, _data in documents:
        document = described[doc_label]
        for selfie_source, selfie_label, _data in selfies:
            selfie = described[selfie_label]
            if document.descriptor is None or selfie.descriptor is None:
                distance = float("inf")  # no face to compare: never a match
            else:
                distance = float(np.linalg.norm(document.descriptor - selfie.descriptor))
            if doc_source.person != selfie_source.person:
                impostor.append(distance)
                continue
            genuine.append(distance)
            if doc_source.key != selfie_source.key:
                other_photo.append(distance)

    people = len({source.person for source in face_photos.SOURCES})
    print(
        f"Test set: {len(face_photos.SOURCES)} photos of {people} people; {len(documents)} document photos, "
        f"{len(selfies)} selfies; {len(genuine)} genuine and {len(impostor)} impostor pairs"
    )
    found = [d for d in genuine if d != float("inf")]
    print(
        f"Genuine distances: min {min(found):.3f}, median {statistics.median(found):.3f}, max {max(found):.3f}; "
        f"impostor: min {min(impostor):.3f}, median {statistics.median(impostor):.3f}"
    )
    if other_photo:
        print(
            f"  of which {len(other_photo)} genuine pairs from two different photos of the person: "
            f"median {statistics.median(other_photo):.3f}, max {max(other_photo):.3f}"
        )
    configured = float(settings.IDENTITY_FACE_MATCH_THRESHOLD)
    print("threshold  false non-match (FNMR)  false match (FMR)")
    for threshold in sorted({0.4, 0.45, 0.5, 0.55, 0.6, 0.65, configured}):
        fnmr = sum(d >= threshold for d in genuine)
        fmr = sum(d < threshold for d in impostor)
        mark = "  <- IDENTITY_FACE_MATCH_THRESHOLD" if threshold == configured else ""
        print(
            f"  {threshold:.2f}     {fnmr:3d}/{len(genuine)} = {fnmr / len(genuine):6.2%}"
            f"        {fmr:3d}/{len(impostor)} = {fmr / len(impostor):6.2%}{mark}"
        )

    matcher = face.OfflineFaceMatcher()
    timings = []
    for (_p, _l, document), (_q, _m, selfie) in zip(documents, selfies[::SELFIES_PER_PHOTO], strict=False):
        started = time.perf_counter()
        matcher.compare(selfie=selfie, document_image=document)
        timings.append(time.perf_counter() - started)
    print(
        "One comparison (compare(), both photos decoded and described): "
        f"median {statistics.median(timings) * 1000:.0f} ms, max {max(timings) * 1000:.0f} ms over {len(timings)}"
    )
    # A full-size phone photo of the document: shrunk before detection, so it costs about the same.
    big = Image.open(io.BytesIO(documents[0][2])).resize((4032, 3024), Image.Resampling.LANCZOS)
    output = io.BytesIO()
    big.save(output, format="JPEG", quality=90)
    started = time.perf_counter()
    result = matcher.compare(selfie=selfies[0][2], document_image=output.getvalue())
    print(
        f"With a 4032x3024 document photo ({len(output.getvalue()) // 1024} KiB): "
        f"{(time.perf_counter() - started) * 1000:.0f} ms, {result.outcome}"
    )
    print(f"Models: loaded in {load_seconds * 1000:.0f} ms, {models_mib:.0f} MiB of resident memory")


if __name__ == "__main__":
    main()
