#!/usr/bin/env bash
# Training time per epoch, Serendip's recommender trainer against RecBole's SASRec, on this machine in one
# run: the same sequences and split (RecBole reads the sequences our trainer exports), the same number of
# epochs and the same number of PyTorch intra-op threads, one after the other.
#   bench/recbole/timing.sh [--epochs 3] [--threads 2] [--movielens DIR]
# Seconds per epoch are the training passes only on both sides (validation excluded): our job's
# `seconds_per_epoch` metric and run_sasrec.py's timing of RecBole's `_train_epoch`.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
epochs=3; threads=2; movielens="$repo/../shared/datasets/ml-100k"
while [ $# -gt 0 ]; do
  case "$1" in
    --epochs) epochs="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --movielens) movielens="$2"; shift 2 ;;
    *) sed -n '2,7p' "$0" >&2; exit 2 ;;
  esac
done
work="$repo/bench/results/tmp/recbole-timing"
mkdir -p "$work"
root="$repo"
# shellcheck source=../common.sh
. "$root/bench/common.sh"
py="$(python_venv "$repo/bench/.venv" "$here/requirements.txt")"
jar="$(runtime_jar)"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
[ -d "$work/ml-100k" ] || java -jar "$jar" job import-movielens --source "$movielens" --output "$work/ml-100k"
rm -rf "$work/recommender"
java -jar "$jar" job train-recommender --dataset "$work/ml-100k" --output "$work/recommender" \
  --export-sequences "$work/sequences.txt" --epochs "$epochs" --patience "$epochs" --torch-threads "$threads" \
  | tee "$work/ours.log"
ours="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["metrics"]["seconds_per_epoch"])' \
  "$work/recommender/manifest.json")"
echo "load average between the two: $(cut -d' ' -f1-3 /proc/loadavg)"
"$py" "$here/run_sasrec.py" --sequences "$work/sequences.txt" --epochs "$epochs" --threads "$threads" \
  --json "$work/recbole.json" | tee "$work/recbole.log"
theirs="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["train_seconds_per_epoch"])' "$work/recbole.json")"
cat <<TABLE

load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; $epochs epochs each, $threads PyTorch threads each

| trainer | seconds per epoch (mean of $epochs) |
|---|---:|
| Serendip train-recommender (DJL $(sed -n 's:.*<djl.version>\(.*\)</djl.version>.*:\1:p' "$repo/pom.xml"), PyTorch $(sed -n 's:.*<djl.pytorch.native.version>\(.*\)</djl.pytorch.native.version>.*:\1:p' "$repo/pom.xml") CPU) | $(printf '%.2f' "$ours") |
| RecBole 1.2.1 SASRec (torch $("$py" -c 'import torch; print(torch.__version__)'), CPU) | $(printf '%.2f' "$theirs") |
| ratio RecBole / Serendip | $(python3 -c "print(f'{$theirs / $ours:.2f}')") |
TABLE
