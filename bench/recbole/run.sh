#!/usr/bin/env bash
# Reference run: RecBole's SASRec on the exact split our recommender trains on.
#   bench/recbole/run.sh [dataset-dir] [--device cuda]
# 1. imports MovieLens-100K (or uses the given dataset directory),
# 2. trains our recommender with `job train-recommender --export-sequences` (same sequences, same split),
# 3. runs RecBole on those sequences and prints both results.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
work="$repo/bench/results/tmp/recbole"
mkdir -p "$work"
root="$repo"
# shellcheck source=../common.sh
. "$root/bench/common.sh"
py="$(python_venv "$repo/bench/.venv" "$here/requirements.txt")"
runtime_jar="$(runtime_jar)"
dataset="${1:-}"
if [[ -z "$dataset" || "$dataset" == --* ]]; then
  dataset="$work/ml-100k"
  java -jar "$runtime_jar" job import-movielens --source "$repo/../shared/datasets/ml-100k" --output "$dataset"
else
  shift
fi
rm -rf "$work/recommender"
java -jar "$runtime_jar" job train-recommender --dataset "$dataset" --output "$work/recommender" \
  --export-sequences "$work/sequences.txt" --torch-threads 1 | tee "$work/ours.log"
"$py" "$here/run_sasrec.py" --sequences "$work/sequences.txt" --json "$work/recbole.json" "$@" \
  | tee "$work/recbole.log"
