#!/usr/bin/env bash
# One-command local demo, no cluster of your own needed:
#  1. builds Serendip and (first time) the control-plane binaries,
#  2. starts the local control plane (fake CPU and GPU nodes) plus a local node that runs the runtime
#     image's pods as real processes, installs the Helm chart and runs the operator,
#  3. applies examples/quickstart (made CPU-only and pinned to the local node) on MovieLens-100K when
#     ../shared/datasets/ml-100k or --dataset DIR has it, otherwise on generated data: the operator's
#     cluster-build, novelty-precompute and merge Jobs really run, the models are trained in between:
#     the novel-interest model is the default base LLM (SmolLM2-135M-Instruct, installed by llm/setup.sh)
#     fine-tuned with LoRA on the cluster set's curated transitions; the precompute Jobs and the interest-model
#     server run it,
#  4. sends traffic through the router and prints slates with their novel-interest descriptions and
#     the per-arm stats.
#
#   hack/demo.sh [--dataset DIR]   keep everything running until Ctrl-C, then tear down
#   hack/demo.sh --once            tear down right after the report
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
once=false
dataset="$root/../shared/datasets/ml-100k"
while [ $# -gt 0 ]; do
  case "$1" in
    --once) once=true ;;
    --dataset) dataset="$2"; shift ;;
    *) echo "usage: hack/demo.sh [--once] [--dataset ml-100k-dir]" >&2; exit 2 ;;
  esac
  shift
done
started=$SECONDS
log() { printf '\n[demo %4ds] %s\n' "$((SECONDS - started))" "$*"; }

log "building Serendip (./mvnw install, tests skipped)"
./mvnw -B install -DskipTests | grep --line-buffered -E '^\[INFO\] Building serendip|BUILD|ERROR' || true
[ -f runtime/target/serendip-runtime.jar ] || { echo "build failed" >&2; exit 1; }
hack/build-control-plane.sh
log "installing the LLM component (llm/setup.sh: pinned Python environment and the base model, first time only)"
SERENDIP_LLM_PYTHON="$(llm/setup.sh | tail -n1)"
export SERENDIP_LLM_PYTHON
runtime_jar="$root/runtime/target/serendip-runtime.jar"
job() { java -jar "$runtime_jar" job "$@"; }

