#!/usr/bin/env bash
# Builds the images the real test node runs, with no registry and no Docker engine, and writes
# each as a docker-archive that `ctr images import` takes:
#   kubeless/kubeless:<appVersion>   from ./Dockerfile        (these three by npm run images)
#   kubeless/runtime-nodejs:20        from runtimes/nodejs/Dockerfile
#   kubeless/runtime-python:3.11      from runtimes/python/Dockerfile
# The Dockerfiles stay the source of truth: buildah builds them unchanged. Their FROM images
# (node:20-alpine, python:3.11-slim) cannot be pulled here, so local stand-ins are built from a
# Debian root filesystem (debootstrap) with the toolchain each names, and tagged with the FROM
# name. Everything is cached under ${KUBELESS_CACHE:-~/.cache/kubeless}/images, keyed by content:
# an unchanged input is not rebuilt. Prints the archive paths, one a line.
# Why a stand-in and what differs from the real base images: docs/adr (test node ADR).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"
cache="${KUBELESS_CACHE:-$HOME/.cache/kubeless}"
images="$cache/images"
mirror="${KUBELESS_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
suite=bookworm
# The CA bundle the images trust: the build machine's, so that a TLS-intercepting egress proxy
# (as on the CI machines) is trusted by npm and pip in the builds and in the function pods.
ca_bundle="${KUBELESS_IMAGE_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}"

log() { echo "[images] $*" >&2; }
die() {
  echo "[images] error: $1" >&2
  [[ -n "${2:-}" ]] && echo "[images] fix: $2" >&2
  exit 1
}

[[ $(id -u) -eq 0 ]] || die "building images needs root (debootstrap, buildah)" "run as root"
for t in debootstrap buildah sha256sum; do
  command -v "$t" >/dev/null || die "$t is not installed" "apt-get install -y debootstrap buildah"
done
[[ -f "$ca_bundle" ]] || die "no CA bundle at $ca_bundle" "apt-get install ca-certificates, or set KUBELESS_IMAGE_CA_BUNDLE"

mkdir -p "$images/archives" "$images/rootfs"
stage="$(mktemp -d "${TMPDIR:-/tmp}/kubeless-images.XXXXXX")"
trap 'rm -rf "$stage"' EXIT
# buildah's storage lives in the cache too, so its layer cache survives between runs.
bah() {
  buildah --root "$images/storage" --runroot "/run/kubeless-buildah" --storage-driver overlay "$@"
}

# A Debian root filesystem with extra packages, as a tarball; rebuilt only when the list changes.
rootfs() { # name, comma-separated packages -> prints the tarball path
  local name="$1" include="$2" tarball="$images/rootfs/$1.tar"
  local want="$suite $include"
  if [[ -f "$tarball" && "$(cat "$tarball.stamp" 2>/dev/null)" == "$want" ]]; then
    echo "$tarball"
    return 0
  fi
  log "debootstrap $suite ($include) for $name; a few minutes, once"
  local dir
  dir="$stage/rootfs-$name"
  debootstrap --variant=minbase --include="$include" "$suite" "$dir" "$mirror" >"$images/rootfs/$name.log" 2>&1 ||
    die "debootstrap failed for $name (log: $images/rootfs/$name.log)" "check that $mirror is reachable, or set KUBELESS_DEBIAN_MIRROR"
  # Smaller image, nothing a container needs.
  rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/* "$dir"/usr/share/doc/* "$dir"/usr/share/man/*
  cp "$ca_bundle" "$dir/etc/ssl/certs/ca-certificates.crt"
  tar -C "$dir" --numeric-owner -cf "$tarball.tmp" .
  mv "$tarball.tmp" "$tarball"
  rm -rf "$dir"
  echo "$want" >"$tarball.stamp"
  echo "$tarball"
}

has_image() { bah inspect --type image "$1" >/dev/null 2>&1; }

# node:20-alpine stand-in: Debian + this machine's Node.js 20 (/usr/bin/node, a glibc build, and
# npm) + the "node" user (uid 1000) the official image has.
base_node() {
  local ref=docker.io/library/node:20-alpine
  local major
  major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || true)"
  [[ "$major" == 20 && -x /usr/bin/node && -d /usr/lib/node_modules/npm ]] || die "the stand-in for node:20-alpine needs Node.js 20 on this machine (found '${major:-none}')" "install Node.js 20 (the nodejs package)"
  local fs key
  fs="$(rootfs node-base ca-certificates)"
  key="$( (cat "$fs.stamp"; node --version; npm --version 2>/dev/null; sha256sum "$ca_bundle") | sha256sum | cut -c1-16)"
  if has_image "$ref" && [[ "$(bah inspect --type image --format '{{index .ImageAnnotations "kubeless.test/key"}}' "$ref")" == "$key" ]]; then
    return 0
  fi
  log "assembling $ref (stand-in)"
  local files
  files="$stage/nodejs-files.tar"
  # node, npm and corepack as installed here (npm may be newer than the nodejs package's).
  tar -C / -cf "$files" usr/bin/node usr/bin/npm usr/bin/npx usr/lib/node_modules/npm \
    $( [[ -e /usr/lib/node_modules/corepack ]] && echo usr/bin/corepack usr/lib/node_modules/corepack)
  local c
  c="$(bah from scratch)"
  bah add "$c" "$fs" / >/dev/null
  bah add "$c" "$files" / >/dev/null
  bah run --isolation chroot "$c" -- sh -c 'groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/sh --create-home node'
  bah config --env NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt --env NODE_VERSION="$(node --version)" \
    --cmd node --annotation "kubeless.test/key=$key" "$c"
  bah commit --rm -q "$c" "$ref" >/dev/null
}

# python:3.11-slim stand-in: Debian bookworm's Python 3.11 with pip, without Debian's
# EXTERNALLY-MANAGED marker (the official image has none, and install.py pip-installs).
base_python() {
  local ref=docker.io/library/python:3.11-slim
  local fs key
  fs="$(rootfs python-base ca-certificates,python3,python3-pip,passwd)"
  key="$( (cat "$fs.stamp"; sha256sum "$ca_bundle") | sha256sum | cut -c1-16)"
  if has_image "$ref" && [[ "$(bah inspect --type image --format '{{index .ImageAnnotations "kubeless.test/key"}}' "$ref")" == "$key" ]]; then
    return 0
  fi
  log "assembling $ref (stand-in)"
  local c
  c="$(bah from scratch)"
  bah add "$c" "$fs" / >/dev/null
  bah run --isolation chroot "$c" -- sh -c 'rm -f /usr/lib/python3*/EXTERNALLY-MANAGED && ln -sf python3 /usr/bin/python'
  bah config --env PIP_CERT=/etc/ssl/certs/ca-certificates.crt --env REQUESTS_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt \
    --cmd python3 --annotation "kubeless.test/key=$key" "$c"
  bah commit --rm -q "$c" "$ref" >/dev/null
}


