#!/usr/bin/env bash
# Builds the test control plane from the upstream Go modules into a cache outside the git tree:
#   ${KUBELESS_CACHE:-$HOME/.cache/kubeless}/bin/<group>-<version>/
# Each group (kubernetes, etcd, helm) has its own wrapper module and a stamp file, so changing one
# version in versions.env rebuilds only that group. Prints the bin directories on success.
set -euo pipefail
log_tag="cluster build"
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
go_build_env

build_kubernetes() {
  local v="$KUBERNETES_VERSION" out="$cache/bin/kubernetes-$KUBERNETES_VERSION" src="$cache/src/kubernetes-$KUBERNETES_VERSION"
  local want="kubernetes $v kube-apiserver kube-controller-manager kube-scheduler kubectl"
  stamp_ok "$out" "$want" && return 0
  log "building Kubernetes $v (kube-apiserver, kube-controller-manager, kube-scheduler, kubectl)"
  mkdir -p "$src" "$out"
  k8s_wrapper_module "$src" "$v" kubeless.test/kubernetes-build
  local ld
  ld="$(k8s_version_ldflags "$v")"
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
  [[ -x "$out/etcd" ]] || die "etcd binary missing after build in $out" "read the go build output above"
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
