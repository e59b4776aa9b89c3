"""Hash-pinned installs and the SBOM (R-SEC-20): the lock file pins every requirement of pyproject.toml with its
hashes, the Makefile installs from it with --require-hashes, the CycloneDX SBOM is made from it, and `make audit`
skips cleanly without access to the vulnerability database."""

import importlib.metadata
import importlib.util
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

REPO = Path(__file__).resolve().parents[2]
LOCK = REPO / "requirements" / "lock.txt"
MAKEFILE = (REPO / "Makefile").read_text()
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s\\;]+)")
HASH = re.compile(r"--hash=sha256:[0-9a-f]{64}\b")


def parse_lock(text: str) -> dict[str, tuple[str, int]]:
    """{canonical name: (version, number of sha256 hashes)}; any other requirement line is an error."""
    entries: dict[str, tuple[str, int]] = {}
    logical = re.sub(r"\\\n", " ", text)  # a requirement and its hashes are one logical line
    for line in logical.splitlines():
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        match = PIN.match(line)
        assert match, f"not pinned with == in the lock file: {line[:120]}"
        name = canonicalize_name(match["name"])
        assert name not in entries, f"{name} appears twice in the lock file"
        entries[name] = (match["version"], len(HASH.findall(line)))
    return entries


LOCKED = parse_lock(LOCK.read_text())


def declared_requirements() -> list[Requirement]:
    """The runtime dependencies, every extra of pyproject.toml, and the build backend."""
    project = PYPROJECT["project"]
    lines = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        lines += extra
    lines += PYPROJECT["build-system"]["requires"]
    return [Requirement(line) for line in lines]


def test_parse_lock_rejects_unpinned_lines_and_counts_hashes():
    sample = f"django==5.2.19 \\\n    --hash=sha256:{'a' * 64} \\\n    --hash=sha256:{'b' * 64}\n    # via x\n"
    assert parse_lock(sample) == {"django": ("5.2.19", 2)}
    with pytest.raises(AssertionError, match="not pinned"):
        parse_lock("django>=5.2\n")


def test_every_locked_package_is_pinned_with_at_least_one_sha256_hash():
    assert len(LOCKED) > 50
    unhashed = sorted(name for name, (_version, hashes) in LOCKED.items() if hashes == 0)
    assert not unhashed, f"locked without a hash: {unhashed}"


def test_every_declared_requirement_is_locked_at_a_version_it_allows():
    for requirement in declared_requirements():
        name = canonicalize_name(requirement.name)
        assert name in LOCKED, f"{requirement} (pyproject.toml) is missing from {LOCK.name}: run `make lock`"
        version = LOCKED[name][0]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"{name}=={version} in the lock does not satisfy {requirement} of pyproject.toml: run `make lock`"
        )


def test_the_dependencies_of_requested_extras_are_locked_too():
    """psycopg[binary], django-allauth[mfa]…: what the extra adds must be in the lock, not only the package."""
    checked = 0
    for requirement in declared_requirements():
        for extra in requirement.extras:
            for line in importlib.metadata.requires(requirement.name) or []:
                needed = Requirement(line)
                if needed.marker and needed.marker.evaluate({"extra": extra}) and not needed.marker.evaluate():
                    assert canonicalize_name(needed.name) in LOCKED, f"{needed.name} ({requirement}) is not locked"
                    checked += 1
    assert checked >= 2  # psycopg-binary, fido2, qrcode…


def test_the_environment_runs_the_locked_versions():
    drifted = {}
    for name, (version, _hashes) in LOCKED.items():
        try:
            installed = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            installed = "not installed"
        if installed == "not installed" or Version(installed) != Version(version):
            drifted[name] = f"locked {version}, {installed}"
    assert not drifted, f"the virtual environment differs from the lock file (make install): {drifted}"


def makefile_rule(target: str) -> tuple[str, str]:
    """(prerequisites, recipe) of a Makefile rule."""
    match = re.search(rf"^{re.escape(target)}:(?P<prerequisites>.*)\n(?P<recipe>(?:\t.*\n)+)", MAKEFILE, re.M)
    assert match, f"no rule for {target} in the Makefile"
    return match["prerequisites"], match["recipe"].replace("\\\n", " ")


def test_the_makefile_installs_from_the_lock_with_hashes_only():
    assert re.search(r"^LOCK := requirements/lock\.txt$", MAKEFILE, re.M)
    prerequisites, recipe = makefile_rule("$(VENV)/.installed")
    assert "$(LOCK)" in prerequisites.split()
    installs = [line for line in recipe.splitlines() if "pip install" in line]
    assert len(installs) == 2, installs
    assert "--require-hashes -r $(LOCK)" in installs[0]
    # The project itself: editable, no dependency resolved outside the lock, and the locked (hashed) setuptools.
    assert "--no-deps" in installs[1] and "--no-build-isolation" in installs[1] and installs[1].endswith("-e .")


