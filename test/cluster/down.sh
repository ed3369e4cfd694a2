#!/usr/bin/env bash
# Stops what up.sh started (by the pids it recorded), removes the network namespace and the etcd
# data. Safe to run twice. Keeps the certificates so the next start is quicker.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

take_lock

# A real node (node-up.sh) goes first, while its network namespace still exists.
if [[ -f "$state/node.json" || -f "$run/containerd.pid" || -f "$run/kubelet.pid" ]]; then
  "$cluster_dir/node-down.sh"
fi

# Reverse start order: clients first, etcd last.
for name in kube-scheduler kube-controller-manager kube-apiserver etcd; do
  stop_daemon "$name"
  rm -f "$run/$name.cmd"
done

if [[ "$mode" == netns ]] && ! owns_netns; then
  log "leaving network namespace $netns and veth $veth_host alone: they belong to the test cluster in $(netns_owner)"
elif [[ "$mode" == netns ]]; then
  if netns_exists "$netns"; then
    log "removing network namespace $netns"
    # Deleting the namespace destroys the veth pair with it.
    ip netns delete "$netns"
  fi
  # The host end normally goes with the namespace (asynchronously); remove it if it lingers.
  ip link delete "$veth_host" >/dev/null 2>&1 || true
  rm -f "$netns_owner_file"
fi
# etcd's data lives outside the repository (see up.sh); the link in .e2e/ says where.
if [[ -L "$state/etcd-data" ]]; then
  rm -rf "$(readlink "$state/etcd-data")"
  rm -f "$state/etcd-data"
fi
rm -f "$state/cluster.json" "$run/started-by-test"
log "control plane stopped"
