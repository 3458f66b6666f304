#!/usr/bin/env bash
# Builds etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, kwok and helm, and the
# local node's kubelet, kube-proxy, crictl and CoreDNS, and a registry for the image push test, from the Go
# module proxy into a per-user cache. Idempotent: binaries already there are kept.
#
# Pre-downloaded binaries are honoured, in this order:
#   $SERENDIP_K8S_BIN        a directory holding all binaries
#   $KUBEBUILDER_ASSETS      (kube-apiserver, etcd, kubectl)
#   ~/.kubeapitest/k8s/<version>-linux-amd64/  (the layout Fabric8 kube-api-test reads)
# Only binaries missing from those places are built.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=control-plane-versions.env
source "$here/control-plane-versions.env"

cache_root="${SERENDIP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/serendip}"
bin_dir="${SERENDIP_K8S_BIN:-$cache_root/k8s-$KUBERNETES_VERSION/bin}"
build_dir="$cache_root/build"
mkdir -p "$bin_dir" "$build_dir"
export GOFLAGS="-mod=mod -trimpath"
export GOTOOLCHAIN="${GOTOOLCHAIN:-auto}"
log() { printf '[control-plane build %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# Copy binaries that a user already has into the cache.
adopt() {
  local dir="$1"
  [ -d "$dir" ] || return 0
  for b in etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kwok helm; do
    if [ -x "$dir/$b" ] && [ ! -x "$bin_dir/$b" ]; then
      log "using pre-downloaded $dir/$b"; ln -sf "$dir/$b" "$bin_dir/$b"
    fi
  done
}
adopt "${KUBEBUILDER_ASSETS:-}"
adopt "$HOME/.kubeapitest/k8s/${KUBERNETES_VERSION#v}-linux-amd64"

missing() { for b in "$@"; do [ -x "$bin_dir/$b" ] || return 0; done; return 1; }

# A wrapper module is needed for k8s.io/kubernetes: its go.mod replaces the staging modules with
# local paths, which `go install pkg@version` refuses. We map each to its published v0 tag.
build_kubernetes() {
  local targets=()
  for b in kube-apiserver kube-controller-manager kube-scheduler kubectl kubelet kube-proxy; do
    [ -x "$bin_dir/$b" ] || targets+=("$b")
  done
  [ ${#targets[@]} -gt 0 ] || return 0
  local dir="$build_dir/kubernetes-$KUBERNETES_VERSION"
  mkdir -p "$dir"
  local v0="v0.${KUBERNETES_VERSION#v1.}"
  log "resolving k8s.io/kubernetes@$KUBERNETES_VERSION"
  local gomod
  gomod="$(cd "$dir" && go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" | jq -r .GoMod)"
  {
    echo "module serendip.local/k8sbuild"
    echo "go 1.24.0"
    echo "require k8s.io/kubernetes $KUBERNETES_VERSION"
    grep -oE '^\s*k8s\.io/[a-z0-9-]+ => \./staging' "$gomod" | awk '{print $1}' | sort -u |
      while read -r m; do echo "replace $m => $m $v0"; done
  } > "$dir/go.mod"
  local ver="-X k8s.io/component-base/version.gitVersion=$KUBERNETES_VERSION"
  ver+=" -X k8s.io/component-base/version.gitMajor=1"
  ver+=" -X k8s.io/component-base/version.gitMinor=$(echo "$KUBERNETES_VERSION" | cut -d. -f2)"
  ver+=" -X k8s.io/component-base/version.gitTreeState=clean"
  for b in "${targets[@]}"; do
    log "building $b (first build takes several minutes)"
    (cd "$dir" && go build -ldflags "-s -w $ver" -o "$bin_dir/$b.tmp" "k8s.io/kubernetes/cmd/$b")
    mv "$bin_dir/$b.tmp" "$bin_dir/$b"
    log "built $b"
  done
}

build_etcd() {
  missing etcd || return 0
  local dir="$build_dir/etcd-$ETCD_VERSION"
  mkdir -p "$dir"
  printf 'module serendip.local/etcdbuild\ngo 1.24.0\nrequire go.etcd.io/etcd/server/v3 %s\n' "$ETCD_VERSION" > "$dir/go.mod"
  log "building etcd $ETCD_VERSION"
  (cd "$dir" && go build -ldflags "-s -w" -o "$bin_dir/etcd.tmp" go.etcd.io/etcd/server/v3)
  mv "$bin_dir/etcd.tmp" "$bin_dir/etcd"; log "built etcd"
}

build_simple() { # name module-path version package
  local name="$1" mod="$2" ver="$3" pkg="$4"
  missing "$name" || return 0
  local dir="$build_dir/$name-$ver"
  mkdir -p "$dir"
  printf 'module serendip.local/%sbuild\ngo 1.24.0\nrequire %s %s\n' "$name" "$mod" "$ver" > "$dir/go.mod"
  log "building $name $ver"
  (cd "$dir" && go build -ldflags "-s -w" -o "$bin_dir/$name.tmp" "$pkg")
  mv "$bin_dir/$name.tmp" "$bin_dir/$name"; log "built $name"
}

# KWOK needs its lifecycle "stages" (how fake nodes and pods change state). They come from the
# KWOK module itself, so they always match the binary.
write_kwok_stages() {
  local out="$bin_dir/../kwok-stages.yaml"
  [ -s "$out" ] && return 0
  local src
  src="$(cd "$build_dir" && go mod download -json "sigs.k8s.io/kwok@$KWOK_VERSION" | jq -r .Dir)/kustomize/stage"
  {
    for f in node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
             pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml; do
      echo "---"; cat "$src/$f"
    done
  } > "$out.tmp"
  mv "$out.tmp" "$out"
  log "wrote KWOK stages to $out"
}

# The Gateway API's HTTPRoute CRD, standard channel, as the project releases it (tests install it to check the
# HTTPRoutes the operator writes against the real schema and its validation rules).
write_gateway_crds() {
  local out="$bin_dir/../crds/gateway.networking.k8s.io_httproutes.yaml"
  [ -s "$out" ] && return 0
  mkdir -p "$(dirname "$out")"
  local src
  src="$(cd "$build_dir" && go mod download -json "sigs.k8s.io/gateway-api@$GATEWAY_API_VERSION" | jq -r .Dir)"
  cp "$src/config/crd/standard/gateway.networking.k8s.io_httproutes.yaml" "$out.tmp"
  mv "$out.tmp" "$out"
  log "wrote the HTTPRoute CRD to $out"
}

# --- kubeconform -------------------------------------------------------------------------------
# Offline Kubernetes manifest validator used by the e2e chart tests (schemas come from the local API
# server, so it never downloads anything). Pinned here; kept in the same cache as the control plane.
KUBECONFORM_VERSION="${KUBECONFORM_VERSION:-v0.7.0}"
build_kubeconform() {
  build_simple kubeconform github.com/yannh/kubeconform "$KUBECONFORM_VERSION" github.com/yannh/kubeconform/cmd/kubeconform
}
# -----------------------------------------------------------------------------------------------

start=$(date +%s)
build_etcd
build_kubernetes
build_simple kwok sigs.k8s.io/kwok "$KWOK_VERSION" sigs.k8s.io/kwok/cmd/kwok
build_simple helm helm.sh/helm/v3 "$HELM_VERSION" helm.sh/helm/v3/cmd/helm
build_kubeconform
build_simple crictl sigs.k8s.io/cri-tools "$CRI_TOOLS_VERSION" sigs.k8s.io/cri-tools/cmd/crictl
build_simple coredns github.com/coredns/coredns "$COREDNS_VERSION" github.com/coredns/coredns
# An OCI registry on loopback, for the image push test (hack/images.sh push).
build_simple registry github.com/distribution/distribution/v3 "$REGISTRY_VERSION" github.com/distribution/distribution/v3/cmd/registry
write_kwok_stages
write_gateway_crds
log "all binaries present in $bin_dir ($(( $(date +%s) - start ))s)"
echo "$bin_dir"
