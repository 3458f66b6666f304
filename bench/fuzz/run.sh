#!/usr/bin/env bash
# Long Jazzer run of every request parser and artifact reader, one target per JVM.
#
#   bench/fuzz/run.sh [seconds-per-target]     (default 60)
#
# ./mvnw verify fuzzes each *FuzzTest class for a few seconds with all its targets in one JVM; here
# every target gets its own JVM for the given time (FUZZ_TARGET pins it, JAZZER_MAX_DURATION sets the
# time). Prints one table row per target: executions and seconds as libFuzzer reports them, findings,
# and for HTTP targets the answers by status class. Corpora grow in <module>/.cifuzz-corpus; a finding
# leaves its input in the class's ...Inputs test resource directory (commit it: it becomes a seed).
set -uo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
seconds="${1:-60}"
logs="$(mktemp -d)"
cd "$repo"

targets=(
  "runtime-config RuntimeConfigFuzzTest -"
  "ml ArtifactReadersFuzzTest MANIFEST"
  "ml ArtifactReadersFuzzTest ITEM_INDEX"
  "ml ArtifactReadersFuzzTest CLUSTER_SET"
  "ml ArtifactReadersFuzzTest NOVELTY_TABLE"
  "ml ArtifactReadersFuzzTest RECOMMENDER_HYPERPARAMETERS"
  "runtime JsonFieldsFuzzTest -"
  "runtime RecommendRequestScanFuzzTest -"
  "runtime FrontServerFuzzTest -"
  "runtime HttpApiFuzzTest ROUTER_RECOMMEND"
  "runtime HttpApiFuzzTest ROUTER_EVENTS"
  "runtime HttpApiFuzzTest RECOMMENDER_RECOMMEND"
  "runtime HttpApiFuzzTest NOVEL_INTERESTS"
  "runtime HttpApiFuzzTest NOVEL_INTERESTS_BATCH"
)

echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(free -g | awk '/Mem:/ {print $2}') GiB," \
  "load $(cut -d' ' -f1-3 /proc/loadavg); logs: $logs"
./mvnw -B -q -pl runtime -am test-compile || exit 1

echo "| target | executions | seconds | findings | answers |"
echo "| --- | --- | --- | --- | --- |"
failed=0
for entry in "${targets[@]}"; do
  read -r module class target <<< "$entry"
  name="$class"
  fuzz_env=(JAZZER_MAX_DURATION="${seconds}s")
  if [ "$target" != "-" ]; then
    name="$class $target"
    fuzz_env+=(FUZZ_TARGET="$target")
  fi
  log="$logs/${class}-${target}.log"
  env "${fuzz_env[@]}" ./mvnw -B -o -pl "$module" -am surefire:test@fuzz -Dtest="$class" \
    -Dsurefire.failIfNoSpecifiedTests=false > "$log" 2>&1
  status=$?
  done_line="$(grep -E '^Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1)"
  runs="$(awk '{print $2}' <<< "$done_line")"
  secs="$(awk '{print $5}' <<< "$done_line")"
  findings="$(grep -c 'Test unit written to' "$log")"
  answers="$(grep -h "^fuzz target ${target}:" "$module"/target/surefire-reports/*"${class}"-fuzz-output.txt 2>/dev/null \
    | sed -n 's/.*inputs (\(.*\))/\1/p' | tail -1)"
  if [ "$status" -ne 0 ] && [ "$findings" -eq 0 ]; then
    findings="run failed (see log)"
  fi
  [ "$status" -ne 0 ] && failed=1
  echo "| $name | ${runs:-?} | ${secs:-?} | $findings | ${answers:--} |"
done
exit $failed
