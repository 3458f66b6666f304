#!/usr/bin/env bash
# JMH microbenchmarks of the serving hot paths: restricted vs full-catalog retrieval, novelty-table lookup,
# arm assignment, slate JSON encode/decode. Builds bench/jmh/target/benchmarks.jar when it is missing or older
# than the sources, builds the cached benchmark fixture (a recommender trained on 20,000 generated items, its
# cluster set and novelty table) once, runs JMH with fixed forks and iterations, writes the JSON result and
# prints a Markdown table of medians with the restricted/full ratio from the same run.
#
#   bench/jmh/run.sh [--quick] [JMH benchmark regex or options...]
#   e.g. bench/jmh/run.sh                  full run: 3 forks x (5 warm-up + 5 measured 1-s iterations)
#        bench/jmh/run.sh --quick          smoke run: 1 fork x (1 + 2 iterations); result under bench/results/tmp
#        bench/jmh/run.sh ScoringBenchmark one benchmark class (a regex: ScalarScoringBenchmark, scoring in plain
#                                          Java, matches it too)
#
# Full-run JSON and Markdown go to bench/results/jmh/ (kept), quick runs to bench/results/tmp/ (ignored).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
quick=false
if [ "${1:-}" = "--quick" ]; then quick=true; shift; fi

jar="$here/target/benchmarks.jar"
stale() {
  [ ! -f "$jar" ] && return 0
  [ -n "$(find "$here/src/main" "$here/pom.xml" "$root/pom.xml" "$root/ml/src/main" "$root/runtime/src/main" \
    "$root/runtime-config/src/main" -newer "$jar" -type f -print -quit)" ]
}
if stale; then
  echo "building $jar" >&2
  (cd "$root" && ./mvnw -B -q -pl bench/jmh -am package -Dmaven.test.skip=true)
fi

fixtures="$root/bench/results/tmp/jmh-fixtures"
# The Vector API module, as the runtime image's JVM has it (ScalarScoringBenchmark turns it off for scoring).
jvm_args="-Xms1g -Xmx1g -Dai.djl.offline=true -Dserendip.bench.fixtures=$fixtures --add-modules jdk.incubator.vector"
# shellcheck disable=SC2086
java $jvm_args -cp "$jar" io.serendip.bench.ServingFixture >&2

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
if $quick; then
  out="$root/bench/results/tmp/jmh-quick-$stamp.json"
  runs=(-f 1 -wi 1 -w 1s -i 2 -r 1s)
else
  out="$root/bench/results/jmh/jmh-$stamp.json"
  runs=(-f 3 -wi 5 -w 1s -i 5 -r 1s)
fi
mkdir -p "$(dirname "$out")"

machine="$(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(java -version 2>&1 | head -1)"
echo "machine: $machine; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
java -cp "$jar" org.openjdk.jmh.Main "${runs[@]}" -foe true -jvmArgs "$jvm_args" -rf json -rff "$out" "$@" >&2
load_end="$(cut -d' ' -f1-3 /proc/loadavg)"

command="bench/jmh/run.sh"
if $quick; then command+=" --quick"; fi
if [ $# -gt 0 ]; then command+=" $*"; fi
{
  echo "Command: \`$command\`"
  echo "Machine: $machine; load average at the end: $load_end"
  echo
  java -cp "$jar" io.serendip.bench.ResultsTable "$out"
} | tee "${out%.json}.md"
echo "results: $out" >&2
