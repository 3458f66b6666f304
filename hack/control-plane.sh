#!/usr/bin/env bash
# A real local Kubernetes control plane as plain processes (no containers):
# etcd, kube-apiserver, kube-controller-manager, kube-scheduler and KWOK with fake CPU and GPU nodes.
#
#   hack/control-plane.sh up     [--dir DIR] [--owner-pid PID] [--node kwok|real]
#                                                                start (idempotent), print kubeconfig path
#   hack/control-plane.sh down   [--dir DIR]                     stop every process, remove state
#   hack/control-plane.sh status [--dir DIR]                     exit 0 when all components are healthy
#   hack/control-plane.sh env    [--dir DIR]                     print `export KUBECONFIG=… PATH=…`
#   hack/control-plane.sh restart COMPONENT [--dir DIR]          stop one component (SIGTERM) and start it again
#
# --owner-pid: a watchdog stops the control plane when that process exits (also on SIGKILL),
# so an interrupted test run leaves nothing behind.
# --node real (or SERENDIP_NODE=real): besides KWOK's fake GPU nodes, a real node (hack/node.sh: containerd,
# runc, kubelet, kube-proxy, CoreDNS) runs the pods, in DIR/node; kwok (the default): fake CPU nodes instead.
# While it runs, the fake pods' range (10.244.0.0/16) has an unreachable route, so nothing sent to a fake pod IP
# leaves this machine (needs CAP_NET_ADMIN; skipped with a message without it).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/control-plane-versions.env"
# shellcheck source=lib/processes.sh
source "$here/lib/processes.sh"
cache_root="${SERENDIP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/serendip}"
bin="${SERENDIP_K8S_BIN:-$cache_root/k8s-$KUBERNETES_VERSION/bin}"
stages="$bin/../kwok-stages.yaml"

cmd="${1:-}"; shift || true
component=""
if [ "$cmd" = restart ]; then component="${1:-}"; shift || true; fi
dir="${SERENDIP_CONTROL_PLANE_DIR:-$cache_root/control-plane/default}"
owner=""
node_kind="${SERENDIP_NODE:-kwok}"
while [ $# -gt 0 ]; do
  case "$1" in
    --node) node_kind="$2"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    --owner-pid) owner="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
components=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok)
log() { printf '[control-plane %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

healthz() { # component -> 0 when its health endpoint answers ok
  local port; port="$(cat "$dir/$1.port" 2>/dev/null)" || return 1
  case "$1" in
    etcd) curl -fsS --max-time 2 "http://127.0.0.1:$port/health" 2>/dev/null | grep -q '"health":"true"' ;;
    kwok) curl -fsS --max-time 2 "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 ;;
    *)    curl -fsSk --max-time 2 "https://127.0.0.1:$port/healthz" 2>/dev/null | grep -qx ok ;;
  esac
}

status() {
  local ok=0
  for c in "${components[@]}"; do
    if alive "$c" && healthz "$c"; then echo "$c: healthy"; else echo "$c: down"; ok=1; fi
  done
  if [ -f "$dir/node.kind" ] && [ "$(cat "$dir/node.kind")" = real ]; then
    "$here/node.sh" status --dir "$dir/node" || ok=1
  fi
  return $ok
}

# Fake pods get addresses in FAKE_POD_RANGE that nothing answers, and clients such as the operator connect to
# pod IPs. So that those attempts stay on this machine instead of taking the default route, each KWOK control
# plane adds an `unreachable` route for the range (a connect fails at once with "No route to host"). Concurrent
# control planes each add their own, told apart by the metric (their kwok port), so stopping one keeps the others;
# at `up`, routes of control planes whose kwok no longer listens (killed with their watchdog) are removed.
# Best effort: without CAP_NET_ADMIN the control plane still starts, and says so.
FAKE_POD_RANGE=10.244.0.0/16
fake_pod_route_up() {
  local port metric; port="$(cat "$dir/kwok.port")"
  for metric in $(ip route show type unreachable "$FAKE_POD_RANGE" 2>/dev/null | sed -n 's/.* metric \([0-9]*\).*/\1/p'); do
    ss -Hltn "sport = :$metric" 2>/dev/null | grep -q . \
      || ip route del unreachable "$FAKE_POD_RANGE" metric "$metric" 2>/dev/null || true
  done
  if ip route add unreachable "$FAKE_POD_RANGE" metric "$port" 2>/dev/null; then
    echo "$port" > "$dir/fake-pod.route"
  else
    log "could not add an unreachable route for $FAKE_POD_RANGE: connections to fake pod IPs take the default route"
  fi
}
fake_pod_route_down() {
  [ -f "$dir/fake-pod.route" ] || return 0
  ip route del unreachable "$FAKE_POD_RANGE" metric "$(cat "$dir/fake-pod.route")" 2>/dev/null || true
}

stop_all() {
  [ -d "$dir" ] || return 0
  stop_watchdog
  [ -d "$dir/node" ] && "$here/node.sh" down --dir "$dir/node"
  stop_components kwok kube-scheduler kube-controller-manager kube-apiserver etcd
  fake_pod_route_down
  rm -rf "$dir"
}

