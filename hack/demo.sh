#!/usr/bin/env bash
# One-command local demo, no cluster of your own needed:
# builds Serendip, starts the local control plane (fake CPU and GPU nodes), installs the CRDs,
# runs the operator, applies examples/quickstart and waits until every resource is Ready.
#
#   hack/demo.sh            keep the operator running until Ctrl-C, then tear everything down
#   hack/demo.sh --once     exit (and tear down) as soon as the quickstart is Ready
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
once=false; [ "${1:-}" = "--once" ] && once=true
log() { printf '\n[demo] %s\n' "$*"; }

log "building (./mvnw install, tests skipped)"
./mvnw -B -q install -Dmaven.test.skip=true
hack/build-control-plane.sh >/dev/null

state="$(mktemp -d -t serendip-demo-XXXX)"
log "starting the local control plane in $state"
kubeconfig="$(hack/control-plane.sh up --dir "$state" --owner-pid $$)"
export KUBECONFIG="$kubeconfig"
eval "$(hack/control-plane.sh env --dir "$state")"
operator_pid=""
cleanup() {
  [ -n "$operator_pid" ] && kill "$operator_pid" 2>/dev/null && wait "$operator_pid" 2>/dev/null || true
  hack/control-plane.sh down --dir "$state" >/dev/null 2>&1 || true
}
trap cleanup EXIT INT TERM
kubectl get nodes -L nvidia.com/gpu.product

log "installing the CRDs"
kubectl apply --server-side -f crds/
kubectl wait --for=condition=Established crd --all --timeout=60s >/dev/null

log "starting the operator (log: $state/operator.log)"
./mvnw -B -q -pl operator exec:java -Dexec.mainClass=io.serendip.operator.OperatorMain \
  > "$state/operator.log" 2>&1 &
operator_pid=$!

if [ -d examples/quickstart ]; then
  log "applying examples/quickstart"
  kubectl apply -f examples/quickstart/
  kubectl wait --for=condition=Ready interestclustersets,interestmodels,recommendermodels,explorationexperiments \
    --all --timeout=180s
  kubectl get serendip -o wide
  kubectl get deployments,services,jobs,configmaps -o wide
  kubectl get pods -o wide
fi

if $once; then
  log "quickstart is Ready; tearing down"
else
  log "running; KUBECONFIG=$KUBECONFIG — press Ctrl-C to stop and tear down"
  wait "$operator_pid"
fi