def test_make_lock_regenerates_the_lock_with_hashes_and_the_extras():
    _prerequisites, recipe = makefile_rule("lock")
    for option in ("--generate-hashes", "--extra test", "--extra lock", "--build-deps-for editable"):
        assert option in recipe, option
    assert "--output-file $(LOCK) pyproject.toml" in recipe
    assert "make lock" in LOCK.read_text().split("\n\n", 1)[0]  # the header says how to regenerate it


def test_ci_produces_the_sbom_but_does_not_run_the_audit():
    ci = (REPO / ".ci" / "run").read_text()
    assert re.search(r"^make sbom$", ci, re.M)
    assert "make audit" not in ci and "pip-audit" not in ci
    assert "/sbom.cdx.json" in (REPO / ".gitignore").read_text().splitlines()


@pytest.mark.skipif(importlib.util.find_spec("cyclonedx_py") is None, reason="cyclonedx-bom is not installed")
def test_the_sbom_lists_the_locked_versions(tmp_path):
    output = tmp_path / "sbom.cdx.json"
    command = [sys.executable, "-W", "ignore", "-m", "cyclonedx_py", "requirements", "--pyproject", "pyproject.toml"]
    command += ["--no-validate", "--output-format", "JSON", "--output-file", str(output), str(LOCK)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    bom = json.loads(output.read_text())
    assert bom["bomFormat"] == "CycloneDX"
    assert bom["metadata"]["component"]["name"] == "carrefour"
    components = {canonicalize_name(component["name"]): component for component in bom["components"]}
    assert set(components) == set(LOCKED)
    for name in ("django", "tantivy"):
        assert components[name]["version"] == LOCKED[name][0]
        assert components[name]["purl"] == f"pkg:pypi/{name}@{LOCKED[name][0]}"


# --- make audit ---------------------------------------------------------------------------------------------------


def load_audit():
    spec = importlib.util.spec_from_file_location("lock_audit", REPO / "requirements" / "audit.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fake_pip_audit(answers: dict[str, tuple[int, str, str]]):
    """A pip-audit stand-in: {service: (status, stdout, stderr)}; records the commands it was given."""
    calls = []

    def run(arguments):
        service = arguments[arguments.index("--vulnerability-service") + 1]
        calls.append(arguments)
        status, stdout, stderr = answers[service]
        return subprocess.CompletedProcess(arguments, status, stdout, stderr)

    return run, calls


def run_audit(answers):
    audit = load_audit()
    run, calls = fake_pip_audit(answers)
    printed = []
    status = audit.audit(LOCK, run=run, out=printed.append)
    return status, "\n".join(printed), calls


NOT_FOUND = json.dumps({"dependencies": [{"name": "django", "skip_reason": "Dependency not found on PyPI"}]})
OFFLINE = (1, "", "requests.exceptions.ConnectionError: Max retries exceeded (NameResolutionError)")


def test_audit_skips_and_succeeds_when_no_database_can_be_reached():
    status, printed, calls = run_audit({"pypi": (0, NOT_FOUND, ""), "osv": OFFLINE})
    assert status == 0
    assert "skipped: no network access to the vulnerability database" in printed
    assert [call[call.index("--vulnerability-service") + 1] for call in calls] == ["pypi", "osv"]
    assert all("--require-hashes" in call and str(LOCK) in call for call in calls)


def test_audit_fails_on_a_known_vulnerability():
    report = {
        "dependencies": [
            {"name": "django", "version": "5.2.19", "vulns": [{"id": "PYSEC-0000-1", "fix_versions": ["5.2.20"]}]},
            {"name": "tantivy", "version": "0.27.0", "vulns": []},
        ]
    }
    status, printed, calls = run_audit({"pypi": OFFLINE, "osv": (1, json.dumps(report), "")})
    assert status == 1
    assert "django 5.2.19: PYSEC-0000-1 (fixed in 5.2.20)" in printed
    assert "no network access" not in printed


def test_audit_passes_when_the_database_answers_without_vulnerabilities():
    report = {"dependencies": [{"name": "django", "version": "5.2.19", "vulns": []}]}
    status, printed, calls = run_audit({"pypi": (0, json.dumps(report), ""), "osv": OFFLINE})
    assert status == 0
    assert len(calls) == 1  # PyPI answered: OSV is not asked
    assert "1 packages audited" in printed and "no network access" not in printed


def test_audit_reports_a_pip_audit_failure_that_is_not_a_network_problem():
    status, printed, _calls = run_audit({"pypi": (1, "", "ERROR: invalid requirement in lock.txt"), "osv": OFFLINE})
    assert status == 2
    assert "invalid requirement" in printed
