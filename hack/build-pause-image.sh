#!/usr/bin/env bash
# The pod sandbox ("pause") image of the local node: hack/node/pause.c, linked statically, alone in one
# layer. Built here because no registry is reached for registry.k8s.io/pause.
#
#   hack/build-pause-image.sh OUTPUT.tar     prints the image id; reproducible (same compiler, same bytes)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/image-archive.sh
source "$here/lib/image-archive.sh"
out="${1:?usage: hack/build-pause-image.sh OUTPUT.tar}"
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-1735689600}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/root" "$(dirname "$out")"
gcc -static -Os -s -o "$work/root/pause" "$here/node/pause.c"
tar --create --file "$work/layer.tar" --directory "$work/root" --sort=name --mtime="@$SOURCE_DATE_EPOCH" \
  --owner=0 --group=0 --numeric-owner --format=posix --pax-option=delete=atime,delete=ctime pause
write_image_archive "$out" "serendip.local/pause:1" "$work/layer.tar" \
  '{"Entrypoint": ["/pause"], "User": "65535:65535", "Labels": {"org.opencontainers.image.title": "serendip-pause"}}'
