"""The replay's progress on stderr: a tqdm bar (items done of the total, rate and time left) on a
terminal, and plain lines saying the same where stderr is a file or a pipe (a log keeps them)."""

from __future__ import annotations

import time
from typing import TextIO

from tqdm import tqdm


class Progress:
    """Told how many items are done so far (never fewer than before), it shows them. `already`
    are the items an earlier run of the same replay did: they count towards the total but not
    towards the rate, so the time left is the time this run will take."""

    def __init__(self, *, total: int, already: int, stream: TextIO, every: int = 100):
        self.total = total
        self.done = already
        self.already = already
        self.stream = stream
        self.every = max(1, every)
        self.started = time.monotonic()
        self.last_line = already
        self.bar = None
        if stream.isatty():
            self.bar = tqdm(total=total, initial=already, unit="item", file=stream, dynamic_ncols=True, smoothing=0.05)

    def update(self, done: int) -> None:
        if done <= self.done:
            return
        if self.bar is not None:
            self.bar.update(done - self.done)
        self.done = done
        if self.bar is None and (done - self.last_line >= self.every or done >= self.total):
            self.stream.write(self.line() + "\n")
            self.stream.flush()
            self.last_line = done

    def line(self) -> str:
        elapsed = time.monotonic() - self.started
        rate = (self.done - self.already) / elapsed if elapsed > 0 else 0.0
        left = (self.total - self.done) / rate if rate > 0 else None
        return (
            f"{self.done}/{self.total} items ({100 * self.done / max(self.total, 1):.0f}%), "
            f"{rate:.2f} items/s, {elapsed:.0f} s so far, "
            + (f"about {left:.0f} s left" if left is not None else "time left not known yet")
        )

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
