# The one prelude of every script under test/cluster/: the test control plane's settings, and the
# helpers its scripts share (messages, building from Go modules, certificates, kubeconfigs, starting
# and stopping daemons). Sourced first by each; node-lib.sh adds the real node's settings.
# Everything here can be overridden from the environment; the defaults are what the e2e suites use.
# shellcheck shell=bash
cluster_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$cluster_dir/../.." && pwd)"
# shellcheck source=versions.env
source "$cluster_dir/versions.env"

cache="${KUBELESS_CACHE:-$HOME/.cache/kubeless}"
k8s_bin="$cache/bin/kubernetes-$KUBERNETES_VERSION"
etcd_bin="$cache/bin/etcd-$ETCD_VERSION"
helm_bin="$cache/bin/helm-$HELM_VERSION"

state="${KUBELESS_E2E_DIR:-$repo_root/.e2e}"
pki="$state/pki"
logs="$state/logs"
run="$state/run"

# netns (default): the control plane lives in its own network namespace, joined to the host by a
# veth pair. loopback: everything on the host's 127.0.0.1 (no root needed, no ClusterIP addresses).
mode="${KUBELESS_E2E_NETWORK:-netns}"
netns="${KUBELESS_E2E_NETNS:-kubeless-e2e}"
veth_host="${KUBELESS_E2E_VETH:-kle2e0}"
veth_ns="${veth_host}ns"
# 10.213.0.0/24 is private and unused on these machines; change it if it collides with yours.
host_addr="${KUBELESS_E2E_HOST_ADDR:-10.213.0.1}"
ns_addr="${KUBELESS_E2E_NS_ADDR:-10.213.0.2}"
service_cidr="${KUBELESS_E2E_SERVICE_CIDR:-10.96.0.0/16}"
kubernetes_service_ip="${KUBELESS_E2E_KUBERNETES_SVC_IP:-10.96.0.1}"

# Unusual ports, so loopback mode does not collide with anything else on the host.
api_port="${KUBELESS_E2E_API_PORT:-16443}"
etcd_port="${KUBELESS_E2E_ETCD_PORT:-22379}"
etcd_peer_port="${KUBELESS_E2E_ETCD_PEER_PORT:-22380}"
kcm_port="${KUBELESS_E2E_KCM_PORT:-20257}"
scheduler_port="${KUBELESS_E2E_SCHEDULER_PORT:-20259}"

if [[ "$mode" == netns ]]; then
  api_addr="$ns_addr"
else
  api_addr=127.0.0.1
  host_addr=127.0.0.1
fi

# A script may set log_tag before sourcing this file (the build scripts say "cluster build").
log_tag="${log_tag:-cluster}"
log() { echo "[$log_tag] $*" >&2; }
die() {
  echo "[$log_tag] error: $1" >&2
  [[ -n "${2:-}" ]] && echo "[$log_tag] fix: $2" >&2
  exit 1
}

# Runs a command where the control plane lives (inside the namespace in netns mode).
in_cluster_net() {
  if [[ "$mode" == netns ]]; then ip netns exec "$netns" "$@"; else "$@"; fi
}

# Whether the network namespace $1 exists, by its exact name: `grep -w kubeless-e2e` also matches
# the real-node cluster's kubeless-e2e-node ('-' ends a word), and awk reads all of ip's output,
# so pipefail sees no SIGPIPE.
netns_exists() {
  ip netns list 2>/dev/null | awk -v n="$1" '$1 == n { found = 1 } END { exit !found }'
}

# Which state directory a network namespace belongs to: up.sh records it when it creates or adopts
# the namespace, down.sh removes only its own. Two clusters given the same names (KUBELESS_E2E_NETNS,
# a copied environment) would otherwise share one namespace, and one's down.sh would cut the other
# off. /run is emptied at boot, like the namespaces themselves.
netns_owner_dir="${KUBELESS_E2E_OWNER_DIR:-/run/kubeless-e2e}"
netns_owner_file="$netns_owner_dir/$netns.owner"
netns_owner() { cat "$netns_owner_file" 2>/dev/null || true; }
# Whether this state directory may use (and remove) the namespace: it is ours or no one's.
owns_netns() {
  local owner
  owner="$(netns_owner)"
  [[ -z "$owner" || "$owner" == "$state" ]]
}
# Records this state directory as the namespace's owner; dies, saying whose it is and what to do,
# when the namespace (or its veth) exists and belongs to another one.
claim_netns() {
  local owner
  owner="$(netns_owner)"
  if ! owns_netns && { netns_exists "$netns" || ip link show "$veth_host" >/dev/null 2>&1; }; then
    die "network namespace $netns (veth $veth_host) belongs to the test cluster in $owner, not to $state" \
      "stop that one first (KUBELESS_E2E_DIR=$owner test/cluster/down.sh), or give this one its own names (KUBELESS_E2E_NETNS, KUBELESS_E2E_VETH, KUBELESS_E2E_HOST_ADDR, KUBELESS_E2E_NS_ADDR)"
  fi
  mkdir -p "$netns_owner_dir"
  echo "$state" >"$netns_owner_file"
}

