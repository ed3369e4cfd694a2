# Writes the node's configuration files (containerd, kubelet, kube-proxy, CoreDNS) into
# $node_root; sourced by node-up.sh after lib.sh and node-lib.sh. Every path, port and address
# comes from those, so two instances never share a file, a socket or a cgroup.
# shellcheck shell=bash

# No registry is reachable: the sandbox image is built locally (test/images/pause).
pause_image="${KUBELESS_NODE_PAUSE_IMAGE:-localhost/kubeless-e2e/pause:1}"

# containerd 1.6 (Debian bookworm), config version 2. Only the CRI plugin and overlayfs matter;
# snapshotters that need other kernels or tools are disabled so they do not log errors.
cat >"$node_root/containerd.toml" <<TOML
version = 2
root = "$node_root/containerd"
state = "$node_run/containerd"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.internal.v1.tracing", "io.containerd.tracing.processor.v1.otlp"]

[grpc]
  address = "$containerd_sock"

[ttrpc]
  address = "$node_run/containerd.sock.ttrpc"

[metrics]
  address = ""

[plugins."io.containerd.internal.v1.opt"]
  path = "$node_root/opt"

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$pause_image"
  # Pod network namespaces under this instance's state, not in the host-wide /run/netns.
  netns_mounts_under_state_dir = true
  enable_selinux = false
  disable_apparmor = true
  # Root here lacks CAP_SYS_RESOURCE (VM sandbox), so no process may lower its oom_score_adj:
  # runc would fail "failed to update /proc/self/oom_score_adj: Permission denied" for every
  # sandbox (kubelet asks -998). Clamp to containerd's own score instead, as rootless setups do.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        # cgroup v1 without systemd as PID 1: cgroupfs, like kubelet below.
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$cni_bin"
    conf_dir = "$node_root/cni/net.d"
TOML

# Kubernetes 1.34 still runs on cgroup v1 (failCgroupV1 defaults to true only from 1.35); said
# explicitly so an upgrade fails loudly here rather than in the kubelet log.
cat >"$node_root/kubelet.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
failCgroupV1: false
cgroupDriver: cgroupfs
cgroupRoot: $cgroup_root
containerRuntimeEndpoint: unix://$containerd_sock
address: $ns_addr
port: $kubelet_port
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: $kubelet_healthz_port
podCIDR: $pod_cidr
clusterDNS: [$dns_ip]
clusterDomain: cluster.local
resolvConf: /etc/resolv.conf
podLogsDir: $node_root/pod-logs
authentication:
  anonymous: { enabled: false }
  webhook: { enabled: true }
  x509: { clientCAFile: $pki/ca.crt }
authorization: { mode: Webhook }
failSwapOn: false
# A shared test machine: never evict or garbage-collect images because of its disk or memory.
evictionHard: { memory.available: 50Mi, nodefs.available: 1%, imagefs.available: 1%, nodefs.inodesFree: 1% }
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
# Locally imported images only; a pull would fail anyway.
serializeImagePulls: false
YAML

cat >"$node_root/kube-proxy.yaml" <<YAML
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clientConnection: { kubeconfig: $state/kubeconfigs/kube-proxy }
hostnameOverride: $node_name
clusterCIDR: $pod_cidr
bindAddress: $ns_addr
healthzBindAddress: 127.0.0.1:$proxy_healthz_port
metricsBindAddress: 127.0.0.1:$proxy_metrics_port
# Conntrack limits are machine-wide (read-only inside a network namespace): leave them alone.
conntrack: { maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s }
iptables: { localhostNodePorts: false }
YAML

cat >"$node_root/Corefile" <<COREFILE
.:53 {
    bind $ns_addr
    errors
    health 127.0.0.1:$dns_health_port
    ready 127.0.0.1:$dns_ready_port
    kubernetes cluster.local in-addr.arpa ip6.arpa {
        kubeconfig $state/kubeconfigs/coredns system:coredns@kubeless-e2e
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
    }
    forward . /etc/resolv.conf
    cache 30
    loop
    reload
    loadbalance
}
COREFILE
