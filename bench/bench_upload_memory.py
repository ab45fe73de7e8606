"""Memory per photo upload, over real HTTP against gunicorn: the resident-set high-water mark
(VmHWM, reset before each round through /proc/PID/clear_refs) of each worker process while it
takes hostile files and honest phone photos, one at a time and 8 in parallel (with the threads of
production's gthread workers, several in one worker at once), against the
baseline of the same workers idle after warming up, in the same run. Prints figures; it does
not pass or fail. Linux only (it reads /proc); uses a throwaway SQLite database and media folder.

    .venv/bin/python bench/bench_upload_memory.py     # BENCH_WORKERS, BENCH_THREADS, BENCH_PARALLEL

BENCH_SERVE_FROM=/path/to/another/checkout serves that checkout instead (the same database and
files), to compare with an earlier revision: `git archive REV | tar -x -C /tmp/old`.
"""

from __future__ import annotations

import io
import os
import re
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FOLDER = Path(tempfile.mkdtemp(prefix="bench-uploads-"))
ENVIRONMENT = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DATABASE_URL": f"sqlite:///{FOLDER}/bench.sqlite3",
    "MEDIA_ROOT": str(FOLDER / "media"),
    "CELERY_TASK_ALWAYS_EAGER": "true",
    "LOG_LEVEL": "WARNING",
}
os.environ.update(ENVIRONMENT)

import django  # noqa: E402

django.setup()

import requests  # noqa: E402
from django.core.management import call_command  # noqa: E402
from PIL import Image, ImageDraw, ImageFilter  # noqa: E402

from identity import cases  # noqa: E402
from identity.models import User  # noqa: E402
from identity.services import issue_api_token  # noqa: E402

# As the Procfile deploys them: 3 gthread workers of 4 threads, so that a worker's high-water mark
# covers the uploads its threads take at once; BENCH_THREADS=1 gives the old sync workers.
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
THREADS = int(os.environ.get("BENCH_THREADS", "4"))
PARALLEL = int(os.environ.get("BENCH_PARALLEL", "8"))
SERVE_FROM = Path(os.environ.get("BENCH_SERVE_FROM", ROOT))
MB = 1024 * 1024
ENDPOINT = "/api/v1/identity/case/document/photo"


# --- Files ----------------------------------------------------------------------------------------


