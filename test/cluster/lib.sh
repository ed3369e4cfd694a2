# Shared settings of the test control plane, sourced by up.sh, down.sh, env.sh and pki.sh.
# Everything here can be overridden from the environment; the defaults are what the e2e suites use.
# shellcheck shell=bash
cluster_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$cluster_dir/../.." && pwd)"
# shellcheck source=versions.env
source "$cluster_dir/versions.env"

cache="${KUBELESS_CACHE:-$HOME/.cache/kubeless}"
k8s_bin="$cache/bin/kubernetes-$KUBERNETES_VERSION"
etcd_bin="$cache/bin/etcd-$ETCD_VERSION"
helm_bin="$cache/bin/helm-$HELM_VERSION"

state="${KUBELESS_E2E_DIR:-$repo_root/.e2e}"
pki="$state/pki"
logs="$state/logs"
run="$state/run"

# netns (default): the control plane lives in its own network namespace, joined to the host by a
# veth pair. loopback: everything on the host's 127.0.0.1 (no root needed, no ClusterIP addresses).
mode="${KUBELESS_E2E_NETWORK:-netns}"
netns="${KUBELESS_E2E_NETNS:-kubeless-e2e}"
veth_host="${KUBELESS_E2E_VETH:-kle2e0}"
veth_ns="${veth_host}ns"
# 10.213.0.0/24 is private and unused on these machines; change it if it collides with yours.
host_addr="${KUBELESS_E2E_HOST_ADDR:-10.213.0.1}"
ns_addr="${KUBELESS_E2E_NS_ADDR:-10.213.0.2}"
service_cidr="${KUBELESS_E2E_SERVICE_CIDR:-10.96.0.0/16}"
kubernetes_service_ip="${KUBELESS_E2E_KUBERNETES_SVC_IP:-10.96.0.1}"

# Unusual ports, so loopback mode does not collide with anything else on the host.
api_port="${KUBELESS_E2E_API_PORT:-16443}"
etcd_port="${KUBELESS_E2E_ETCD_PORT:-22379}"
etcd_peer_port="${KUBELESS_E2E_ETCD_PEER_PORT:-22380}"
kcm_port="${KUBELESS_E2E_KCM_PORT:-20257}"
scheduler_port="${KUBELESS_E2E_SCHEDULER_PORT:-20259}"

if [[ "$mode" == netns ]]; then
  api_addr="$ns_addr"
else
  api_addr=127.0.0.1
  host_addr=127.0.0.1
fi

log() { echo "[cluster] $*" >&2; }
die() {
  echo "[cluster] error: $1" >&2
  [[ -n "${2:-}" ]] && echo "[cluster] fix: $2" >&2
  exit 1
}

# Runs a command where the control plane lives (inside the namespace in netns mode).
in_cluster_net() {
  if [[ "$mode" == netns ]]; then ip netns exec "$netns" "$@"; else "$@"; fi
}

# Whether the network namespace $1 exists, by its exact name: `grep -w kubeless-e2e` also matches
# the real-node cluster's kubeless-e2e-node ('-' ends a word), and awk reads all of ip's output,
# so pipefail sees no SIGPIPE.
netns_exists() {
  ip netns list 2>/dev/null | awk -v n="$1" '$1 == n { found = 1 } END { exit !found }'
}

# Closes every descriptor above stderr in this (sub)shell, for a daemon about to be exec'd: it must
# not keep what its starter had open. A caller's `flock FILE real-node.sh up` passes its lock as
# fd 3, and daemons that inherit it hold the lock for as long as the cluster runs (the next
# `flock FILE ...`, even the same person's tests, then waits forever).
close_inherited_fds() {
  local fd
  for fd in /proc/"$BASHPID"/fd/*; do
    fd="${fd##*/}"
    if ((fd > 2)); then eval "exec $fd>&-" 2>/dev/null || true; fi
  done
}

# One start or stop at a time across concurrent runs (people share this checkout's .e2e/).
# Scripts called by a holder of the lock inherit it through KUBELESS_E2E_LOCKED.
take_lock() {
  [[ "${KUBELESS_E2E_LOCKED:-}" == 1 ]] && return 0
  mkdir -p "$state"
  exec 9>"$state/.lock"
  flock -w 900 9 || die "waited 15 minutes for $state/.lock" "another run holds it: wait for it, or check that it is still alive"
  export KUBELESS_E2E_LOCKED=1
}
