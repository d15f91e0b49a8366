#!/usr/bin/env bash
# Bytes allocated per call by the router's threads, and where the SIP loop allocates them
# (issue 18, goal 2): the router runs config/bench.yaml's routing with a JFR recording
# (settings=profile, started by jcmd) of SECONDS, taken after WARMUP seconds of calls; SIPp places RATE calls/s
# (uac.xml, two uas.xml handlers) throughout. Prints loadtest/bench/jfr-alloc.py's table.
#
#   loadtest/bench/alloc-per-call.sh [RATE] [SECONDS] [WARMUP]
#
# Loopback only, ports 48700-48799; the recording is kept in WORKDIR (default a temporary
# directory, removed unless KEEP_WORK is set). The router takes ROUTER_JAVA_OPTS as ./router does.
rate=${1:-500}
secs=${2:-30}
warmup=${3:-30}
. "$(dirname "$0")/bench-router.sh"
rm -f "$work/alloc.jfr"
bench_router_start 48700
# SIPp runs from "listening" until after the recording, which jcmd starts after WARMUP seconds.
total=$((warmup + secs + 10))
(cd "$work" && timeout $((total + 60)) sipp 127.0.0.1:48700 -sf "$sipp_dir/uac.xml" -s 18005550100 -i 127.0.0.1 \
    -p 48703 -mp 48730 -r "$rate" -m $((rate * total)) -l $((rate * 2)) -t u1 -nostdin -trace_stat -stf stat.csv \
    -fd 5 >/dev/null 2>&1) &
sipp_pid=$!
sleep "$warmup"
jcmd "${pids[0]}" JFR.start name=alloc settings=profile duration="${secs}s" filename="$work/alloc.jfr" >/dev/null
wait "$sipp_pid"
failed=$(python3 -c "import csv,sys; r=list(csv.reader(open('$work/stat.csv'),delimiter=';')); print(dict(zip(r[0],r[-1]))['FailedCall(C)'])")
echo "rate $rate calls/s, recording ${secs} s after ${warmup} s of calls; SIPp failed calls: $failed"
python3 "$repo/loadtest/bench/jfr-alloc.py" "$work/alloc.jfr" $((rate * secs)) sip-loop 15
