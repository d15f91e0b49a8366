#!/usr/bin/env bash
# The first two minutes of a router (issue 16 part 2, issue 18 goal 4): starts `./router serve`
# on config/bench.yaml through through-router.sh, with the SIP loop's worst lag per 10 s logged
# (-Dlog.looplag=debug), and offers 1,000 calls/s from the moment it listens, with no warm-up of
# the generator's own, in 10 s steps. Prints, per run: how long after its process started the
# router listened and each start phase; per 10 s step the calls shed or failed and the
# router-added setup latency p50/p99/max; and the loop's worst lag per 10 s window.
#
#   loadtest/bench/startup.sh [RUNS] [STEPS]        # defaults: 1 run, 12 steps (2 minutes)
#
# The generator starts when the router listens, so it is as cold as the router: its figures include
# its own JIT and GC. Where tcpdump runs (as root), each run is also captured on the loopback and
# router-side.py prints the router's own share per 10 s from kernel timestamps at port 5060.
#
# Loopback only (the through-router.sh ports: 5060, handlers 5080/5081); output kept in WORKDIR
# (default /tmp/startup), one directory per run. ROUTER_JAVA_OPTS adds JVM options.
set -eu
runs=${1:-1}
steps=${2:-12}
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=${WORKDIR:-/tmp/startup}
ramp=$(printf '1000,%.0s' $(seq 1 "$steps")); ramp=${ramp%,}
for run in $(seq 1 "$runs"); do
  dir=$work/run$run
  mkdir -p "$dir"
  capture=
  if command -v tcpdump >/dev/null && [ "$(id -u)" = 0 ]; then
    tcpdump -i lo -s 700 -w "$dir/sip.pcap" 'udp port 5060' >"$dir/tcpdump.log" 2>&1 &
    capture=$!
    sleep 1
  fi
  launched=$(date +%s.%N)
  ROUTER_JAVA_OPTS="${ROUTER_JAVA_OPTS:-} -Dlog.looplag=debug" WORKDIR=$dir \
    "$repo/loadtest/bench/through-router.sh" startup -- --ramp "$ramp" --step 10s --warmup 0s -q >"$dir/run.txt" 2>&1
  echo "== run $run"
  # From the launch to the "listening" line's time stamp: also for builds that do not log it.
  listening=$(grep -m 1 "router listening" "$dir/startup-router.log" | cut -d' ' -f1)
  echo "  router listening $(python3 -c "import datetime, sys
t = datetime.datetime.fromisoformat(sys.argv[1].replace('Z', '+00:00')).timestamp()
print(round((t - float(sys.argv[2])) * 1000))" "$listening" "$launched") ms after the launch"
  sed -n 's/.* - start: /  /p' "$dir/startup-router.log"
  python3 - "$dir/startup.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
print("  step  offered  completed  shed  failed  added p50 ms  p99 ms  max ms")
for i, st in enumerate(s['steps']):
    a = st['routerAddedMs']
    print(f"  {i + 1:4d} {st['offeredCps']:8.0f} {st['completed']:10d} {st['shed']:5d} {st['failed']:7d}"
          f" {a['p50']:13.2f} {a['p99']:7.2f} {a['max']:7.1f}")
PY
  echo "  SIP loop, worst lag per 10 s (ms):" \
    "$(sed -n 's/.*SIP loop: worst lag \([0-9.]*\) ms.*/\1/p' "$dir/startup-router.log" | head -n "$steps" | tr '\n' ' ')"
  grep -h "router: CPU\|router GC" "$dir/run.txt" | sed 's/^/  /'
  if [ -n "$capture" ]; then
    kill "$capture" || true; wait "$capture" 2>/dev/null || true
    "$repo/loadtest/bench/router-side.py" "$dir/sip.pcap" | sed 's/^/  /'
  fi
done
