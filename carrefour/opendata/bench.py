"""Memory of the exports: `python -m carrefour.opendata.bench [--chunk-size N]` over the current database.

Prints, for each format, the peak of Python allocations (tracemalloc) while writing both licence variants into a
throwaway folder, beside a baseline measured in the same run: holding every published initiative's text fields in
one list, which is what a non-streamed export would at least cost. Figures, not assertions (see STYLE.md).
"""

import argparse
import os
import tempfile
import time
import tracemalloc


def _peak(action) -> tuple[float, float, object]:
    tracemalloc.start()
    tracemalloc.reset_peak()
    started = time.perf_counter()
    result = action()
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20, elapsed, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunk-size", type=int, default=500)
    parser.add_argument("--format", action="append", help="only this format (repeatable); all by default")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carrefour.settings")
    import django

    django.setup()
    from django.conf import settings

    from carrefour.catalog.models import Initiative
    from carrefour.opendata.actions import export_open_data
    from carrefour.opendata.exports import FORMATS

    count = Initiative.published.count()
    print(f"{count} published initiatives, chunk size {args.chunk_size}")
    fields = ("pk", "name", "summary", "description", "slug", "website")
    peak, elapsed, _ = _peak(lambda: list(Initiative.published.values_list(*fields)))
    print(f"baseline: all text fields in one list      peak {peak:8.1f} MiB  {elapsed:6.1f} s")
    with tempfile.TemporaryDirectory() as folder:
        settings.OPENDATA_DIR = folder
        for key in args.format or FORMATS:
            peak, elapsed, manifest = _peak(lambda key=key: export_open_data([key], chunk_size=args.chunk_size))
            sizes = sum(info["bytes"] for info in manifest["files"].values() if info["format"] == key)
            print(f"{key:13} (both licences, {sizes / 2**20:6.1f} MiB)  peak {peak:8.1f} MiB  {elapsed:6.1f} s")


if __name__ == "__main__":
    main()