# Closes every descriptor above stderr in this (sub)shell, for a daemon about to be exec'd: it must
# not keep what its starter had open. A caller's `flock FILE real-node.sh up` passes its lock as
# fd 3, and daemons that inherit it hold the lock for as long as the cluster runs (the next
# `flock FILE ...`, even the same person's tests, then waits forever).
close_inherited_fds() {
  local fd
  for fd in /proc/"$BASHPID"/fd/*; do
    fd="${fd##*/}"
    if ((fd > 2)); then eval "exec $fd>&-" 2>/dev/null || true; fi
  done
}

# One start or stop at a time across concurrent runs (people share this checkout's .e2e/).
# Scripts called by a holder of the lock inherit it through KUBELESS_E2E_LOCKED.
take_lock() {
  [[ "${KUBELESS_E2E_LOCKED:-}" == 1 ]] && return 0
  mkdir -p "$state"
  exec 9>"$state/.lock"
  flock -w 900 9 || die "waited 15 minutes for $state/.lock" "another run holds it: wait for it, or check that it is still alive"
  export KUBELESS_E2E_LOCKED=1
}

# --- building from the upstream Go modules (build.sh, build-node.sh) ---------------------------
# One Go environment for every group, so their build caches are shared.
go_build_env() {
  command -v go >/dev/null || die "go is not on PATH" "install Go >= 1.26 (https://go.dev/dl/)"
  export GOFLAGS="-mod=mod -buildvcs=false"
  export CGO_ENABLED=0
  export GOTOOLCHAIN=local
}

# A stamp records exactly what was built, so a half-finished build (killed mid-way) is redone.
stamp_ok() { [[ -f "$1/.stamp" && "$(cat "$1/.stamp")" == "$2" ]]; }

# Writes a wrapper module requiring k8s.io/kubernetes at version $2 into directory $1, named $3.
# The published k8s.io/kubernetes replaces its staging modules with ./staging paths that do not
# exist in the module zip, so each is pinned to the matching v0.Y.Z tag instead. go.sum is
# regenerated from the proxy's checksums (GOFLAGS=-mod=mod); GONOSUMDB is not touched.
k8s_wrapper_module() { # dir, version, module name
  local src="$1" v="$2" staging="v0.${2#v1.}" gomod
  gomod="$(go mod download -json "k8s.io/kubernetes@$v" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
  [[ -f "$gomod" ]] || die "cannot download k8s.io/kubernetes@$v from the Go module proxy" "check GOPROXY and the network"
  {
    printf 'module %s\n\ngo 1.24.0\n\nrequire k8s.io/kubernetes %s\n\nreplace (\n' "$3" "$v"
    sed -n 's#^\s*\(k8s.io/[a-z0-9-]*\) => ./staging/src/k8s.io/.*#\t\1 => \1 '"$staging"'#p' "$gomod"
    echo ")"
  } >"$src/go.mod"
  : >"$src/go.sum"
}

# The -ldflags of a Kubernetes build at version $1: /version must report the real version (Helm and
# kubectl check it, and a node reports its kubelet's to the apiserver).
k8s_version_ldflags() { # version
  local v="$1" minor="${1#v1.}" date ld="-s -w" pkg
  minor="${minor%%.*}"
  date="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld+=" -X $pkg.gitVersion=$v -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
    ld+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$date -X $pkg.gitCommit=module-$v"
  done
  echo "$ld"
}

