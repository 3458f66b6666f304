#!/usr/bin/env bash
# MovieLens-100K exploration chain (import -> text embeddings -> clusters -> novelty table -> evaluate)
# and novelty-table precompute throughput for |C| = 100 and 1,000.
#
#   bench/novelty/run.sh [work-dir]
#
# SERENDIP selects the launcher (default: the runtime jar built by ./mvnw -pl runtime -am package).
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="${1:-$(mktemp -d)}"
shared="${SERENDIP_SHARED_DIR:-$repo/../shared}"
read -r -a serendip <<< "${SERENDIP:-java -Dai.djl.offline=true -jar $repo/runtime/target/serendip-runtime.jar}"
job() { "${serendip[@]}" job "$@"; }
mkdir -p "$work" && cd "$work"
echo "work dir: $work"

job import-movielens --source "$shared/datasets/ml-100k" --output data
job embed --dataset data --method text --output emb-text
job embed --dataset data --method cooccurrence --dimension 64 --output emb-cooc

# Serving level 100 clusters (under 20 coarse ones): the evaluated configuration.
job build-clusters --dataset data --embeddings emb-text --levels 20,100 --output clusters-100
job build-clusters --dataset data --embeddings emb-cooc --levels 20,100 --output clusters-100-cooc
job evaluate --dataset data --clusters clusters-100 --name "MovieLens-100K, text clusters" --output report-text
job evaluate --dataset data --clusters clusters-100-cooc --name "MovieLens-100K, co-occurrence clusters" \
  --output report-cooc

# Precompute throughput: |C| = 100 and |C| = 1,000 (k = 2, top-10), one process, then 2 shards + merge.
job build-clusters --dataset data --embeddings emb-text --levels 100,1000 --output clusters-1000
for c in 100 1000; do
  for run in 1 2 3; do
    job precompute-novelty --dataset data --clusters "clusters-$c" --top-n 10 --output "table-$c" | grep 'histories/s'
  done
  rm -rf "shards-$c"
  start=$(date +%s.%N)
  job precompute-novelty --dataset data --clusters "clusters-$c" --top-n 10 --shard 0/2 --output "shards-$c" \
    | grep 'histories/s' &
  job precompute-novelty --dataset data --clusters "clusters-$c" --top-n 10 --shard 1/2 --output "shards-$c" \
    | grep 'histories/s' &
  wait
  job merge-novelty --shards "shards-$c" --clusters "clusters-$c" --output "merged-$c" | grep merged
  end=$(date +%s.%N)
  echo "|C| = $c: 2 shards + merge wall time $(echo "$end - $start" | bc) s"
  cmp "table-$c/novelty-table.bin" "merged-$c/novelty-table.bin" && echo "|C| = $c: merged table identical"
done
