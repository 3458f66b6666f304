#!/usr/bin/env bash
# A real Kubernetes node for the local control plane: containerd + runc with the CNI bridge, host-local and
# loopback plugins, kubelet, kube-proxy (iptables mode) and CoreDNS, all inside a network namespace this
# script creates. Pods run Serendip's real images (imported, never pulled).
#
#   hack/node.sh up     --dir DIR --control-plane CPDIR [--owner-pid PID]   start (idempotent)
#   hack/node.sh down   --dir DIR                                          stop, remove every trace
#   hack/node.sh status --dir DIR                                          exit 0 when every component is healthy
#   hack/node.sh import --dir DIR ARCHIVE...                               verify and import image archives
#   hack/node.sh kill   --dir DIR [--signal SIG] CONTAINER_ID              signal a container's process (default
#                                                                          SIGKILL: a crash; SIGSTOP: a hang)
#   hack/node.sh restart --dir DIR containerd|kubelet|kube-proxy           stop one component, start it again
#
# Networking stays on this machine: the node's namespace has no default route, only a /30 link to the host
# (host 10.245.255.1, node 10.245.255.2) and the pod bridge (10.245.0.0/24); pods have routes to the pod,
# link and Service (10.0.0.0/24) ranges only, no masquerade to the outside. The default StorageClass `local-disk`
# offers local volumes in folders under DIR. The host reaches pods and
# Services through the link. The API server (host loopback) is relayed onto the link's host address.
# kube-proxy's rules, the bridge and the sysctls it sets live in the node's namespace, so deleting it removes
# them. Pods' cgroups live under one cgroup root of this node; `down` (also run by the watchdog when the
# owner dies) removes pods through the CRI, then kills and removes whatever is left: processes, shims,
# cgroups, mounts under DIR, the namespace. Needs root.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
# shellcheck source=control-plane-versions.env
source "$here/control-plane-versions.env"
# shellcheck source=lib/processes.sh
source "$here/lib/processes.sh"
cache_root="${SERENDIP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/serendip}"
bin="${SERENDIP_K8S_BIN:-$cache_root/k8s-$KUBERNETES_VERSION/bin}"

NODE_NAME=serendip-node
HOST_IP=10.245.255.1
NODE_IP=10.245.255.2
POD_CIDR=10.245.0.0/24
POD_GATEWAY=10.245.0.1
SERVICE_CIDR=10.0.0.0/24
PAUSE_IMAGE=serendip.local/pause:1
STORAGE_CLASS=local-disk
LOCAL_VOLUMES=8

cmd="${1:-}"; shift || true
dir="" control_plane="" owner="" signal=SIGKILL archives=()
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir="$2"; shift 2 ;;
    --control-plane) control_plane="$2"; shift 2 ;;
    --owner-pid) owner="$2"; shift 2 ;;
    --signal) signal="$2"; shift 2 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) archives+=("$1"); shift ;;
  esac
done
[ "$cmd" = host-ip ] && { echo "$HOST_IP"; exit 0; } # the API server's address as the node sees it
[ -n "$dir" ] || { sed -n '6,12p' "$0" >&2; exit 2; }
dir="$(realpath -m "$dir")"
# Names on the host are derived from the state folder, so a leftover of a crashed run is found again.
id="$(printf '%s' "$dir" | sha256sum | cut -c1-8)"
netns="srdp-$id"
host_link="srdp-$id"
cgroup_root="/serendip-$id"
in_node() { nsenter --net="/run/netns/$netns" -- "$@"; }
log() { printf '[node %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
components=(containerd apiserver-relay kubelet kube-proxy coredns)

healthz() { # component -> 0 when healthy
  case "$1" in
    containerd) ctr --address "$dir/containerd.sock" version >/dev/null 2>&1 ;;
    apiserver-relay) alive apiserver-relay ;;
    kubelet) in_node curl -fsS --max-time 2 "http://127.0.0.1:$(cat "$dir/kubelet-healthz.port")/healthz" 2>/dev/null | grep -qx ok ;;
    kube-proxy) in_node curl -fsS --max-time 2 "http://127.0.0.1:$(cat "$dir/kube-proxy-healthz.port")/healthz" >/dev/null 2>&1 ;;
    coredns) in_node curl -fsS --max-time 2 "http://127.0.0.1:$(cat "$dir/coredns-ready.port")/ready" >/dev/null 2>&1 ;;
  esac
}

status() {
  local ok=0 c
  [ -e "/run/netns/$netns" ] || { echo "network namespace $netns: missing"; return 1; }
  for c in "${components[@]}"; do
    if alive "$c" && healthz "$c"; then echo "$c: healthy"; else echo "$c: down"; ok=1; fi
  done
  return $ok
}

