"""Timing helpers shared by the in-process benchmark, the peer recipe and the HTTP load script (standard library)."""

import math
import time
from collections.abc import Callable, Sequence


def percentile(samples: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile (fraction in [0, 1]) of the samples; NaN when there are none."""
    if not samples:
        return math.nan
    ordered = sorted(samples)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def time_mix(queries: Sequence, run: Callable, repeat: int) -> dict:
    """Run every query once (warm-up), then `repeat` rounds of the whole mix in turn.

    Returns, per query in order, the wall-clock milliseconds ("samples"), the CPU milliseconds of this process
    ("cpu": meaningful in process only, and steadier than wall time on a busy machine) and what `run` answered on
    the warm-up round ("counts": its result count, for the report).
    """
    counts = [run(query) for query in queries]
    samples: list[list[float]] = [[] for _ in queries]
    cpu: list[list[float]] = [[] for _ in queries]
    for _ in range(repeat):
        for index, query in enumerate(queries):
            started, started_cpu = time.perf_counter(), time.process_time()
            run(query)
            samples[index].append((time.perf_counter() - started) * 1000)
            cpu[index].append((time.process_time() - started_cpu) * 1000)
    return {"samples": samples, "cpu": cpu, "counts": counts}