state="$(mktemp -d -t serendip-demo-XXXX)"
log "starting the local control plane in $state"
kubeconfig="$(hack/control-plane.sh up --dir "$state" --owner-pid $$)"
export KUBECONFIG="$kubeconfig"
eval "$(hack/control-plane.sh env --dir "$state")"
pids=()
cleanup() {
  local status=$?
  if [ "$status" -ne 0 ]; then # keep what explains the failure; the control plane's directory goes below
    local kept; kept="$(mktemp -d -t serendip-demo-logs-XXXX)"
    cp -r "$state"/*.log "$state/node/pods" "$state/logs" "$kept/" 2>/dev/null || true
    echo "demo failed (exit $status); operator, node, pod and control-plane logs kept in $kept" >&2
  fi
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  hack/control-plane.sh down --dir "$state" >/dev/null 2>&1 || true
}
trap cleanup EXIT INT TERM

log "installing the Helm chart (CRDs, RBAC; the operator runs below as a local process)"
helm install serendip helm/serendip -n serendip-system --create-namespace --set replicaCount=0 --wait >/dev/null
helm list -n serendip-system

classpath() { # the module's classes and its runtime dependencies
  ./mvnw -B -q -o -pl "$1" dependency:build-classpath -Dmdep.outputFile="$state/$1.classpath" >/dev/null
  echo "$root/$1/target/classes:$(cat "$state/$1.classpath")"
}
log "starting the local node (runs the runtime image's pods as processes; log $state/node.log)"
java -cp "$(classpath local-control-plane)" io.serendip.kube.local.node.LocalNodeMain \
  "$kubeconfig" "$state/node" "$runtime_jar" local-0 > "$state/node.log" 2>&1 &
pids+=($!)
until [ -f "$state/node/hosts" ]; do sleep 1; done
kubectl get nodes -L nvidia.com/gpu.product,serendip.io/local-node

log "starting the operator (log $state/operator.log)"
KUBECONFIG="$kubeconfig" SERENDIP_HTTP_PORT=0 java -Djdk.net.hosts.file="$state/node/hosts" \
  -Dsun.net.inetaddr.ttl=1 -cp "$(classpath operator)" io.serendip.operator.OperatorMain > "$state/operator.log" 2>&1 &
pids+=($!)

# The quickstart's storage is hostPath /var/lib/serendip/artifacts: on the local node that is this directory.
artifacts="$state/node/root/var/lib/serendip/artifacts"
mkdir -p "$artifacts/datasets"
local_node='"nodeSelector":{"serendip.io/local-node":"true"},"tolerations":[{"key":"serendip.io/local-node","operator":"Exists","effect":"NoSchedule"}]'
# The interest model's Jobs and server run the LLM component; pods on the local node are host processes, so they
# use this machine's installation (an image would carry its own).
llm_env="\"env\":[{\"name\":\"SERENDIP_LLM_PYTHON\",\"value\":\"$SERENDIP_LLM_PYTHON\"}]"
cpu_only='"resources":{"gpus":0,"gpuProduct":null,"cpu":"250m"},"replicas":1'
if [ -f "$dataset/u.data" ]; then
  log "data: MovieLens-100K from $dataset"
  ln -s "$(cd "$dataset" && pwd)" "$artifacts/datasets/ml-100k"
  catalog='"catalog":{"format":"MovieLens100K","path":"/artifacts/datasets/ml-100k"}'
else
  log "data: no MovieLens-100K at $dataset; generating a catalog and log with planted interests"
  job generate-synthetic --items 1000 --users 1500 --interests 12 --output "$artifacts/datasets/synthetic"
  catalog='"catalog":{"format":"Dataset","path":"/artifacts/datasets/synthetic"}'
fi
apply_local() { # $1 = manifest, $2 = JSON merge patch of its spec
  kubectl patch --local -f "$1" --type merge -p "{\"spec\":{$2}}" -o yaml | kubectl apply -f -
}

q=examples/quickstart
log "applying the InterestClusterSet: the operator's build Job imports, embeds and clusters the catalog"
apply_local "$q/00-interest-cluster-set.yaml" "$catalog,\"pod\":{$local_node}"
kubectl wait --for=condition=Ready interestclustersets/movielens --timeout=30m
artifact_path="$(kubectl get interestclusterset movielens -o jsonpath='{.status.artifactPath}')"
clusters="$artifacts${artifact_path#/artifacts}"
echo "clusters: $(kubectl get interestclusterset movielens -o jsonpath='{.status.clusters}') at $clusters"

log "fine-tuning the novel-interest LLM and training the sequence recommender on the cluster set's data (progress below)"
# A demo-sized fine-tune (about 10 minutes with its gates on 2 cores): enough steps to pass the gates;
# docs/benchmarks.md measures larger ones.
job train-interest-model --dataset "$clusters/dataset" --clusters "$clusters" --max-examples 320 --epochs 1 \
  --batch-size 8 --learning-rate 0.006 --max-gate-cases 200 --output "$artifacts/interest-model/v1"
job train-recommender --dataset "$clusters/dataset" --epochs 10 --output "$artifacts/recommender/v1" \
  | grep --line-buffered -v ' epoch '

log "applying the InterestModel (novelty table precomputed in 4 shards, gates checked), RecommenderModel and experiment"
apply_local "$q/10-interest-model.yaml" "$cpu_only,\"pod\":{$local_node,$llm_env}"
apply_local "$q/20-recommender-model.yaml" "$cpu_only,\"pod\":{$local_node}"
apply_local "$q/30-exploration-experiment.yaml" "\"router\":{\"replicas\":1,\"requestTimeoutMillis\":10000,\"pod\":{$local_node}}"
kubectl wait --for=condition=Ready interestmodels,recommendermodels --all --timeout=40m
kubectl wait --for=condition=Ready explorationexperiments/quickstart --timeout=5m
kubectl get serendip -o wide

# The router's Service name, resolved like in a cluster: the local node keeps a hosts file of Service names
# pointing at ready pods (a weight change rolls the router's pods, so a pod IP can go stale).
router="http://quickstart-router.default.svc:8080"
log "sending traffic: users replayed through the router's Service $router"
java -Djdk.net.hosts.file="$state/node/hosts" -Dsun.net.inetaddr.ttl=1 -jar "$runtime_jar" traffic \
  --router "$router" --dataset "$clusters/dataset" --users 300 --show 3
router_ip="$(awk '$2 == "quickstart-router.default.svc" { print $1 }' "$state/node/hosts")"

log "report: arms and weights"
kubectl get explorationexperiment quickstart \
  -o jsonpath='{range .status.arms[*]}  {.name}: weight {.weight}%, ready {.ready}{"\n"}{end}'
echo "  rollout: phase $(kubectl get xp quickstart -o jsonpath='{.status.phase}'), step $(kubectl get xp quickstart -o jsonpath='{.status.currentStep}')"

if $once; then look="Run hack/demo.sh without --once to keep everything up, then look around (another terminal):"
else look="Look around (another terminal):"; fi
cat <<EOF

$look
  export KUBECONFIG=$kubeconfig
  kubectl get serendip,deployments,jobs,pods -o wide     # what the operator made; pods on local-0 are real processes
  kubectl describe xp quickstart                         # rollout, guardrails, per-arm metrics
  hack/kubectl-serendip status quickstart                # or: promote | abort | pause | resume
  curl -s http://$router_ip:8080/v1/stats                # the router's per-arm counters
  ls $state/node/pods/default/    # each pod's log
EOF
if $once; then
  log "done; tearing everything down"
else
  log "running; press Ctrl-C to stop everything and tear down"
  wait "${pids[0]}"
fi
