#!/usr/bin/env bash
# Builds a local Debian 12 base image from Debian's own packages, for machines that reach no
# image registry: debootstrap's minimal system, trimmed the way the registry's
# debian:bookworm-slim is (no documentation, manual pages, locales or package caches, and dpkg told
# to keep it so), imported as $BASE_IMAGE (default localhost/debian:bookworm-slim).
# Idempotent: does nothing when the image exists. Needs root, podman and debootstrap.
set -euo pipefail

image=${BASE_IMAGE:-localhost/debian:bookworm-slim}
podman image exists "$image" && exit 0

rootfs=$(mktemp -d /tmp/otelbi-rootfs.XXXXXX)
trap 'rm -rf "$rootfs"' EXIT
echo "building $image with debootstrap (about a minute)" >&2
debootstrap --variant=minbase bookworm "$rootfs" >"$rootfs.log" 2>&1 || {
  tail -20 "$rootfs.log" >&2; exit 1; }
rm -f "$rootfs.log"

cat >"$rootfs/etc/dpkg/dpkg.cfg.d/slim" <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
CFG
cat >"$rootfs/etc/apt/apt.conf.d/slim" <<'CFG'
APT::Install-Recommends "false";
Acquire::Languages "none";
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/*.bin || true"; };
CFG
find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
find "$rootfs/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} +
rm -rf "$rootfs"/usr/share/{man,groff,info,lintian,linda}/* \
  "$rootfs"/var/cache/apt/* "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/log/*.log \
  "$rootfs"/var/cache/debconf/*-old

tar -C "$rootfs" -c . | podman import --quiet --change 'CMD ["bash"]' - "$image" >/dev/null
echo "built $image" >&2
