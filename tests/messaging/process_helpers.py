"""Code run in separate processes by the concurrency tests (imported with this folder on PYTHONPATH)."""

import os
import sys
import time
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend

BARRIER_TIMEOUT = 60


def wait_for_peers(folder: Path, name: str, peers: int) -> None:
    """Each process says it is ready, then waits until `peers` processes are: their work then overlaps."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}-{os.getpid()}").touch()
    deadline = time.monotonic() + BARRIER_TIMEOUT
    while len(list(folder.glob(f"{name}-*"))) < peers and time.monotonic() < deadline:
        time.sleep(0.02)


class RecordingBackend(BaseEmailBackend):
    """Appends each message's Message-ID and this process id to a log; the first send waits for the other worker."""

    started = False

    def send_messages(self, email_messages):
        folder = Path(os.environ["CARREFOUR_TEST_LOG_DIR"])
        if not RecordingBackend.started:
            wait_for_peers(folder, "ready", int(os.environ.get("CARREFOUR_TEST_PEERS", "2")))
            RecordingBackend.started = True
        with (folder / "deliveries.log").open("a") as log:
            for message in email_messages:
                time.sleep(0.01)
                log.write(f"{message.extra_headers['Message-ID']} {os.getpid()}\n")
        return len(email_messages)


def rate_hits(count: int, limit: int) -> None:
    """Hit one shared limit `count` times; print how many hits were accepted."""
    from datetime import timedelta

    from carrefour.messaging import ratelimit

    wait_for_peers(Path(os.environ["CARREFOUR_TEST_LOG_DIR"]), "rate", int(os.environ.get("CARREFOUR_TEST_PEERS", "2")))
    accepted = 0
    for _ in range(count):
        time.sleep(0.01)  # a request's worth of other work: the two processes' hits interleave
        try:
            ratelimit.consume([ratelimit.Limit("test:ip", "192.0.2.7", limit, timedelta(hours=1))])
        except ratelimit.RateLimited:
            continue
        accepted += 1
    sys.stdout.write(f"accepted={accepted}\n")
