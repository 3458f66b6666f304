#!/usr/bin/env bash
# The recommender server under sustained load: its maximum rate, a hot swap of config, models and novelty
# tables at 50% of it, and a soak at 80% of it with the JVM's heap after every GC.
#
#   bench/load/run.sh [--work DIR] [--movielens DIR] [--workers 8] [--swap-seconds 120] [--swap-every 10]
#                     [--soak-minutes 10]
#
# 1. builds the runtime jar if missing and vegeta (github.com/tsenart/vegeta, pinned below) into the same
#    per-user cache as the control-plane binaries;
# 2. makes real artifacts from MovieLens-100K: import-movielens, build-cluster-set (co-occurrence, 8,40),
#    two novelty tables (top-10 and top-5), two recommenders (seeds 1 and 2, 3 epochs) and a corrupt copy of
#    the first table (one byte flipped); with --work DIR they are kept and reused by the next run;
# 3. starts `serendip recommender` (G1, 512 MiB heap, GC log, config polled every 500 ms) and posts one real
#    request per user (the last 1-50 items before a random point of their sequence);
# 4. max: vegeta with --workers closed-loop workers for 20 s after a 10 s warm-up;
# 5. hot swap: vegeta at 50% of max for --swap-seconds while the config file is atomically replaced every
#    --swap-every seconds, cycling through: model v2 + table B, model v1 + table A, a corrupt table, a config
#    with an unknown field, model v2 + table A, model v1 + table B; the server's reload counters are read
#    before and after;
# 6. soak: vegeta at 80% of max for --soak-minutes one-minute attacks in a row; per minute the achieved rate,
#    latency, failures, the heap after the young GCs of that minute (min/max, from the GC log) and the RSS;
#    a full GC (jcmd GC.run) right before and right after the soak gives the live set.
# Prints Markdown tables; raw vegeta reports, the GC log and the server log stay in the work directory.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
movielens="$root/../shared/datasets/ml-100k"; work=""; workers=8; swap_seconds=120; swap_every=10; soak_minutes=10
while [ $# -gt 0 ]; do
  case "$1" in
    --work) work="$2"; shift 2 ;;
    --movielens) movielens="$2"; shift 2 ;;
    --workers) workers="$2"; shift 2 ;;
    --swap-seconds) swap_seconds="$2"; shift 2 ;;
    --swap-every) swap_every="$2"; shift 2 ;;
    --soak-minutes) soak_minutes="$2"; shift 2 ;;
    *) sed -n '2,24p' "$0" >&2; exit 2 ;;
  esac
done
for tool in java jcmd curl python3 go; do
  command -v "$tool" >/dev/null || { echo "missing $tool (JDK 17, curl, python3, Go)" >&2; exit 1; }
done
[ -f "$movielens/u.data" ] || { echo "MovieLens-100K not found at $movielens (--movielens DIR)" >&2; exit 1; }
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

VEGETA_VERSION=v12.13.0
tools="${SERENDIP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/serendip}/tools-$VEGETA_VERSION/bin"
vegeta="$tools/vegeta"
[ -x "$vegeta" ] || GOBIN="$tools" GOFLAGS=-mod=mod go install "github.com/tsenart/vegeta/v12@$VEGETA_VERSION"

# shellcheck source=../common.sh
. "$root/bench/common.sh"
jar="$(runtime_jar)"
work="$(work_dir "$work" load)"
server_pid=""
cleanup() {
  [ -z "$server_pid" ] || { kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; } || true
  if is_temp_work "$work"; then rm -rf "$work"; fi
}
trap cleanup EXIT

J=(java -jar "$jar" job)
movielens_cluster_set "$jar" "$movielens" 8,40
for table in a:10 b:5; do
  step "table-${table%%:*}" "$work/table-${table%%:*}" "${J[@]}" precompute-novelty --dataset "$work/dataset" \
    --clusters "$work/clusters" --history-length 2 --top-n "${table##*:}" --output "$work/table-${table%%:*}"
