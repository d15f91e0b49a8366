# Sourced by alloc-per-call.sh and loop-lag.sh: the router on config/bench.yaml's routing with
# its two SIPp handlers, on loopback ports from BASE (the router's SIP port; the handlers BASE+1
# and BASE+2, their media BASE+10 and BASE+20, the admin API BASE+80), its data and log in
# WORKDIR (default a temporary directory, removed at exit unless KEEP_WORK or WORKDIR is set).
# Sets repo, sipp_dir, work and pids (killed at exit); bench_router_start starts them.
set -u
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
sipp_dir=$repo/server/src/test/resources/sipp
work=${WORKDIR:-$(mktemp -d)}
mkdir -p "$work"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; sleep 1; [ -n "${KEEP_WORK:-}${WORKDIR:-}" ] && echo "kept $work" || rm -rf "$work"; }
trap cleanup EXIT
command -v sipp >/dev/null || { echo "sipp not found: apt-get install sip-tester"; exit 2; }
[ -f "$repo/server/target/router.jar" ] || { echo "build first: mvn -B -DskipTests package"; exit 2; }

# bench_router_start BASE: writes $work/bench.yaml, starts the router (ROUTER_JAVA_OPTS as
# ./router takes them; its log in $work/router.log) and the handlers, and returns once the
# router listens (exits when it does not within 3 minutes).
bench_router_start() {
  local base=$1
  sed -e "s#./data/bench#$work/data#" -e "s#udp:127.0.0.1:5060#udp:127.0.0.1:$base#" \
      -e "s#127.0.0.1:5080#127.0.0.1:$((base + 1))#" -e "s#127.0.0.1:5081#127.0.0.1:$((base + 2))#" \
      -e "s#^  health: { enabled: false }#  health: { enabled: false }\n  admin: { listen: \"127.0.0.1:$((base + 80))\" }#" \
      "$repo/config/bench.yaml" > "$work/bench.yaml"
  "$repo/router" serve --config "$work/bench.yaml" > "$work/router.log" 2>&1 &
  pids+=($!)
  local p
  for p in $((base + 1)) $((base + 2)); do
    sipp -sf "$sipp_dir/uas.xml" -i 127.0.0.1 -p $p -mp $((base + 10 * (p - base))) -nostdin -bg >/dev/null 2>&1
    pids+=($(pgrep -f "uas.xml -i 127.0.0.1 -p $p "))
  done
  for _ in $(seq 1 1800); do grep -q "router listening" "$work/router.log" && return 0; sleep 0.1; done
  echo "router did not start:"; cat "$work/router.log"; exit 1
}