# The pod sandbox image: a static Go program from pause/main.go, alone in an image.
pause() {
  local ref=localhost/kubeless-e2e/pause:1 key out
  command -v go >/dev/null || die "go is not on PATH (the pause image is compiled from test/images/pause)" "install Go >= 1.26"
  key="$( (sha256sum "$here/pause/main.go"; go version) | sha256sum | cut -c1-16)"
  out="$images/archives/pause-$key.tar"
  if [[ ! -f "$out" ]]; then
    log "building $ref"
    (cd "$here/pause" && CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS= go build -trimpath -ldflags='-s -w' -o "$stage/pause" ./main.go)
    local c
    c="$(bah from scratch)"
    bah copy "$c" "$stage/pause" /pause >/dev/null
    bah config --entrypoint '["/pause"]' --cmd '' "$c"
    bah commit --rm -q "$c" "$ref" >/dev/null
    rm -f "$images/archives"/pause-*.tar
    bah push -q "$ref" "docker-archive:$out.tmp:$ref" >/dev/null
    mv "$out.tmp" "$out"
  fi
  echo "$out"
}

# The Kubeless image and the runtimes the stand-ins can run, built by the command users run
# (npm run images): buildah on this cache's storage, an archive per image keyed by its content and
# the stand-ins' ids, and nothing pulled.
kubeless_images() {
  base_node
  base_python
  local salt
  salt="$(bah inspect --type image --format '{{.FromImageID}}' docker.io/library/node:20-alpine
    bah inspect --type image --format '{{.FromImageID}}' docker.io/library/python:3.11-slim)"
  (cd "$repo_root" && node --import tsx scripts/images.ts --tool buildah --registry docker.io/kubeless \
    --only kubeless,runtime-nodejs:20,runtime-python:3.11 --archive-dir "$images/archives" --archive-salt "$salt" \
    --tool-flag=--root="$images/storage" --tool-flag=--runroot=/run/kubeless-buildah --tool-flag=--storage-driver=overlay \
    --build-flag=--isolation=chroot --build-flag=--pull-never --build-flag=--layers --build-flag=-q) ||
    die "building the images failed (output above)" "fix the Dockerfile or the build context, then run test/images/build.sh kubeless"
}

targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(pause kubeless)
for t in "${targets[@]}"; do
  case "$t" in
    pause) pause ;;
    kubeless) kubeless_images ;;
    *) die "unknown target $t" "use pause and/or kubeless" ;;
  esac
done
