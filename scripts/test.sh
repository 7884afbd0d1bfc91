#!/usr/bin/env bash
# Sets up chainkg with its test tools and runs every check CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
export PATH="$PWD/.venv/bin:$PATH"
echo "== ruff"
ruff check .
ruff format --check .
echo "== import-linter (.importlinter: the layering)"
lint-imports
echo "== mypy"
mypy graph_schema loaders store queries app bench
echo "== pytest"
pytest "$@"
