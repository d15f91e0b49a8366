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
# every step bounded in calls and time.
set -u
rates=${1:-"1500 2000 2500 3000 3500"}
secs=${2:-10}
repo=$(cd "$(dirname "$0")/.." && pwd)
sipp_dir=$repo/server/src/test/resources/sipp
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; sleep 1; rm -rf "$work"; }
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
  store: { enabled: $5 }
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
  for _ in $(seq 1 120); do grep -q "router listening" "$work/$1.log" && return 0; sleep 0.5; done
  echo "$1 did not start:"; cat "$work/$1.log"; exit 1
}
start_router off
start_router on
for p in 47402 47412; do
  sipp -sf "$sipp_dir/uas.xml" -i 127.0.0.1 -p $p -mp $((47500 + (p - 47402) * 10)) -nostdin -bg >/dev/null 2>&1
done
sleep 1
for p in $(pgrep -f "uas.xml -i 127.0.0.1 -p 474[01]2"); do pids+=("$p"); done

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
step() { # name port rate
  local name=$1 tport=$2 r=$3 n=$(( $3 * secs )) start end cpu0 cpu1
  rm -f "$work/stat.csv"
  cpu0=$(cpu_ticks "${rpid[$name]}")
  start=$(date +%s.%N)
  (cd "$work" && timeout $((secs*4+20)) sipp 127.0.0.1:$tport -sf "$sipp_dir/uac.xml" -s 18005550100 -i 127.0.0.1 \
      -p 47600 -mp 47610 -r "$r" -m "$n" -l $((r*2)) -t u1 -trace_stat -stf stat.csv -fd 1 -nostdin \
      -timeout $((secs*4+10))s -max_recv_loops 10000 -max_sched_loops 10000 >/dev/null 2>&1)
  end=$(date +%s.%N)
  cpu1=$(cpu_ticks "${rpid[$name]}")
  python3 "$repo/loadtest/bench/sipp-verdict.py" "$name" "$r" "$start" "$end" "$work/stat.csv" \
      $(( (cpu1 - cpu0) * 1000 / $(getconf CLK_TCK) ))
}
metric() { curl -s "http://127.0.0.1:47411/metrics" | awk -v m="$1" 'index($0, m) == 1 {print $NF; exit}'; }
# Warm both JVMs up (JIT) before measuring.
step off 47400 1000 > "$work/warmup.txt"
step on 47410 1000 >> "$work/warmup.txt"
i=0
for r in $rates; do
  if [ $((i % 2)) -eq 0 ]; then
    step off 47400 "$r"; step on 47410 "$r"
  else
    step on 47410 "$r"; step off 47400 "$r"
  fi
  echo "   on: leads_ingested_total{kind=call}=$(metric 'leads_ingested_total{kind="call"') lag_bytes=$(metric leads_ingest_lag_bytes)"
  i=$((i + 1))
done | tee "$work/results.txt"
python3 - "$work/results.txt" <<'PY'
import sys
best = {}
for line in open(sys.argv[1]):
    f = line.split()
    if f and f[-1] == 'clean':
        best[f[0]] = max(best.get(f[0], 0), int(f[1].split('=')[1][:-3]))
off, on = best.get('off', 0), best.get('on', 0)
print(f"max clean rate: off={off}cps on={on}cps ratio={on / off if off else 0:.3f}")
PY
lines=$(cat "$work"/data-on/journal/calls-*.jsonl 2>/dev/null | wc -l)
start=$(date +%s)
while [ "$(metric leads_ingest_lag_bytes)" != "0.0" ] && [ $(( $(date +%s) - start )) -lt 600 ]; do sleep 1; done
echo "on: journal call lines=$lines, stored=$(metric 'leads_ingested_total{kind="call"'), caught up $(( $(date +%s) - start )) s after the last step"
