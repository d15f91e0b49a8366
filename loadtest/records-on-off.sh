#!/usr/bin/env bash
# Call rate with call records, webhooks and metrics on versus off (issue 5), side by side:
# at each rate SIPp places calls through the router without them ("off") and through the
# router with them ("on"), in alternating order, both running at once on their own ports and
# data directories.
#
#   loadtest/records-on-off.sh [RATES] [SECONDS_PER_STEP] [BASE]
#
# off: the router as of git commit BASE (default c2cb8d3: the B2BUA before issue 5, which
#      passes CallEvents.NONE / MessageCounters.NONE), on udp:127.0.0.1:48060.
# on:  this checkout's router on udp:127.0.0.1:48064 with the journal (fsync every 100 ms),
#      a campaign webhook on every event (started, selected, answered, ended, converted) whose
#      `when` criterion never holds (so each event is checked but no HTTP is sent), and
#      /metrics on 127.0.0.1:48080 scraped every 5 s as Prometheus would.
# Each line also gives the router process's CPU time (user + system, from /proc) per call placed.
# Both: config/bench.yaml's routing; handlers are two SIPp UAS on 127.0.0.1:48061 (first) and
# :48062 (fallback); the UAC is uac.xml from ../shared/bench/sipp. Prints a line per rate and
# router, the highest clean rate of each (no failed call, >= 95% of the offered rate
# achieved) and their ratio, then checks that the "on" journal holds every call it answered.
# Both routers run with ROUTER_JAVA_OPTS (default: the serving defaults of ./router).
# Loopback only, ports 48060-48399; every step bounded in calls and time.
set -u
rates=${1:-"1000 2000 3000 4000 5000 6000"}
secs=${2:-5}
base=${3:-c2cb8d3}
repo=$(cd "$(dirname "$0")/.." && pwd)
sipp_dir=$repo/server/src/test/resources/sipp
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; sleep 1; rm -rf "$work"; }
trap cleanup EXIT
command -v sipp >/dev/null || { echo "sipp not found: apt-get install sip-tester"; exit 2; }
# The same JVM for both: BASE's launcher predates the serving defaults of this one.
export ROUTER_JAVA_OPTS=${ROUTER_JAVA_OPTS:-"-XX:+UseZGC -Xms2g -Xmx2g -XX:+AlwaysPreTouch"}

echo "building this checkout and $base ..." >&2
(cd "$repo" && mvn -q -o -B -DskipTests -pl server -am package) > "$work/build.log" 2>&1 || { cat "$work/build.log"; echo "build failed"; exit 1; }
mkdir -p "$work/base"
git -C "$repo" archive "$base" | tar -x -C "$work/base"
(cd "$work/base" && mvn -q -o -B -DskipTests -pl server -am package) > "$work/build.log" 2>&1 || { cat "$work/build.log"; echo "build of $base failed"; exit 1; }

config() { # name port extra-server extra-campaign
  cat > "$work/$1.yaml" <<EOF
default_region: US
server:
  data_dir: $work/data-$1
  sip:
    listen: ["udp:127.0.0.1:$2"]
  health: { enabled: false }
$3
sources:
  - id: bench
handlers:
  - { id: bench-primary, uri: "sip:127.0.0.1:48061", priority: 1 }
  - { id: bench-fallback, uri: "sip:127.0.0.1:48062", priority: 2 }
campaigns:
  - id: bench
    handlers: [bench-primary, bench-fallback]
$4
numbers:
  - { number: "18005550100", campaign: bench, source: bench }
EOF
}
config off 48060 '  admin: { listen: "127.0.0.1:48081" }' ''
config on 48064 '  admin: { listen: "127.0.0.1:48080" }
  records: { fsync_interval_ms: 100 }' '    webhooks:
      - on: [started, selected, answered, ended, converted]
        url: "http://127.0.0.1:48099/hook/[call_id]"
        when: ["caller_state == ZZ"]'

declare -A rpid
start_router() { # name launcher-dir
  "$2/router" serve --config "$work/$1.yaml" > "$work/$1.log" 2>&1 &
  pids+=($!)
  rpid[$1]=$!
  for _ in $(seq 1 360); do grep -q "router listening" "$work/$1.log" && return 0; sleep 0.5; done
  echo "$1 did not start:"; cat "$work/$1.log"; exit 1
}
start_router off "$work/base"
start_router on "$repo"
for p in 48061 48062; do
  sipp -sf "$sipp_dir/uas.xml" -i 127.0.0.1 -p $p -mp $((48200+(p-48061)*100)) -nostdin -bg >/dev/null 2>&1
done
sleep 1
for p in $(pgrep -f "uas.xml -i 127.0.0.1 -p 4806[12]"); do pids+=("$p"); done
( while true; do curl -s -o /dev/null http://127.0.0.1:48080/metrics; sleep 5; done ) &
pids+=($!)

uac_port=48063 uac_media_port=48400
. "$repo/loadtest/bench/on-off-steps.sh"
# Warm both JVMs up (JIT) before measuring.
step off 48060 1000 > "$work/warmup.txt"
step on 48064 1000 >> "$work/warmup.txt"
step off 48060 2000 >> "$work/warmup.txt"
step on 48064 2000 >> "$work/warmup.txt"
alternate "$rates" 48060 48064 | tee "$work/results.txt"
best_rates "$work/results.txt"
sleep 2
placed=$(cat "$work/warmup.txt" "$work/results.txt" | awk '$1=="on"{split($3,a,"="); split($4,b,"="); s+=a[2]+b[2]} END{print s+0}')
lines=$(cat "$work"/data-on/journal/calls-*.jsonl 2>/dev/null | wc -l)
echo "on: calls SIPp completed or failed=$placed, journal lines=$lines (records of every call, lost ones included)"
curl -s http://127.0.0.1:48080/metrics | grep -E '^(records_dropped_total|records_pending|calls_total|journal_lines_written_total|b2bua_active_calls)'
