#!/usr/bin/env bash
# Recommend endpoint: the Java recommender server against a Python reference (server.py: FastAPI on uvicorn,
# PyTorch) serving the same TorchScript model, cluster set and novelty table with the same slate logic.
#
#   bench/python-reference/bench.sh [--venv DIR] [--duration S] [--repeats N] [--connections "1 2 4 8 16"]
#                                   [--movielens DIR] [--work DIR] [--slo-ms 10] [--jfr FILE]
#                                   [--batch-delay-us "250 1000"] [--scalar-scoring] [--baseline-jar JAR]
#
# 1. builds the runtime jar if missing; installs requirements*.txt into the venv (default bench/.venv);
# 2. makes real artifacts from MovieLens-100K (default ../shared/datasets/ml-100k beside the repository):
#    import-movielens, build-cluster-set (co-occurrence, 8,40 clusters), precompute-novelty (k = 2, top-10),
#    the positive sequences (train-recommender --export-sequences; that model is not served), export.py
#    (SASRec, L = 50, d = 64, 2 blocks, 5 epochs) and import-recommender --format torchscript;
#    with --work DIR the artifacts are kept there and reused by the next run;
# 3. starts the Java server twice ("java": batching with the default limit; "java-unbatched": maxBatchSize 1)
#    and the Python reference with 1 and with 2 uvicorn workers (one torch thread each; the JVM gets one
#    intra-op thread per inference thread), all on loopback; with --batch-delay-us, one more Java server per
#    value ("java-delay-N": maxBatchDelayMicros N, a batch that is not full waits up to N us for more requests);
#    the Java servers score items with the Vector API (--add-modules jdk.incubator.vector); with --scalar-scoring,
#    one more ("java-scalar") scores in plain Java (-Dserendip.scoring.simd=false); with --baseline-jar, one more
#    ("java-baseline") runs another build of the runtime (e.g. an earlier commit's jar) with the options of "java";
# 4. parity: 200 fixed requests to each other server and to "java"; the slates must be identical
#    (ids, order, explored/novel flags, clusters, exploration block), or the script stops before any load;
# 5. load: wrk (1 thread) with a fixed number of connections per level, posting 942 real request bodies
#    (load.lua); after a 10 s warm-up each, every level runs --repeats times, servers interleaved;
# 6. prints Markdown tables: median rps / p50 / p99 / server CPU ms per request (user + system time of the
#    server's processes during the run, divided by its requests) per server and level, the best level whose
#    median p99 is <= --slo-ms, and the rps ratio Java / best Python; then breakdown.py's in-process split of
#    a Python request (forward pass vs scoring and slate). --jfr FILE records the Java server with JDK Flight
#    Recorder (settings=profile) for the whole run.
# Nothing is pinned to a core: the servers and wrk share the machine's cores, as they would on one host.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="$root/bench/.venv"; duration=10; repeats=3; connections="1 2 4 8 16"; slo=10
movielens="$root/../shared/datasets/ml-100k"; work=""; jfr=(); delays=""; scalar=""; baseline_jar=""
while [ $# -gt 0 ]; do
  case "$1" in
    --venv) venv="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --repeats) repeats="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --scalar-scoring) scalar=1; shift ;;
    --baseline-jar) baseline_jar="$(realpath "$2")"; shift 2 ;;
    --movielens) movielens="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --slo-ms) slo="$2"; shift 2 ;;
    --batch-delay-us) delays="$2"; shift 2 ;;
    --jfr) jfr=("-XX:StartFlightRecording=settings=profile,filename=$(realpath "$2")"); shift 2 ;;
    *) sed -n '2,30p' "$0" >&2; exit 2 ;;
  esac
done
for tool in java wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y wrk curl; JDK 17)" >&2; exit 1; }
done
[ -f "$movielens/u.data" ] || { echo "MovieLens-100K not found at $movielens (--movielens DIR)" >&2; exit 1; }
started=$(date +%s)
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "load average at start: $load_start" >&2

# shellcheck source=../common.sh
. "$root/bench/common.sh"
jar="$(runtime_jar)"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q -r "$here/requirements.txt" -r "$here/requirements-server.txt"
py="$venv/bin/python"

work="$(work_dir "$work" pyref)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if is_temp_work "$work"; then rm -rf "$work"; fi
}
trap cleanup EXIT

J=(java -jar "$jar" job)
movielens_cluster_set "$jar" "$movielens" 8,40
step precompute-novelty "$work/novelty" "${J[@]}" precompute-novelty --dataset "$work/dataset" \
  --clusters "$work/clusters" --history-length 2 --top-n 10 --output "$work/novelty"
step export-sequences "$work/sequences.txt" "${J[@]}" train-recommender --dataset "$work/dataset" \
  --output "$work/sequences-model" --export-sequences "$work/sequences.txt" --epochs 1 --hidden 16 --layers 1 \
  --max-length 20 --torch-threads 1
step export "$work/exported" env OMP_NUM_THREADS=1 "$py" "$here/export.py" --sequences "$work/sequences.txt" \
  --items "$work/clusters/items.txt" --output "$work/exported" --max-length 50 --hidden 64 --layers 2 --heads 2 \
  --epochs 5
step import-recommender "$work/recommender" "${J[@]}" import-recommender --format torchscript \
  --model "$work/exported/model.pt" --item-vectors "$work/exported/item-vectors.npy" \
  --items "$work/exported/items.txt" --max-length 50 --output "$work/recommender"

