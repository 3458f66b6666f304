#!/usr/bin/env bash
# Prometheus for tests: Debian's package, installed when /usr/bin/prometheus is missing (as root, or through
# sudo without a password).
#
#   hack/prometheus.sh install          # install it, start nothing
#   hack/prometheus.sh run ARGS...      # install it when missing, then exec prometheus ARGS...
set -euo pipefail
bin=/usr/bin/prometheus

log() { echo "[prometheus] $*" >&2; }

install() {
  [ -x "$bin" ] && return 0
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null && sudo -n true 2>/dev/null \
      || { log "$bin is missing and installing it needs root (apt-get install prometheus)"; exit 1; }
    sudo=(sudo -n)
  fi
  log "installing Debian's prometheus package"
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
  [ -x "$bin" ] || { log "the prometheus package did not install $bin"; exit 1; }
}

case "${1:-}" in
  install) install ;;
  run) shift; install; exec "$bin" "$@" ;;
  *) echo "usage: $0 install | run ARGS..." >&2; exit 2 ;;
esac
