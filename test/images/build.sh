#!/usr/bin/env bash
# Builds the images the real test node runs, with no registry and no Docker engine, and writes
# each as a docker-archive that `ctr images import` takes:
#   kubeless/kubeless:<appVersion>   from ./Dockerfile
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

# Builds a Dockerfile from a staged context and writes its docker-archive, unless an archive for
# the same inputs exists. The context is staged (copied) so that the key covers exactly what the
# Dockerfile reads.
image() { # ref, Dockerfile (relative to the context), context dir, extra build args...
  local ref="$1" dockerfile="$2" ctx="$3"
  shift 3
  local key
  key="$( (cd "$ctx" && find . -type f -print0 | sort -z | xargs -0 sha256sum; echo "$*"
    bah inspect --type image --format '{{.FromImageID}}' docker.io/library/node:20-alpine
    bah inspect --type image --format '{{.FromImageID}}' docker.io/library/python:3.11-slim) | sha256sum | cut -c1-16)"
  local out="$images/archives/$(echo "$ref" | tr '/:' '__')-$key.tar"
  if [[ -f "$out" ]]; then
    echo "$out"
    return 0
  fi
  log "building $ref from $dockerfile"
  bah bud --isolation chroot --pull-never --layers -q -f "$ctx/$dockerfile" -t "$ref" "$@" "$ctx" >"$images/archives/build.log" 2>&1 ||
    { tail -n 30 "$images/archives/build.log" >&2; die "buildah bud of $dockerfile failed (log above, in $images/archives/build.log)" "fix the Dockerfile or the build context"; }
  rm -f "$images/archives/$(echo "$ref" | tr '/:' '__')"-*.tar
  bah push -q "$ref" "docker-archive:$out.tmp:$ref" >/dev/null
  mv "$out.tmp" "$out"
  echo "$out"
}

app_version="$(sed -n "s/^appVersion: *'\{0,1\}\([^']*\)'\{0,1\}$/\1/p" "$repo_root/charts/kubeless/Chart.yaml")"

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

kubeless_images() {
  base_node
  base_python

  # The Kubeless image: what the Dockerfile copies, from the working tree.
  mkdir -p "$stage/kubeless"
  (cd "$repo_root" && cp -a Dockerfile package.json package-lock.json tsconfig.json tsconfig.build.json main.ts \
    lib openapi controller webhook api runtimes local cli kafka bin "$stage/kubeless/")
  image "docker.io/kubeless/kubeless:$app_version" Dockerfile "$stage/kubeless"

  # The Node.js runtime: the Dockerfile copies the compiled runtime, so compile just that.
  mkdir -p "$stage/nodejs/runtimes/nodejs"
  cp "$repo_root/runtimes/nodejs/Dockerfile" "$stage/nodejs/runtimes/nodejs/"
  (cd "$repo_root" && node_modules/.bin/tsc -p runtimes/nodejs/tsconfig.json --outDir "$stage/nodejs/dist") ||
    die "the Node.js runtime does not compile" "run npx tsc -p runtimes/nodejs/tsconfig.json and fix the errors"
  find "$stage/nodejs/dist" -name '*.map' -delete
  image docker.io/kubeless/runtime-nodejs:20 runtimes/nodejs/Dockerfile "$stage/nodejs" --build-arg NODE_VERSION=20

  mkdir -p "$stage/python/runtimes/python"
  cp "$repo_root"/runtimes/python/Dockerfile "$repo_root"/runtimes/python/*.py "$stage/python/runtimes/python/"
  image docker.io/kubeless/runtime-python:3.11 runtimes/python/Dockerfile "$stage/python" --build-arg PYTHON_VERSION=3.11
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
