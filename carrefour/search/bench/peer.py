"""The peer recipe, measured in the same run as ours: PostgreSQL full text search as the peer platforms use it.

A throwaway PostgreSQL 15 cluster is started the way `.ci/run` does (initdb as `postgres`, a temporary folder,
127.0.0.1 on a free port) and removed at the end; or an existing database is used through a DSN, in a schema of
its own that is dropped at the end. The data comes from the same SQLite demo file as our index (see `peer_data`);
the statements are those of `peer_sql`, sent with client-side binding as Django sends them.
"""

import os
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

import psycopg

from carrefour.search.bench import peer_data, peer_sql
from carrefour.search.bench.timing import time_mix

PG_BIN = Path("/usr/lib/postgresql/15/bin")
SCHEMA = "carrefour_bench"
# A throwaway cluster: durability is not wanted; memory and planner costs as a tuned production server of this
# machine would have them (SSD: random_page_cost 1.1, which makes the planner pick the GIN index for broad queries).
# JIT is off because its compile time only slows these short queries down. With --peer-dsn, the server's own.
SERVER_OPTIONS = (
    "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=1GB -c work_mem=64MB "
    "-c maintenance_work_mem=512MB -c effective_cache_size=4GB -c jit=off -c max_wal_size=4GB -c random_page_cost=1.1"
)
TRIGRAM_NOTE = "pg_trgm word_similarity (<%) sur nom + résumé, index GIN trigrammes"


def measure_peer(sqlite_path: Path, queries, repeat: int, dsn: str | None = None, log=print) -> dict:
    """Load the peer table, then time the mix; returns build seconds, samples (ms) and result counts."""
    with _database(dsn, log) as url, psycopg.connect(url, autocommit=True, cursor_factory=psycopg.ClientCursor) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
        conn.execute(f"CREATE SCHEMA {SCHEMA}")
        conn.execute(f"SET search_path = {SCHEMA}, public")
        try:
            log("Pair : chargement des données et construction des index…")
            build_s = peer_data.load(conn, sqlite_path)
            log(f"Pair : table chargée en {build_s:.1f} s ; mesure de {len(queries)} requêtes × {repeat}…")
            timings = time_mix(queries, lambda query: _run(conn, query), repeat)
        finally:
            conn.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
        shown = conn.execute("SHOW server_version").fetchone()
        assert shown is not None, "SHOW returns one row"
        version = shown[0]
    return {"build_s": build_s, "samples": timings["samples"], "counts": timings["counts"], "version": version}


def _run(conn, query) -> int:
    """Run the page, count and facet statements of one query; return the count."""
    count = 0
    with conn.cursor() as cursor:
        for index, (sql, params) in enumerate(peer_sql.statements(query)):
            rows = cursor.execute(sql, params).fetchall()
            if index == 1:
                count = rows[0][0]
    return count


@contextmanager
def _database(dsn: str | None, log):
    if dsn:
        yield dsn
        return
    with _throwaway_cluster(log) as url:
        yield url


@contextmanager
def _throwaway_cluster(log):
    if not (PG_BIN / "postgres").exists():
        raise RuntimeError(
            f"PostgreSQL 15 est introuvable dans {PG_BIN} (apt-get install postgresql-15) ; --peer-dsn ?"
        )
    folder = Path(tempfile.mkdtemp(prefix="carrefour-bench-pg."))
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    data = folder / "data"
    try:
        if as_postgres:
            shutil.chown(folder, "postgres")
        port = _free_port()
        _run_quietly(
            [
                *as_postgres,
                PG_BIN / "initdb",
                "-D",
                data,
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]
        )
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} {SERVER_OPTIONS}"
        _run_quietly(
            [
                *as_postgres,
                PG_BIN / "pg_ctl",
                "-D",
                data,
                "-l",
                folder / "postgres.log",
                "-w",
                "-t",
                "60",
                "start",
                "-o",
                options,
            ]
        )
        log(f"Pair : PostgreSQL 15 jetable démarré sur 127.0.0.1:{port} ({folder})")
        try:
            yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
        finally:
            _run_quietly([*as_postgres, PG_BIN / "pg_ctl", "-D", data, "-m", "fast", "-w", "stop"])
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _run_quietly(command: list) -> None:
    result = subprocess.run([str(part) for part in command], capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"{' '.join(map(str, command[:6]))}… a échoué :\n{result.stdout}{result.stderr}")


def _free_port() -> int:
    for port in range(54329, 54429):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("aucun port libre entre 54329 et 54428 pour PostgreSQL")
