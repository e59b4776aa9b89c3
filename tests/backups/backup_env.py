"""Processes and scratch databases for the backup tests: each side of a round trip is its own data folder and,
on PostgreSQL, its own database on the test server (created and dropped here)."""

import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

from django.db import connection
from django.db.utils import load_backend

ROOT = Path(__file__).resolve().parents[2]
CARREFOUR = [sys.executable, "-m", "carrefour.cli"]
SEED = [sys.executable, str(Path(__file__).with_name("seed_driver.py"))]
WAIT = 600


class Side:
    """One installation: a data folder and a database (a SQLite file in the folder, or a scratch PostgreSQL base)."""

    def __init__(self, folder: Path, key: str = ""):
        self.folder = folder
        self.key = key
        self.database = f"carrefour_bk_{uuid.uuid4().hex[:10]}" if connection.vendor == "postgresql" else ""
        if self.database:
            _admin(f'CREATE DATABASE "{self.database}"')

    def env(self, **extra) -> dict:
        env = {key: value for key, value in os.environ.items() if not key.startswith(("CARREFOUR_", "DATABASE_URL"))}
        env.update(CARREFOUR_DATA_DIR=str(self.folder), DJANGO_SETTINGS_MODULE="carrefour.settings")
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")]))
        if self.key:
            env["CARREFOUR_BACKUP_KEY"] = self.key
        if self.database:
            env["DATABASE_URL"] = _url(self.database)
        env.update(extra)
        return env

    def run(self, *arguments, command=CARREFOUR, **extra) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*command, *arguments],
            env=self.env(**extra),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=WAIT,
            stdin=subprocess.DEVNULL,
        )

    def wrapper(self):
        """A Django connection to this side's database, for the test's own measures."""
        settings_dict = dict(connection.settings_dict)
        if self.database:
            settings_dict["NAME"] = self.database
        else:
            settings_dict.update(NAME=str(self.folder / "carrefour.sqlite3"), OPTIONS={"timeout": 20})
        return load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias=f"side-{uuid.uuid4().hex}")

    def drop(self) -> None:
        if self.database:
            _admin(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')


def _url(database: str) -> str:
    settings = connection.settings_dict
    user = quote(settings.get("USER") or "", safe="")
    password = f":{quote(settings['PASSWORD'], safe='')}" if settings.get("PASSWORD") else ""
    host = settings.get("HOST") or "127.0.0.1"
    port = f":{settings['PORT']}" if settings.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{database}"


def _admin(sql: str) -> None:
    import psycopg

    settings = connection.settings_dict
    with psycopg.connect(
        dbname="postgres",
        user=settings.get("USER") or None,
        password=settings.get("PASSWORD") or None,
        host=settings.get("HOST") or None,
        port=settings.get("PORT") or None,
        autocommit=True,
    ) as admin:
        admin.execute(sql)


def table_counts(side: Side) -> dict[str, int]:
    wrapper = side.wrapper()
    try:
        with wrapper.cursor() as cursor:
            names = [name for name in wrapper.introspection.table_names(cursor) if not name.startswith("sqlite_")]
            counts = {}
            for name in names:
                cursor.execute(f"SELECT COUNT(*) FROM {wrapper.ops.quote_name(name)}")
                counts[name] = cursor.fetchone()[0]
        return counts
    finally:
        wrapper.close()


def initiative_rows(side: Side) -> list[tuple]:
    wrapper = side.wrapper()
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("SELECT * FROM catalog_initiative ORDER BY id")
            return [tuple(row) for row in cursor.fetchall()]
    finally:
        wrapper.close()


def execute(side: Side, sql: str, *params) -> None:
    wrapper = side.wrapper()
    try:
        with wrapper.cursor() as cursor:
            cursor.execute(sql, params)
        if not wrapper.get_autocommit():
            wrapper.commit()
    finally:
        wrapper.close()
