#!/usr/bin/env bash
# Sets up chainkg and runs its main job: the Jiangxi demo graph loaded into the embedded
# store (chainkg.db, the default store of every chainkg command) and served on http://127.0.0.1:8000/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/chainkg demo "$@"
