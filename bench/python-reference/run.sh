#!/usr/bin/env bash
# Trains the reference SASRec and exports it for `serendip job import-recommender`:
#   bench/python-reference/run.sh --output DIR [--sequences FILE] [--items FILE] [export.py options]
# Python packages go into bench/.venv (gitignored, shared with bench/recbole) from requirements.txt.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="$(cd "$here/.." && pwd)/.venv"
if [[ ! -x "$venv/bin/python" ]]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install -q -r "$here/requirements.txt"
exec "$venv/bin/python" "$here/export.py" "$@"
