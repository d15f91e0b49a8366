#!/usr/bin/env bash
# Inbound call rate while lost-call callbacks are being placed versus while none are (issue 13):
# one router, at each rate one SIPp step of inbound calls while nothing else runs ("off") and one
# while the router places 100 callbacks/s ("on"), in alternating order. The goal: the highest
# clean "on" rate within 10% of the "off" one.
#
#   loadtest/callbacks-on-off.sh [RATES] [SECONDS_PER_STEP] [CALLBACKS_PER_SECOND]
#
# Callbacks are made ahead of each "on" step: SIPp places CALLBACKS_PER_SECOND short calls per
# second (bench/uac-caller.xml, each from a caller of its own) to the campaign `lost`, whose
# callback takes `short` calls and waits `interval` (STEP + 12 s) before its one try; the "on"
# step starts 2 s after the first try is due and ends before the last, so while SIPp measures, the
# router is placing callbacks and nothing is seeding them. A try rings the `agent` handler (SIPp
# UAS), calls the customer through the trunk (a SIPp UAS) and joins them; both legs end at
# server.sip.max_call_duration_seconds (3 s) with the router's BYE. Each "on" line is followed by
# the callbacks placed per second during the step (callback_attempts_total); the script waits for
# every callback to end (callbacks_live 0) before the next step, and at the end prints scheduled,
# attempted, connected and gave-up counts.
#
# Inbound calls: uac.xml to 18005550100 (campaign `bench`, one SIPp UAS handler). The router runs
# with ROUTER_JAVA_OPTS (default: ZGC, 2 GB heap) and the lead store off (it is the same in both
# steps). Loopback only, ports 48600-48699; every step bounded in calls and time.
set -u
rates=${1:-"2500 3000 3500 4000 4500"}
secs=${2:-8}
cps=${3:-100}
interval=$((secs + 12))
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

cat > "$work/router.yaml" <<YAML
default_region: US
server:
  data_dir: $work/data
  sip:
    listen: ["udp:127.0.0.1:48600"]
    max_call_duration_seconds: 3
  health: { enabled: false }
  admin: { listen: "127.0.0.1:48680" }
  records: { fsync_interval_ms: 100 }
  store: { enabled: false }
sources:
  - id: bench
handlers:
  - { id: bench-primary, uri: "sip:127.0.0.1:48601", timeout_seconds: 2 }
  - { id: agent, uri: "sip:127.0.0.1:48602", timeout_seconds: 2 }
trunks:
  - { id: carrier, uri: "sip:127.0.0.1:48603", caller_id: "+18005550199", max_concurrent: 5000, ring_timeout_seconds: 5 }
campaigns:
  - id: bench
    handlers: [bench-primary]
  - id: lost
    handlers: [agent]
    callback: { enabled: true, on: [short], short_under_seconds: 60, attempts: 1, intervals: [${interval}s], trunk: carrier }
numbers:
  - { number: "18005550100", campaign: bench, source: bench }
  - { number: "18005550199", campaign: lost, source: bench }
YAML
# One caller per seeded call (a caller has one live callback per campaign): +1 212 200 0000 on.
seed_calls=$((cps * (secs + 6)))
{ echo SEQUENTIAL; for i in $(seq 0 $((seed_calls - 1))); do printf '+1212%07d;\n' $((2000000 + i)); done; } > "$work/callers.csv"

"$repo/router" serve --config "$work/router.yaml" > "$work/router.log" 2>&1 &
pids+=($!)
declare -A rpid
rpid[off]=$! rpid[on]=$!
for _ in $(seq 1 360); do grep -q "router listening" "$work/router.log" && break; sleep 0.5; done
grep -q "router listening" "$work/router.log" || { echo "router did not start:"; cat "$work/router.log"; exit 1; }
for p in 48601 48602 48603; do
  sipp -sf "$sipp_dir/uas.xml" -i 127.0.0.1 -p $p -mp $((48610 + (p - 48601) * 10)) -nostdin -bg >/dev/null 2>&1
done
sleep 1
for p in $(pgrep -f "uas.xml -i 127.0.0.1 -p 4860[123]"); do pids+=("$p"); done

uac_port=48604 uac_media_port=48640
. "$repo/loadtest/bench/on-off-steps.sh"
metric() { curl -s "http://127.0.0.1:48680/metrics" | awk -v m="$1" 'index($0, m) == 1 {s += $NF} END {printf "%d", s}'; }

# Seeds the lost calls, waits until their tries are due, then measures inbound calls at RATE.
with_callbacks() { # rate
  local t0 a0 a1 s0 s1
  t0=$(date +%s)
  (cd "$work" && timeout $((secs * 4 + 30)) sipp 127.0.0.1:48600 -sf "$repo/loadtest/bench/uac-caller.xml" \
      -inf "$work/callers.csv" -s 18005550199 -i 127.0.0.1 -p 48605 -mp 48650 -r "$cps" -m "$seed_calls" \
      -l $((cps * 2)) -t u1 -nostdin -timeout $((secs * 4 + 20))s >/dev/null 2>&1)
  while [ "$(date +%s)" -lt $((t0 + interval + 2)) ]; do sleep 0.2; done
  a0=$(metric callback_attempts_total) s0=$(date +%s.%N)
  step on 48600 "$1"
  a1=$(metric callback_attempts_total) s1=$(date +%s.%N)
  echo "   on: callbacks placed during the step: $((a1 - a0)) ($(python3 -c "print(round(($a1 - $a0) / ($s1 - $s0)))")/s)"
  for _ in $(seq 1 60); do [ "$(metric callbacks_live)" = 0 ] && break; sleep 1; done
  sleep 4 # the last callbacks' legs end at max_call_duration_seconds
}
rate_pair() { # rate index
  if [ $(($2 % 2)) -eq 0 ]; then step off 48600 "$1"; with_callbacks "$1"; else with_callbacks "$1"; step off 48600 "$1"; fi
}

# Warm the JVM up (JIT) on both paths before measuring.
{ step off 48600 1000; step off 48600 2000; with_callbacks 1000; } > "$work/warmup.txt"
cat "$work/warmup.txt" >&2
i=0
for r in $rates; do rate_pair "$r" $i; i=$((i + 1)); done | tee "$work/results.txt"
best_rates "$work/results.txt"
echo "callbacks: scheduled=$(metric callbacks_scheduled_total) attempted=$(metric callback_attempts_total)" \
     "connected=$(metric callbacks_connected_total) gave_up=$(metric callbacks_gave_up_total)" \
     "live=$(metric callbacks_live) trunk_failures=$(metric trunk_failures_total)"
