#!/usr/bin/env bash
# The public tracking listener under load (issue 11): session creation and renewal over real
# HTTP on loopback with wrk (loadtest/bench/tracking.lua), and the SIP call rate through the same
# router with and without that HTTP load (loadgen's max-rate ramp).
#
#   loadtest/bench/tracking-http.sh
#
# Starts `./router serve` on a generated configuration (config/bench.yaml's SIP routing plus a
# pool of 50,000 numbers for visitors coming and going and one of 200,000 for the runs of
# creations only, the tracking listener on 127.0.0.1:8290 with the rate limits and the
# per-address session cap raised out of the way: every wrk connection comes from 127.0.0.1),
# then runs, printing each tool's own output:
#   1. wrk warm-up, 10 s, mixed (not reported)
#   2. wrk mixed: visitors coming and going (of 10 requests: a new visitor, a release, four
#      renewals, four pages asking again with their session), DURATION
#   3. wrk create: every request a new visitor taking a number, 3 s of warm-up, then 5 s
#      measured (the pool has 200,000 numbers, enough for both at up to 25,000 a second)
#   4. SIP through the router with loadgen (steady 1,000 calls/s for 30 s, then the max-rate
#      ramp), alone, then again with wrk mixed paced by PACE_MS per connection running beside
#      it (SIP=0 skips this)
# and the router's CPU time. Env: WORKDIR (/tmp/tracking-http), DURATION (20s), THREADS (1),
# CONNECTIONS (32), PACE_MS (1), STEADY (30s), STEPS (1000,2000,3000,4000,5000,6000,8000), STEP (5s),
# ROUTER_JAVA_OPTS. Loopback only; ports 5260 (SIP), 5280/5281 (handlers), 8280 (admin), 8290.
set -u
home=$(cd "$(dirname "$0")/../.." && pwd)
work=${WORKDIR:-/tmp/tracking-http}
duration=${DURATION:-20s}
threads=${THREADS:-1}
connections=${CONNECTIONS:-32}
pace=${PACE_MS:-1}
steps=${STEPS:-1000,2000,3000,4000,5000,6000,8000}
step=${STEP:-5s}
lua="$home/loadtest/bench/tracking.lua"
url=http://127.0.0.1:8290
mkdir -p "$work"
cd "$home" || exit 2

# The create runs drain a pool of 200,000 (+1 800 600-0000 .. 619-9999: one number a request);
# the mixed runs keep their occupancy about level in a pool of 50,000 (+1 800 620-0000 .. 624-9999;
# each wrk run leaves its last visitors holding numbers until their lease ends).
seq 6000000 6199999 | sed "s/^/+1800/" >"$work/create-pool.txt"
seq 6200000 6249999 | sed "s/^/+1800/" >"$work/web-pool.txt"
cat >"$work/router.yaml" <<YAML
default_region: US
server:
  data_dir: $work/data
  sip:
    listen: ["udp:127.0.0.1:5260"]
  health: { enabled: false }
  stores: { max_sessions: 400000 }
  admin: { listen: "127.0.0.1:8280", token: "bench-admin-token-0123" }
  tracking:
    listen: 127.0.0.1:8290
    max_sessions_per_address: 1000000
    rate: { per_address_per_second: 1000000, per_address_burst: 1000000, per_pool_per_second: 1000000, per_pool_burst: 1000000 }
sources: [ { id: bench } ]
handlers:
  - { id: bench-primary, uri: "sip:127.0.0.1:5280", priority: 1 }
  - { id: bench-fallback, uri: "sip:127.0.0.1:5281", priority: 2 }
campaigns:
  - id: bench
    handlers: [bench-primary, bench-fallback]
    pools:
      - id: bench-web
        numbers_file: web-pool.txt
        source: bench
        allowed_origins: ["https://bench.example"]
      - id: bench-create
        numbers_file: create-pool.txt
        source: bench
        allowed_origins: ["https://bench.example"]
numbers:
  - { number: "18005550100", campaign: bench, source: bench }