# --- certificates and kubeconfigs (pki.sh, up.sh, node-up.sh) ---------------------------------
# A leaf certificate $pki/NAME.crt (EC P-256 key) signed by $pki/CA.crt; kept when it exists.
pki_newkey() { [[ -f "$pki/$1.key" ]] || (umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$pki/$1.key" 2>/dev/null); }
pki_leaf() { # name, ca, subject, extendedKeyUsage, [subjectAltName]
  [[ -f "$pki/$1.crt" ]] && return 0
  pki_newkey "$1"
  (
    cd "$pki" && umask 077
    {
      echo "basicConstraints=critical,CA:FALSE"
      echo "keyUsage=critical,digitalSignature,keyEncipherment"
      echo "extendedKeyUsage=$4"
      [[ -n "${5:-}" ]] && echo "subjectAltName=$5"
    } >"$1.ext"
    openssl req -new -key "$1.key" -subj "$3" -out "$1.csr"
    openssl x509 -req -in "$1.csr" -CA "$2.crt" -CAkey "$2.key" -CAcreateserial -days 825 -extfile "$1.ext" -out "$1.crt" 2>/dev/null
    rm -f "$1.csr" "$1.ext"
  )
}

# A kubeconfig for user $2 with the certificate $pki/$3.crt against $4. Written under umask 077 in
# a subshell: the umask must not reach later steps (containerd would unpack image layers
# unreadable to a container's non-root user, "libm.so.6: Permission denied").
write_kubeconfig() { # file, user, cert name, server
  (umask 077 && cat >"$1") <<YAML
apiVersion: v1
kind: Config
clusters:
  - name: kubeless-e2e
    cluster:
      server: $4
      certificate-authority-data: $(base64 -w0 "$pki/ca.crt")
users:
  - name: $2
    user:
      client-certificate-data: $(base64 -w0 "$pki/$3.crt")
      client-key-data: $(base64 -w0 "$pki/$3.key")
contexts:
  - name: $2@kubeless-e2e
    context:
      cluster: kubeless-e2e
      user: $2
current-context: $2@kubeless-e2e
YAML
}

# --- daemons (up.sh, node-up.sh, component.sh, down.sh, node-down.sh) --------------------------
# Starts one daemon detached from this shell (setsid) so it outlives npm, and records its pid and
# command line ($run/NAME.pid, $run/NAME.cmd: component.sh starts it again from that record).
# argv is the whole command, with its network-namespace wrapper. Without job control the
# background child is not a group leader, so setsid and `ip netns exec` both exec in place and $!
# is the daemon's own pid. Only stdio goes on (close_inherited_fds says why). The log is appended
# to: a fresh start truncates it first (start_daemon), a restart (restart_daemon) does not.
spawn_daemon() { # name, argv...
  local name="$1"
  shift
  printf '%s\0' "$@" >"$run/$name.cmd"
  (close_inherited_fds && exec setsid "$@") >>"$logs/$name.log" 2>&1 </dev/null &
  echo $! >"$run/$name.pid"
}
start_daemon() { # name, argv...
  log "starting $1 (log: ${logs#"$repo_root"/}/$1.log)"
  : >"$logs/$1.log"
  spawn_daemon "$@"
}
restart_daemon() { # name: again, with the command line recorded when it first started
  local argv
  mapfile -d '' argv <"$run/$1.cmd"
  log "starting $1 again (log: $logs/$1.log)"
  echo "--- $(date -u +%FT%TZ) started again by component.sh" >>"$logs/$1.log"
  spawn_daemon "$1" "${argv[@]}"
}

# Signals a daemon recorded in $run/NAME.pid (TERM: KILL after 10 s) and waits until it is gone;
# removes the pid file. Nothing to do when it is not recorded or not running.
stop_daemon() { # name, [TERM|KILL]
  local f="$run/$1.pid" pid
  [[ -f "$f" ]] || return 0
  pid="$(cat "$f")"
  if kill -0 "$pid" 2>/dev/null; then
    log "stopping $1 (pid $pid, SIG${2:-TERM})"
    kill -"${2:-TERM}" "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$f"
}

alive_or_die() { # name
  kill -0 "$(cat "$run/$1.pid")" 2>/dev/null && return 0
  tail -n 30 "$logs/$1.log" >&2 || true
  die "$1 exited during start-up (its last log lines are above)" "read $logs/$1.log; a port in use or a bad flag are the usual causes"
}

wait_for() { # description, seconds, daemon to watch, command...
  local what="$1" secs="$2" comp="$3"
  shift 3
  local deadline=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    alive_or_die "$comp"
    ((SECONDS < deadline)) || die "timed out after ${secs}s waiting for $what" "read $logs/$comp.log"
    sleep 0.5
  done
}
