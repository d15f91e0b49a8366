#!/usr/bin/env bash
# Call rate with the lead store on versus off (issue 12): at each rate SIPp places calls through
# a router whose journal is ingested into the embedded DuckDB store ("on") and through one with
# `server.store.enabled: false` ("off"), in alternating order, both this checkout, both running at
# once on their own ports and data directories. The "on" router's ingest runs while the calls
# flow; at the end the script waits for it to catch up and prints leads_ingested_total and the
# lag. Prints a line per rate and router and the highest clean rate of each (no failed call,
# >= 95% of the offered rate achieved) and their ratio (the goal: on within 5% of off).
#
#   loadtest/store-on-off.sh [RATES] [SECONDS_PER_STEP]
#
# Handlers: a SIPp UAS per router; the UAC is uac.xml (server/src/test/resources/sipp). Both
# routers run with ROUTER_JAVA_OPTS (default: ZGC, 2 GB heap). Loopback only, ports 47400-47699;
# every step bounded in calls and time. STORE_OPTS adds store settings to both (", threads: 1").
set -u
rates=${1:-"1500 2000 2500 3000 3500"}
secs=${2:-10}
repo=$(cd "$(dirname "$0")/.." && pwd)
sipp_dir=$repo/server/src/test/resources/sipp
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; sleep 1; [ -n "${KEEP_WORK:-}" ] && echo "kept $work" || rm -rf "$work"; }
trap cleanup EXIT
command -v sipp >/dev/null || { echo "sipp not found: apt-get install sip-tester"; exit 2; }
export ROUTER_JAVA_OPTS=${ROUTER_JAVA_OPTS:-"-XX:+UseZGC -Xms2g -Xmx2g -XX:+AlwaysPreTouch"}

echo "building this checkout ..." >&2
(cd "$repo" && mvn -q -o -B -DskipTests -pl server -am package) > "$work/build.log" 2>&1 || { cat "$work/build.log"; echo "build failed"; exit 1; }

config() { # name sip-port admin-port handler-port store-enabled
  cat > "$work/$1.yaml" <<YAML
default_region: US
server:
  data_dir: $work/data-$1
  sip:
    listen: ["udp:127.0.0.1:$2"]
  health: { enabled: false }
  admin: { listen: "127.0.0.1:$3" }
  records: { fsync_interval_ms: 100 }
  store: { enabled: $5${STORE_OPTS:-} }
sources:
  - id: bench
handlers:
  - { id: bench-primary, uri: "sip:127.0.0.1:$4" }
campaigns:
  - id: bench
    handlers: [bench-primary]
numbers:
  - { number: "18005550100", campaign: bench, source: bench }
YAML
}
config off 47400 47401 47402 false
config on 47410 47411 47412 true

declare -A rpid
start_router() { # name
  "$repo/router" serve --config "$work/$1.yaml" > "$work/$1.log" 2>&1 &
  pids+=($!)
  rpid[$1]=$!
  for _ in $(seq 1 360); do grep -q "router listening" "$work/$1.log" && return 0; sleep 0.5; done
  echo "$1 did not start:"; cat "$work/$1.log"; exit 1
}
start_router off
start_router on
for p in 47402 47412; do
  sipp -sf "$sipp_dir/uas.xml" -i 127.0.0.1 -p $p -mp $((47500 + (p - 47402) * 5)) -nostdin -bg >/dev/null 2>&1
done
sleep 1
for p in $(pgrep -f "uas.xml -i 127.0.0.1 -p 474[01]2"); do pids+=("$p"); done

uac_port=47600 uac_media_port=47610
. "$repo/loadtest/bench/on-off-steps.sh"
metric() { curl -s "http://127.0.0.1:47411/metrics" | awk -v m="$1" 'index($0, m) == 1 {print $NF; exit}'; }
# Warm both JVMs up (JIT) before measuring.
step off 47400 1000 > "$work/warmup.txt"
step on 47410 1000 >> "$work/warmup.txt"
ingested() { echo "   on: leads_ingested_total{kind=call}=$(metric 'leads_ingested_total{kind="call"') lag_bytes=$(metric leads_ingest_lag_bytes)"; }
alternate "$rates" 47400 47410 ingested | tee "$work/results.txt"
best_rates "$work/results.txt"
lines=$(cat "$work"/data-on/journal/calls-*.jsonl 2>/dev/null | wc -l)
start=$(date +%s)
while [ "$(metric leads_ingest_lag_bytes)" != "0.0" ] && [ $(( $(date +%s) - start )) -lt 600 ]; do sleep 1; done
echo "on: journal call lines=$lines, stored=$(metric 'leads_ingested_total{kind="call"'), caught up $(( $(date +%s) - start )) s after the last step"
