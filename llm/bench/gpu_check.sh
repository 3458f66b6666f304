#!/usr/bin/env bash
# The LLM component's measurements on one CUDA device (docs/benchmarks.md, "LLM precompute"; the goal is the
# 9,900 two-cluster histories of 100 clusters in <= 1 minute): constrained proposals for every history at two
# batch sizes, then LoRA training steps of a fine-tuned artifact's prompts. Every line it prints names the device.
#
#   llm/bench/gpu_check.sh DATASET_DIR CLUSTERS_DIR [LLM_JSON]
#
# DATASET_DIR / CLUSTERS_DIR: a dataset and a 100-cluster set (import-movielens, build-clusters --levels 20,100);
# LLM_JSON: an artifact's llm.json for the training steps (skipped without it). The Python is
# $SERENDIP_LLM_PYTHON, else llm/.venv/bin/python; the base model is found in $SERENDIP_MODEL_CACHE as llm/setup.sh
# installs it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
python="${SERENDIP_LLM_PYTHON:-$here/../.venv/bin/python}"
[ $# -ge 2 ] || { echo "usage: $0 DATASET_DIR CLUSTERS_DIR [LLM_JSON]" >&2; exit 2; }
export PYTHONUNBUFFERED=1 PYTHONPATH="$here/../src${PYTHONPATH:+:$PYTHONPATH}"
"$python" -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else "no CUDA device visible")'
"$python" -c 'import torch; print("device:", torch.cuda.get_device_name(0), "torch", torch.__version__)'
for batch in 99 990; do
  "$python" "$here/propose_speed.py" --dataset "$1" --clusters "$2" --rows 9900 --batch "$batch" --beam 4 \
    --proposals 4 --device cuda
done
if [ $# -ge 3 ]; then
  "$python" "$here/train_step_speed.py" --llm-json "$3" --steps 11 --batch 32 --device cuda
fi
