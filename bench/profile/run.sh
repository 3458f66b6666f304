#!/usr/bin/env bash
# CPU profile of a running JVM with async-profiler (Java and native frames: libtorch, the kernel's socket calls),
# attached through jcmd for a fixed time, written as collapsed stacks (one "frame;frame;... count" line per stack).
#
#   bench/profile/run.sh PID SECONDS OUT.collapsed
#
# The profiler's library comes from Maven (tools.profiler:async-profiler, pinned below) into ~/.m2 and is unpacked
# under bench/profile/.lib. Start the load first; split.py then sorts the samples into named shares.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
[ $# -eq 3 ] || { sed -n 2,8p "$0" >&2; exit 2; }
pid="$1"; seconds="$2"; out="$(realpath -m "$3")"
version=4.1
jar="${MAVEN_REPO:-$HOME/.m2/repository}/tools/profiler/async-profiler/$version/async-profiler-$version.jar"
[ -f "$jar" ] || (cd "$root" && ./mvnw -B -q dependency:get -Dartifact="tools.profiler:async-profiler:$version")
lib="$here/.lib/$version/linux-x64/libasyncProfiler.so"
[ -f "$lib" ] || (mkdir -p "$here/.lib/$version" && cd "$here/.lib/$version" && unzip -q -o "$jar" 'linux-x64/*')
# cpu: perf events where the kernel allows them, else the profiler falls back to a timer; 1 ms interval. The options
# are quoted for jcmd, which would otherwise read "event=cpu" as an argument of its own.
jcmd "$pid" JVMTI.agent_load "$lib" "\"start,event=cpu,interval=1ms\"" | grep -q 'return code: 0'
sleep "$seconds"
jcmd "$pid" JVMTI.agent_load "$lib" "\"stop,collapsed,file=$out\"" | grep -q 'return code: 0'
echo "wrote $out ($(wc -l < "$out") stacks)" >&2
