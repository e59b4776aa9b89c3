"""`make audit`: pip-audit against the lock file (R-SEC-20).

Each vulnerability service is tried in turn (PyPI's JSON API, then OSV). The first one that knows at least one locked
package gives the verdict: exit 1 when a locked version has a known vulnerability, 0 otherwise. When none can be
reached (no network access, or a mirror without the JSON API, where pip-audit reports every package as "not found"),
the audit says it was skipped and exits 0: R-SEC-20 lets it skip on machines without access to the database.
Not run in CI for that reason; run it where the network is open.

Usage: python requirements/audit.py [LOCK_FILE]   (default: requirements/lock.txt)
"""

import importlib.util
import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_LOCK = Path(__file__).resolve().parent / "lock.txt"
SERVICES = ("pypi", "osv")
SKIPPED = "skipped: no network access to the vulnerability database"
# What requests/urllib3 print when the service cannot be reached at all.
NETWORK_ERRORS = (
    "ConnectionError",
    "NameResolutionError",
    "Max retries exceeded",
    "Name or service not known",
    "Temporary failure in name resolution",
    "timed out",
    "Network is unreachable",
    "Connection refused",
)

Runner = Callable[[list[str]], subprocess.CompletedProcess]


@dataclass
class Outcome:
    """One service's answer: `reachable` is False when it could not audit a single package."""

    service: str
    reachable: bool
    audited: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    error: str = ""

    @property
    def vulnerable(self) -> list[dict]:
        return [dependency for dependency in self.audited if dependency.get("vulns")]


def command(lock: Path, service: str) -> list[str]:
    # The lock pins and hashes everything, so pip-audit reads it as it is instead of resolving it in a scratch venv.
    return [
        sys.executable,
        "-m",
        "pip_audit",
        "--requirement",
        str(lock),
        "--require-hashes",
        "--disable-pip",
        "--vulnerability-service",
        service,
        "--format",
        "json",
        "--progress-spinner",
        "off",
    ]


def run_pip_audit(arguments: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(arguments, capture_output=True, text=True, timeout=600, check=False)


def ask(service: str, lock: Path, run: Runner = run_pip_audit) -> Outcome:
    result = run(command(lock, service))
    try:
        report = json.loads(result.stdout) if result.returncode in (0, 1) else None
    except json.JSONDecodeError:
        report = None
    if report is None:
        message = (result.stderr or result.stdout).strip()
        if any(marker in message for marker in NETWORK_ERRORS):
            return Outcome(service, reachable=False, error=message.splitlines()[-1] if message else "")
        raise RuntimeError(f"pip-audit failed (service {service}, status {result.returncode}):\n{message}")
    dependencies = report.get("dependencies", [])
    audited = [dependency for dependency in dependencies if "skip_reason" not in dependency]
    skipped = [dependency for dependency in dependencies if "skip_reason" in dependency]
    error = "" if audited else f"none of the {len(skipped)} locked packages could be looked up"
    return Outcome(service, reachable=bool(audited), audited=audited, skipped=skipped, error=error)


def describe(outcome: Outcome) -> list[str]:
    lines = [
        f"pip-audit ({outcome.service}): {len(outcome.audited)} packages audited, {len(outcome.skipped)} skipped, "
        f"{len(outcome.vulnerable)} with known vulnerabilities"
    ]
    for dependency in outcome.vulnerable:
        for vuln in dependency["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
            lines.append(f"  {dependency['name']} {dependency.get('version', '')}: {vuln.get('id')} (fixed in {fixes})")
    for dependency in outcome.skipped:
        lines.append(f"  not audited: {dependency['skip_reason']}")
    return lines


def audit(lock: Path, run: Runner = run_pip_audit, out=print) -> int:
    """Runs the audit and returns the exit status (1: vulnerabilities found, 2: pip-audit itself failed)."""
    if not lock.is_file():
        out(f"Fichier de verrouillage introuvable / lock file not found: {lock} (make lock)")
        return 2
    if run is run_pip_audit and importlib.util.find_spec("pip_audit") is None:
        out("pip-audit n'est pas installé / pip-audit is not installed (make install: it is in the `lock` extra).")
        return 2
    unreachable = []
    for service in SERVICES:
        try:
            outcome = ask(service, lock, run)
        except RuntimeError as error:
            out(str(error))
            return 2
        if outcome.reachable:
            for line in describe(outcome):
                out(line)
            if outcome.vulnerable:
                out("Vulnérabilités connues dans les versions verrouillées : mettre à jour (make lock UPGRADE=1).")
                return 1
            out("Aucune vulnérabilité connue / no known vulnerabilities.")
            return 0
        unreachable.append(f"{service}{': ' + outcome.error if outcome.error else ''}")
    out(f"Audit des dépendances sauté / {SKIPPED} ({'; '.join(unreachable)}).")
    return 0


def main(argv: list[str]) -> int:
    return audit(Path(argv[0]) if argv else DEFAULT_LOCK)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
