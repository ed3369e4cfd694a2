#!/usr/bin/env bash
# Starts the test control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler),
# detached, and leaves it running until down.sh. Writes the admin kubeconfig to .e2e/kubeconfig and
# a description of the cluster to .e2e/cluster.json. Fresh etcd data on every start.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

take_lock

for b in "$k8s_bin/kube-apiserver" "$k8s_bin/kube-controller-manager" "$k8s_bin/kube-scheduler" "$k8s_bin/kubectl" "$etcd_bin/etcd"; do
  [[ -x "$b" ]] || die "$b is missing" "run test/cluster/build.sh first (or npm run test:e2e, which builds what is missing)"
done
if [[ -f "$state/cluster.json" ]]; then
  die "a control plane is already recorded in $state/cluster.json" "run npm run cluster:down first"
fi

# Whatever way this script fails from here on, it leaves nothing running behind it.
started_ok=0
trap '[[ $started_ok == 1 ]] || "$cluster_dir/down.sh" >/dev/null 2>&1 || true' EXIT

mkdir -p "$logs" "$run"
"$cluster_dir/pki.sh"

if [[ "$mode" == netns ]]; then
  [[ $(id -u) -eq 0 ]] || die "netns mode needs root (ip netns add)" "run as root, or set KUBELESS_E2E_NETWORK=loopback"
  claim_netns
  if ! netns_exists "$netns"; then
    log "creating network namespace $netns ($host_addr on the host side, $ns_addr inside)"
    ip netns add "$netns"
    ip link add "$veth_host" type veth peer name "$veth_ns"
    ip link set "$veth_ns" netns "$netns"
    ip addr add "$host_addr/24" dev "$veth_host"
    ip link set "$veth_host" up
    ip netns exec "$netns" ip link set lo up
    ip netns exec "$netns" ip addr add "$ns_addr/24" dev "$veth_ns"
    ip netns exec "$netns" ip link set "$veth_ns" up
    # Service ClusterIPs are routed into the namespace: an address a test adds there (on lo) is
    # then reachable from the host as well. The route dies with the veth on down.
    ip route add "$service_cidr" via "$ns_addr" dev "$veth_host"
  fi
fi

# Starts one daemon of the control plane, inside the namespace in netns mode (lib.sh's start_daemon).
start() {
  local name="$1"
  shift
  if [[ "$mode" == netns ]]; then set -- ip netns exec "$netns" "$@"; fi
  start_daemon "$name" "$@"
}

api_url="https://$api_addr:$api_port"
# Inside the namespace (or on the host in loopback mode) components use loopback.
local_url="https://127.0.0.1:$api_port"
mkdir -p "$state/kubeconfigs"
write_kubeconfig "$state/kubeconfig" kubernetes-admin admin "$api_url"
write_kubeconfig "$state/kubeconfigs/controller-manager" system:kube-controller-manager controller-manager "$local_url"
write_kubeconfig "$state/kubeconfigs/scheduler" system:kube-scheduler scheduler "$local_url"

# etcd's data goes to a temporary directory, linked from .e2e/etcd-data: inside the repository
# jest would take its member/snap/*.snap files for obsolete jest snapshots (and delete them on -u).
rm -rf "$state/etcd-data"
etcd_data="$(mktemp -d "${TMPDIR:-/tmp}/kubeless-e2e-etcd.XXXXXX")"
ln -s "$etcd_data" "$state/etcd-data"
start etcd "$etcd_bin/etcd" \
  --name=kubeless-e2e \
  --data-dir="$etcd_data" \
  --listen-client-urls="http://127.0.0.1:$etcd_port" \
  --advertise-client-urls="http://127.0.0.1:$etcd_port" \
  --listen-peer-urls="http://127.0.0.1:$etcd_peer_port" \
  --initial-advertise-peer-urls="http://127.0.0.1:$etcd_peer_port" \
  --initial-cluster="kubeless-e2e=http://127.0.0.1:$etcd_peer_port" \
  --unsafe-no-fsync=true \
  --log-level=warn

bind=0.0.0.0
[[ "$mode" == netns ]] || bind=127.0.0.1
# KUBELESS_E2E_AUDIT=lists: every list and watch request goes to logs/audit.log (who, what, when),
# so the chaos suite can count the relists that follow a restart. Off by default.
audit=()
if [[ "${KUBELESS_E2E_AUDIT:-}" == lists ]]; then
  cat >"$state/audit-policy.yaml" <<'YAML'
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: Metadata
    verbs: [list, watch]
  - level: None
