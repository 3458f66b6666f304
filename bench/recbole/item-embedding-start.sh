#!/usr/bin/env bash
# The recommender from a random start against item embeddings started from text (all-MiniLM-L6-v2 over titles
# and genres) or co-occurrence embeddings, on MovieLens-100K with the settings of the accuracy run.
#   bench/recbole/item-embedding-start.sh [--movielens DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
movielens="$root/../shared/datasets/ml-100k"
[ "${1:-}" = --movielens ] && movielens="$2"
# shellcheck source=../common.sh
. "$root/bench/common.sh"
J=(java -jar "$(runtime_jar)" job)
W="$root/bench/results/tmp/item-embedding-start"; rm -rf "$W"; mkdir -p "$W"
echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
"${J[@]}" import-movielens --source "$movielens" --output $W/data | tail -1
"${J[@]}" embed --method text --dataset $W/data --output $W/text-emb | tail -1
"${J[@]}" embed --method cooccurrence --dimension 64 --dataset $W/data --output $W/cooc-emb | tail -1
common=(--dataset $W/data --learning-rate 0.002 --patience 5 --epochs 40 --torch-threads 2)
for v in random text cooc; do
  extra=()
  [ $v = text ] && extra=(--item-embeddings $W/text-emb)
  [ $v = cooc ] && extra=(--item-embeddings $W/cooc-emb)
  echo "== $v"
  "${J[@]}" train-recommender "${common[@]}" "${extra[@]}" --output $W/rec-$v | grep -E "item embeddings start|best epoch"
done
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