done
step recommender-v1 "$work/recommender-v1" "${J[@]}" train-recommender --dataset "$work/dataset" \
  --output "$work/recommender-v1" --epochs 3 --seed 1 --torch-threads 1 --export-sequences "$work/sequences.txt"
step recommender-v2 "$work/recommender-v2" "${J[@]}" train-recommender --dataset "$work/dataset" \
  --output "$work/recommender-v2" --epochs 3 --seed 2 --torch-threads 1
if [ ! -e "$work/table-corrupt" ]; then
  cp -r "$work/table-a" "$work/table-corrupt"
  table_file="$(find "$work/table-corrupt" -type f -name '*.bin' | head -n 1)"
  python3 - "$table_file" <<'PY'
import sys
path = sys.argv[1]
data = bytearray(open(path, "rb").read())
data[len(data) // 2] ^= 0x5A
open(path, "wb").write(bytes(data))
PY
fi

port="$(free_port)"
url="http://127.0.0.1:$port"
config="$work/recommender.yaml"
write_config() { # model table [extra line]: replaces the config file atomically, as a ConfigMap update does
  { printf 'apiVersion: serendip.io/v1alpha1\nkind: RecommenderConfig\nserver: {port: %s}\n' "$port"
    printf 'recommender: {modelDir: %s, clustersDir: %s, noveltyTable: %s}\n' "$work/$1" "$work/clusters" "$work/$2"
    [ $# -lt 3 ] || printf '%s\n' "$3"; } > "$config.tmp"
  mv "$config.tmp" "$config"
}
write_config recommender-v1 table-a
rm -f "$work/gc.log"
java -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 -Xms512m -Xmx512m -XX:+UseG1GC \
  -Xlog:gc:file="$work/gc.log":uptime -jar "$jar" recommender --config "$config" --reload-interval-ms 500 \
  > "$work/server.log" 2>&1 &
server_pid=$!
await_ready "$url" "$work/server.log"
python3 "$here/targets.py" --sequences "$work/sequences.txt" --url "$url" --output "$work/targets.jsonl" >&2

attack() { # name rate seconds -> vegeta JSON report in $work/name.json (rate 0 = closed loop, --workers)
  local args=(-rate="$2" -duration="${3}s" -format=json -targets="$work/targets.jsonl" -timeout=10s)
  [ "$2" != 0 ] || args+=(-max-workers="$workers" -workers="$workers")
  "$vegeta" attack "${args[@]}" > "$work/$1.bin"
  "$vegeta" report -type=json "$work/$1.bin" > "$work/$1.json"
}
summary() { # report.json -> "achieved rps | requests | failures | p50 ms | p99 ms | max ms | status codes"
  python3 - "$1" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
lat = r["latencies"]
failures = r["requests"] - round(r["success"] * r["requests"])
codes = ", ".join(f"{k}: {v}" for k, v in sorted(r["status_codes"].items()))
print(f'{r["throughput"]:.0f} | {r["requests"]} | {failures} | {lat["50th"] / 1e6:.2f} | {lat["99th"] / 1e6:.2f} | '
      f'{lat["max"] / 1e6:.1f} | {codes}' + (f' | errors: {"; ".join(sorted(set(r["errors"])))[:200]}' if r["errors"] else ""))
PY
}
reloads() { # -> "applied refused" from the server's Prometheus counters
  curl -fsS "$url/metrics" | awk '/^serendip_config_reloads_total/ {
    if ($0 ~ /result="applied"/) a = $NF; if ($0 ~ /result="refused"/) r = $NF }
    END { printf "%d %d\n", a, r }'
}
rss_mib() { awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$server_pid/status"; }
heap_after_full_gc() { # forces a full GC and prints the heap it left (the live set), in MiB
  jcmd "$server_pid" GC.run >/dev/null
  sleep 1
  grep 'Pause Full' "$work/gc.log" | tail -n 1 | sed -E 's/.*->([0-9]+)M\(.*/\1/'
}

echo "== max rate: $workers closed-loop workers, 10 s warm-up + 20 s" >&2
attack warmup 0 10
attack max 0 20
max_rps="$(python3 -c 'import json,sys; print(int(json.load(open(sys.argv[1]))["throughput"]))' "$work/max.json")"
echo "max: $max_rps rps" >&2

half=$(( max_rps / 2 ))
echo "== hot swap at $half rps for $swap_seconds s, config replaced every $swap_every s" >&2
read -r applied0 refused0 < <(reloads)
states=("recommender-v2 table-b" "recommender-v1 table-a" "recommender-v1 table-corrupt"
        "recommender-v2 table-b unknownField: 1" "recommender-v2 table-a" "recommender-v1 table-b")
: > "$work/swaps.log"
(
  i=0; sleep "$swap_every"
  while :; do
    # shellcheck disable=SC2086
    set -- ${states[$(( i % ${#states[@]} ))]}
    if [ $# -gt 2 ]; then write_config "$1" "$2" "$3 $4"; else write_config "$1" "$2"; fi
    echo "$(date +%s.%N) ${states[$(( i % ${#states[@]} ))]}" >> "$work/swaps.log"
    i=$(( i + 1 )); sleep "$swap_every"
  done
) &
swapper=$!
attack hot-swap "$half" "$swap_seconds"
kill "$swapper"; wait "$swapper" 2>/dev/null || true
sleep 2
read -r applied1 refused1 < <(reloads)
swaps_valid=$(grep -cvE 'corrupt|unknownField' "$work/swaps.log" || true)
swaps_bad=$(grep -cE 'corrupt|unknownField' "$work/swaps.log" || true)

eighty=$(( max_rps * 8 / 10 ))
echo "== soak at $eighty rps for $soak_minutes x 60 s" >&2
write_config recommender-v1 table-a; sleep 2
live_before="$(heap_after_full_gc)"
rss_before="$(rss_mib)"
: > "$work/soak.tsv"
for minute in $(seq 1 "$soak_minutes"); do

  gc_lines_before="$(wc -l < "$work/gc.log")"
  attack "soak-$minute" "$eighty" 60
  heap="$(tail -n +"$(( gc_lines_before + 1 ))" "$work/gc.log" | grep 'Pause Young' \
    | sed -E 's/.*->([0-9]+)M\(.*/\1/' | sort -n | awk 'NR == 1 { min = $1 } { max = $1; n++ }
      END { if (n) printf "%d | %d | %d", n, min, max; else printf "0 | - | -" }')"
  line="| $minute | $(summary "$work/soak-$minute.json") | $heap | $(rss_mib) |"
  echo "$line" | tee -a "$work/soak.tsv" >&2

done
live_after="$(heap_after_full_gc)"
rss_after="$(rss_mib)"

cat <<EOF

Machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); $(java -version 2>&1 | head -n 1); vegeta $VEGETA_VERSION; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg).

Max rate ($workers closed-loop workers, 20 s):

| achieved rps | requests | failures | p50 ms | p99 ms | max ms | status codes |
|---:|---:|---:|---:|---:|---:|---|
| $(summary "$work/max.json") |

Hot swap at 50% of max ($half rps, $swap_seconds s; config replaced every $swap_every s: $swaps_valid valid, $swaps_bad bad):

| achieved rps | requests | failures | p50 ms | p99 ms | max ms | status codes |
|---:|---:|---:|---:|---:|---:|---|
| $(summary "$work/hot-swap.json") |

Reloads counted by the server during the swap phase: applied $(( applied1 - applied0 )), refused $(( refused1 - refused0 )).

Soak at 80% of max ($eighty rps), one row per minute:

| minute | achieved rps | requests | failures | p50 ms | p99 ms | max ms | status codes | young GCs | heap after GC, min MiB | max MiB | RSS MiB |
|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|
$(cat "$work/soak.tsv")

Live set (heap after a forced full GC): before the soak $live_before MiB, after it $live_after MiB. RSS: $rss_before MiB before, $rss_after MiB after.
EOF
