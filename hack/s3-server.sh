#!/usr/bin/env bash
# A real S3-compatible server for tests: moto's server (from PyPI, pinned in s3-server.lock) with authentication
# on, one IAM user allowed s3:*, and the buckets asked for. Installs its virtual environment on first use.
#
#   hack/s3-server.sh install                         # create the virtual environment, start nothing
#   hack/s3-server.sh run [--host H] [--port P] [--bucket B]... [--put B/PREFIX=DIR]... [--owner-pid PID]
#
# `run` prints one JSON line {"endpoint", "accessKeyId", "secretAccessKey", "region"} when the server answers and
# serves until stdin closes, SIGTERM, or the owner process exits (also when it is SIGKILLed).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
lock="$here/s3-server.lock"
want="$(sha256sum "$lock" | cut -c1-12)"
venv="${SERENDIP_CACHE:-$HOME/.cache/serendip}/s3-server-$want"

log() { echo "[s3-server] $*" >&2; }

install() {
  [ -x "$venv/bin/python" ] && [ -f "$venv/.complete" ] && return 0
  python3 -c 'import venv, ensurepip' 2>/dev/null \
    || { log "python3's venv/ensurepip is missing (Debian: apt-get install python3-venv)"; exit 1; }
  log "installing moto's server into $venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r <(grep -v '^#' "$lock")
  touch "$venv/.complete"
}

case "${1:-}" in
  install) install ;;
  run) shift; install; exec "$venv/bin/python" "$here/s3-server.py" "$@" ;;
  *) echo "usage: $0 install | run [--host H] [--port P] [--bucket B]... [--owner-pid PID]" >&2; exit 2 ;;
esac
