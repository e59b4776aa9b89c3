"""Several servers on one database, each with its own index folder, in real processes.

The pytest test database is copied into a standalone one (SQLite: a file, through the backup API; PostgreSQL: a
database created from it as a template), so that the servers see committed data and this test never changes the
test database the other tests share.
"""

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.db import connections

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SETUP = "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'carrefour.settings'); django.setup()\n"


@pytest.fixture(scope="module")
def template_url(django_db_setup, django_db_blocker, tmp_path_factory):
    """A standalone copy of the test database (migrated, gazetteer and taxonomy loaded), made before any test opens
    its transaction; the shared test database itself is never changed."""
    with django_db_blocker.unblock():
        connection = connections["default"]
        settings, folder = connection.settings_dict, tmp_path_factory.mktemp("shared-db")
        if connection.vendor == "sqlite":
            assert connection.creation.is_in_memory_db(settings["NAME"]), f"not the test database: {settings['NAME']}"
            connection.ensure_connection()
            with sqlite3.connect(folder / "template.sqlite3") as copy:
                connection.connection.backup(copy)
                copy.execute("PRAGMA journal_mode=DELETE")
            yield f"sqlite:///{folder / 'template.sqlite3'}"
        elif connection.vendor == "postgresql":
            assert str(settings["NAME"]).startswith("test_"), f"not the test database: {settings['NAME']}"
            connections.close_all()  # CREATE DATABASE … TEMPLATE needs the template to have no session
            yield from _postgresql_copy(settings, settings["NAME"])
        else:
            pytest.skip(f"{connection.vendor} is not supported by this test")


@pytest.fixture
def database_url(template_url, tmp_path):
    """A fresh copy of the template for one test."""
    if template_url.startswith("sqlite:///"):
        path = tmp_path / "carrefour.sqlite3"
        shutil.copyfile(template_url.removeprefix("sqlite:///"), path)
        with sqlite3.connect(path) as database:
            database.execute("PRAGMA journal_mode=WAL")
        yield f"sqlite:///{path}"
    else:
        server, template = template_url.rsplit("/", 1)
        yield from _postgresql_copy(dict(_server_settings(server)), template)


def _server_settings(server: str):
    parsed = urllib.parse.urlparse(server)
    yield "USER", parsed.username
    yield "PASSWORD", parsed.password
    yield "HOST", parsed.hostname
    yield "PORT", parsed.port


