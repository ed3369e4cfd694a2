#!/usr/bin/env bash
# Generates every certificate and key of the test control plane with openssl (Debian's), as EC
# P-256 keys (fast to make). Idempotent: existing files are kept, so restarts reuse them.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
command -v openssl >/dev/null || die "openssl is not installed" "apt-get install openssl"
mkdir -p "$pki"
cd "$pki"
umask 077

ca() { # name, common name
  [[ -f "$1.crt" ]] && return 0
  pki_newkey "$1"
  openssl req -x509 -new -key "$1.key" -out "$1.crt" -days 3650 -subj "/CN=$2" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature"
}

ca ca kubeless-e2e-ca
# The aggregation layer needs its own CA: kube-apiserver trusts requestheader identities only from
# certificates of this CA, and an aggregated API server verifies the front proxy with it.
ca front-proxy-ca kubeless-e2e-front-proxy-ca

sans="DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,DNS:localhost"
sans+=",IP:127.0.0.1,IP:$ns_addr,IP:$kubernetes_service_ip"
# The serving certificate names the addresses of this cluster: when they changed (another
# KUBELESS_E2E_NS_ADDR or service CIDR for the same state directory), it is issued anew; kept, it
# made kube-apiserver unreachable under its new address and up.sh wait 120 s for /readyz.
if [[ -f apiserver.crt && "$(cat apiserver.sans 2>/dev/null)" != "$sans" ]]; then
  log "issuing the kube-apiserver certificate again: its addresses changed (now $sans)"
  rm -f apiserver.crt apiserver.key
fi
pki_leaf apiserver ca "/CN=kube-apiserver" serverAuth "$sans"
echo "$sans" >apiserver.sans
pki_leaf apiserver-kubelet-client ca "/O=kubeadm:cluster-admins/CN=kube-apiserver-kubelet-client" clientAuth
pki_leaf admin ca "/O=system:masters/CN=kubernetes-admin" clientAuth
pki_leaf controller-manager ca "/CN=system:kube-controller-manager" clientAuth
pki_leaf scheduler ca "/CN=system:kube-scheduler" clientAuth
pki_leaf front-proxy-client front-proxy-ca "/CN=front-proxy-client" clientAuth

# Service-account tokens are signed with this key and verified with its public half.
if [[ ! -f sa.key ]]; then
  pki_newkey sa
  openssl pkey -in sa.key -pubout -out sa.pub
fi
