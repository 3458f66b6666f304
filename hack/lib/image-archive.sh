# shellcheck shell=bash
# One-layer image archives in `docker save` format (what Jib reads as a tar:// base and `ctr images import`
# loads), written byte for byte reproducibly: names sorted, owners and times clamped to SOURCE_DATE_EPOCH.
#
#   write_image_archive OUT.tar TAG LAYER.tar CONFIG_JSON
#
# CONFIG_JSON is the image's `config` object (User, Env, Entrypoint, Labels, ...); architecture, os,
# creation time, rootfs and history are filled in. Writes OUT.tar and OUT.id (the image id, the config's
# sha256) and prints the id.
write_image_archive() {
  local out="$1" tag="$2" layer="$3" config="$4" arch work layer_sha config_sha created
  : "${SOURCE_DATE_EPOCH:?SOURCE_DATE_EPOCH must be set for a reproducible archive}"
  arch="$(dpkg --print-architecture)"
  work="$(mktemp -d)"
  layer_sha="$(sha256sum "$layer" | cut -d' ' -f1)"
  cp "$layer" "$work/$layer_sha.tar"
  created="$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)"
  jq -cn --arg arch "$arch" --arg created "$created" --arg diff "sha256:$layer_sha" --argjson config "$config" \
    --arg by "${BASH_SOURCE[1]##*/}" '{
      architecture: $arch, os: "linux", created: $created, config: $config,
      rootfs: {type: "layers", diff_ids: [$diff]},
      history: [{created: $created, created_by: $by}]
    }' > "$work/config.json"
  config_sha="$(sha256sum "$work/config.json" | cut -d' ' -f1)"
  mv "$work/config.json" "$work/$config_sha.json"
  jq -cn --arg config "$config_sha.json" --arg tag "$tag" --arg layer "$layer_sha.tar" \
    '[{Config: $config, RepoTags: [$tag], Layers: [$layer]}]' > "$work/manifest.json"
  tar --create --file "$out.tmp" --directory "$work" --sort=name --mtime="@$SOURCE_DATE_EPOCH" \
    --owner=0 --group=0 --numeric-owner --format=posix \
    --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
    manifest.json "$config_sha.json" "$layer_sha.tar"
  mv "$out.tmp" "$out"
  rm -rf "$work"
  echo "sha256:$config_sha" | tee "${out%.tar}.id"
}
