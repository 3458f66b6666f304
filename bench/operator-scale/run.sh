#!/usr/bin/env bash
# Operator at scale on a fresh local control plane (real etcd, kube-apiserver, controller-manager,
# scheduler; KWOK nodes make pods Ready and Jobs complete without running them):
#  a. apply --experiments ExplorationExperiments one at a time (the next one once the previous is
#     Ready) and report apply -> Ready latency percentiles;
#  b. add experiments up to --idle-experiments (at most --in-flight of them not yet Ready at a time),
#     wait until all are Ready, let it settle, then for --idle-seconds sample the operator's RSS and
#     count its API requests (kube-apiserver audit log, filtered to the operator's ServiceAccount) and
#     all clients' requests (apiserver_request_total);
#  c. print Markdown tables (also written to WORKDIR/report.md).
#
#   bench/operator-scale/run.sh [--experiments 100] [--idle-experiments 1000] [--in-flight 10]
#                               [--settle-seconds 120] [--idle-seconds 300] [--system-dns]
#   (OPERATOR_JAVA_OPTS: the operator's JVM options; OPERATOR_HEAP_DUMP=1: a heap dump after the idle window)
#
# The operator runs as a local JVM (OperatorMain) under the Helm chart's ServiceAccount and RBAC, with
# leader election on as the chart has it, and the JVM sizing it gets in the chart's pod: the chart's
# javaOptions (read from helm/serendip/values.yaml) plus -XX:MaxRAM=512m, the pod's memory limit, which the JVM
# would read from its cgroup (max heap 384 MiB, initial heap 8 MiB), and -XX:+UseSerialGC, which JDK 17
# picks by itself below 1792 MiB of memory. Override with OPERATOR_JAVA_OPTS.
# Experiments are examples/quickstart/30-exploration-experiment.yaml with router.replicas 1, sharing the
# quickstart's InterestClusterSet, InterestModel and RecommenderModel (created once).
# Their guardrails poll each router's /v1/stats every 30 s, from the reconcile threads. KWOK pods run
# no router, so the operator resolves names through a hosts file (-Djdk.net.hosts.file) that maps every
# router Service name to 127.0.0.2, where nothing listens on 8080: each read fails at once with
# "connection refused", as it does in a cluster for a Service whose pods do not listen. --system-dns
# leaves the machine's resolver in charge instead (there the names do not exist). The guardrails also read each
# ready router pod at its pod IP; KWOK's pod IPs (10.244.0.0/16) have an unreachable route while the control
# plane runs (hack/control-plane.sh), so those reads fail at once with "No route to host".
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
experiments=100 total=1000 in_flight=10 settle=120 idle=300 system_dns=false
while [ $# -gt 0 ]; do
  case "$1" in
    --system-dns) system_dns=true; shift; continue ;;
    --experiments) experiments="$2" ;;
    --idle-experiments) total="$2" ;;
    --in-flight) in_flight="$2" ;;
    --settle-seconds) settle="$2" ;;
    --idle-seconds) idle="$2" ;;
    *) sed -n '2,29p' "$here/run.sh" >&2; exit 2 ;;
  esac
  shift 2
done
[ "$total" -ge "$experiments" ] || { echo "--idle-experiments must be >= --experiments" >&2; exit 2; }
chart_java_opts="$(sed -n 's/^javaOptions: *"\(.*\)"$/\1/p' helm/serendip/values.yaml)"
[ -n "$chart_java_opts" ] || { echo "no javaOptions in helm/serendip/values.yaml" >&2; exit 1; }
java_opts="${OPERATOR_JAVA_OPTS:--XX:MaxRAM=512m $chart_java_opts -XX:+UseSerialGC}"
ns=operator-scale
started=$SECONDS
log() { printf '[operator-scale %5ds] %s\n' "$((SECONDS - started))" "$*" >&2; }
xpbench() { python3 "$here/xpbench.py" "$@"; }