def _phone_photo(size: tuple[int, int], quality: int = 88) -> bytes:
    """A photo-like JPEG: a page with lines of print, a gradient of light and sensor noise."""
    small = Image.new("RGB", (size[0] // 8, size[1] // 8), (215, 210, 195))
    draw = ImageDraw.Draw(small)
    for row in range(10, small.height - 10, 6):
        for column in range(10, small.width - 20, 24):
            draw.rectangle([column, row, column + 15, row + 2], fill=(40, 40, 50))
    image = small.resize(size, Image.Resampling.BILINEAR)
    noise = Image.effect_noise(size, 18).convert("RGB")
    image = Image.blend(image, noise, 0.12).filter(ImageFilter.SMOOTH)
    output = io.BytesIO()
    image.save(output, format="JPEG", quality=quality)
    return output.getvalue()


def _save(image: Image.Image, fmt: str, **options) -> bytes:
    output = io.BytesIO()
    image.save(output, format=fmt, **options)
    return output.getvalue()


def _png_bomb(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    rows = (b"\x00" + b"\xff" * ((width + 7) // 8)) * height
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def _lying_jpeg() -> bytes:
    jpeg = bytearray(_phone_photo((900, 700)))
    at = jpeg.index(b"\xff\xc0")
    jpeg[at + 5 : at + 9] = struct.pack(">HH", 6600, 6000)
    return bytes(jpeg)


def files() -> dict[str, tuple[bytes, str]]:
    """name -> (bytes, what kind of file it is)."""
    page = Image.open(io.BytesIO(_phone_photo((4000, 4000), quality=70)))
    return {
        "png 1-bit 6000x6600 (5 KB bomb)": (_png_bomb(6000, 6600), "hostile"),
        "jpeg header 6000x6600, 900x700 data": (_lying_jpeg(), "hostile"),
        "png 1-bit 4000x4000 (at the 16 MP cap)": (_png_bomb(4000, 4000), "hostile"),
        "png RGBA 4000x4000 (at the 16 MP cap)": (_save(page.convert("RGBA"), "PNG", compress_level=1), "hostile"),
        "jpeg progressive 4000x4000 (at the cap)": (_save(page, "JPEG", progressive=True, quality=70), "hostile"),
        "webp 4000x4000 (at the cap)": (_save(page, "WEBP", quality=60, method=0), "hostile"),
        "phone jpeg 12 MP 4032x3024": (_phone_photo((4032, 3024)), "honest"),
        "phone jpeg 24 MP 5712x4284": (_phone_photo((5712, 4284), quality=80), "honest"),
        "phone jpeg 50 MP 8160x6144": (_phone_photo((8160, 6144), quality=60), "honest"),
    }


# --- The server and its workers -------------------------------------------------------------------


def start_gunicorn() -> tuple[subprocess.Popen, str]:
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", "127.0.0.1:0", "--workers", str(WORKERS)]
    if THREADS > 1:
        command += ["--worker-class", "gthread", "--threads", str(THREADS)]
    server = subprocess.Popen(
        command,
        cwd=SERVE_FROM,
        env={**os.environ, **ENVIRONMENT, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = server.stdout.readline()
        found = re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", line)
        if found:
            threading.Thread(target=server.stdout.read, daemon=True).start()  # keep the pipe drained
            return server, found.group(1)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def worker_pids(master: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:
                pids.append(int(entry.name))
    return sorted(pids)


def _status(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise LookupError(field)


def reset_high_water(pids: list[int]) -> None:
    for pid in pids:
        Path(f"/proc/{pid}/clear_refs").write_text("5")


def high_water(pids: list[int]) -> dict[int, int]:
    return {pid: _status(pid, "VmHWM") for pid in pids}


def resident(pids: list[int]) -> dict[int, int]:
    return {pid: _status(pid, "VmRSS") for pid in pids}


# --- People who upload ------------------------------------------------------------------------------


def people(count: int) -> list[str]:
    call_command("migrate", verbosity=0)
    tokens = []
    for index in range(count):
        person = User.objects.create_user(email=f"bench{index}@example.com")
        case = cases.editable_case(person=person)
        cases.choose_document_type(case=case, document_type="passport")
        token, _expires = issue_api_token(user=person)
        tokens.append(token)
    return tokens


def upload(base: str, token: str, name: str, data: bytes) -> tuple[int, str, float]:
    started = time.perf_counter()
    response = requests.post(
        base + ENDPOINT,
        files={"photo": (name, data, "application/octet-stream")},
        headers={"Authorization": f"Bearer {token}"},
        timeout=120,
    )
    code = response.json().get("error", {}).get("code", "stored") if response.status_code != 201 else "stored"
    return response.status_code, code, time.perf_counter() - started


def parallel(base: str, tokens: list[str], name: str, data: bytes) -> list[tuple[int, str, float]]:
    results: list = [None] * PARALLEL
    threads = [
        threading.Thread(target=lambda i=i: results.__setitem__(i, upload(base, tokens[i], name, data)))
        for i in range(PARALLEL)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def oversized_body(base: str, token: str, chunked: bool) -> tuple[str, float, float]:
    """A signed-in 300 MB photo upload, with its length declared or chunked: the answer, the MB
    sent before it came (what the server read, plus socket buffers) and the seconds it took."""
    host, port = base.removeprefix("http://").split(":")
    total = 300 * MB
    preamble = b'--x\r\nContent-Disposition: form-data; name="photo"; filename="a.jpg"\r\n\r\n'
    framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {total}"
    headers = (
        f"POST {ENDPOINT} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: multipart/form-data; boundary=x\r\n{framing}\r\n\r\n"
    ).encode()
    piece = b"x" * (256 * 1024)
    if chunked:
        preamble = f"{len(preamble):x}\r\n".encode() + preamble + b"\r\n"
        piece = f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
    answered = threading.Event()
    sent = [0]
    started = time.monotonic()
    with socket.create_connection((host, int(port)), timeout=120) as connection:
        connection.sendall(headers + preamble)

        def send() -> None:
            try:
                while sent[0] < total and not answered.is_set():
                    connection.sendall(piece)
                    sent[0] += len(piece)
            except OSError:
                pass  # the server answered and closed

        sender = threading.Thread(target=send, daemon=True)
        sender.start()
        answer = b""
        while b"\r\n" not in answer:
            more = connection.recv(65536)
            if not more:
                break
            answer += more
        seconds = time.monotonic() - started
        answered.set()
    sender.join(timeout=30)
    return answer.split(b"\r\n")[0].decode(errors="replace"), sent[0] / MB, seconds


def main() -> None:
    corpus = files()
    tokens = people(PARALLEL)
    server, base = start_gunicorn()
    try:
        deadline = time.monotonic() + 60
        while len(worker_pids(server.pid)) < WORKERS and time.monotonic() < deadline:
            time.sleep(0.1)
        pids = worker_pids(server.pid)
        # Warm up: every worker imports everything and cleans a photo once.
        warm = _phone_photo((1200, 900))
        for _ in range(3):
            parallel(base, tokens, "warm.jpg", warm)
        idle = resident(pids)
        idle_mean = statistics.mean(idle.values())
        kind = f"gthread, {THREADS} threads" if THREADS > 1 else "sync"
        print(f"gunicorn serving {SERVE_FROM}: {len(pids)} workers ({kind}), {PARALLEL} in parallel; RSS in MB")
        print(f"baseline: idle worker RSS after warm-up {idle_mean / MB:7.1f} MB (mean of {len(pids)})")
        print()
        print(
            f"{'file':42} {'bytes':>9} {'answer':>26} {'one: peak':>10} {'+idle':>7} {'s':>5} "
            f"{'x' + str(PARALLEL) + ': peak':>10} {'+idle':>7} {'sum+idle':>9} {'kept':>6} {'p50 s':>6}"
        )
        for name, (data, _kind) in corpus.items():
            before = resident(pids)
            reset_high_water(pids)
            status, code, seconds = upload(base, tokens[0], name, data)
            one = high_water(pids)
            one_peak = max(one.values())
            one_extra = max(one[pid] - before[pid] for pid in pids)
            before = resident(pids)
            reset_high_water(pids)
            results = parallel(base, tokens, name, data)
            many = high_water(pids)
            after = resident(pids)
            many_extra = [many[pid] - before[pid] for pid in pids]
            answers = sorted({f"{s} {c}" for s, c, _ in results} | {f"{status} {code}"})
            kept = sum(after[pid] - idle[pid] for pid in pids)
            print(
                f"{name:42} {len(data):9d} {', '.join(answers)[:26]:>26} {one_peak / MB:10.1f} "
                f"{one_extra / MB:7.1f} {seconds:5.2f} {max(many.values()) / MB:10.1f} {max(many_extra) / MB:7.1f} "
                f"{sum(many_extra) / MB:9.1f} {kept / MB:6.1f} {statistics.median(r[2] for r in results):6.2f}"
            )
        print()
        for chunked in (False, True):
            answer, megabytes, seconds = oversized_body(base, tokens[0], chunked)
            framing = "chunked" if chunked else "Content-Length"
            print(f"300 MB upload, {framing:14}: {answer:40} after {megabytes:6.1f} MB sent, {seconds:6.2f} s")
        print(
            f"after all rounds: worker RSS {statistics.mean(resident(pids).values()) / MB:.1f} MB mean, "
            f"{(statistics.mean(resident(pids).values()) - idle_mean) / MB:+.1f} MB over idle"
        )
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
