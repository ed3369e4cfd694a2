#!/usr/bin/env bash
# Shares one control plane between concurrent test runs (several people run e2e suites on the
# same checkout): `session.sh acquire <pid>` starts it unless a healthy one runs and registers
# <pid> as a user; `session.sh release <pid>` unregisters it and stops the control plane when the
# last user leaves, but only if a test run started it (one from npm run cluster:up stays up).
# Everything runs under a lock, so two runs never start or stop it at the same time.
# acquire prints "started" or "reused" on stdout.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

action="${1:-}"
user="${2:-}"
[[ "$action" =~ ^(acquire|release)$ && "$user" =~ ^[0-9]+$ ]] ||
  die "usage: session.sh acquire|release <pid>" "pass the pid of the test runner that uses the cluster"

take_lock
mkdir -p "$run/users"

prune_users() {
  local f
  for f in "$run/users"/*; do
    [[ -e "$f" ]] || continue
    kill -0 "$(basename "$f")" 2>/dev/null || rm -f "$f"
  done
}

healthy() {
  [[ -f "$state/cluster.json" ]] || return 1
  # Under load (other builds on the same cores) readyz can be slow: retry before giving up on it.
  local i
  for i in 1 2 3 4 5 6; do
    "$k8s_bin/kubectl" --kubeconfig "$state/kubeconfig" --request-timeout=10s get --raw /readyz >/dev/null 2>&1 && return 0
    sleep 2
  done
  return 1
}

prune_users
case "$action" in
  acquire)
    if healthy; then
      touch "$run/users/$user"
      echo reused
    else
      # A record without a live cluster is left from a killed run: clear it first.
      "$cluster_dir/down.sh"
      "$cluster_dir/build.sh" >/dev/null
      "$cluster_dir/up.sh"
      touch "$run/started-by-test" "$run/users/$user"
      echo started
    fi
    ;;
  release)
    rm -f "$run/users/$user"
    if [[ -f "$run/started-by-test" ]] && [[ -z "$(ls -A "$run/users")" ]]; then
      "$cluster_dir/down.sh"
    elif [[ -f "$run/started-by-test" ]]; then
      log "leaving the control plane up: still used by pid(s) $(ls "$run/users" | tr '\n' ' ')"
    fi
    ;;
esac
