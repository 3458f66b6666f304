#!/usr/bin/env bash
# Serendip's images, without a container engine.
#
#   hack/images.sh build                       base (Debian's packages) + runtime + runtime-cuda + operator archives
#                                              in build/images
#   hack/images.sh push REGISTRY [--tag TAG]   copy the archives as built to REGISTRY/serendip/<name>:TAG (skopeo)
#   hack/images.sh verify ARCHIVE...           check an archive's layers and config against its digests and this
#                                              machine's architecture; exit 1 naming the first mismatch
#   hack/images.sh import --address SOCK ARCHIVE...   verify, then `ctr -n k8s.io images import` into a containerd
#
# Archives are in `docker save` format (Jib's buildTar; the base from hack/build-base-image.sh). Beside each,
# NAME.id holds the image id (sha256 of the config) the build wrote; verify refuses an archive whose config
# does not hash to it, whose layers do not hash to the config's diff_ids, or whose architecture is not this
# machine's. push sends exactly the bytes that were tested; TAG defaults to the project's version.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
images_dir="$repo/build/images"
log() { printf '[images %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { echo "$*" >&2; exit 1; }

node_arch() {
  case "$(uname -m)" in x86_64) echo amd64 ;; aarch64) echo arm64 ;; *) uname -m ;; esac
}

# The layer's uncompressed sha256, whatever its compression (Jib gzips, the base is plain tar).
uncompressed_sha() {
  if [ "$(head -c2 "$1" | od -An -tx1 | tr -d ' ')" = 1f8b ]; then gzip -dc "$1"; else cat "$1"; fi | sha256sum | cut -d' ' -f1
}

verify() {
  local archive="$1" work config arch i layer want got expected_id
  [ -f "$archive" ] || die "$archive: no such image archive"
  work="$(mktemp -d)"
  # shellcheck disable=SC2064
  trap "rm -rf '$work'" RETURN
  tar -xf "$archive" -C "$work" 2>/dev/null || die "$archive: not a readable tar archive"
  [ -f "$work/manifest.json" ] || die "$archive: no manifest.json (not a docker-save image archive)"
  jq -e 'type == "array" and length == 1' "$work/manifest.json" >/dev/null 2>&1 \
    || die "$archive: manifest.json must describe exactly one image"
  config="$(jq -r '.[0].Config' "$work/manifest.json")"
  [ -f "$work/$config" ] || die "$archive: config $config is missing"
  expected_id="${archive%.tar}.id"
  if [ -f "$expected_id" ]; then
    want="$(tr -d '[:space:]' < "$expected_id")"
    got="sha256:$(sha256sum "$work/$config" | cut -d' ' -f1)"
    [ "$want" = "$got" ] || die "$archive: image id $got does not match $want in $expected_id (the archive changed after the build)"
  fi
  arch="$(jq -r '.architecture' "$work/$config")"
  [ "$arch" = "$(node_arch)" ] || die "$archive: image architecture $arch, this node is $(node_arch)"
  [ "$(jq -r '.os' "$work/$config")" = linux ] || die "$archive: image os is not linux"
  local count; count="$(jq -r '.[0].Layers | length' "$work/manifest.json")"
  [ "$count" = "$(jq -r '.rootfs.diff_ids | length' "$work/$config")" ] \
    || die "$archive: $count layers, but the config lists $(jq -r '.rootfs.diff_ids | length' "$work/$config") diff_ids"
  for ((i = 0; i < count; i++)); do
    layer="$(jq -r ".[0].Layers[$i]" "$work/manifest.json")"
    [ -f "$work/$layer" ] || die "$archive: layer $layer is missing"
    want="$(jq -r ".rootfs.diff_ids[$i]" "$work/$config")"
    got="sha256:$(uncompressed_sha "$work/$layer")"
    [ "$want" = "$got" ] || die "$archive: layer $((i + 1)) ($layer) has digest $got, the config says $want"
  done
  log "verified $archive ($arch, $count layers, $(jq -r '.[0].RepoTags[0]' "$work/manifest.json"))"
}

cmd="${1:-}"; shift || true
case "$cmd" in
  build)
    "$repo/mvnw" -B -q -pl base-image,runtime,operator -am package -DskipTests
    for f in "$images_dir"/serendip-{base,base-python,runtime,runtime-cuda,operator}.tar; do verify "$f"; done
    ;;
  push)
    registry="${1:-}"; shift || true
    [ -n "$registry" ] || die "usage: hack/images.sh push REGISTRY [--tag TAG]"
    tag="$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' "$repo/pom.xml" | head -1)"
    [ "${1:-}" = --tag ] && tag="$2"
    command -v skopeo >/dev/null || { log "installing skopeo"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq skopeo >/dev/null; }
    for name in base runtime runtime-cuda operator; do
      archive="$images_dir/serendip-$name.tar"
      verify "$archive"
      skopeo copy ${SERENDIP_REGISTRY_TLS_VERIFY:+--dest-tls-verify="$SERENDIP_REGISTRY_TLS_VERIFY"} \
        "docker-archive:$archive" "docker://$registry/serendip/$name:$tag"
      log "pushed $registry/serendip/$name:$tag"
    done
    ;;
  verify)
    [ $# -gt 0 ] || die "usage: hack/images.sh verify ARCHIVE..."
    for f in "$@"; do verify "$f"; done
    ;;
  import)
    [ "${1:-}" = --address ] && [ $# -ge 3 ] || die "usage: hack/images.sh import --address SOCK ARCHIVE..."
    address="$2"; shift 2
    for f in "$@"; do
      verify "$f"
      ctr --address "$address" -n k8s.io images import "$f" >/dev/null
      log "imported $f"
    done
    ;;
  *) die "usage: hack/images.sh build | push REGISTRY [--tag TAG] | verify ARCHIVE... | import --address SOCK ARCHIVE..." ;;
esac
