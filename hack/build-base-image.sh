#!/usr/bin/env bash
# Builds Serendip's base image from Debian's packages, without a container engine: a Debian root
# filesystem (mmdebstrap, essential packages + a headless JRE 17 + CA certificates), user 65532,
# packed as a one-layer image archive in `docker save` format, which Jib reads as `tar://` base and
# `ctr images import` loads.
#
#   hack/build-base-image.sh [OUTPUT.tar]            (default: build/images/serendip-base.tar)
#   hack/build-base-image.sh --python [OUTPUT.tar]   the same plus Debian's Python 3 (default:
#                                                    build/images/serendip-base-python.tar), the base of the
#                                                    runtime-cuda image that carries the LLM component
#
# A base built before by this same script (same sha256 of the script) is reused from
# ~/.cache/serendip/images, so package versions change only when the script does, or with
# SERENDIP_BASE_REFRESH=1.
#
# Reproducible: the same package versions give the same bytes (SOURCE_DATE_EPOCH fixes every
# timestamp; mmdebstrap and the tar calls below sort names and clamp owners). The package list is
# written beside the archive (OUTPUT.packages; OUTPUT.id holds the image id) and inside the image (/usr/share/serendip/packages),
# so two builds can be compared. Packages come from the apt sources this machine is configured
# with; nothing else is contacted. Needs root (mmdebstrap's root mode).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
# shellcheck source=lib/image-archive.sh
source "$here/lib/image-archive.sh"
python=""
if [ "${1:-}" = --python ]; then python=1; shift; fi
suite="${SERENDIP_BASE_SUITE:-bookworm}"
if [ -n "$python" ]; then
  out="${1:-$repo/build/images/serendip-base-python.tar}"
  tag="${SERENDIP_BASE_TAG:-serendip/base:$suite-jre17-python3}"
  packages="openjdk-17-jre-headless,ca-certificates,tzdata,python3"
  variant="python"
  description="Debian essential packages, headless JRE 17, Python 3, CA certificates, user 65532"
else
  out="${1:-$repo/build/images/serendip-base.tar}"
  tag="${SERENDIP_BASE_TAG:-serendip/base:$suite-jre17}"
  packages="openjdk-17-jre-headless,ca-certificates,tzdata"
  variant="base"
  description="Debian essential packages, headless JRE 17, CA certificates, user 65532"
fi
# 2025-01-01T00:00:00Z: every file's mtime and the image's creation time.
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-1735689600}"
log() { printf '[base image %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

cache_dir="${SERENDIP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/serendip}/images"
cached="$cache_dir/serendip-$variant-$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-16).tar"
mkdir -p "$cache_dir" "$(dirname "$out")"
if [ -z "${SERENDIP_BASE_REFRESH:-}" ] && [ -f "$cached" ] && [ -f "$cached.packages" ]; then
  cp "$cached" "$out.tmp" && mv "$out.tmp" "$out" && cp "$cached.packages" "$out.packages"
  echo "sha256:$(tar -xOf "$out" manifest.json | jq -r '.[0].Config' | cut -d. -f1)" | tee "${out%.tar}.id"
  log "reused $cached"
  exit 0
fi
[ "$(id -u)" = 0 ] || { echo "building the base image needs root (mmdebstrap --mode=root); skip images with -Dserendip.images.skip" >&2; exit 1; }
if ! command -v mmdebstrap >/dev/null; then
  log "installing mmdebstrap"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mmdebstrap >/dev/null
fi
sources=""
for f in /etc/apt/sources.list.d/*.sources /etc/apt/sources.list; do
  [ -f "$f" ] && grep -qE '^(Types|deb)' "$f" && { sources="$f"; break; }
done
[ -n "$sources" ] || { echo "no apt sources found under /etc/apt to build the base image from" >&2; exit 1; }

# Java's trust store as ca-certificates-java writes it is a PKCS12 file with a random salt and MAC;
# rewritten without either (the certificates are public), the same certificates give the same bytes.
truststore="/etc/ssl/certs/java/cacerts"
rewrite_truststore="keytool -importkeystore -noprompt -srckeystore $truststore -srcstorepass changeit \
  -destkeystore $truststore.new -deststoretype pkcs12 -deststorepass changeit \
  -J-Dkeystore.pkcs12.certProtectionAlgorithm=NONE -J-Dkeystore.pkcs12.macAlgorithm=NONE >/dev/null 2>&1 \
  && mv $truststore.new $truststore"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

log "building the $suite root filesystem from $sources"
# essential: dpkg, coreutils, bash and libc, no apt. Documentation, manuals and translations are
# dropped, the packages' copyright files kept (update-alternatives still needs the man folders).
mmdebstrap ${SERENDIP_BASE_VERBOSE:+--verbose} --mode=root --variant=essential --format=tar \
  --include="$packages" \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --essential-hook='mkdir -p "$1/usr/share/man/man1" "$1/usr/share/man/man7"' \
  --customize-hook='echo "nonroot:x:65532:65532:nonroot:/home/nonroot:/usr/sbin/nologin" >> "$1/etc/passwd"' \
  --customize-hook='echo "nonroot:x:65532:" >> "$1/etc/group"' \
  --customize-hook='mkdir -p "$1/home/nonroot" && chown 65532:65532 "$1/home/nonroot" && chmod 0750 "$1/home/nonroot"' \
  --customize-hook="chroot \"\$1\" sh -ec '$rewrite_truststore'" \
  --customize-hook='mkdir -p "$1/usr/share/serendip" && chroot "$1" dpkg-query -W -f="\${Package} \${Version} \${Architecture}\n" | sort > "$1/usr/share/serendip/packages"' \
  --customize-hook='copy-out /usr/share/serendip/packages '"$work" \
  --customize-hook='rm -rf "$1"/var/cache/* "$1"/var/log/* "$1"/var/lib/dpkg/*-old "$1"/etc/apt/sources.list "$1"/etc/apt/sources.list.d/*' \
  "$suite" "$work/layer.tar" "$sources"

arch="$(dpkg --print-architecture)"
java_home="/usr/lib/jvm/java-17-openjdk-$arch"
config="$(jq -cn --arg jh "$java_home" --arg description "$description" '{
  User: "65532:65532", WorkingDir: "/home/nonroot",
  Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "JAVA_HOME=\($jh)",
        "LANG=C.UTF-8", "HOME=/home/nonroot"],
  Labels: {"org.opencontainers.image.title": "serendip-base",
           "org.opencontainers.image.description": $description,
           "org.opencontainers.image.licenses": "Apache-2.0"}
}')"
id="$(write_image_archive "$out" "$tag" "$work/layer.tar" "$config")"
cp "$work/packages" "$out.packages"
cp "$out" "$cached.tmp" && mv "$cached.tmp" "$cached" && cp "$out.packages" "$cached.packages"
log "wrote $out ($tag, image id $id, $(du -h "$out" | cut -f1), $(wc -l < "$out.packages") packages)"
echo "$id"
