#!/usr/bin/env bash
# A cluster of its own with one real node, for test/e2e/real-node.test.ts and for trying Kubeless
# on real pods by hand:
#   real-node.sh up     build what is missing (control plane, node, images), start, import images
#   real-node.sh down   stop it all (nothing left but the caches)
#   real-node.sh env    shell exports for kubectl/helm: eval "$(test/cluster/real-node.sh env)"
#   real-node.sh stop NAME [TERM|KILL] / start NAME   one process of it (component.sh), for faults
# Its own instance, because the other e2e suites rely on a cluster without nodes, and because the
# chart's cluster-wide objects (CRDs, APIService, webhooks) must not meet another suite's.
# KUBELESS_NODE_E2E_<X> sets what KUBELESS_E2E_<X> sets for the shared control plane (DIR, NETNS,
# VETH, HOST_ADDR, NS_ADDR, SERVICE_CIDR, KUBERNETES_SVC_IP, API_PORT, ETCD_PORT, ETCD_PEER_PORT,
# KCM_PORT, SCHEDULER_PORT); the defaults differ from the shared control plane's.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"

action="${1:-}"
[[ "$action" =~ ^(up|down|env|stop|start)$ ]] || { echo "usage: real-node.sh up|down|env|stop NAME [TERM|KILL]|start NAME" >&2; exit 2; }

# The shared control plane's settings (and its lock) must not leak into this instance.
unset KUBELESS_E2E_LOCKED KUBELESS_E2E_NETWORK
export KUBELESS_E2E_DIR="${KUBELESS_NODE_E2E_DIR:-$repo_root/.e2e/real-node}"
export KUBELESS_E2E_NETNS="${KUBELESS_NODE_E2E_NETNS:-kubeless-e2e-node}"
export KUBELESS_E2E_VETH="${KUBELESS_NODE_E2E_VETH:-kle2enode0}"
export KUBELESS_E2E_HOST_ADDR="${KUBELESS_NODE_E2E_HOST_ADDR:-10.223.0.1}"
export KUBELESS_E2E_NS_ADDR="${KUBELESS_NODE_E2E_NS_ADDR:-10.223.0.2}"
export KUBELESS_E2E_SERVICE_CIDR="${KUBELESS_NODE_E2E_SERVICE_CIDR:-10.103.0.0/16}"
export KUBELESS_E2E_KUBERNETES_SVC_IP="${KUBELESS_NODE_E2E_KUBERNETES_SVC_IP:-10.103.0.1}"
export KUBELESS_E2E_API_PORT="${KUBELESS_NODE_E2E_API_PORT:-17443}"
export KUBELESS_E2E_ETCD_PORT="${KUBELESS_NODE_E2E_ETCD_PORT:-23379}"
export KUBELESS_E2E_ETCD_PEER_PORT="${KUBELESS_NODE_E2E_ETCD_PEER_PORT:-23380}"
export KUBELESS_E2E_KCM_PORT="${KUBELESS_NODE_E2E_KCM_PORT:-21257}"
export KUBELESS_E2E_SCHEDULER_PORT="${KUBELESS_NODE_E2E_SCHEDULER_PORT:-21259}"
# Lists and watches are audited (logs/audit.log): the chaos suite counts relists after a restart.
export KUBELESS_E2E_AUDIT="${KUBELESS_NODE_E2E_AUDIT:-lists}"

case "$action" in
  up)
    "$here/build.sh" >/dev/null
    "$here/build-node.sh" >/dev/null
    mapfile -t archives < <("$repo_root/test/images/build.sh" pause kubeless | grep '\.tar$')
    # A record left by a killed run: clear it first (down is safe to repeat).
    "$here/down.sh" >/dev/null 2>&1 || true
    "$here/up.sh"
    "$here/node-up.sh" "${archives[@]}"
    ;;
  down) "$here/down.sh" ;;
  stop | start) "$here/component.sh" "$@" ;;
  env)
    "$here/env.sh"
    echo "export KUBELESS_E2E_DIR=\"$KUBELESS_E2E_DIR\""
    ;;
esac
