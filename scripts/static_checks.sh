#!/usr/bin/env bash
# Static checks (R-SEC-20 and the cheap guards of STYLE.md): ruff, bandit, pip check and mypy, each timed.
# `make check-static` runs it after the install; every check runs even when an earlier one fails, and the script
# exits non-zero if any failed. Configuration: [tool.ruff], [tool.bandit] and [tool.mypy] in pyproject.toml.
set -uo pipefail

cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
failed=()
started=$SECONDS

check() {
    local name=$1
    shift
    local begin=$SECONDS
    printf '\n=== %s: %s\n' "$name" "$*"
    if "$@"; then
        printf -- '--- %s passed (%ss)\n' "$name" "$((SECONDS - begin))"
    else
        printf -- '--- %s FAILED (%ss)\n' "$name" "$((SECONDS - begin))"
        failed+=("$name")
    fi
}

check "ruff check" "$BIN/ruff" check .
check "ruff format" "$BIN/ruff" format --check .
check "bandit" "$BIN/bandit" -c pyproject.toml -r carrefour -ll -q
check "pip check" "$BIN/python" -m pip check --disable-pip-version-check
check "mypy" "$BIN/mypy"

if ((${#failed[@]})); then
    printf '\nStatic checks failed (%ss): %s\n' "$((SECONDS - started))" "${failed[*]}"
    exit 1
fi
printf '\nStatic checks passed (%ss)\n' "$((SECONDS - started))"
