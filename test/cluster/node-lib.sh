# Settings of the real test node (containerd, kubelet, kube-proxy, CoreDNS), sourced after lib.sh
# by node-up.sh and node-down.sh. Everything can be overridden from the environment, so that two
# clusters with nodes run side by side on one machine (each in its own network namespace).
# shellcheck shell=bash
node_bin="$cache/bin/kubernetes-node-$KUBERNETES_VERSION"
coredns_bin="$cache/bin/coredns-$COREDNS_VERSION"

node_name="${KUBELESS_NODE_NAME:-kubeless-node}"
# Pods live behind a bridge inside the cluster's network namespace; the host never routes to them,
# so the same pod CIDR in two namespaces does not collide. Pod traffic leaving the namespace is
# masqueraded twice: by the bridge plugin (to the namespace's address) and by the host.
pod_cidr="${KUBELESS_NODE_POD_CIDR:-10.244.0.0/24}"
bridge="${KUBELESS_NODE_BRIDGE:-klbr0}"
kubelet_port="${KUBELESS_NODE_KUBELET_PORT:-10250}"
kubelet_healthz_port="${KUBELESS_NODE_KUBELET_HEALTHZ_PORT:-10248}"
proxy_healthz_port="${KUBELESS_NODE_PROXY_HEALTHZ_PORT:-10256}"
proxy_metrics_port="${KUBELESS_NODE_PROXY_METRICS_PORT:-10249}"
dns_health_port="${KUBELESS_NODE_DNS_HEALTH_PORT:-8180}"
dns_ready_port="${KUBELESS_NODE_DNS_READY_PORT:-8181}"
# The cluster DNS Service address: .10 of the service CIDR, as kubeadm does.
dns_ip="${KUBELESS_NODE_DNS_IP:-$(echo "${service_cidr%/*}" | awk -F. '{print $1"."$2"."$3".10"}')}"

# Per-instance directories, keyed by the namespace's name, outside the repository (jest would
# crawl container root filesystems) and outside /var/lib/containerd and /var/lib/kubelet (a
# machine may run its own). Under the cache: containerd's image store there is kept between runs.
node_root="${KUBELESS_NODE_ROOT:-$cache/node/$netns}"
node_run="${KUBELESS_NODE_RUN:-/run/kubeless-e2e/$netns}"
containerd_sock="$node_run/containerd.sock"
# cgroup v1 parent of every pod's cgroup, per instance so two kubelets never share kubepods.
cgroup_root="${KUBELESS_NODE_CGROUP_ROOT:-/kubeless-$netns}"
# The host's NAT/forward rules for this namespace live in their own chain (at most 28 chars).
host_chain="${KUBELESS_NODE_HOST_CHAIN:-KUBELESS-$veth_host}"
host_chain="${host_chain:0:28}"

# Runs a command in the cluster's network namespace but in the host's mount namespace: kubelet
# mounts volumes that containerd must see, and `ip netns exec` would give each its own.
in_node_net() { nsenter --net="/run/netns/$netns" "$@"; }

ctr_k8s() { ctr --address "$containerd_sock" --namespace k8s.io "$@"; }
