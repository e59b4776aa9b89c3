"""The static checks of `make check-static` (R-SEC-20): bandit really fails on a vulnerable snippet with our
configuration, and mypy's file list covers every actions module."""

import glob
import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())
SHELL_SNIPPET = "import subprocess\n\n\ndef run(command: str) -> None:\n    subprocess.run(command, shell=True)\n"
LIST_SNIPPET = 'import subprocess\n\n\ndef run(name: str) -> None:\n    subprocess.run(["ls", name], check=True)\n'


def bandit(folder: Path) -> subprocess.CompletedProcess:
    """bandit as `make check-static` runs it (our configuration, medium severity and above) on `folder`."""
    command = [sys.executable, "-m", "bandit", "-c", str(REPO / "pyproject.toml"), "-r", str(folder), "-ll"]
    return subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=120)


def test_bandit_fails_on_a_shell_true_subprocess(tmp_path):
    package = tmp_path / "vulnerable"
    package.mkdir()
    (package / "runner.py").write_text(SHELL_SNIPPET)
    result = bandit(package)
    assert result.returncode != 0, result.stdout + result.stderr
    assert "B602" in result.stdout  # subprocess_popen_with_shell_equals_true
    assert "runner.py" in result.stdout


def test_bandit_passes_the_same_call_without_a_shell(tmp_path):
    package = tmp_path / "safe"
    package.mkdir()
    (package / "runner.py").write_text(LIST_SNIPPET)
    result = bandit(package)
    assert result.returncode == 0, result.stdout + result.stderr


def test_bandit_does_not_scan_migrations(tmp_path):
    migrations = tmp_path / "app" / "migrations"
    migrations.mkdir(parents=True)
    (migrations / "0001_initial.py").write_text(SHELL_SNIPPET)
    (tmp_path / "app" / "models.py").write_text(LIST_SNIPPET)
    result = bandit(tmp_path / "app")
    assert result.returncode == 0, result.stdout + result.stderr


def mypy_files() -> list[Path]:
    found: list[Path] = []
    for pattern in PYPROJECT["tool"]["mypy"]["files"]:
        matches = [Path(match) for match in glob.glob(str(REPO / pattern))]
        assert matches, f"mypy's files pattern {pattern!r} matches nothing"
        for match in matches:
            found += sorted(match.rglob("*.py")) if match.is_dir() else [match]
    return found


def test_mypy_checks_every_actions_module_once():
    checked = mypy_files()
    assert len(checked) == len(set(checked)), "a file named twice stops mypy (duplicate module)"
    actions = sorted((REPO / "carrefour").glob("*/actions.py"))
    assert len(actions) >= 5
    assert set(actions) <= set(checked), sorted(str(path) for path in set(actions) - set(checked))
    assert REPO / "carrefour" / "search" / "engine.py" in checked
    assert REPO / "carrefour" / "sources" / "mapping.py" in checked


def test_mypy_overrides_name_modules_that_exist():
    """A per-module override outliving its module would hide nothing and mislead: remove it with the module."""
    for override in PYPROJECT["tool"]["mypy"].get("overrides", []):
        modules = override["module"] if isinstance(override["module"], list) else [override["module"]]
        for module in modules:
            if not module.startswith("carrefour."):
                continue  # third-party libraries without type information
            path = REPO / Path(*module.removesuffix(".*").split("."))
            assert path.with_suffix(".py").is_file() or path.is_dir(), f"mypy override for missing module {module}"
