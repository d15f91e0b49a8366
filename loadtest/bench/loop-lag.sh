#!/usr/bin/env bash
# The SIP loop's worst lag per 10 s after a start (issue 18, goal 4): the router runs
# config/bench.yaml's routing with LoopLag at DEBUG, SIPp places RATE calls/s (uac.xml, two
# uas.xml handlers) for SECONDS from WAIT seconds after "router listening". Prints the start's
# phases, each 10 s window's worst lag of the SIP loop, the overload warnings and SIPp's
# failed calls.
#
#   loadtest/bench/loop-lag.sh [RATE] [SECONDS] [WAIT]
#
# COLD=1 drops the page cache first (as root), as after a reboot: the stores then open from
# disk and the warm-up competes with them for the cores. Loopback only, ports 48800-48899;
# the router's log is kept in WORKDIR (default a temporary directory, removed unless
# KEEP_WORK is set). The router takes ROUTER_JAVA_OPTS as ./router does.
rate=${1:-1000}
secs=${2:-60}
wait_s=${3:-20}
. "$(dirname "$0")/bench-router.sh"
if [ -n "${COLD:-}" ]; then sync; echo 3 > /proc/sys/vm/drop_caches; sleep 3; fi
ROUTER_JAVA_OPTS="${ROUTER_JAVA_OPTS:-} -Dlog.looplag=debug" bench_router_start 48800
sleep "$wait_s"
start=$(date -u +%H:%M:%S)
(cd "$work" && timeout $((secs + 60)) sipp 127.0.0.1:48800 -sf "$sipp_dir/uac.xml" -s 18005550100 -i 127.0.0.1 \
    -p 48803 -mp 48830 -r "$rate" -m $((rate * secs)) -l $((rate * 2)) -t u1 -nostdin -trace_stat -stf stat.csv \
    -fd 5 >/dev/null 2>&1)
sleep 11 # the window the last calls fell in ends
grep -E "StartPhases - start: (routing stores|waited for the warm-up)|router listening" "$work/router.log" \
    | sed -E 's/^([^ ]+) .* - /\1 /' | cut -c1-230
echo "calls from $start UTC; the SIP loop's worst lag per 10 s window, and overload warnings:"
grep -E "SIP loop: worst lag|behind its UDP sockets" "$work/router.log" \
    | awk -v s="$start" '{ t = substr($1, 12, 8); if (t >= s) print substr($1, 12, 12), $0 }' \
    | sed -E 's/ [^ ]+ (DEBUG|WARN) +\[[^]]*\] [^ ]+ - / /'
failed=$(python3 -c "import csv; r=list(csv.reader(open('$work/stat.csv'),delimiter=';')); print(dict(zip(r[0],r[-1]))['FailedCall(C)'])")
echo "rate $rate calls/s for $secs s, $wait_s s after listening; SIPp failed calls: $failed"
