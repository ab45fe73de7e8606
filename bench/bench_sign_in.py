"""Sign-in cost: one code request plus one check-and-consume, against a baseline of the same
number of plain single-row inserts and reads, in the same run on the same database. Prints
figures; it does not pass or fail. Uses DATABASE_URL (PostgreSQL for real figures) or a
throwaway SQLite file."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

call_command("migrate", verbosity=0)

from identity import services  # noqa: E402
from identity.models import CodeChannel, CodePurpose, OutboundMessage  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "200"))


def baseline(index: int) -> None:
    message = OutboundMessage.objects.create(key=f"baseline:{index}", channel="email", to="b@example.com", body="x")
    OutboundMessage.objects.get(pk=message.pk)


def sign_in(index: int) -> None:
    email = f"bench{index}@example.com"
    services.request_code(
        destination=email, channel=CodeChannel.EMAIL, purpose=CodePurpose.SIGN_IN, client_address=None
    )
    body = OutboundMessage.objects.filter(to=email).latest("id").body
    code = next(word for word in body.replace(".", " ").split() if word.isdigit() and len(word) == 6)
    services.check_code(
        destination=email, purpose=CodePurpose.SIGN_IN, channel=CodeChannel.EMAIL, code=code, client_address=None
    )


def measure(function) -> list[float]:
    times = []
    for index in range(ROUNDS):
        start = time.perf_counter()
        function(index)
        times.append(time.perf_counter() - start)
    return times


base = measure(baseline)
real = measure(sign_in)
base_ms, real_ms = statistics.median(base) * 1000, statistics.median(real) * 1000
engine = django.db.connection.vendor
print(f"database: {engine}, rounds: {ROUNDS}")
print(f"baseline insert+read     median {base_ms:7.2f} ms")
print(f"code request+check       median {real_ms:7.2f} ms   p95 {sorted(real)[int(ROUNDS * 0.95)] * 1000:7.2f} ms")
print(f"ratio to baseline        {real_ms / base_ms:7.1f}x")
