"""Benchmark of `carrefour demo`: wall time and database size, each size in a throwaway data folder.

    .venv/bin/python scripts/bench_demo.py                 # sizes 2000 and 100000
    .venv/bin/python scripts/bench_demo.py --sizes 500 5000

For each size the script runs, in a fresh data folder (CARREFOUR_DATA_DIR, SQLite):
  1. `carrefour demo --size N` on the empty folder: migrate, load the gazetteer and the taxonomy, then generate;
  2. `carrefour demo --size N --seed 1` again: replace the N demo initiatives with N others.
The baseline, measured in the same run, is `carrefour demo --size 1` on an empty folder: the set-up cost
(migrations, gazetteer, taxonomy) that every fresh run pays before generating.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run_demo(data_dir: Path, size: int, seed: int = 0) -> float:
    env = {**os.environ, "CARREFOUR_DATA_DIR": str(data_dir)}
    command = [sys.executable, "-m", "carrefour.cli", "demo", f"--size={size}", f"--seed={seed}"]
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def database_size(data_dir: Path) -> int:
    return sum(path.stat().st_size for path in data_dir.glob("carrefour.sqlite3*"))


def _mb(size: int) -> str:
    return f"{size / 1_000_000:,.1f} MB"


def bench(size: int, root: Path) -> None:
    data_dir = root / f"demo-{size}"
    fresh = run_demo(data_dir, size)
    fresh_db = database_size(data_dir)
    replace = run_demo(data_dir, size, seed=1)
    print(
        f"size {size:>7,}: empty folder {fresh:7.1f} s, replace {replace:7.1f} s, "
        f"database {_mb(fresh_db)} after the first run, {_mb(database_size(data_dir))} after the second"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 100_000])
    parser.add_argument("--keep", action="store_true", help="keep the data folders (printed at the end)")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="carrefour-bench-demo-"))
    try:
        baseline = run_demo(root / "baseline", 1)
        print(
            f"baseline   : empty folder, size 1 (migrate + gazetteer + taxonomy) {baseline:.1f} s, "
            f"database {_mb(database_size(root / 'baseline'))}"
        )
        for size in args.sizes:
            bench(size, root)
    finally:
        if args.keep:
            print(f"data folders kept in {root}")
        else:
            shutil.rmtree(root)


if __name__ == "__main__":
    main()
