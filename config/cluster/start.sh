#!/usr/bin/env bash
# Starts a cluster on loopback: N routers, Kamailio in front of them (kamailio.cfg beside this
# script) and, with --redis, a redis-server for the shared state. Waits until each is ready,
# prints where everything listens, and stops all of it on Ctrl-C, SIGTERM or when one of them
# exits. See README.md beside this script.
#
#   config/cluster/start.sh [--nodes N] [--config FILE] [--sip-port PORT] [--base-port PORT]
#                           [--work DIR] [--redis] [--redis-port PORT]
#
#   --nodes N        routers to start (default 2)
#   --config FILE    the router configuration each node copies (default config/router.yaml);
#                    each node's copy gets its own data_dir, SIP port and admin port
#   --sip-port PORT  where Kamailio listens, the address carriers send to (default 5070)
#   --base-port P    node i (from 1) listens for SIP on udp:127.0.0.1:P+i and for admin HTTP on
#                    127.0.0.1:P+100+i (default 5100)
#   --work DIR       logs, generated configurations, data directories (default ./data/cluster)
#   --redis          also start redis-server on 127.0.0.1:6379+ (first free) and point every
#                    router's caps and concurrency at it (cluster: { redis, node_id: node-I, nodes: N })
#   --redis-port P   with --redis, the first port tried instead of 6379
#
# ROUTER_JAVA_OPTS goes to each router's JVM (default -Xms512m -Xmx512m: N routers share the
# machine, the launcher's 2 GiB default heap each would not fit on a small one).
set -euo pipefail

here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
home=$(cd "$here/../.." && pwd)

nodes=2
template="$home/config/router.yaml"
sip_port=5070
base_port=5100
work="$PWD/data/cluster"
redis=false
redis_port=6379

usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) nodes=${2:?--nodes needs a number}; shift 2 ;;
    --config) template=${2:?--config needs a file}; shift 2 ;;
    --sip-port) sip_port=${2:?--sip-port needs a port}; shift 2 ;;
    --base-port) base_port=${2:?--base-port needs a port}; shift 2 ;;
    --work) work=${2:?--work needs a directory}; shift 2 ;;
    --redis) redis=true; shift ;;
    --redis-port) redis_port=${2:?--redis-port needs a port}; shift 2 ;;
    -h|--help) usage ;;
    *) echo "start.sh: unknown argument $1" >&2; usage ;;
  esac
done
for number in "$nodes" "$sip_port" "$base_port" "$redis_port"; do
  case "$number" in
    ''|*[!0-9]*) echo "start.sh: $number is not a number" >&2; exit 2 ;;
  esac
done
[ "$nodes" -ge 1 ] || { echo "start.sh: --nodes must be at least 1" >&2; exit 2; }
[ -f "$template" ] || { echo "start.sh: no configuration $template" >&2; exit 2; }
# A cluster section copied into N configurations would give N routers one node_id.
if grep -q '^cluster:' "$template"; then
  echo "start.sh: $template has a cluster: section; remove it (--redis writes one per node)" >&2
  exit 2
fi
command -v kamailio >/dev/null || PATH="$PATH:/usr/sbin"
command -v kamailio >/dev/null || { echo "start.sh: kamailio not found: apt-get install kamailio" >&2; exit 2; }
if $redis; then
  command -v redis-server >/dev/null || { echo "start.sh: redis-server not found: apt-get install redis-server" >&2; exit 2; }
fi

mkdir -p "$work"
work=$(cd "$work" && pwd)
pids=()