restart() { # component
  [ -f "$dir/$1.cmd" ] || { log "no component '$1' in $dir (one of: ${components[*]})"; return 2; }
  restart_component "$1"
  log "$1 restarted"
}

write_pki() {
  local pki="$dir/pki"; mkdir -p "$pki"
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=serendip-local-ca" \
    -keyout "$pki/ca.key" -out "$pki/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=kube-apiserver" \
    -keyout "$pki/apiserver.key" -out "$pki/apiserver.csr" 2>/dev/null
  # 127.0.0.1 for clients on this machine, the real node's link address for the node and its pods.
  printf 'subjectAltName=IP:127.0.0.1,IP:10.0.0.1,IP:%s,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc\n' \
    "$("$here/node.sh" host-ip)" > "$pki/san.ext"
  openssl x509 -req -in "$pki/apiserver.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial \
    -days 30 -extfile "$pki/san.ext" -out "$pki/apiserver.crt" 2>/dev/null
  openssl genrsa -out "$pki/sa.key" 2048 2>/dev/null
  openssl rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null
  local token; token="$(openssl rand -hex 24)"
  echo "$token,serendip-admin,serendip-admin,system:masters" > "$pki/tokens.csv"
  echo "$token" > "$pki/admin.token"
}

write_kubeconfig() {
  local port; port="$(cat "$dir/kube-apiserver.port")"
  cat > "$dir/kubeconfig" <<KCFG
apiVersion: v1
kind: Config
clusters:
- name: serendip-local
  cluster:
    server: https://127.0.0.1:$port
    certificate-authority-data: $(base64 -w0 < "$dir/pki/ca.crt")
users:
- name: serendip-admin
  user:
    token: $(cat "$dir/pki/admin.token")
contexts:
- name: serendip-local
  context: {cluster: serendip-local, user: serendip-admin, namespace: default}
current-context: serendip-local
KCFG
}

