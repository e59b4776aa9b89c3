"""Messaging fixtures: the outbox as e-mail backend, and a migrated file database for multi-process tests."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


@pytest.fixture
def outbox_backend(settings):
    """Mails go to the database outbox, as in production (pytest-django would otherwise use locmem)."""
    settings.EMAIL_BACKEND = "carrefour.messaging.backends.OutboxBackend"
    return settings


def carrefour_command() -> list[str]:
    script = Path(sys.executable).parent / "carrefour"
    return [str(script)] if script.exists() else [sys.executable, "-m", "carrefour.cli"]


class FileSite:
    """A data folder with its own migrated SQLite file, shared by the processes of one test."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.log_dir = data_dir / "log"

    def env(self, **extra) -> dict:
        env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        env.update(
            CARREFOUR_DATA_DIR=str(self.data_dir),
            CARREFOUR_TEST_LOG_DIR=str(self.log_dir),
            PYTHONPATH=os.pathsep.join([str(HERE), str(PROJECT_DIR)]),
            DJANGO_SETTINGS_MODULE="carrefour.settings",
        )
        env.update(extra)
        return env

    def run(self, *args, timeout: float = 120, **extra) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*carrefour_command(), *args],
            cwd=PROJECT_DIR,
            env=self.env(**extra),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )

    def python(self, code: str, **extra) -> subprocess.Popen:
        script = f"import django; django.setup()\n{code}"
        return subprocess.Popen(
            [sys.executable, "-c", script],
            cwd=PROJECT_DIR,
            env=self.env(**extra),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def start(self, *args, **extra) -> subprocess.Popen:
        return subprocess.Popen(
            [*carrefour_command(), *args],
            cwd=PROJECT_DIR,
            env=self.env(**extra),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )


@pytest.fixture
def file_site(tmp_path) -> FileSite:
    site = FileSite(tmp_path / "site")
    site.data_dir.mkdir()
    site.run("migrate", "--verbosity", "0")
    return site