log "building the operator (tests skipped) and, first time only, the control plane"
./mvnw -B -q -pl operator -am install -DskipTests
hack/build-control-plane.sh >&2
work="$(mktemp -d -t serendip-operator-scale-XXXX)"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
log "starting a fresh local control plane (results and logs in $work)"
kubeconfig="$(hack/control-plane.sh up --dir "$work/cp" --owner-pid $$)"
eval "$(hack/control-plane.sh env --dir "$work/cp")"
export KUBECONFIG="$kubeconfig"
op_pid=""
cleanup() {
  # `|| true`: under set -e the operator's exit status (143 after the kill) would end the trap here, with the
  # control plane left to the watchdog and the script exiting 143 after a complete report.
  if [ -n "$op_pid" ]; then kill "$op_pid" 2>/dev/null && wait "$op_pid" 2>/dev/null || true; fi
  hack/control-plane.sh down --dir "$work/cp" >/dev/null 2>&1 || true
}
trap cleanup EXIT INT TERM

log "installing the chart: CRDs, ServiceAccount, RBAC (no operator pod; the operator runs below)"
helm install serendip helm/serendip -n serendip-system --create-namespace --set replicaCount=0 --wait >/dev/null
sa="$(kubectl get deployment -n serendip-system -l app.kubernetes.io/component=operator \
  -o jsonpath='{.items[0].spec.template.spec.serviceAccountName}')"
user="system:serviceaccount:serendip-system:$sa"

log "restarting kube-apiserver with an audit log of $user's requests"
cat > "$work/audit-policy.yaml" <<POLICY
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived, ResponseStarted]
rules:
  - level: Metadata
    users: ["$user"]
  - level: None
POLICY
# control-plane.sh keeps each component's command line, NUL-separated, and `restart` runs it again.
printf '%s\0' --audit-policy-file "$work/audit-policy.yaml" --audit-log-path "$work/audit.log" \
  --audit-log-maxsize 4096 >> "$work/cp/kube-apiserver.cmd"
hack/control-plane.sh restart kube-apiserver --dir "$work/cp"

# Room for the routers: the control plane's four nodes take 440 pods and its Service range 253 IPs.
log "adding $((total / 100 + 1)) fake nodes of 110 pods and a ServiceCIDR of 4094 addresses"
for i in $(seq 0 $((total / 100))); do
  cat <<NODE
apiVersion: v1
kind: Node
metadata:
  name: kwok-bench-$i
  annotations: {kwok.x-k8s.io/node: fake, node.alpha.kubernetes.io/ttl: "0"}
  labels: {type: kwok, kubernetes.io/hostname: kwok-bench-$i, kubernetes.io/os: linux, kubernetes.io/arch: amd64}
status:
  allocatable: {cpu: "64", memory: 256Gi, pods: "110"}
  capacity: {cpu: "64", memory: 256Gi, pods: "110"}
  nodeInfo: {architecture: amd64, kubeletVersion: fake, operatingSystem: linux}
---
NODE
done | kubectl apply -f - >/dev/null
kubectl apply -f - >/dev/null <<CIDR
apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata: {name: operator-scale}
spec: {cidrs: [10.96.0.0/20]}
CIDR
kubectl wait --for=condition=Ready node --all --timeout=120s >/dev/null
kubectl wait --for=condition=Ready servicecidr/operator-scale --timeout=60s >/dev/null

log "starting the operator under $user (log $work/operator.log)"
kubectl create token "$sa" -n serendip-system --duration 24h > "$work/operator.token"
cp "$kubeconfig" "$work/operator.kubeconfig"
kubectl --kubeconfig "$work/operator.kubeconfig" config set-credentials serendip-admin \
  --token "$(cat "$work/operator.token")" >/dev/null
