#!/usr/bin/env bash
# Lays out the LLM component as it goes into the runtime-cuda image, under OUT (a folder Jib adds as a layer):
#   OUT/opt/serendip/python   the pinned requirements' packages (torch with its CUDA libraries, transformers,
#                             peft, gguf, ...) and serendip_llm, for the image's Debian Python 3.11
#                             (PYTHONPATH; the image's SERENDIP_LLM_PYTHON is /usr/bin/python3)
#   OUT/opt/serendip/models   the default base model (SmolLM2-135M-Instruct GGUF, sha256-pinned), the image's
#                             SERENDIP_MODEL_CACHE
# Installs the component first (llm/setup.sh, idempotent). Triton (torch.compile's GPU compiler, 0.5 GB) and pip's
# own tooling stay out: nothing in the component compiles kernels. Reuses OUT when its inputs are unchanged.
#
#   llm/image-layer.sh OUT
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:?usage: llm/image-layer.sh OUT}"
log() { echo "[llm-image-layer] $*" >&2; }

python="$("$here/setup.sh" | tail -n1)"
site="$("$python" -c 'import site; print(site.getsitepackages()[0])')"
models="${SERENDIP_MODEL_CACHE:-$HOME/.cache/serendip/models}"
base="SmolLM2-135M-Instruct.Q4_1.gguf"
stamp="$(cat "$here/.venv/.requirements.sha256"; find "$here/src/serendip_llm" -name '*.py' -type f | sort | xargs sha256sum; sha256sum "${BASH_SOURCE[0]}" "$models/$base")"
stamp="$(printf '%s' "$stamp" | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$out/.stamp" 2>/dev/null)" = "$stamp" ]; then
  log "unchanged: $out"
  exit 0
fi

rm -rf "$out"
mkdir -p "$out/opt/serendip/python" "$out/opt/serendip/models"
log "copying the component's packages from $site"
tar -C "$site" --exclude='./triton' --exclude='./triton-*' --exclude='./pip' --exclude='./pip-*' \
  --exclude='./setuptools' --exclude='./setuptools-*' --exclude='./_distutils_hack' --exclude='./distutils-precedence.pth' \
  --exclude='./serendip_llm.pth' --exclude='__pycache__' -cf - . | tar -C "$out/opt/serendip/python" -xf -
tar -C "$here/src" --exclude='__pycache__' -cf - serendip_llm | tar -C "$out/opt/serendip/python" -xf -
cp "$models/$base" "$out/opt/serendip/models/$base"
# Readable by the image's user (65532); nothing in the layer is writable at run time.
chmod -R a+rX,go-w "$out/opt"
echo "$stamp" > "$out/.stamp"
log "wrote $out ($(du -sh "$out" | cut -f1))"
