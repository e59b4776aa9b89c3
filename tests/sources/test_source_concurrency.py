"""Imports against other processes, on a real SQLite file configured as in production (WAL, busy timeout,
IMMEDIATE transactions): one run per source across processes, and edits during an import are neither refused
(« database is locked ») nor lost (R-REL-08)."""

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from tests.factories import source_csv_rows, write_source_csv

ROOT = Path(__file__).resolve().parents[2]
CARREFOUR = [sys.executable, "-m", "carrefour.cli"]
DRIVER = [sys.executable, str(Path(__file__).with_name("sync_driver.py"))]
WAIT = 300  # seconds; generous: the machine may be busy
ROWS = 2000


pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="about SQLite's own locking")


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    """A production-like SQLite file with the schema (`carrefour migrate` in its own process), made once."""
    folder = tmp_path_factory.mktemp("migrated")
    done = run([*CARREFOUR, "migrate", "--verbosity", "0"], environment(folder))
    assert done.returncode == 0, done.stderr[-3000:]
    return folder / "carrefour.sqlite3"


@pytest.fixture
def data_dir(tmp_path, migrated) -> Path:
    """A data folder of its own for each test; the processes these tests start share its database file."""
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copyfile(migrated, folder / "carrefour.sqlite3")
    return folder


def environment(data_dir: Path) -> dict:
    env = {**os.environ, "CARREFOUR_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "carrefour.settings"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    return env


def run(command, env, **kwargs):
    return subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=WAIT, **kwargs)


def query(data_dir: Path, sql: str, *params):
    with sqlite3.connect(data_dir / "carrefour.sqlite3", timeout=30) as database:
        return database.execute(sql, params).fetchall()


def wait_until(condition, what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def stop_process(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.kill()
    process.communicate()


def feed_pipe(pipe: Path, content: bytes, reader: subprocess.Popen) -> None:
    """Write `content` into the named pipe once `reader` has opened it (never blocks if the reader died)."""
    deadline = time.monotonic() + WAIT
    while True:
        try:
            handle = os.open(pipe, os.O_WRONLY | os.O_NONBLOCK)
            break
        except OSError:  # ENXIO: nobody reads the pipe yet
            assert reader.poll() is None, f"the first run ended early: {reader.communicate()}"
            assert time.monotonic() < deadline, "timed out waiting for the first run to read its file"
            time.sleep(0.05)
    os.set_blocking(handle, True)
    with os.fdopen(handle, "wb") as stream:
        stream.write(content)


def last_json(output: str) -> dict:
    return json.loads(output.strip().splitlines()[-1])


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs a named pipe to hold the first run at its reading step")
def test_a_second_import_process_of_the_same_source_is_refused_while_the_first_runs(data_dir, tmp_path):
    env = environment(data_dir)
    assert run([*DRIVER, "prepare", "0"], env).returncode == 0
    feed = tmp_path / "feed.csv"
    os.mkfifo(feed)  # the first run takes the lock, then waits here until the test writes the file
    first = subprocess.Popen([*CARREFOUR, "import", "reseau-test", "--file", str(feed)], env=env, cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        wait_until(lambda: query(data_dir, "SELECT holder FROM sources_importlock WHERE holder != ''"), "the lock")
        second = run([*CARREFOUR, "import", "reseau-test", "--file", str(tmp_path / "unused.csv")], env)
        assert second.returncode == 1
        assert "Un import de cette source est déjà en cours" in second.stdout
        assert last_json(second.stdout)["status"] == "refused"
        write_source_csv(tmp_path / "rows.csv", source_csv_rows(12))
        feed_pipe(feed, (tmp_path / "rows.csv").read_bytes(), first)
        out, err = first.communicate(timeout=WAIT)
    finally:
        stop_process(first)
    assert first.returncode == 0, out + err
    assert last_json(out)["counts"]["created"] == 12
    assert query(data_dir, "SELECT holder FROM sources_importlock") == [("",)]
    statuses = query(data_dir, "SELECT status FROM sources_importrun ORDER BY id")
    assert statuses == [("succeeded",), ("refused",)]  # the first run, then the refused one


def test_twenty_concurrent_edits_during_an_import_are_neither_refused_nor_lost(data_dir, tmp_path):
    env = environment(data_dir)
    prepared = run([*DRIVER, "prepare", "20"], env)
    assert prepared.returncode == 0, prepared.stderr
    ids = last_json(prepared.stdout)
    feed = write_source_csv(tmp_path / "feed.csv", source_csv_rows(ROWS))
    stop = tmp_path / "stop"
    editors = subprocess.Popen([*DRIVER, "edit", json.dumps(ids), str(stop)], env=env, cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        importing = run([*CARREFOUR, "import", "reseau-test", "--file", str(feed)], env)
        stop.touch()
        out, err = editors.communicate(timeout=WAIT)
    finally:
        stop.touch()
        stop_process(editors)
    assert importing.returncode == 0, importing.stdout[-2000:] + importing.stderr[-2000:]
    assert last_json(importing.stdout)["counts"]["created"] == ROWS
    assert "database is locked" not in importing.stdout + importing.stderr + out + err
    assert editors.returncode == 0, err[-3000:]
    outcomes = last_json(out)
    assert [error for outcome in outcomes.values() for error in outcome["errors"]] == []
    for pk, outcome in outcomes.items():  # every sheet shows its thread's last saved edit
        assert outcome["saved"] > 0
        assert query(data_dir, "SELECT description FROM catalog_initiative WHERE id = ?", int(pk)) == [
            (outcome["last"],)]  # fmt: skip
    # The edits did run while the import held the database: some were saved between its start and its end.
    started, finished = query(data_dir, "SELECT started_at, finished_at FROM sources_importrun")[0]
    start, end = (dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC).timestamp() for value in (started, finished))
    during = [moment for outcome in outcomes.values() for moment in outcome["times"] if start <= moment <= end]
    assert len(during) >= 20