declare -A url pid
config() { # port [max batch] [batch delay us] -> config file
  cat > "$work/recommender-$1.yaml" <<CONF
apiVersion: serendip.io/v1alpha1
kind: RecommenderConfig
server: {port: $1}
recommender: {modelDir: $work/recommender, clustersDir: $work/clusters, noveltyTable: $work/novelty${2:+, maxBatchSize: $2}${3:+, maxBatchDelayMicros: $3}}
CONF
  echo "$work/recommender-$1.yaml"
}
# "java" runs with the default batch limit; "java-unbatched" with maxBatchSize 1, one forward pass per request;
# "java-delay-N" with the default limit and a batch delay of N us; "java-scalar" as "java", scoring without SIMD.
java_servers=(java java-unbatched)
for d in $delays; do java_servers+=("java-delay-$d"); done
[ -n "$scalar" ] && java_servers+=(java-scalar)
[ -n "$baseline_jar" ] && java_servers+=(java-baseline)
for s in "${java_servers[@]}"; do
  p=$(free_port); url[$s]="http://127.0.0.1:$p"
  batch=""; [ "$s" = java-unbatched ] && batch=1
  delay=""; [[ "$s" = java-delay-* ]] && delay="${s#java-delay-}"
  simd=true; [ "$s" = java-scalar ] && simd=false
  server_jar="$jar"; [ "$s" = java-baseline ] && server_jar="$baseline_jar"
  java -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 -Xms512m -Xmx512m -XX:+UseParallelGC \
    --add-modules jdk.incubator.vector -Dserendip.scoring.simd=$simd ${jfr[@]+"${jfr[@]}"} \
    -jar "$server_jar" recommender --config "$(config "$p" "$batch" "$delay")" --reload-interval-ms 0 \
    > "$work/$s.log" 2>&1 & pids+=($!)
  pid[$s]=$!
  jfr=() # one recording, of the batched server
done
for workers in 1 2; do
  p=$(free_port); url[python-w$workers]="http://127.0.0.1:$p"
  "$py" "$here/server.py" --config "$(config "$p")" --workers "$workers" --torch-threads 1 \
    > "$work/python-w$workers.log" 2>&1 & pids+=($!)
  pid[python-w$workers]=$!
done
servers=("${java_servers[@]}" python-w1 python-w2)
for s in "${servers[@]}"; do
  await_ready "${url[$s]}" "$work/$s.log"
done

"$py" "$here/make_requests.py" --sequences "$work/sequences.txt" --clusters "$work/clusters" \
  --parity "$work/parity.jsonl" --load "$work/load.jsonl" >&2
for s in "${servers[@]:1}"; do
  if ! "$py" "$here/parity.py" --requests "$work/parity.jsonl" --expected "${url[java]}" --actual "${url[$s]}" \
      --name "$s"; then
    echo "parity below 100% for $s: no throughput is reported" >&2; exit 1
  fi
done

cpu_ticks() { # pid -> user + system clock ticks of the process and its children (uvicorn's workers)
  local total=0 p
  for p in "$1" $(pgrep -P "$1"); do
    total=$(( total + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0) ))
  done
  echo "$total"
}
measure() { # server connections seconds -> wrk's RESULT fields and the server's CPU ms per request
  local before after line
  before=$(cpu_ticks "${pid[$1]}")
  line="$(BODIES="$work/load.jsonl" wrk -t1 -c "$2" -d "${3}s" --latency -s "$here/load.lua" "${url[$1]}" \
    | sed -n 's/^RESULT //p')"
  after=$(cpu_ticks "${pid[$1]}")
  echo "$line cpu_ms=$(awk -v t=$(( after - before )) -v hz="$(getconf CLK_TCK)" -v line="$line" \
    'BEGIN { match(line, /requests=[0-9]+/); n = substr(line, RSTART + 9, RLENGTH - 9); printf "%.3f", t * 1000 / hz / n }')"
}
for s in "${servers[@]}"; do echo "warming up $s (10 s)" >&2; measure "$s" 8 10 >/dev/null; done
: > "$work/results.tsv"
for r in $(seq 1 "$repeats"); do
  for c in $connections; do
    for s in "${servers[@]}"; do
      line="$(measure "$s" "$c" "$duration")"
      echo "$s $c $r $line load=$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$work/results.tsv" >&2
    done
  done
done

echo
versions='import sys, torch, fastapi, uvicorn, pydantic, uvloop
print(f"Python {sys.version.split()[0]}, torch {torch.__version__}, FastAPI {fastapi.__version__}, pydantic",
      f"{pydantic.__version__}, uvicorn {uvicorn.__version__} (uvloop {uvloop.__version__}, httptools)")'
echo "Machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)," \
  "$(free -g | awk '/^Mem:/ {print $2}') GiB; load average at start: $load_start, at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "Versions: $(java -version 2>&1 | head -1); $("$py" -c "$versions"); $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
echo "wrk -t1, ${duration} s per run, ${repeats} runs per level, medians; bench took $(( $(date +%s) - started )) s"
echo
"$py" "$here/summarize.py" "$work/results.tsv" --slo-ms "$slo" --reference java
echo
"$py" "$here/breakdown.py" --config "$work/recommender-${url[python-w1]##*:}.yaml" --requests "$work/load.jsonl"
