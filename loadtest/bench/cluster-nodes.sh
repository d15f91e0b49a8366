#!/usr/bin/env bash
# One router behind Kamailio, then two (issue 16 part 3), in one run: config/cluster/start.sh
# starts N routers on config/bench.yaml's routing (each its own data directory, SIP port and
# 512 MiB heap) behind the cluster's Kamailio dispatcher on 127.0.0.1:$SIP_PORT (default 5170),
# and loadgen's max-rate ramp goes through Kamailio to its handlers on 5080/5081. Prints the
# highest clean rate for each N and the CPU each process took. The ramp starts SETTLE seconds
# (default 20) after the cluster is ready. Also prints, for the routers and for Kamailio, how long
# their threads waited for a core per second of CPU they got in the ramp (schedstat).
#
#   loadtest/bench/cluster-nodes.sh ["1 2"]
#
# Loopback only; output in WORKDIR (default /tmp/cluster-nodes). RAMP overrides the rates.
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=${WORKDIR:-/tmp/cluster-nodes}
port=${SIP_PORT:-5170}
ramp=${RAMP:-1000,2000,3000,4000,5000,6000}
counts=${1:-1 2}
mkdir -p "$work"
sched() { # pids -> CPU run time and run-queue wait of all their threads so far, ns (/proc/PID/task/*/schedstat)
  for p in "$@"; do cat /proc/"$p"/task/*/schedstat 2>/dev/null; done | awk '{ r += $1; w += $2 } END { printf "%.0f %.0f", r, w }'
}
waited() { # "run wait" before, "run wait" after -> run-queue wait per CPU second in between
  echo "$1 $2" | awk '{ r = $3 - $1; printf "%.1f", (r > 0 ? ($4 - $2) / r : 0) }'
}
cpu() { # pid -> CPU seconds of the process so far
  awk -v t="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / t }' "/proc/$1/stat" 2>/dev/null || echo "?"
}
for n in $counts; do
  rm -rf "$work/n$n"
  "$repo/config/cluster/start.sh" --nodes "$n" --config "$repo/config/bench.yaml" --sip-port "$port" \
      --base-port 5200 --work "$work/n$n" >"$work/n$n.log" 2>&1 &
  cluster=$!
  for _ in $(seq 1 600); do
    grep -q "cluster ready" "$work/n$n.log" && break
    kill -0 $cluster 2>/dev/null || { cat "$work/n$n.log"; exit 1; }
    sleep 0.5
  done
  grep -q "cluster ready" "$work/n$n.log" || { echo "cluster of $n not ready"; cat "$work/n$n.log"; exit 1; }
  sleep "${SETTLE:-20}" # the capacity of running routers, not their first seconds (startup.sh measures those)
  routers=$(pgrep -f "router.jar serve --config $work/n$n/" | tr '\n' ' ')
  kamailio=$(pgrep -f "kamailio -f $repo/config/cluster/kamailio.cfg" | tr '\n' ' ')
  # shellcheck disable=SC2086
  routers_before=$(sched $routers); kamailio_before=$(sched $kamailio)
  (cd "$repo" && ./loadgen run --target "127.0.0.1:$port" --handlers 5080,5081 --scenario max-rate \
      --ramp "$ramp" --step 5s --summary "$work/n$n.json" -q >"$work/n$n.txt" 2>&1) || true
  # Seconds spent runnable but waiting for a core, per second of CPU, in the ramp: on a machine
  # with cores to spare it is near 0; each process of a saturated one waits its turn.
  # shellcheck disable=SC2086
  echo "$n router(s): run-queue wait per CPU second in the ramp: routers $(waited "$routers_before" "$(sched $routers)"), kamailio $(waited "$kamailio_before" "$(sched $kamailio)")"
  echo "$n router(s): max clean rate $(python3 -c "import json,sys; print(json.load(open(sys.argv[1])).get('maxCleanCps'))" \
      "$work/n$n.json") calls/s; CPU s: routers $(for p in $routers; do printf '%s ' "$(cpu "$p")"; done)kamailio (all its processes) $(for p in $kamailio; do cpu "$p"; echo; done | awk '{ t += $1 } END { printf "%.1f", t }')"
  kill -TERM $cluster
  wait $cluster 2>/dev/null || true
done