./mvnw -B -q -pl operator dependency:build-classpath -Dmdep.outputFile="$work/operator.classpath" >/dev/null
names="the machine's resolver" resolver_opts=""
if ! $system_dns; then
  { echo "127.0.0.1 localhost $(hostname)"
    for i in $(seq 0 $((total - 1))); do printf '127.0.0.2 xp-%04d-router.%s.svc\n' "$i" "$ns"; done; } > "$work/hosts"
  names="a hosts file mapping the router Services to 127.0.0.2 (nothing listening)"
  resolver_opts="-Djdk.net.hosts.file=$work/hosts"
fi
port_8080_check() { # guardrail reads go to 127.0.0.2:8080 and must be refused
  if ! $system_dns && ss -Hltn 'sport = :8080' | grep -q .; then
    log "warning: something listens on port 8080 $1; guardrail reads may reach it"
  fi
}
port_8080_check "at the operator's start"
http_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
# shellcheck disable=SC2086 # java_opts is a list of options
KUBECONFIG="$work/operator.kubeconfig" SERENDIP_HTTP_PORT="$http_port" HOSTNAME=operator-scale \
  SERENDIP_LEADER_ELECTION_NAMESPACE=serendip-system \
  java $java_opts $resolver_opts -cp "operator/target/classes:$(cat "$work/operator.classpath")" io.serendip.operator.OperatorMain \
  > "$work/operator.log" 2>&1 &
op_pid=$!
until curl -fs "http://127.0.0.1:$http_port/readyz" >/dev/null; do
  kill -0 "$op_pid" 2>/dev/null || { tail -30 "$work/operator.log" >&2; exit 1; }
  sleep 1
done

log "creating the shared references (the quickstart's cluster set, interest model, recommender)"
kubectl create namespace "$ns" >/dev/null
q=examples/quickstart
kubectl apply -n "$ns" -f "$q/00-artifacts-volume.yaml" -f "$q/00-interest-cluster-set.yaml" -f "$q/10-interest-model.yaml" -f "$q/20-recommender-model.yaml" >/dev/null
kubectl wait -n "$ns" --for=condition=Ready ics,im,rm --all --timeout=600s >/dev/null
kubectl patch --local -f "$q/30-exploration-experiment.yaml" --type merge -p '{"spec":{"router":{"replicas":1}}}' \
  -o json > "$work/experiment.json"

log "a. applying $experiments experiments one at a time"
xpbench apply --kubeconfig "$kubeconfig" --namespace "$ns" --template "$work/experiment.json" \
  --count "$experiments" --in-flight 1 --out "$work/latency-a.csv"
if [ "$total" -gt "$experiments" ]; then
  log "b. applying $((total - experiments)) more, at most $in_flight not yet Ready at a time"
  xpbench apply --kubeconfig "$kubeconfig" --namespace "$ns" --template "$work/experiment.json" \
    --start "$experiments" --count "$((total - experiments))" --in-flight "$in_flight" --out "$work/latency-b.csv"
fi

log "all $total Ready; settling for $settle s, then $idle s of idle measurement"
sleep "$settle"
scrape() { # the operator's /metrics into $1, as Prometheus would read it
  curl -fsS --max-time 120 "http://127.0.0.1:$http_port/metrics" > "$1" \
    || { log "the operator's /metrics did not answer; its log ends:"; tail -3 "$work/operator.log" >&2; exit 1; }
}
reconciliations() { # reconciliations started, over all controllers, in a scrape
  awk '/^operator_sdk_reconciliations_started_total/ { s += $NF } END { printf "%d\n", s }' "$1"
}
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$op_pid/stat"; }
xpbench requests --kubeconfig "$kubeconfig" --out "$work/requests-before.json"
port_8080_check "at the start of the idle window"
t0="$(date +%s.%N)"; scrape "$work/metrics-start.txt"; rec0="$(reconciliations "$work/metrics-start.txt")"; cpu0="$(cpu_ticks)"
: > "$work/rss.tsv"
end=$((SECONDS + idle))
while [ $SECONDS -lt "$end" ]; do
  printf '%s\t%s\n' "$(date +%s)" "$(awk '/^VmRSS/ { print $2 }' "/proc/$op_pid/status")" >> "$work/rss.tsv"
  sleep 5
