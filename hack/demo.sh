#!/usr/bin/env bash
# One-command local demo on a real Kubernetes node, no cluster of your own needed (run as root: the node needs
# network namespaces, cgroups and mounts):
#  1. builds Serendip, its images and (first time) the control-plane binaries,
#  2. starts the local control plane with its real node (containerd, runc, kubelet, kube-proxy, CoreDNS; KWOK's
#     fake GPU nodes beside it), imports the images and installs the Helm chart: the operator runs as a pod,
#  3. applies examples/quickstart (made CPU-only) on MovieLens-100K when ../shared/datasets/ml-100k or
#     --dataset DIR has it, otherwise on generated data, with its artifacts on a claim of the node's default
#     StorageClass: the operator's cluster-build, training, novelty-precompute and merge Jobs and the servers run
#     as pods of Serendip's images; the novel-interest model is the default base LLM (SmolLM2-135M-Instruct, in
#     the runtime-cuda image) fine-tuned with LoRA on the cluster set's curated transitions by the operator's
#     training Job, and its precompute Jobs run it (engine: Transformers),
#  4. sends traffic through the router's ClusterIP Service and prints slates with their novel-interest
#     descriptions and the per-arm stats.
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
[ "$(id -u)" = 0 ] || { echo "the demo's real node needs root (network namespaces, cgroups, mounts)" >&2; exit 1; }
started=$SECONDS
log() { printf '\n[demo %4ds] %s\n' "$((SECONDS - started))" "$*"; }

log "building Serendip and its images (./mvnw install, tests skipped)"
./mvnw -B install -DskipTests | grep --line-buffered -E '^\[INFO\] Building serendip|BUILD|ERROR' || true
[ -f runtime/target/serendip-runtime.jar ] && [ -f build/images/serendip-runtime-cuda.tar ] \
  || { echo "build failed" >&2; exit 1; }
hack/build-control-plane.sh
runtime_jar="$root/runtime/target/serendip-runtime.jar"
job() { java -jar "$runtime_jar" job "$@"; }

state="$(mktemp -d -t serendip-demo-XXXX)"
log "starting the local control plane and its real node in $state"
kubeconfig="$(hack/control-plane.sh up --dir "$state" --node real --owner-pid $$)"
export KUBECONFIG="$kubeconfig"
eval "$(hack/control-plane.sh env --dir "$state")"
cleanup() {
  local status=$?
  if [ "$status" -ne 0 ]; then # keep what explains the failure; the control plane's directory goes below
    local kept; kept="$(mktemp -d -t serendip-demo-logs-XXXX)"
    kubectl get serendip,deploy,job,pod -A -o wide > "$kept/objects.txt" 2>&1 || true
    kubectl get events -A --sort-by=.lastTimestamp > "$kept/events.txt" 2>&1 || true
    kubectl logs -A -l app.kubernetes.io/name=serendip --all-containers --prefix --tail=200 --max-log-requests=30 \
      > "$kept/pods.log" 2>&1 || true
    cp -r "$state/logs" "$state/node/logs" "$kept/" 2>/dev/null || true
    echo "demo failed (exit $status); objects, events, pod and component logs kept in $kept" >&2
  fi
  hack/control-plane.sh down --dir "$state" >/dev/null 2>&1 || true
}
trap cleanup EXIT INT TERM

log "importing the images into the node's containerd (verified against their digests first)"
hack/node.sh import --dir "$state/node" build/images/serendip-{runtime,runtime-cuda,operator}.tar
kubectl get nodes -L nvidia.com/gpu.product

log "installing the Helm chart: CRDs, RBAC and the operator, running as a pod on the node"
helm install serendip helm/serendip -n serendip-system --create-namespace --set replicaCount=1 --wait --timeout 5m \
  >/dev/null
kubectl get pods -n serendip-system -o wide

log "claiming the artifact volume (examples/quickstart/00-artifacts-volume.yaml) from the node's default StorageClass"
# Its local volume is a folder of this machine's disk: the catalog goes there as an admin would put it.
kubectl apply -f examples/quickstart/00-artifacts-volume.yaml
kubectl wait --for=jsonpath='{.status.phase}'=Bound pvc/serendip-artifacts --timeout=2m >/dev/null
artifacts="$(kubectl get pv "$(kubectl get pvc serendip-artifacts -o jsonpath='{.spec.volumeName}')" \
  -o jsonpath='{.spec.local.path}')"
mkdir -p "$artifacts/datasets"
cpu_only='"resources":{"gpus":0,"gpuProduct":null,"cpu":"250m"}'
if [ -f "$dataset/u.data" ]; then
  log "data: MovieLens-100K from $dataset"
  cp -r "$dataset" "$artifacts/datasets/ml-100k"
  catalog='"catalog":{"format":"MovieLens100K","path":"/artifacts/datasets/ml-100k"}'
