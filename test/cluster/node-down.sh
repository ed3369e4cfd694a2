#!/usr/bin/env bash
# Removes what node-up.sh made: stops CoreDNS, kube-proxy and kubelet, kills every container and
# its shim, stops containerd, unmounts what they mounted, removes the instance's cgroups and the
# host's iptables chain. Keeps containerd's image store (under $node_root) so the next start
# imports quickly. Safe to run twice, and without a control plane.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=node-lib.sh
source "$cluster_dir/node-lib.sh"

take_lock

stop_node() { # name: stopped and forgotten (its command line too)
  stop_daemon "$1"
  rm -f "$run/$1.cmd"
}

stop_node coredns
stop_node kube-proxy
stop_node kubelet

# Containers outlive kubelet and containerd (each has its own shim): kill and delete them through
# containerd while it still runs, which also ends the shims.
if [[ -S "$containerd_sock" ]] && ctr --address "$containerd_sock" version >/dev/null 2>&1; then
  for task in $(ctr_k8s tasks ls -q 2>/dev/null); do
    ctr_k8s tasks kill -s SIGKILL "$task" >/dev/null 2>&1 || true
  done
  for task in $(ctr_k8s tasks ls -q 2>/dev/null); do
    for _ in $(seq 1 25); do ctr_k8s tasks delete "$task" >/dev/null 2>&1 && break; sleep 0.2; done
  done
  for c in $(ctr_k8s containers ls -q 2>/dev/null); do
    ctr_k8s containers delete "$c" >/dev/null 2>&1 || true
  done
fi
stop_node containerd
# A shim whose task could not be deleted: it is ours if its command line names our socket.
for pid in $(pgrep -f "containerd-shim-runc-v2 .*-address $containerd_sock" || true); do
  kill -KILL "$pid" 2>/dev/null || true
done

# Mounts of kubelet (volumes), containerd (root filesystems, shm) and the CNI (netns): deepest first.
if [[ -n "$node_root" && -n "$node_run" ]]; then
  findmnt -rn -o TARGET | grep -E "^($node_root|$node_run)/" | sort -r | while read -r m; do
    umount -l "$m" 2>/dev/null || true
  done
fi
# kubelet links every container's log into the machine-wide /var/log/containers.
find /var/log/containers -maxdepth 1 -type l -lname "$node_root/*" -delete 2>/dev/null || true
rm -rf "$node_run" "$node_root/kubelet" "$node_root/pod-logs" "$node_root/cni"

# cgroups: a cgroup can only be removed once it has no children and no tasks; deepest first.
for d in /sys/fs/cgroup/*/; do
  [[ -d "$d${cgroup_root#/}" ]] || continue
  find "$d${cgroup_root#/}" -depth -type d -exec rmdir {} + 2>/dev/null || true
done

if iptables -w -L "$host_chain" -n >/dev/null 2>&1; then
  iptables -w -D FORWARD -j "$host_chain" 2>/dev/null || true
  iptables -w -F "$host_chain" && iptables -w -X "$host_chain"
fi
if iptables -w -t nat -L "$host_chain" -n >/dev/null 2>&1; then
  iptables -w -t nat -D POSTROUTING -j "$host_chain" 2>/dev/null || true
  iptables -w -t nat -F "$host_chain" && iptables -w -t nat -X "$host_chain"
fi
# The Node object would stay NotReady in a control plane that keeps running.
if [[ -f "$state/node.json" && -x "$k8s_bin/kubectl" ]]; then
  "$k8s_bin/kubectl" --kubeconfig "$state/kubeconfig" --request-timeout=5s delete node "$node_name" --wait=false >/dev/null 2>&1 || true
fi
rm -f "$state/node.json"
log "node $node_name stopped"
