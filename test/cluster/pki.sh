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

newkey() { [[ -f "$1.key" ]] || openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null; }

ca() { # name, common name
  [[ -f "$1.crt" ]] && return 0
  newkey "$1"
  openssl req -x509 -new -key "$1.key" -out "$1.crt" -days 3650 -subj "/CN=$2" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature"
}

leaf() { # name, ca, subject, extendedKeyUsage, [subjectAltName]
  [[ -f "$1.crt" ]] && return 0
  newkey "$1"
  {
    echo "basicConstraints=critical,CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=$4"
    [[ -n "${5:-}" ]] && echo "subjectAltName=$5"
  } >"$1.ext"
  openssl req -new -key "$1.key" -subj "$3" -out "$1.csr"
  openssl x509 -req -in "$1.csr" -CA "$2.crt" -CAkey "$2.key" -CAcreateserial -days 825 -extfile "$1.ext" -out "$1.crt" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
}

ca ca kubeless-e2e-ca
# The aggregation layer needs its own CA: kube-apiserver trusts requestheader identities only from
# certificates of this CA, and an aggregated API server verifies the front proxy with it.
ca front-proxy-ca kubeless-e2e-front-proxy-ca

sans="DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,DNS:localhost"
sans+=",IP:127.0.0.1,IP:$ns_addr,IP:$kubernetes_service_ip"
leaf apiserver ca "/CN=kube-apiserver" serverAuth "$sans"
leaf apiserver-kubelet-client ca "/O=kubeadm:cluster-admins/CN=kube-apiserver-kubelet-client" clientAuth
leaf admin ca "/O=system:masters/CN=kubernetes-admin" clientAuth
leaf controller-manager ca "/CN=system:kube-controller-manager" clientAuth
leaf scheduler ca "/CN=system:kube-scheduler" clientAuth
leaf front-proxy-client front-proxy-ca "/CN=front-proxy-client" clientAuth

# Service-account tokens are signed with this key and verified with its public half.
if [[ ! -f sa.key ]]; then
  newkey sa
  openssl pkey -in sa.key -pubout -out sa.pub
fi