else
  log "data: no MovieLens-100K at $dataset; generating a catalog and log with planted interests"
  job generate-synthetic --items 1000 --users 1500 --interests 12 --output "$artifacts/datasets/synthetic"
  catalog='"catalog":{"format":"Dataset","path":"/artifacts/datasets/synthetic"}'
fi
chown -R 65532:65532 "$artifacts"
apply_patched() { # $1 = manifest, $2 = JSON merge patch of its spec
  kubectl patch --local -f "$1" --type merge -p "{\"spec\":{$2}}" -o yaml | kubectl apply -f -
}

q=examples/quickstart
log "applying the InterestClusterSet: the operator's build Job imports, embeds and clusters the catalog"
apply_patched "$q/00-interest-cluster-set.yaml" "$catalog"
kubectl wait --for=condition=Ready interestclustersets/movielens --timeout=30m
artifact_path="$(kubectl get interestclusterset movielens -o jsonpath='{.status.artifactPath}')"
clusters="$artifacts${artifact_path#/artifacts}"
echo "clusters: $(kubectl get interestclusterset movielens -o jsonpath='{.status.clusters}') at $clusters"

log "applying the InterestModel and RecommenderModel: the operator's Jobs fine-tune the novel-interest LLM and train the sequence recommender on the cluster set's data, gate the LLM, then precompute its novelty table in 4 shards; and the experiment"
# A demo-sized fine-tune on CPU (about 10 minutes with its gates on 2 cores): enough steps to pass the gates;
# docs/benchmarks.md measures larger ones. The LLM's pods hold the JVM and the LLM component (Python, torch, the
# 135M model) together: 3Gi for the precompute, 10Gi for training (its pod peaked at 7.4 GiB, page cache included).
apply_patched "$q/10-interest-model.yaml" "\"engine\":\"Transformers\",\"training\":{\"maxExamples\":320,\"epochs\":1,\"batchSize\":8,\"learningRate\":0.006,\"maxGateCases\":200,\"resources\":{\"gpus\":0,\"gpuProduct\":null,\"cpu\":\"1\",\"memory\":\"10Gi\"}},\"resources\":{\"gpus\":0,\"gpuProduct\":null,\"cpu\":\"250m\",\"memory\":\"3Gi\"}"
apply_patched "$q/20-recommender-model.yaml" "\"training\":{\"epochs\":10,\"resources\":{\"gpus\":0,\"cpu\":\"500m\",\"memory\":\"3Gi\"}},$cpu_only,\"replicas\":1"
apply_patched "$q/30-exploration-experiment.yaml" "\"router\":{\"replicas\":1,\"requestTimeoutMillis\":10000}"
until training_job="$(kubectl get interestmodel novelty-v1 -o jsonpath='{.status.training.job}' 2>/dev/null)" && [ -n "$training_job" ]; do
  sleep 2
done
log "the LLM's training Job $training_job (its log below; the gate numbers then show in 'kubectl get im')"
kubectl wait --for=condition=Ready pod -l "job-name=$training_job" --timeout=10m >/dev/null 2>&1 || true
kubectl logs -f "job/$training_job" || true
kubectl get interestmodel novelty-v1
kubectl wait --for=condition=Ready interestmodels,recommendermodels --all --timeout=40m
kubectl wait --for=condition=Ready explorationexperiments/quickstart --timeout=5m
kubectl get serendip -o wide
kubectl get pods -o wide

router="http://$(kubectl get service quickstart-router -o jsonpath='{.spec.clusterIP}'):8080"
log "sending traffic: users replayed through the router's Service $router"
java -jar "$runtime_jar" traffic --router "$router" --dataset "$clusters/dataset" --users 300 --show 3

log "report: arms and weights"
kubectl get explorationexperiment quickstart \
  -o jsonpath='{range .status.arms[*]}  {.name}: weight {.weight}%, ready {.ready}{"\n"}{end}'
echo "  rollout: phase $(kubectl get xp quickstart -o jsonpath='{.status.phase}'), step $(kubectl get xp quickstart -o jsonpath='{.status.currentStep}')"

if $once; then look="Run hack/demo.sh without --once to keep everything up, then look around (another terminal):"
else look="Look around (another terminal):"; fi
cat <<EOF

$look
  export KUBECONFIG=$kubeconfig
  kubectl get serendip,deployments,jobs,pods -o wide     # what the operator made, running on serendip-node
  kubectl describe xp quickstart                         # rollout, guardrails, per-arm metrics
  hack/kubectl-serendip status quickstart                # or: promote | abort | pause | resume
  curl -s $router/v1/stats                   # the router's per-arm counters
  kubectl logs -n serendip-system deploy/serendip-operator   # the operator
EOF
if $once; then
  log "done; tearing everything down"
else
  log "running; press Ctrl-C to stop everything and tear down"
  while true; do sleep 3600; done
fi
