#!/usr/bin/env bash
# Creates .venv with chainkg installed (and, with "test", the test tools and the Cypher linter).
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
# setuptools prints a boxed notice on every editable install (a reminder that a folder named
# like a package shadows it: here the package folders are the checkout itself, on purpose).
export PYTHONWARNINGS="ignore:Editable installation"
if [ "${1:-}" = "test" ]; then
    .venv/bin/python -m pip install --quiet -e ".[test,notebooks]"
    if ! command -v node >/dev/null 2>&1; then
        echo "需要 Node.js 与 npm（用于 Cypher 语法检查）：apt-get install -y nodejs npm" >&2
        exit 1
    fi
    (cd tools/cypher-lint && npm ci --no-audit --no-fund --silent)
else
    .venv/bin/python -m pip install --quiet -e .
fi