YAML
  audit=(--audit-policy-file="$state/audit-policy.yaml" --audit-log-path="$logs/audit.log"
    --audit-log-maxsize=200 --audit-log-maxbackup=1 --audit-log-mode=batch --audit-log-batch-max-wait=1s)
fi
start kube-apiserver "$k8s_bin/kube-apiserver" \
  "${audit[@]}" \
  --advertise-address="$api_addr" \
  --bind-address="$bind" \
  --secure-port="$api_port" \
  --etcd-servers="http://127.0.0.1:$etcd_port" \
  --client-ca-file="$pki/ca.crt" \
  --tls-cert-file="$pki/apiserver.crt" \
  --tls-private-key-file="$pki/apiserver.key" \
  --kubelet-client-certificate="$pki/apiserver-kubelet-client.crt" \
  --kubelet-client-key="$pki/apiserver-kubelet-client.key" \
  --kubelet-preferred-address-types=InternalIP,Hostname \
  --authorization-mode=Node,RBAC \
  --enable-admission-plugins=NodeRestriction \
  --allow-privileged=true \
  --service-cluster-ip-range="$service_cidr" \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file="$pki/sa.pub" \
  --service-account-signing-key-file="$pki/sa.key" \
  --requestheader-client-ca-file="$pki/front-proxy-ca.crt" \
  --requestheader-allowed-names=front-proxy-client \
  --requestheader-username-headers=X-Remote-User \
  --requestheader-group-headers=X-Remote-Group \
  --requestheader-uid-headers=X-Remote-Uid \
  --requestheader-extra-headers-prefix=X-Remote-Extra- \
  --proxy-client-cert-file="$pki/front-proxy-client.crt" \
  --proxy-client-key-file="$pki/front-proxy-client.key" \
  --enable-aggregator-routing=true \
  --profiling=false \
  --v=1

export KUBECONFIG="$state/kubeconfig"
kubectl="$k8s_bin/kubectl"
wait_for "kube-apiserver /readyz at $api_url" 120 kube-apiserver "$kubectl" get --raw /readyz
alive_or_die etcd

start kube-controller-manager "$k8s_bin/kube-controller-manager" \
  --kubeconfig="$state/kubeconfigs/controller-manager" \
  --authentication-kubeconfig="$state/kubeconfigs/controller-manager" \
  --authorization-kubeconfig="$state/kubeconfigs/controller-manager" \
  --bind-address=127.0.0.1 \
  --secure-port="$kcm_port" \
  --leader-elect=false \
  --controllers='*' \
  --use-service-account-credentials=true \
  --service-account-private-key-file="$pki/sa.key" \
  --root-ca-file="$pki/ca.crt" \
  --cluster-signing-cert-file="$pki/ca.crt" \
  --cluster-signing-key-file="$pki/ca.key" \
  --service-cluster-ip-range="$service_cidr" \
  --cluster-name=kubeless-e2e \
  --profiling=false \
  --v=1

start kube-scheduler "$k8s_bin/kube-scheduler" \
  --kubeconfig="$state/kubeconfigs/scheduler" \
  --authentication-kubeconfig="$state/kubeconfigs/scheduler" \
  --authorization-kubeconfig="$state/kubeconfigs/scheduler" \
  --bind-address=127.0.0.1 \
  --secure-port="$scheduler_port" \
  --leader-elect=false \
  --profiling=false \
  --v=1

wait_for "kube-controller-manager /healthz" 60 kube-controller-manager in_cluster_net curl -fsk "https://127.0.0.1:$kcm_port/healthz"
wait_for "kube-scheduler /healthz" 60 kube-scheduler in_cluster_net curl -fsk "https://127.0.0.1:$scheduler_port/healthz"
# The service-account controllers are up once the default namespace has its ServiceAccount.
wait_for "the default ServiceAccount" 60 kube-controller-manager "$kubectl" get serviceaccount default -n default

cat >"$state/cluster.json" <<JSON
{
  "mode": "$mode",
  "netns": $([[ "$mode" == netns ]] && echo "\"$netns\"" || echo null),
  "server": "$api_url",
  "hostAddress": "$host_addr",
  "clusterAddress": "$api_addr",
  "serviceCIDR": "$service_cidr",
  "kubeconfig": "$state/kubeconfig",
  "path": ["$k8s_bin", "$etcd_bin", "$helm_bin"],
  "kubernetesVersion": "$KUBERNETES_VERSION"
}
JSON
started_ok=1
log "control plane $KUBERNETES_VERSION ready at $api_url (KUBECONFIG=${state}/kubeconfig)"