# KWOK's nodes run no pod, so their volumes are never mounted: a default StorageClass whose claims bind at once
# to one of many volumes is all the scheduler needs to place pods that use a claim. (The real node has its own
# class of local volumes, hack/node.sh.)
fake_storage() {
  local i manifest="apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: standard
  annotations: {storageclass.kubernetes.io/is-default-class: \"true\"}
provisioner: kubernetes.io/no-provisioner
volumeBindingMode: Immediate
reclaimPolicy: Retain"
  for i in $(seq 0 63); do
    manifest+="
---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: kwok-volume-$i
spec:
  capacity: {storage: 100Gi}
  accessModes: [ReadWriteOnce, ReadWriteMany]
  persistentVolumeReclaimPolicy: Retain
  storageClassName: standard
  hostPath: {path: /nonexistent/kwok-volume-$i}"
  done
  printf '%s\n' "$manifest" | "$bin/kubectl" --kubeconfig "$dir/kubeconfig" apply -f - >/dev/null
}

fake_nodes() {
  local nodes=""
  if [ "$node_kind" = kwok ]; then
    for i in 0 1; do
      nodes+="$(node_manifest "kwok-cpu-$i" "" 16 64Gi)"$'\n---\n'
    done
  fi
  nodes+="$(node_manifest kwok-gpu-0 NVIDIA-H100-80GB-HBM3 32 256Gi 8)"$'\n---\n'
  nodes+="$(node_manifest kwok-gpu-1 NVIDIA-A100-SXM4-40GB 32 256Gi 4)"
  printf '%s\n' "$nodes" | "$bin/kubectl" --kubeconfig "$dir/kubeconfig" apply -f - >/dev/null
}

node_manifest() { # name gpu-product cpus memory [gpus]
  local name="$1" product="$2" cpu="$3" mem="$4" gpus="${5:-0}"
  local gpu_labels="" gpu_cap="" taints=""
  if [ "$gpus" -gt 0 ]; then
    gpu_labels="
    nvidia.com/gpu.present: \"true\"
    nvidia.com/gpu.product: $product
    nvidia.com/gpu.count: \"$gpus\""
    gpu_cap="
    nvidia.com/gpu: \"$gpus\""
    taints="
  taints:
  - key: nvidia.com/gpu
    value: present
    effect: NoSchedule"
  fi
  cat <<NODE
apiVersion: v1
kind: Node
metadata:
  name: $name
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: "0"
  labels:
    type: kwok
    kubernetes.io/hostname: $name
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    node-role.kubernetes.io/agent: ""$gpu_labels
spec:$taints
  podCIDR: 10.244.0.0/24 # within FAKE_POD_RANGE
status:
  allocatable:
    cpu: "$cpu"
    memory: $mem
    pods: "110"$gpu_cap
  capacity:
    cpu: "$cpu"
    memory: $mem
    pods: "110"$gpu_cap
  nodeInfo:
    architecture: amd64
    kubeletVersion: fake
    operatingSystem: linux
NODE
}

up() {
  if status >/dev/null 2>&1; then
    log "already running in $dir"
    start_watchdog "$owner" "$here/control-plane.sh"
    echo "$dir/kubeconfig"; return 0
  fi
  stop_all # leftovers of a half-started or crashed instance
  for b in etcd kube-apiserver kube-controller-manager kube-scheduler kwok kubectl; do
    if [ ! -x "$bin/$b" ]; then
      log "$b missing in $bin: building the control plane (first time only, progress below)"
      "$here/build-control-plane.sh" >&2; break
    fi
  done
  [ -s "$stages" ] || "$here/build-control-plane.sh" >&2
  case "$node_kind" in kwok|real) ;; *) log "--node must be kwok or real, got $node_kind"; return 2 ;; esac
  local t0; t0=$(date +%s%N)
  mkdir -p "$dir/logs"
  start_watchdog "$owner" "$here/control-plane.sh"
  write_pki
  for c in etcd etcd-peer kube-apiserver kube-controller-manager kube-scheduler kwok; do free_port > "$dir/$c.port"; done

  local ep pp; ep="$(cat "$dir/etcd.port")"; pp="$(cat "$dir/etcd-peer.port")"
  spawn etcd "$bin/etcd" --name local --data-dir "$dir/etcd-data" \
    --listen-client-urls "http://127.0.0.1:$ep" --advertise-client-urls "http://127.0.0.1:$ep" \
    --listen-peer-urls "http://127.0.0.1:$pp" --initial-advertise-peer-urls "http://127.0.0.1:$pp" \
    --initial-cluster "local=http://127.0.0.1:$pp" --unsafe-no-fsync --log-level warn
  wait_healthy etcd 30

  local pki="$dir/pki"
  # Pods on a real node reach the API server (kubernetes.default) through the node's link to the host.
  local advertise=127.0.0.1
  [ "$node_kind" = real ] && advertise="$("$here/node.sh" host-ip)"
  spawn kube-apiserver "$bin/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$ep" \
    --bind-address 127.0.0.1 --advertise-address "$advertise" --secure-port "$(cat "$dir/kube-apiserver.port")" \
    --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
    --client-ca-file "$pki/ca.crt" --token-auth-file "$pki/tokens.csv" \
    --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --authorization-mode RBAC --service-cluster-ip-range 10.0.0.0/24 --allow-privileged=true \
    --kubelet-preferred-address-types InternalIP \
    --enable-priority-and-fairness=false --profiling=false --v=1
  wait_healthy kube-apiserver 90
  write_kubeconfig

  local kc="$dir/kubeconfig"
  spawn kube-controller-manager "$bin/kube-controller-manager" --kubeconfig "$kc" \
    --authentication-kubeconfig "$kc" --authorization-kubeconfig "$kc" \
    --bind-address 127.0.0.1 --secure-port "$(cat "$dir/kube-controller-manager.port")" \
    --leader-elect=false --use-service-account-credentials=false \
    --service-account-private-key-file "$pki/sa.key" --root-ca-file "$pki/ca.crt" \
    --cluster-signing-cert-file "$pki/ca.crt" --cluster-signing-key-file "$pki/ca.key" \
    --concurrent-gc-syncs 5 --v=1
  spawn kube-scheduler "$bin/kube-scheduler" --kubeconfig "$kc" \
    --authentication-kubeconfig "$kc" --authorization-kubeconfig "$kc" \
    --bind-address 127.0.0.1 --secure-port "$(cat "$dir/kube-scheduler.port")" --leader-elect=false --v=1
  spawn kwok "$bin/kwok" --kubeconfig "$kc" --config "$stages" \
    --manage-all-nodes=false --manage-nodes-with-annotation-selector kwok.x-k8s.io/node=fake \
    --server-address "127.0.0.1:$(cat "$dir/kwok.port")" --cidr 10.244.0.1/16 --node-ip 10.244.0.1 \
    --node-lease-duration-seconds 40
  wait_healthy kube-controller-manager 60
  wait_healthy kube-scheduler 60
  wait_healthy kwok 60
  fake_nodes
  [ "$node_kind" = kwok ] && fake_storage
  fake_pod_route_up # kwok runs fake nodes beside a real one too
  echo "$node_kind" > "$dir/node.kind"
  [ "$node_kind" = real ] && "$here/node.sh" up --dir "$dir/node" --control-plane "$dir"
  # Ready means: nodes Ready and the default ServiceAccount exists (pods can be admitted).
  "$bin/kubectl" --kubeconfig "$kc" wait --for=condition=Ready node --all --timeout=60s >/dev/null
  local deadline=$(( $(date +%s) + 60 ))
  until "$bin/kubectl" --kubeconfig "$kc" get serviceaccount default -n default >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || { log "default ServiceAccount never appeared"; return 1; }
    sleep 0.2
  done
  local ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  log "control plane ready in $((ms / 1000)).$(( (ms % 1000) / 100 )) s (state: $dir)"
  echo "$kc"
}

case "$cmd" in
  up) up ;;
  down) stop_all; log "stopped ($dir)" ;;
  status) status ;;
  env) echo "export KUBECONFIG=$dir/kubeconfig PATH=$bin:\$PATH" ;;
  restart) restart "$component" ;;
  *) sed -n '2,12p' "$0" >&2; exit 2 ;;
esac
