"""Runs the settings or a management command in a child process with CARREFOUR_ENV=production.

Production settings are computed when the settings module loads, so the tests read them from a fresh interpreter
with a production environment (a placeholder PostgreSQL URL: nothing connects to it) rather than trusting a copy.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
CARREFOUR = Path(sys.executable).parent / "carrefour"
PRODUCTION_HOST = "carrefour.example.org"


def production_environ(data_dir: Path, **overrides: str) -> dict[str, str]:
    """The environment of a production server: only the variables the README says are required."""
    environ = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("CARREFOUR_", "DJANGO_", "PYTEST_")) and name != "DATABASE_URL"
    }
    environ |= {
        "CARREFOUR_ENV": "production",
        "CARREFOUR_SECRET_KEY": secrets.token_urlsafe(50),
        "CARREFOUR_ALLOWED_HOSTS": PRODUCTION_HOST,
        "DATABASE_URL": "postgres://carrefour:mot-de-passe@127.0.0.1:5432/carrefour",
        "CARREFOUR_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "carrefour.settings",
    }
    for name, value in overrides.items():
        if value is None:
            environ.pop(name, None)
        else:
            environ[name] = value
    return environ


def run(argv: list[str], environ: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(argv, env=environ, cwd=PROJECT_DIR, capture_output=True, text=True, timeout=120)


def load_settings(environ: dict[str, str], names: list[str]) -> dict:
    """The values of `names` as Django sees them under `environ` (through JSON: paths become text)."""
    script = (
        "import json\n"
        "from django.conf import global_settings as g\n"
        "import carrefour.settings as s\n"
        f"values = {{name: getattr(s, name, getattr(g, name, None)) for name in {names!r}}}\n"
        "print(json.dumps(values, default=str))\n"
    )
    result = run([sys.executable, "-c", script], environ)
    if result.returncode:
        raise AssertionError(f"the settings did not load:\n{result.stderr}")
    return json.loads(result.stdout)


def settings_error(environ: dict[str, str]) -> str:
    """The error the settings raise under `environ` ("" when they load)."""
    result = run([sys.executable, "-c", "import carrefour.settings"], environ)
    return result.stderr if result.returncode else ""
