#!/usr/bin/env bash
# Prints the shell exports for using the test control plane: eval "$(npm run -s cluster:env)".
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
echo "export PATH=\"$k8s_bin:$etcd_bin:$helm_bin:\$PATH\""
echo "export KUBECONFIG=\"$state/kubeconfig\""
