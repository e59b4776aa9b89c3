"""Deterministic dates for demo rows: a fixed reference date minus random durations, never the wall clock."""

import random
from datetime import UTC, datetime, timedelta

REFERENCE_DATE = datetime(2026, 1, 1, tzinfo=UTC)


class DemoClock:
    def __init__(self, rng: random.Random, now: datetime = REFERENCE_DATE):
        self._rng = rng
        self.now = now

    def past(self, max_days: int) -> datetime:
        """A moment between `max_days` days and one day before the reference date."""
        return self.now - timedelta(days=self._rng.randint(1, max_days), seconds=self._rng.randint(0, 86_399))

    def between(self, start: datetime, end: datetime | None = None) -> datetime:
        """A moment between `start` and `end` (the reference date by default), to the second."""
        span = ((end or self.now) - start).total_seconds()
        return start + timedelta(seconds=int(span * self._rng.random()))
