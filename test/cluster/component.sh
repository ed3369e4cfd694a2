#!/usr/bin/env bash
# Stops or starts one process of a running test cluster, as a fault would: the chaos suite
# (test/chaos) restarts etcd, kube-apiserver and containerd while Kubeless works.
#   component.sh stop NAME [TERM|KILL]   signal it (TERM: KILL after 10 s) and wait until it is gone
#   component.sh start NAME              start it again with the command line up.sh/node-up.sh used
# NAME is one of the processes in $KUBELESS_E2E_DIR/run (etcd, kube-apiserver, containerd, kubelet
# ...). Its log goes on in the same file. Readiness is the caller's to wait for: it is what a
# chaos scenario measures. real-node.sh stop|start NAME runs this against the real-node cluster.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

action="${1:-}" name="${2:-}" signal="${3:-TERM}"
[[ "$action" =~ ^(stop|start)$ && "$name" =~ ^[a-z][a-z0-9-]*$ && "$signal" =~ ^(TERM|KILL)$ ]] ||
  die "usage: component.sh stop NAME [TERM|KILL] | start NAME" "NAME is a process of $run, e.g. kube-apiserver"
[[ -f "$run/$name.cmd" ]] || die "no command line recorded for $name in $run" "start the cluster with test/cluster/up.sh (and node-up.sh) first"

take_lock

case "$action" in
  stop)
    [[ -f "$run/$name.pid" ]] || die "$name is not running (no $run/$name.pid)" "start it: component.sh start $name"
    stop_daemon "$name" "$signal"
    ;;
  start)
    if [[ -f "$run/$name.pid" ]] && kill -0 "$(cat "$run/$name.pid")" 2>/dev/null; then
      die "$name is running already (pid $(cat "$run/$name.pid"))" "stop it first: component.sh stop $name"
    fi
    restart_daemon "$name"
    ;;
esac
