#!/usr/bin/env bash
# Adds one real node to a control plane started by up.sh (netns mode): containerd (Debian's
# package) with runc and the bridge CNI plugin, kubelet and kube-proxy (iptables mode) built from
# the same Kubernetes module (build-node.sh), and CoreDNS behind the kube-dns Service. All of it
# runs in the control plane's network namespace, so its ports, bridge and iptables rules never
# meet another cluster's. Image archives given as arguments are imported into containerd.
# Undo with node-down.sh (down.sh calls it too). Design: docs/adr (real test node).
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=node-lib.sh
source "$cluster_dir/node-lib.sh"

take_lock

[[ $(id -u) -eq 0 ]] || die "a real node needs root (containerd, cgroups, iptables)" "run as root"
[[ "$mode" == netns ]] || die "a real node needs the netns mode" "unset KUBELESS_E2E_NETWORK"
[[ -f "$state/cluster.json" ]] || die "no control plane in $state" "start one with test/cluster/up.sh first"
[[ -f "$state/node.json" ]] && die "a node is already recorded in $state/node.json" "run test/cluster/node-down.sh first"
for b in "$node_bin/kubelet" "$node_bin/kube-proxy" "$coredns_bin/coredns"; do
  [[ -x "$b" ]] || die "$b is missing" "run test/cluster/build-node.sh first"
done
for t in containerd ctr runc iptables conntrack nsenter openssl; do
  command -v "$t" >/dev/null || die "$t is not installed" "apt-get install -y containerd runc containernetworking-plugins iptables conntrack util-linux openssl"
done
cni_bin="${KUBELESS_NODE_CNI_BIN:-/usr/lib/cni}"
[[ -x "$cni_bin/bridge" ]] || die "no CNI plugins in $cni_bin" "apt-get install -y containernetworking-plugins, or set KUBELESS_NODE_CNI_BIN"

kubectl=("$k8s_bin/kubectl" --kubeconfig "$state/kubeconfig")
# Whatever way this fails from here on, nothing of the node is left behind.
node_ok=0
trap '[[ $node_ok == 1 ]] || "$cluster_dir/node-down.sh" >/dev/null 2>&1 || true' EXIT

umask 022
mkdir -p "$node_root" "$node_run" "$logs" "$run"

# --- certificates: the node's identities, signed by the cluster CA ---------------------------
# The Node authorizer and NodeRestriction recognise a kubelet by this exact subject.
pki_leaf "kubelet-$node_name" ca "/O=system:nodes/CN=system:node:$node_name" clientAuth
pki_leaf kube-proxy ca "/CN=system:kube-proxy" clientAuth
pki_leaf coredns ca "/CN=system:coredns" clientAuth

api_url="https://$api_addr:$api_port"
mkdir -p "$state/kubeconfigs"
write_kubeconfig "$state/kubeconfigs/kubelet" "system:node:$node_name" "kubelet-$node_name" "$api_url"
write_kubeconfig "$state/kubeconfigs/kube-proxy" system:kube-proxy kube-proxy "$api_url"
write_kubeconfig "$state/kubeconfigs/coredns" system:coredns coredns "$api_url"

# --- network ----------------------------------------------------------------------------------
log "pod network $pod_cidr on bridge $bridge in namespace $netns; host chain $host_chain"
# Pods reach the internet (npm, PyPI) through the host: a default route out of the namespace,
# forwarding on both sides, and the host masquerading the namespace's address.
ip netns exec "$netns" ip route replace default via "$host_addr"
ip netns exec "$netns" sysctl -qw net.ipv4.ip_forward=1
# Service traffic between two pods on the same bridge must pass iptables (kube-proxy's DNAT).
ip netns exec "$netns" sysctl -qw net.bridge.bridge-nf-call-iptables=1 ||
  die "net.bridge.bridge-nf-call-iptables is missing" "load br_netfilter (modprobe br_netfilter)"
sysctl -qw net.ipv4.ip_forward=1
iptables -w -N "$host_chain" 2>/dev/null || iptables -w -F "$host_chain"
iptables -w -A "$host_chain" -i "$veth_host" -j ACCEPT
iptables -w -A "$host_chain" -o "$veth_host" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
iptables -w -C FORWARD -j "$host_chain" 2>/dev/null || iptables -w -I FORWARD -j "$host_chain"
iptables -w -t nat -N "$host_chain" 2>/dev/null || iptables -w -t nat -F "$host_chain"
iptables -w -t nat -A "$host_chain" -s "$ns_addr/32" ! -o "$veth_host" -j MASQUERADE
iptables -w -t nat -C POSTROUTING -j "$host_chain" 2>/dev/null || iptables -w -t nat -I POSTROUTING -j "$host_chain"

mkdir -p "$node_root/cni/net.d" "$node_root/cni/ipam"
cat >"$node_root/cni/net.d/10-kubeless-e2e.conflist" <<JSON
{
  "cniVersion": "0.4.0",
  "name": "kubeless-e2e",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$bridge",
      "isGateway": true,
      "ipMasq": true,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "dataDir": "$node_root/cni/ipam",
        "ranges": [[{ "subnet": "$pod_cidr" }]],
        "routes": [{ "dst": "0.0.0.0/0" }]
      }
    },
    { "type": "portmap", "capabilities": { "portMappings": true } }
  ]
}
JSON