YAML

rm -rf "$work/data"
./router serve --config "$work/router.yaml" >"$work/router.log" 2>&1 &
launcher=$!
for _ in $(seq 1 1800); do
  grep -q "router listening" "$work/router.log" && break
  kill -0 $launcher 2>/dev/null || { cat "$work/router.log"; exit 1; }
  sleep 0.1
done
pid=$(pgrep -f "router.jar serve --config $work/router.yaml" | head -n 1)
echo "router pid $pid"
grep "tracking HTTP on" "$work/router.log"
echo "other processes' CPU at the start (top, 1 s):"
top -b -n 2 -d 1 | awk '/^top -/{n++} n==2' | sed -n '1,3p;7,12p'

# Every 5 s, the processes using CPU (to tell later what else ran on the VM during the run).
top -b -c -w 512 -d 5 >"$work/top.txt" 2>&1 &
top_pid=$!

run_wrk() { # MODE DURATION [PACE]
  local pool=bench-web
  [ "$1" = create ] && pool=bench-create
  wrk -t"$threads" -c"$connections" -d"$2" --latency -s "$lua" "$url" -- "$1" "$pool" "${3:-0}"
}

echo "== warm-up (10 s, mixed)"
run_wrk mixed 10s >/dev/null
echo "== mixed: 10% new visitors, 10% leave, 40% renew, 40% pages with their session; $duration," \
  "$threads thread(s), $connections connections"
run_wrk mixed "$duration"
echo "== create warm-up (3 s, not reported)"
run_wrk create 3s >/dev/null
echo "== create: a new visitor per request, 5 s"
run_wrk create 5s
curl -s -H "Authorization: Bearer bench-admin-token-0123" http://127.0.0.1:8280/v1/pools; echo

if [ "${SIP:-1}" != 0 ]; then
  sip() { # NAME: steady 1,000 calls/s for 30 s, then the max-rate ramp
    ./loadgen run --target 127.0.0.1:5260 --handlers 5280,5281 --rate 1000 --duration "${STEADY:-30s}" --hold 0 \
      --summary "$work/$1-steady.json" | tee "$work/$1-steady.txt"
    ./loadgen run --target 127.0.0.1:5260 --handlers 5280,5281 --scenario max-rate --ramp "$steps" --step "$step" \
      --summary "$work/$1-ramp.json" | tee "$work/$1-ramp.txt"
  }
  echo "== SIP alone (tracking listener idle): steady 1,000 calls/s, then max-rate ramp"
  sip sip-alone
  echo "== SIP with wrk mixed beside it (paced ${pace} ms per request per connection)"
  # wrk itself in the background (not through a function: a subshell would not pass SIGINT on)
  wrk -t"$threads" -c"$connections" -d300s --latency -s "$lua" "$url" -- mixed bench-web "$pace" \
    >"$work/wrk-beside.txt" 2>&1 &
  wrk_pid=$!
  sleep 3
  sip sip-with-http
  kill -INT $wrk_pid 2>/dev/null
  wait $wrk_pid
  echo "wrk beside SIP:"
  cat "$work/wrk-beside.txt"
fi

ticks=$(getconf CLK_TCK)
read -r utime stime < <(awk '{print $14, $15}' "/proc/$pid/stat")
echo "router: CPU $(( (utime + stime) / ticks )) s (user $(( utime / ticks )), system $(( stime / ticks )))"
kill -TERM "$pid"
wait $launcher
echo "router exit status $?"
kill "$top_pid"
echo "processes other than the router, wrk and loadgen above 20% CPU in a 5 s sample (count, command):"
awk -v router="$pid" '$1 ~ /^[0-9]+$/ && $9 + 0 > 20 && $1 != router && !/ wrk | top |loadgen/ {
  cmd = ""; for (i = 12; i <= NF && i < 15; i++) cmd = cmd " " $i; print substr(cmd, 1, 90) }' \
  "$work/top.txt" | sort | uniq -c | sort -rn | head
