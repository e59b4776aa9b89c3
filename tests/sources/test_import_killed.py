"""An import killed mid-run (SIGKILL: no cleanup code runs) loses nothing and blocks nothing for good: the database
holds all or nothing of that run, and a re-run completes with every row once and the search outbox complete.

On a real SQLite file configured as in production (WAL), with `carrefour import` in its own process.
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from carrefour.sources.sync import STALE_LOCK_AFTER
from tests.factories import source_csv_rows, write_source_csv

ROOT = Path(__file__).resolve().parents[2]
CARREFOUR = [sys.executable, "-m", "carrefour.cli"]
DRIVER = [sys.executable, str(Path(__file__).with_name("sync_driver.py"))]
WAIT = 600
ROWS = 5000
WAL_GROWTH = 1024 * 1024  # bytes of write-ahead log: the run's write transaction is under way
# The re-run, without the after-commit index apply, so that the outbox it wrote can be read back whole.
RERUN = """
import sys, django
django.setup()
from django.conf import settings
from django.core.management import call_command
settings.SEARCH_APPLY_ON_COMMIT = False
call_command("import", "reseau-test", "--file", sys.argv[1])
"""

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="kills a process holding a SQLite file")


@pytest.fixture
def data_dir(tmp_path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    env = environment(folder)
    migrated = run([*CARREFOUR, "migrate", "--verbosity", "0"], env)
    assert migrated.returncode == 0, migrated.stderr[-3000:]
    prepared = run([*DRIVER, "prepare", "0"], env)
    assert prepared.returncode == 0, prepared.stderr[-3000:]
    return folder


def environment(data_dir: Path) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("CARREFOUR_", "DATABASE_URL"))}
    env.update(CARREFOUR_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="carrefour.settings")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")]))
    return env


def run(command, env) -> subprocess.CompletedProcess:
    return subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=WAIT)


def query(data_dir: Path, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(data_dir / "carrefour.sqlite3", timeout=30) as database:
        return database.execute(sql, params).fetchall()


def wal_size(data_dir: Path) -> int:
    wal = data_dir / "carrefour.sqlite3-wal"
    return wal.stat().st_size if wal.exists() else 0


def feed(tmp_path: Path) -> Path:
    rows = source_csv_rows(ROWS)
    for index, row in enumerate(rows):
        row["id"] = f"TL-{index + 1:05d}"
        row["nom"] = f"Tiers-lieu de test numéro {index + 1}"
    return write_source_csv(tmp_path / "feed.csv", rows)


def kill_during_write(data_dir: Path, path: Path) -> subprocess.Popen:
    """Start an import; SIGKILL it once its run row exists and its write transaction has grown the WAL."""
    process = subprocess.Popen([*CARREFOUR, "import", "reseau-test", "--file", str(path)], env=environment(data_dir),
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)  # fmt: skip
    baseline, deadline = None, time.monotonic() + WAIT
    try:
        while time.monotonic() < deadline:
            assert process.poll() is None, f"the import ended before it could be killed: {process.communicate()}"
            if baseline is None and query(data_dir, "SELECT id FROM sources_importrun"):
                baseline = wal_size(data_dir)
            if baseline is not None and wal_size(data_dir) - baseline > WAL_GROWTH:
                process.send_signal(signal.SIGKILL)
                process.communicate(timeout=WAIT)
                return process
            time.sleep(0.02)
        raise AssertionError("the import never started writing")
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def test_a_killed_import_leaves_all_or_nothing_and_a_rerun_completes(data_dir, tmp_path):
    path = feed(tmp_path)

    killed = kill_during_write(data_dir, path)

    assert killed.returncode == -signal.SIGKILL
    assert query(data_dir, "PRAGMA integrity_check") == [("ok",)]
    initiatives = query(data_dir, "SELECT COUNT(*) FROM catalog_initiative")[0][0]
    records = query(data_dir, "SELECT COUNT(*) FROM sources_sourcerecord")[0][0]
    assert (initiatives, records) == (0, 0), "a killed run must leave nothing of its write transaction"
    # The run row, written before the transaction, stays « running » and the lock names the dead process.
    assert query(data_dir, "SELECT status FROM sources_importrun") == [("running",)]
    (holder,) = query(data_dir, "SELECT holder FROM sources_importlock")[0]
    assert holder.split(":")[1] == str(killed.pid)

    rerun = _rerun(data_dir, path)
    if "Un import de cette source est déjà en cours" in rerun.stdout:
        # The lock of a dead process is only taken over once it is STALE_LOCK_AFTER old: let that time pass.
        query(
            data_dir,
            "UPDATE sources_importlock SET acquired_at = datetime('now', ?)",
            f"-{STALE_LOCK_AFTER + 60} seconds",
        )
        rerun = _rerun(data_dir, path)

    assert rerun.returncode == 0, rerun.stdout[-2000:] + rerun.stderr[-3000:]
    report = json.loads(rerun.stdout.strip().splitlines()[-1])
    assert report["status"] == "succeeded" and report["counts"]["created"] == ROWS
    assert query(data_dir, "SELECT COUNT(*), COUNT(DISTINCT name) FROM catalog_initiative") == [(ROWS, ROWS)]
    assert query(data_dir, "SELECT COUNT(*), COUNT(DISTINCT external_id) FROM sources_sourcerecord") == [(ROWS, ROWS)]
    missing = query(
        data_dir,
        "SELECT COUNT(*) FROM catalog_initiative WHERE id NOT IN (SELECT initiative_id FROM search_indexoutbox)",
    )
    assert missing == [(0,)], "every imported sheet must be in the search outbox"
    assert query(data_dir, "SELECT holder FROM sources_importlock") == [("",)]


def _rerun(data_dir: Path, path: Path) -> subprocess.CompletedProcess:
    return run([sys.executable, "-c", RERUN, str(path)], environment(data_dir))