done
t1="$(date +%s.%N)"; scrape "$work/metrics-end.txt"; rec1="$(reconciliations "$work/metrics-end.txt")"; cpu1="$(cpu_ticks)"
xpbench requests --kubeconfig "$kubeconfig" --out "$work/requests-after.json"
port_8080_check "at the end of the idle window"
grep -E '^(VmRSS|RssAnon|RssFile|RssShmem|Threads)' "/proc/$op_pid/status" > "$work/memory.txt"
jcmd "$op_pid" GC.heap_info >> "$work/memory.txt" 2>&1 || true
# Diagnostics after the window: native memory (when OPERATOR_JAVA_OPTS turns on -XX:NativeMemoryTracking)
# and the live heap by class (this forces a full GC).
jcmd "$op_pid" VM.native_memory summary > "$work/native-memory.txt" 2>&1 || true
jcmd "$op_pid" GC.class_histogram 2>&1 | awk 'NR <= 30 || /^Total/' > "$work/heap-histogram.txt" || true
# OPERATOR_HEAP_DUMP=1: also a dump of the live heap, its byte arrays by length (hprof_bytes.py) and its int arrays
# by owner (hprof_int_owners.py)
if [ -n "${OPERATOR_HEAP_DUMP:-}" ]; then
  jcmd "$op_pid" GC.heap_dump "$work/operator.hprof" >/dev/null 2>&1 \
    && python3 "$here/hprof_bytes.py" "$work/operator.hprof" > "$work/heap-byte-arrays.txt" \
    && python3 "$here/hprof_int_owners.py" "$work/operator.hprof" > "$work/heap-int-arrays.txt" || true
fi
load_idle="$(cut -d' ' -f1-3 /proc/loadavg)"
not_ready="$(kubectl get xp -n "$ns" -o json | python3 -c 'import json,sys
print(sum(1 for i in json.load(sys.stdin)["items"] if not any(c["type"]=="Ready" and c["status"]=="True" for c in i["status"]["conditions"])))')"
[ "$not_ready" -eq 0 ] || log "warning: $not_ready experiments were not Ready at the end of the idle window"
xpbench audit --log "$work/audit.log" --user "$user" --start "$t0" --end "$t1" --out "$work/audit-idle.json"

source hack/control-plane-versions.env
jdk="$(java -version 2>&1 | head -1 | cut -d'"' -f2)"
pomv() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" pom.xml | head -1; }
python3 - "$work/env.json" <<PY
import json, sys
json.dump({
  "machine": "$(nproc) vCPU $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/^Mem/ { print $2 }') GiB RAM, $(uname -sr)",
  "versions": "Kubernetes $KUBERNETES_VERSION, etcd $ETCD_VERSION, KWOK $KWOK_VERSION, JDK $jdk, JOSDK $(pomv josdk.version), Fabric8 $(pomv fabric8.version)",
  "java_opts": "$java_opts", "names": "$names", "load_before": "$load_before", "load_idle": "$load_idle",
  "phase_a": "$experiments, one at a time", "phase_b": "$( [ "$total" -gt "$experiments" ] && echo "$((total - experiments)) more, $in_flight in flight")",
  "total": $total, "settle_seconds": $settle, "idle_seconds": $t1 - $t0,
  "reconciliations": $rec1 - $rec0, "metrics_bytes": $(wc -c < "$work/metrics-end.txt"),
  "metrics_series": $(grep -vc '^#' "$work/metrics-end.txt"), "cpu_seconds": ($cpu1 - $cpu0) / $(getconf CLK_TCK), "not_ready_at_end": $not_ready,
}, open(sys.argv[1], "w"), indent=1)
PY
xpbench report --dir "$work" | tee "$work/report.md"
log "done; results in $work"
