"""Our side of the benchmark, run in a process whose settings point at the benchmark's data folder."""

import os
import time
from pathlib import Path

from django.conf import settings

from carrefour.search.bench.queries import BENCH_FACETS, BenchQuery
from carrefour.search.bench.timing import time_mix
from carrefour.search.types import SearchRequest


def to_request(query: BenchQuery) -> SearchRequest:
    return SearchRequest(
        text=query.text,
        filters=dict(query.filters),
        near=query.near,
        radius_km=query.radius_km,
        bbox=query.bbox,
        facets=BENCH_FACETS,
    )


def measure_ours(queries, repeat: int, log=print) -> dict:
    """Rebuild the index (timed), then time the mix through `carrefour.search.query`."""
    from carrefour.search import query, reindex

    log(f"Nous : reconstruction de l'index dans {settings.SEARCH_INDEX_DIR}…")
    started = time.perf_counter()
    reindex()
    build_s = time.perf_counter() - started
    index_bytes = disk_usage(Path(settings.SEARCH_INDEX_DIR))
    log(f"Nous : index construit en {build_s:.1f} s ; mesure de {len(queries)} requêtes × {repeat}…")
    requests = {id(item): to_request(item) for item in queries}
    timings = time_mix(queries, lambda item: query(requests[id(item)]).count, repeat)
    return {"build_s": build_s, "index_bytes": index_bytes, **timings}


def disk_usage(folder: Path) -> int:
    """Bytes the folder takes on disk, as `du` counts them (allocated blocks)."""
    total = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            total += os.lstat(os.path.join(root, name)).st_blocks * 512
    return total