def _postgresql_copy(settings: dict, template: str):
    import psycopg

    user, password = settings["USER"] or "postgres", settings.get("PASSWORD") or ""
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    server = f"postgres://{user}{':' + password if password else ''}@{host}:{port}"
    copy = f"carrefour_scaleout_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server.replace("postgres://", "postgresql://") + "/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{template}"')
    try:
        yield f"{server}/{copy}"
    finally:
        with psycopg.connect(server.replace("postgres://", "postgresql://") + "/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(database_url: str, folder: Path, name: str) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith("CARREFOUR_")}
    env.update(
        DATABASE_URL=database_url,
        CARREFOUR_DATA_DIR=str(folder),
        CARREFOUR_INDEX_NAME=name,
        CARREFOUR_API_RATE="",
        CARREFOUR_API_BURST="",
        CARREFOUR_API_PAGE_RATE="",
        DJANGO_SETTINGS_MODULE="carrefour.settings",
        PYTHONPATH=str(ROOT),
    )
    return env


def run_python(code: str, env: dict, timeout: float = 300) -> str:
    result = subprocess.run(
        [sys.executable, "-c", SETUP + textwrap.dedent(code)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def start(argv: list[str], env: dict, log: Path) -> subprocess.Popen:
    handle = open(log, "wb")  # noqa: SIM115 (closed with the process)
    process = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT)
    process.log = handle
    return process


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
        process.log.close()


def search_names(port: int, text: str) -> set[str]:
    url = f"http://127.0.0.1:{port}/api/v1/search?q={urllib.parse.quote(text)}&page_size=50"
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (127.0.0.1 only)
            return {hit["name"] for hit in json.load(response)["results"]}
    except OSError:
        return set()  # not listening yet, or the index is being built


def wait_for(port: int, text: str, expected: str, seconds: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if expected in search_names(port, text):
            return time.monotonic() - started
        time.sleep(0.2)
    return -1.0


CREATE = """
from tests.factories import make_initiative
sheet = make_initiative("Atelier vélo de Quimper")
print(sheet.pk)
"""

RENAME = """
from carrefour.catalog import actions
from carrefour.catalog.models import Initiative
actions.rename(Initiative.objects.get(pk={pk}), "Atelier triporteurs de Quimper")
"""


@pytest.mark.django_db
def test_a_change_made_through_one_server_is_found_through_the_other_within_seconds(database_url, tmp_path):
    servers = {name: (tmp_path / name, free_port()) for name in ("a", "b")}
    envs = {name: server_env(database_url, folder, f"server-{name}") for name, (folder, _port) in servers.items()}
    pk = int(run_python(CREATE, envs["a"]).strip())
    processes = []
    try:
        for name, (_folder, port) in servers.items():
            serve = [str(BIN / "carrefour"), "serve", "--port", str(port), "--workers", "1"]
            processes.append(start(serve, envs[name], tmp_path / f"web-{name}.log"))
            worker = [str(BIN / "carrefour"), "index_worker", "--interval", "0.2", "--verbosity", "0"]
            processes.append(start(worker, envs[name], tmp_path / f"worker-{name}.log"))
        # Each worker builds its own index from the catalogue on start (the folders are new).
        for name, (_folder, port) in servers.items():
            assert wait_for(port, "atelier", "Atelier vélo de Quimper", 60) >= 0, tmp_path / f"worker-{name}.log"
        run_python(RENAME.format(pk=pk), envs["a"])
        seconds = wait_for(servers["b"][1], "triporteurs", "Atelier triporteurs de Quimper", 20)
        assert seconds >= 0, "server b never found the change made through server a"
        assert "Atelier triporteurs de Quimper" in search_names(servers["a"][1], "triporteurs")
    finally:
        stop(processes)
    print(f"change visible through the other server after {seconds:.1f} s")


SEED = """
from carrefour.catalog import actions
from tests.factories import make_initiative
for number in range({count}):
    sheet = make_initiative(f"Atelier numéro {{number}} de Quimper")
    actions.rename(sheet, f"Atelier réparé numéro {{number}} de Quimper")  # two rows per sheet: the last one wins
"""

CRASHING_WORKER = """
import time
from pathlib import Path
from django.core.management import call_command
from carrefour.search import indexer

indexer.OUTBOX_BATCH = 25
original, calls = indexer.forget_rows, []

def forget_rows(batch):
    calls.append(batch)
    if len(calls) == 3:  # the third batch is committed to the index, its cursor not written yet
        Path({sentinel!r}).write_text("committed")
        time.sleep(120)
    original(batch)

indexer.forget_rows = forget_rows
call_command("index_worker", "--once", verbosity=0)
"""

INDEX_CONTENT = """
import json
from collections import Counter
import tantivy
from carrefour.catalog.models import Initiative
from carrefour.search import store
from carrefour.search.schema import read_payload

searcher = store.searcher()
hits = searcher.search(tantivy.Query.all_query(), limit=100000).hits
indexed = [read_payload(searcher, address) for _score, address in hits]
published = dict(Initiative.objects.filter(status=Initiative.Status.PUBLISHED).values_list("pk", "name"))
print(json.dumps({
    "copies": max(Counter(hit["id"] for hit in indexed).values(), default=0),
    "indexed": {str(hit["id"]): hit["name"] for hit in indexed},
    "published": {str(pk): name for pk, name in published.items()},
}))
"""


@pytest.mark.django_db
def test_killing_a_worker_during_an_index_update_loses_nothing(database_url, tmp_path):
    env = server_env(database_url, tmp_path / "c", "server-c")
    subprocess.run([str(BIN / "carrefour"), "reindex", "--verbosity", "0"], env=env, cwd=ROOT, check=True, timeout=300)
    # Written by another server (its own index folder): server c's index only learns of them through the outbox.
    run_python(SEED.format(count=80), server_env(database_url, tmp_path / "seeder", "seeder"), timeout=600)
    sentinel = tmp_path / "committed"
    worker = start([sys.executable, "-c", SETUP + CRASHING_WORKER.format(sentinel=str(sentinel))], env, tmp_path / "w")
    try:
        deadline = time.monotonic() + 120
        while not sentinel.exists() and worker.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert sentinel.exists(), (tmp_path / "w").read_text()[-3000:]
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        stop([worker])
    partial = json.loads(run_python(INDEX_CONTENT, env))
    assert 0 < len(partial["indexed"]) < len(partial["published"])  # killed half-way
    subprocess.run([str(BIN / "carrefour"), "index_worker", "--once"], env=env, cwd=ROOT, check=True, timeout=300)
    final = json.loads(run_python(INDEX_CONTENT, env))
    assert final["copies"] == 1  # each initiative indexed exactly once
    assert final["indexed"] == final["published"]  # every one, with its latest name
    assert all("réparé" in name for name in final["indexed"].values())