install_prerequisites() {
  local need=()
  command -v containerd >/dev/null || need+=(containerd)
  command -v runc >/dev/null || need+=(runc)
  [ -x /usr/lib/cni/bridge ] || need+=(containernetworking-plugins)
  command -v iptables >/dev/null || need+=(iptables)
  command -v socat >/dev/null || need+=(socat)
  command -v nsenter >/dev/null || need+=(util-linux)
  command -v ip >/dev/null || need+=(iproute2)
  command -v gcc >/dev/null || need+=(gcc libc6-dev)
  if [ ${#need[@]} -gt 0 ]; then
    log "installing ${need[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  fi
  local b
  for b in kubelet kube-proxy crictl coredns; do
    [ -x "$bin/$b" ] || { log "$b missing in $bin: building (first time only)"; "$here/build-control-plane.sh" >&2; break; }
  done
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

network_up() {
  if ip -4 addr show 2>/dev/null | grep -q "inet $HOST_IP/"; then
    echo "$HOST_IP is already in use on this machine (another local node?); stop it first" >&2; return 1
  fi
  ip netns add "$netns"
  ip link add "$host_link" type veth peer name eth0 netns "$netns"
  ip addr add "$HOST_IP/30" dev "$host_link"
  ip link set "$host_link" up
  in_node ip link set lo up
  in_node ip addr add "$NODE_IP/30" dev eth0
  in_node ip link set eth0 up
  # The pod bridge exists before the first pod, so CoreDNS can bind its gateway address.
  in_node ip link add cni0 type bridge
  in_node ip addr add "$POD_GATEWAY/24" dev cni0
  in_node ip link set cni0 up
  in_node sysctl -qw net.ipv4.ip_forward=1
  ip route add "$POD_CIDR" via "$NODE_IP" dev "$host_link"
  ip route add "$SERVICE_CIDR" via "$NODE_IP" dev "$host_link"
}

write_configs() {
  local cp_port ca
  cp_port="$(cat "$control_plane/kube-apiserver.port")"
  ca="$control_plane/pki/ca.crt"
  mkdir -p "$dir/cni/net.d" "$dir/cni/ipam" "$dir/containerd" "$dir/kubelet" "$dir/pod-logs" "$dir/logs"
  for p in kubelet-healthz kube-proxy-healthz kube-proxy-metrics coredns-ready coredns-health; do free_port > "$dir/$p.port"; done

  # The node's own kubeconfig: the control plane's credentials, the server seen through the relay.
  sed "s#server: https://127.0.0.1:$cp_port#server: https://$HOST_IP:$cp_port#" "$control_plane/kubeconfig" > "$dir/kubeconfig"

  cat > "$dir/containerd/config.toml" <<EOF
version = 2
root = "$dir/containerd/root"
state = "$dir/containerd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs",
                    "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.aufs"]
[grpc]
  address = "$dir/containerd.sock"
[ttrpc]
  address = "$dir/containerd.sock.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "$dir/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  disable_tcp_service = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  enable_selinux = false
  disable_apparmor = true
  # Never below containerd's own score: lowering it needs CAP_SYS_RESOURCE, which a sandboxed machine may lack.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        Root = "$dir/runc"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$dir/cni/net.d"
    max_conf_num = 1
EOF

  # No default gateway for pods: routes to the pod, link and Service ranges only.
  cat > "$dir/cni/net.d/10-serendip.conflist" <<EOF
{
  "cniVersion": "0.4.0",
  "name": "serendip-$id",
  "plugins": [{
    "type": "bridge", "bridge": "cni0", "isGateway": true, "isDefaultGateway": false,
    "ipMasq": false, "hairpinMode": true,
    "ipam": {
      "type": "host-local", "dataDir": "$dir/cni/ipam",
      "ranges": [[{"subnet": "$POD_CIDR", "gateway": "$POD_GATEWAY"}]],
      "routes": [{"dst": "$SERVICE_CIDR"}, {"dst": "$HOST_IP/32"}]
    }
  }]
}
EOF

  # Pods with dnsPolicy Default get no resolver: nothing outside the cluster is resolvable.
  printf 'options ndots:1\n' > "$dir/resolv.conf"
  cat > "$dir/kubelet/config.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: $(cat "$dir/kubelet-healthz.port")
authentication:
  anonymous: {enabled: true}
  webhook: {enabled: false}
  x509: {clientCAFile: "$ca"}
authorization: {mode: AlwaysAllow}
containerRuntimeEndpoint: unix://$dir/containerd.sock
imageServiceEndpoint: unix://$dir/containerd.sock
cgroupDriver: cgroupfs
cgroupRoot: $cgroup_root
cgroupsPerQOS: true
enforceNodeAllocatable: [pods]
failSwapOn: false
failCgroupV1: false
clusterDNS: [$POD_GATEWAY]
clusterDomain: cluster.local
resolvConf: $dir/resolv.conf
podCIDR: $POD_CIDR
podLogsDir: $dir/pod-logs
maxPods: 50
serializeImagePulls: false
# Images are imported, never pulled: garbage collection must not remove them.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: 200Mi, nodefs.available: 2%, imagefs.available: 2%, nodefs.inodesFree: 2%}
rotateCertificates: false
serverTLSBootstrap: false
protectKernelDefaults: false
registerNode: true
nodeStatusReportFrequency: 10s
EOF

  cat > "$dir/Corefile" <<EOF
cluster.local:53 in-addr.arpa:53 {
  bind $POD_GATEWAY
  errors
  health 127.0.0.1:$(cat "$dir/coredns-health.port")
  ready 127.0.0.1:$(cat "$dir/coredns-ready.port")
  kubernetes cluster.local in-addr.arpa {
    kubeconfig $dir/kubeconfig
    pods insecure
    fallthrough in-addr.arpa
  }
  cache 5
}
# No upstream resolver: every other name is answered NXDOMAIN at once.
.:53 {
  bind $POD_GATEWAY
  template ANY ANY {
    rcode NXDOMAIN
  }
}
EOF
}

import_images() { # archives... (the pause image first: the CRI needs it for every pod)
  local pause="$cache_root/images/serendip-pause-$(sha256sum "$here/node/pause.c" "$here/build-pause-image.sh" | sha256sum | cut -c1-16).tar"
  [ -f "$pause" ] || "$here/build-pause-image.sh" "$pause" >/dev/null
  "$here/images.sh" import --address "$dir/containerd.sock" "$pause" "$@"
}

# The node's disk as a default StorageClass: local PersistentVolumes in folders of this node's state directory,
# as a cluster admin (or sig-storage's local static provisioner) would make them. Binding is Immediate, which a
# one-node cluster allows: an admin can fill a claim's volume before the first pod uses it.
storage_up() {
  local i manifest=""
  for i in $(seq 0 $((LOCAL_VOLUMES - 1))); do
    mkdir -p "$dir/volumes/pv-$i"
    manifest+="
---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: $NODE_NAME-disk-$i
spec:
  capacity: {storage: 50Gi}
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  storageClassName: $STORAGE_CLASS
  local: {path: $dir/volumes/pv-$i}
  nodeAffinity:
    required:
      nodeSelectorTerms:
        - matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [$NODE_NAME]}]"
  done
  "$bin/kubectl" --kubeconfig "$control_plane/kubeconfig" apply -f - >/dev/null <<EOF
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: $STORAGE_CLASS
  annotations: {storageclass.kubernetes.io/is-default-class: "true"}
provisioner: kubernetes.io/no-provisioner
volumeBindingMode: Immediate
reclaimPolicy: Retain
$manifest
EOF
}