# --- cgroups (v1): one parent per instance, which kubelet requires to exist -------------------
for d in /sys/fs/cgroup/*/; do
  [[ -f "$d/cgroup.procs" ]] || continue
  mkdir -p "$d${cgroup_root#/}"
  if [[ -f "$d/cpuset.cpus" ]]; then
    # A new cpuset cgroup starts empty; copy the parent's so tasks can join it.
    cat "$d/cpuset.cpus" >"$d${cgroup_root#/}/cpuset.cpus"
    cat "$d/cpuset.mems" >"$d${cgroup_root#/}/cpuset.mems"
  fi
done
# In cgroup v1 every task of the root cgroup weighs as much as this whole group: on a busy shared
# machine (a load of 20 is common here) the pods got ~1% of a CPU and missed every probe. This
# weight is that of a few ordinary processes.
echo "${KUBELESS_NODE_CPU_SHARES:-4096}" >"/sys/fs/cgroup/cpu/${cgroup_root#/}/cpu.shares"

# --- processes --------------------------------------------------------------------------------
# Every node daemon runs in the cluster's network namespace but the host's mount namespace
# (in_node_net in node-lib.sh says why).
start_node() { # name, argv...
  local name="$1"
  shift
  start_daemon "$name" nsenter --net="/run/netns/$netns" "$@"
}

# shellcheck source=node-configs.sh
source "$cluster_dir/node-configs.sh"

start_node containerd containerd --config "$node_root/containerd.toml"
wait_for "containerd at $containerd_sock" 60 containerd ctr --address "$containerd_sock" version

# containerd's image store outlives the node (node-down.sh keeps it); an archive's name carries
# its content key, so one imported before is skipped.
mkdir -p "$node_root/imported"
for archive in "$@"; do
  name="$(basename "$archive")"
  [[ -f "$node_root/imported/$name" ]] && continue
  log "importing $name into containerd"
  ctr_k8s images import "$archive" >/dev/null ||
    die "ctr could not import $archive" "rebuild it with test/images/build.sh"
  touch "$node_root/imported/$name"
done
# Listed first, then searched: `ctr ... | grep -q` under pipefail fails when grep exits at the match
# and ctr's next line meets a closed pipe (SIGPIPE), which a loaded machine makes likely.
images="$(ctr_k8s images ls -q)"
grep -qx "$pause_image" <<<"$images" ||
  die "the sandbox image $pause_image is not in containerd" "pass its archive: node-up.sh \$(test/images/build.sh pause)"

# kube-apiserver reaches the kubelet (logs, exec) with this identity; kubeadm binds it the same way.
"${kubectl[@]}" apply -f - >/dev/null <<YAML
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: kubeless-e2e:apiserver-kubelet }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: system:kubelet-api-admin }
subjects: [{ apiGroup: rbac.authorization.k8s.io, kind: User, name: kube-apiserver-kubelet-client }]
YAML

start_node kubelet "$node_bin/kubelet" \
  --config="$node_root/kubelet.yaml" \
  --kubeconfig="$state/kubeconfigs/kubelet" \
  --root-dir="$node_root/kubelet" \
  --cert-dir="$node_root/kubelet/pki" \
  --hostname-override="$node_name" \
  --node-ip="$ns_addr" \
  --v=1
node_ready() {
  [[ "$("${kubectl[@]}" get node "$node_name" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')" == True ]]
}
wait_for "node $node_name Ready" 120 kubelet node_ready

start_node kube-proxy "$node_bin/kube-proxy" --config="$node_root/kube-proxy.yaml" --v=1
wait_for "kube-proxy /healthz" 60 kube-proxy in_node_net curl -fs "http://127.0.0.1:$proxy_healthz_port/healthz"

# Cluster DNS: CoreDNS on the namespace's address, behind a selectorless kube-dns Service at
# $dns_ip (the address kubelet gives pods), so the query goes through kube-proxy like any Service.
"${kubectl[@]}" apply -f - >/dev/null <<YAML
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: kubeless-e2e:coredns }
rules:
  - { apiGroups: [''], resources: [endpoints, services, pods, namespaces], verbs: [list, watch] }
  - { apiGroups: [discovery.k8s.io], resources: [endpointslices], verbs: [list, watch] }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: kubeless-e2e:coredns }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: kubeless-e2e:coredns }
subjects: [{ apiGroup: rbac.authorization.k8s.io, kind: User, name: system:coredns }]
---
apiVersion: v1
kind: Service
metadata: { name: kube-dns, namespace: kube-system, labels: { k8s-app: kube-dns } }
spec:
  clusterIP: $dns_ip
  ports:
    - { name: dns, port: 53, protocol: UDP, targetPort: 53 }
    - { name: dns-tcp, port: 53, protocol: TCP, targetPort: 53 }
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: kube-dns-node
  namespace: kube-system
  labels: { kubernetes.io/service-name: kube-dns, endpointslice.kubernetes.io/managed-by: kubeless-e2e }
addressType: IPv4
endpoints: [{ addresses: ["$ns_addr"], conditions: { ready: true } }]
ports:
  - { name: dns, port: 53, protocol: UDP }
  - { name: dns-tcp, port: 53, protocol: TCP }
YAML
start_node coredns "$coredns_bin/coredns" -conf "$node_root/Corefile"
wait_for "CoreDNS /ready" 60 coredns in_node_net curl -fs "http://127.0.0.1:$dns_ready_port/ready"

cat >"$state/node.json" <<JSON
{
  "name": "$node_name",
  "podCIDR": "$pod_cidr",
  "dnsIP": "$dns_ip",
  "containerdAddress": "$containerd_sock",
  "root": "$node_root",
  "pauseImage": "$pause_image"
}
JSON
node_ok=1
log "node $node_name ready (containerd $(containerd --version | awk '{print $3}'), kubelet $KUBERNETES_VERSION)"