stop() {
  trap - EXIT INT TERM
  local pid
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  echo "cluster stopped; logs in $work" >&2
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Waits up to $2 seconds for the command $3... to succeed; $1 names what is awaited.
await() {
  local what=$1 seconds=$2
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "start.sh: $what not ready after ${seconds}s" >&2
      return 1
    fi
    sleep 0.5
  done
}

udp_bound() { ss -Hlun "sport = :$1" | grep -q .; }
tcp_bound() { ss -Hltn "sport = :$1" | grep -q .; }

if $redis; then
  while tcp_bound "$redis_port"; do redis_port=$((redis_port + 1)); done
  mkdir -p "$work/redis"
  redis-server --bind 127.0.0.1 --port "$redis_port" --dir "$work/redis" --save '' --appendonly no \
      >"$work/redis.log" 2>&1 &
  pids+=($!)
  await "redis-server on port $redis_port" 10 tcp_bound "$redis_port"
  echo "redis: redis://127.0.0.1:$redis_port" >&2
fi

# One configuration per node: the template with this node's data_dir, SIP listen address and
# admin address. The template must write them as config/router.yaml does (data_dir: and
# sip.listen: on a line of their own, admin: { listen: "..." } on one line, or no admin: at all).
# With --redis, a cluster section naming the node follows (lease_ms and timeout_ms: defaults).
node_config() {
  local node=$1 out=$2
  local sip=$((base_port + node)) admin=$((base_port + 100 + node))
  awk -v data="$work/node$node/data" -v sip="udp:127.0.0.1:$sip" -v admin="127.0.0.1:$admin" '
    function add_admin() { if (in_server && !admin_done) { print "  admin: { listen: \"" admin "\" }"; admin_done = 1 } }
    /^[^ #]/ { add_admin(); in_server = ($0 ~ /^server:/); in_sip = 0 }
    in_server && /^  [a-z_]+:/ { in_sip = ($0 ~ /^  sip:/) }
    in_server && /^  data_dir:/ { print "  data_dir: " data; data_done = 1; next }
    in_sip && /^    listen:/ { print "    listen: [\"" sip "\"]"; sip_done = 1; next }
    in_server && /^  admin:/ {
      if (!sub(/listen: *"[^"]*"/, "listen: \"" admin "\"")) { exit 3 }
      admin_done = 1
    }
    { print }
    END { add_admin(); if (!data_done || !sip_done) { exit 3 } }
  ' "$template" >"$out" || {
    echo "start.sh: $template does not write server.data_dir, server.sip.listen and server.admin as config/router.yaml does" >&2
    return 1
  }
  if $redis; then
    printf 'cluster: { redis: "redis://127.0.0.1:%s", node_id: node-%s, nodes: %s }\n' \
        "$redis_port" "$node" "$nodes" >>"$out"
  fi
}

list="$work/dispatcher.list"
: >"$list"
for node in $(seq 1 "$nodes"); do
  mkdir -p "$work/node$node"
  node_config "$node" "$work/node$node/router.yaml"
  "$home/router" check-config "$work/node$node/router.yaml" >/dev/null
  # setid destination flags priority attrs: all in set 1, equal priority (round robin).
  echo "1 sip:127.0.0.1:$((base_port + node)) 0 0 node=$node" >>"$list"
done

export ROUTER_JAVA_OPTS="${ROUTER_JAVA_OPTS:--Xms512m -Xmx512m}"
for node in $(seq 1 "$nodes"); do
  (cd "$work/node$node" && exec "$home/router" serve --config "$work/node$node/router.yaml") \
      >"$work/node$node/router.log" 2>&1 &
  pids+=($!)
done
for node in $(seq 1 "$nodes"); do
  admin="http://127.0.0.1:$((base_port + 100 + node))"
  await "router $node ($work/node$node/router.log)" 180 curl -fs "$admin/health/ready"
  echo "router $node: sip udp:127.0.0.1:$((base_port + node)), admin $admin, log $work/node$node/router.log" >&2
done

# -DD: stay in the foreground (this script owns the process), -E: log to stderr (the log file).
kamailio -f "$here/kamailio.cfg" -DD -E -m 256 -M 16 \
    -A "LISTEN=udp:127.0.0.1:$sip_port" -A "DISPATCHER_LIST=\"$list\"" -A "CTL_SOCKET=\"unix:$work/kamailio.ctl\"" \
    >"$work/kamailio.log" 2>&1 &
pids+=($!)
await "kamailio on udp:127.0.0.1:$sip_port ($work/kamailio.log)" 15 udp_bound "$sip_port"
echo "kamailio: udp:127.0.0.1:$sip_port (send calls here), log $work/kamailio.log," \
     "routers' health: kamcmd -s unix:$work/kamailio.ctl dispatcher.list" >&2
echo "cluster ready; Ctrl-C stops it" >&2

# Until Ctrl-C, or until one of them exits (then everything is stopped: a half cluster is not
# what was asked for).
wait -n "${pids[@]}" || true
echo "start.sh: a process of the cluster exited; stopping the others" >&2
