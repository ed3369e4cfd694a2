#!/usr/bin/env bash
# Builds the test control plane from the upstream Go modules into a cache outside the git tree:
#   ${KUBELESS_CACHE:-$HOME/.cache/kubeless}/bin/<group>-<version>/
# Each group (kubernetes, etcd, helm) has its own wrapper module and a stamp file, so changing one
# version in versions.env rebuilds only that group. Prints the bin directories on success.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"

cache="${KUBELESS_CACHE:-$HOME/.cache/kubeless}"
export GOFLAGS="-mod=mod -buildvcs=false"
export CGO_ENABLED=0
export GOTOOLCHAIN=local

command -v go >/dev/null || { echo "build.sh: go is not on PATH; install Go >= 1.26 (https://go.dev/dl/)" >&2; exit 1; }

log() { echo "[cluster build] $*" >&2; }

# A stamp records exactly what was built, so a half-finished build (killed mid-way) is redone.
stamp_ok() { [[ -f "$1/.stamp" && "$(cat "$1/.stamp")" == "$2" ]]; }

build_kubernetes() {
  local v="$KUBERNETES_VERSION" out="$cache/bin/kubernetes-$KUBERNETES_VERSION" src="$cache/src/kubernetes-$KUBERNETES_VERSION"
  local want="kubernetes $v kube-apiserver kube-controller-manager kube-scheduler kubectl"
  stamp_ok "$out" "$want" && return 0
  log "building Kubernetes $v (kube-apiserver, kube-controller-manager, kube-scheduler, kubectl)"
  mkdir -p "$src" "$out"
  local staging="v0.${v#v1.}"
  # k8s.io/kubernetes replaces its staging modules with ./staging paths, which do not exist in the
  # published module; a wrapper module pins each of them to the matching v0.Y.Z tag instead.
  local gomod
  gomod="$(go mod download -json "k8s.io/kubernetes@$v" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
  [[ -f "$gomod" ]] || { echo "build.sh: cannot download k8s.io/kubernetes@$v from the Go module proxy" >&2; exit 1; }
  {
    echo "module kubeless.test/kubernetes-build"
    echo
    echo "go 1.24.0"
    echo
    echo "require k8s.io/kubernetes $v"
    echo
    echo "replace ("
    sed -n 's#^\s*\(k8s.io/[a-z0-9-]*\) => ./staging/src/k8s.io/.*#\t\1 => \1 '"$staging"'#p' "$gomod"
    echo ")"
  } >"$src/go.mod"
  # go.sum is regenerated from the proxy's checksums (GOFLAGS=-mod=mod); GONOSUMDB is not touched.
  : >"$src/go.sum"
  local minor="${v#v1.}"; minor="${minor%%.*}"
  local date; date="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  local ld="-s -w"
  # /version must report the real version: Helm and kubectl check it.
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld+=" -X $pkg.gitVersion=$v -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
    ld+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$date -X $pkg.gitCommit=module-$v"
  done
  # One go build for all commands: their shared packages compile once.
  (cd "$src" && go build -trimpath -ldflags="$ld" -o "$out/" \
    k8s.io/kubernetes/cmd/kube-apiserver \
    k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler \
    k8s.io/kubernetes/cmd/kubectl)
  echo "$want" >"$out/.stamp"
}

build_etcd() {
  local v="$ETCD_VERSION" out="$cache/bin/etcd-$ETCD_VERSION" src="$cache/src/etcd-$ETCD_VERSION"
  local want="etcd $v etcd etcdctl"
  stamp_ok "$out" "$want" && return 0
  log "building etcd $v (etcd, etcdctl)"
  mkdir -p "$src" "$out"
  # etcd's own go.mod replaces its sibling modules with ../ paths; a wrapper pins them to the tag.
  cat >"$src/go.mod" <<MOD
module kubeless.test/etcd-build

go 1.26.0

require (
	go.etcd.io/etcd/server/v3 $v
	go.etcd.io/etcd/etcdctl/v3 $v
)
MOD
  : >"$src/go.sum"
  local ld="-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=module-$v"
  (cd "$src" && go build -trimpath -ldflags="$ld" -o "$out/" go.etcd.io/etcd/server/v3 go.etcd.io/etcd/etcdctl/v3)
  # The server's main package is the module root (…/server/v3): go names that binary "server".
  mv -f "$out/server" "$out/etcd"
  [[ -x "$out/etcd" ]] || { echo "build.sh: etcd binary missing after build in $out" >&2; exit 1; }
  echo "$want" >"$out/.stamp"
}

build_helm() {
  local v="$HELM_VERSION" out="$cache/bin/helm-$HELM_VERSION" src="$cache/src/helm-$HELM_VERSION"
  local want="helm $v helm"
  stamp_ok "$out" "$want" && return 0
  log "building Helm $v"
  mkdir -p "$src" "$out"
  cat >"$src/go.mod" <<MOD
module kubeless.test/helm-build

go 1.24.0

require helm.sh/helm/v3 $v
MOD
  : >"$src/go.sum"
  local minor="${KUBERNETES_VERSION#v1.}"; minor="${minor%%.*}"
  local ld="-s -w -X helm.sh/helm/v3/internal/version.version=$v -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
  ld+=" -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$minor"
  ld+=" -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$minor"
  (cd "$src" && go build -trimpath -ldflags="$ld" -o "$out/" helm.sh/helm/v3/cmd/helm)
  echo "$want" >"$out/.stamp"
}

start=$(date +%s)
build_etcd
build_kubernetes
build_helm
log "binaries ready in $(($(date +%s) - start))s"
echo "$cache/bin/kubernetes-$KUBERNETES_VERSION"
echo "$cache/bin/etcd-$ETCD_VERSION"
echo "$cache/bin/helm-$HELM_VERSION"