up() {
  [ -n "$control_plane" ] && [ -f "$control_plane/kubeconfig" ] || { echo "--control-plane DIR of a running control plane is required" >&2; return 2; }
  [ "$(id -u)" = 0 ] || { echo "a real node needs root (network namespaces, cgroups, mounts)" >&2; return 1; }
  if status >/dev/null 2>&1; then log "already running in $dir"; start_watchdog "$owner" "$here/node.sh"; return 0; fi
  down_all # leftovers of a half-started or crashed instance
  install_prerequisites
  local t0; t0=$(date +%s%N)
  mkdir -p "$dir/logs"
  start_watchdog "$owner" "$here/node.sh"
  network_up
  write_configs
  local cp_port; cp_port="$(cat "$control_plane/kube-apiserver.port")"
  spawn apiserver-relay socat "TCP-LISTEN:$cp_port,bind=$HOST_IP,reuseaddr,fork" "TCP:127.0.0.1:$cp_port"
  spawn containerd nsenter --net="/run/netns/$netns" -- containerd --config "$dir/containerd/config.toml"
  wait_healthy containerd 60
  import_images
  local h # kubelet's cgroupfs driver wants its root in every hierarchy before it starts
  for h in /sys/fs/cgroup/*/; do [ "$h" = /sys/fs/cgroup/unified/ ] || mkdir -p "$h${cgroup_root#/}"; done
  spawn kubelet nsenter --net="/run/netns/$netns" -- "$bin/kubelet" --config "$dir/kubelet/config.yaml" \
    --kubeconfig "$dir/kubeconfig" --root-dir "$dir/kubelet" --hostname-override "$NODE_NAME" --node-ip "$NODE_IP" --v=1
  spawn kube-proxy nsenter --net="/run/netns/$netns" -- "$bin/kube-proxy" --kubeconfig "$dir/kubeconfig" \
    --hostname-override "$NODE_NAME" --proxy-mode iptables --cluster-cidr "$POD_CIDR" \
    --healthz-bind-address "127.0.0.1:$(cat "$dir/kube-proxy-healthz.port")" \
    --metrics-bind-address "127.0.0.1:$(cat "$dir/kube-proxy-metrics.port")" \
    --conntrack-max-per-core 0 --conntrack-tcp-timeout-established 0 --conntrack-tcp-timeout-close-wait 0 \
    --nodeport-addresses "$NODE_IP/32" --v=1
  spawn coredns nsenter --net="/run/netns/$netns" -- "$bin/coredns" -conf "$dir/Corefile"
  wait_healthy kubelet 90
  wait_healthy kube-proxy 60
  wait_healthy coredns 60
  "$bin/kubectl" --kubeconfig "$control_plane/kubeconfig" wait --for=condition=Ready "node/$NODE_NAME" --timeout=120s >/dev/null
  storage_up
  local ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  log "node $NODE_NAME ready in $((ms / 1000)).$(( (ms % 1000) / 100 )) s (state: $dir)"
}

kill_cgroup_tree() { # kill every process under this node's cgroup root in every hierarchy, then remove the groups
  local h d
  for h in /sys/fs/cgroup/*/; do
    d="$h${cgroup_root#/}"
    [ -d "$d" ] || continue
    find "$d" -name cgroup.procs -exec cat {} + 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true
  done
  sleep 0.2
  for h in /sys/fs/cgroup/*/; do
    d="$h${cgroup_root#/}"
    [ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || true
    [ -d "$d" ] && log "cgroup $d still present"
  done
  return 0
}

down_all() {
  stop_watchdog
  stop_components kubelet kube-proxy coredns
  if alive containerd && [ -x "$bin/crictl" ]; then
    # Through the CRI: stops containers, releases IPs, removes each pod's network namespace and mounts.
    timeout 90 "$bin/crictl" --runtime-endpoint "unix://$dir/containerd.sock" rmp --force --all >/dev/null 2>&1 \
      || log "crictl rmp did not finish; removing what is left by force"
  fi
  stop_components containerd apiserver-relay
  # Shims outlive containerd by design; this node's are the ones talking to its socket.
  pkill -KILL -f "containerd-shim-runc-v2 .*-address $dir/containerd.sock" 2>/dev/null || true
  kill_cgroup_tree
  if [ -d "$dir" ]; then
    awk -v d="$dir/" 'index($2, d) == 1 {print $2}' /proc/self/mounts | sort -r | while read -r m; do
      umount -l "$m" 2>/dev/null || log "could not unmount $m"
    done
  fi
  ip netns del "$netns" 2>/dev/null || true # takes the link, the bridge, the routes and kube-proxy's rules
  ip link del "$host_link" 2>/dev/null || true
  rm -rf "$dir"
  # Folders the CNI library and the shims create on the host, when nothing else left anything in them.
  rmdir /var/lib/cni/results /var/lib/cni /run/containerd/s /run/containerd /run/netns 2>/dev/null || true
}

case "$cmd" in
  up) up ;;
  down) down_all; log "stopped ($dir)" ;;
  status) status ;;
  kill) [ ${#archives[@]} -eq 1 ] || { echo "usage: hack/node.sh kill --dir DIR [--signal SIG] CONTAINER_ID" >&2; exit 2; }
    # SIGKILL: the kubelet sees the container exit 137 and restarts it by the pod's restartPolicy, as after a real
    # crash. SIGSTOP: the process hangs (it cannot catch it), so only its liveness probe gets it restarted.
    ctr --address "$dir/containerd.sock" -n k8s.io tasks kill -s "$signal" "${archives[0]#containerd://}" ;;
  restart) [ ${#archives[@]} -eq 1 ] && [[ " containerd kubelet kube-proxy " == *" ${archives[0]} "* ]] \
      || { echo "usage: hack/node.sh restart --dir DIR containerd|kubelet|kube-proxy" >&2; exit 2; }
    # Running containers outlive containerd (their shims keep them); the kubelet reconnects to the CRI socket.
    restart_component "${archives[0]}" ;;
  import) [ ${#archives[@]} -gt 0 ] || { echo "usage: hack/node.sh import --dir DIR ARCHIVE..." >&2; exit 2; }; import_images "${archives[@]}" ;;
  *) sed -n '2,12p' "$0" >&2; exit 2 ;;
esac
