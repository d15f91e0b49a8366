#!/usr/bin/env bash
# One router with its handlers' caps kept locally, then the same router with them in Redis
# (`cluster:`, issue 16 part 3), in one run: config/bench.yaml with a concurrency and a daily cap
# on both handlers (so every call takes a cap slot; the caps never fill), loadgen's steady-1000
# for setup latency, then its max-rate ramp for the highest clean rate, each through
# through-router.sh. Starts its own redis-server on 127.0.0.1:$REDIS_PORT (default 62990).
#
#   loadtest/bench/shared-state-on-off.sh
#
# Loopback only (through-router.sh's ports); output in WORKDIR (default /tmp/shared-state).
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=${WORKDIR:-/tmp/shared-state}
port=${REDIS_PORT:-62990}
ramp=${RAMP:-1000,2000,3000,4000,5000,6000,7000}
mkdir -p "$work"
command -v redis-server >/dev/null || { echo "redis-server not found: apt-get install redis-server"; exit 2; }
redis-server --bind 127.0.0.1 --port "$port" --save "" --appendonly no >"$work/redis.log" 2>&1 &
redis=$!
trap 'kill $redis 2>/dev/null' EXIT
for mode in local redis; do
  sed -e "s#./data/bench#$work/data-$mode#" \
      -e 's#\(uri: "sip:127.0.0.1:508[01]", priority: [12]\)#\1, caps: { concurrency: 1000000, daily: 1000000000 }#' \
      "$repo/config/bench.yaml" >"$work/$mode.yaml"
  if [ "$mode" = redis ]; then
    printf '\ncluster: { redis: "redis://127.0.0.1:%s", node_id: bench, nodes: 1 }\n' "$port" >>"$work/$mode.yaml"
  fi
  "$repo/router" check-config "$work/$mode.yaml" >/dev/null
  grep -q "caps:" "$work/$mode.yaml" || { echo "the handlers of $work/$mode.yaml have no caps"; exit 1; }
  (cd "$repo" && WORKDIR=$work/$mode loadtest/bench/through-router.sh steady "$work/$mode.yaml" \
      -- --scenario steady-1000 --duration 20s -q >/dev/null 2>&1)
  (cd "$repo" && WORKDIR=$work/$mode loadtest/bench/through-router.sh ramp "$work/$mode.yaml" \
      -- --scenario max-rate --ramp "$ramp" --step 5s -q >/dev/null 2>&1)
  python3 - "$mode" "$work/$mode/steady.json" "$work/$mode/ramp.json" <<'PY'
import json, sys
mode, steady, ramp = sys.argv[1], json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
t, a = steady['total'], steady['total']['routerAddedMs']
print(f"{mode:6s} steady 1000/s: {t['completed']} completed, {t['shed']} shed, {t['failed']} failed;"
      f" router added p50 {a['p50']:.2f} ms, p99 {a['p99']:.2f} ms, p99.9 {a['p999']:.2f} ms;"
      f" max clean rate {ramp.get('maxCleanCps')} calls/s")
PY
done
