#!/usr/bin/env bash
# The whole test suite: what CI runs and what a contributor runs before pushing.
# Expects cmokit installed with its test extras in the active Python environment.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== ruff"
ruff check .
ruff format --check .

echo "== mypy --strict src/"
mypy --strict src/

echo "== pytest (unit tests, doctests, branch coverage)"
# coverage starts before pytest so that modules imported by cmokit's own pytest plugin
# (loaded through its entry point, before pytest-cov would start) are measured too.
python -m coverage erase
python -m coverage run -m pytest -q -p no:cacheprovider
python -m coverage report --skip-covered --sort=cover

echo "== docs (mkdocs build --strict)"
mkdocs build --strict --quiet --site-dir "${TMPDIR:-/tmp}/cmokit-site"

if [ -f benchmarks/run.py ]; then
    echo "== benchmarks (small size, to keep them working)"
    python benchmarks/run.py --sizes 200 --repeats 1 --json "${TMPDIR:-/tmp}/cmokit-bench.json"
fi
