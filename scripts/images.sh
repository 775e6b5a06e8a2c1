#!/usr/bin/env bash
# Builds the four images with podman (no Docker engine needed) and reports their sizes.
#   scripts/images.sh build    base image if missing, then api-gateway, aw-service, wwi-service,
#                              frontend (the web app must be built first: make frontend)
#   scripts/images.sh sizes    each image's size: unpacked, and compressed as a registry holds it
# Settings: BASE_IMAGE (default: a local Debian 12 base made by deploy/images/debian-base.sh),
# IMAGE_PREFIX (localhost/otelbi), IMAGE_TAG (dev). Needs root on a machine without podman:
# it installs Debian's podman, runc, debootstrap and podman-compose.
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGES=(api-gateway aw-service wwi-service frontend)
prefix=${IMAGE_PREFIX:-localhost/otelbi}
tag=${IMAGE_TAG:-dev}
# runc with cgroupfs and no default ulimits: works in sandboxes where podman's defaults do not.
export CONTAINERS_CONF=${CONTAINERS_CONF:-$PWD/deploy/images/containers.conf}

install_tools() {
  local missing=()
  for package in podman runc debootstrap podman-compose; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages: ${missing[*]} — run: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  apt-get update -qq
  # With their recommendations: netavark and aardvark-dns (compose's network and its service
  # names), slirp4netns, fuse-overlayfs, catatonit come that way.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
}

build() {
  install_tools
  if [ -z "${BASE_IMAGE:-}" ]; then
    export BASE_IMAGE=localhost/debian:bookworm-slim
    bash deploy/images/debian-base.sh
  fi
  [ -f frontend/dist/index.html ] || { echo "build the web app first: make frontend" >&2; exit 1; }
  local version revision args=()
  version=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' src/otelbi/__init__.py)
  revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)
  args=(--format docker --network=host --build-arg "BASE_IMAGE=$BASE_IMAGE"
        --build-arg "VERSION=$version" --build-arg "VCS_REF=$revision")
  # A TLS-inspecting proxy's CA reaches pip as a build secret, never a layer.
  [ -f /etc/ssl/certs/ca-certificates.crt ] \
    && args+=(--secret id=ca-certificates,src=/etc/ssl/certs/ca-certificates.crt)
  for image in "${IMAGES[@]}"; do
    echo "building $prefix/$image:$tag" >&2
    if [ "$image" = frontend ]; then
      podman build -q "${args[@]}" -f deploy/images/frontend.Dockerfile -t "$prefix/$image:$tag" . >/dev/null
    else
      podman build -q "${args[@]}" -f deploy/images/python.Dockerfile --target "$image" \
        -t "$prefix/$image:$tag" . >/dev/null
    fi
  done
}

sizes() {
  local dir
  dir=$(mktemp -d)
  trap 'rm -rf "$dir"' RETURN
  printf '%-12s %10s %12s\n' image unpacked compressed
  for image in "${IMAGES[@]}"; do
    local ref="$prefix/$image:$tag" unpacked compressed
    unpacked=$(podman image inspect --format '{{.Size}}' "$ref")
    rm -rf "$dir/image"
    podman save -q --format docker-dir --compress -o "$dir/image" "$ref"
    compressed=$(du -sb "$dir/image" | cut -f1)
    awk -v image="$image" -v unpacked="$unpacked" -v compressed="$compressed" \
      'BEGIN { printf "%-12s %8.1f MB %10.1f MB\n", image, unpacked / 1e6, compressed / 1e6 }'
  done
}

case "${1:-}" in
  build) build ;;
  sizes) sizes ;;
  *) echo "usage: scripts/images.sh build|sizes" >&2; exit 2 ;;
esac
