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
set -u
rate=${1:-500}
secs=${2:-30}
warmup=${3:-30}
repo=$(cd "$(dirname "$0")/../.." && pwd)
sipp_dir=$repo/server/src/test/resources/sipp
work=${WORKDIR:-$(mktemp -d)}
mkdir -p "$work"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; sleep 1; [ -n "${KEEP_WORK:-}${WORKDIR:-}" ] && echo "kept $work" || rm -rf "$work"; }
trap cleanup EXIT
command -v sipp >/dev/null || { echo "sipp not found: apt-get install sip-tester"; exit 2; }
[ -f "$repo/server/target/router.jar" ] || { echo "build first: mvn -B -DskipTests package"; exit 2; }

sed -e "s#./data/bench#$work/data#" -e 's#udp:127.0.0.1:5060#udp:127.0.0.1:48700#' \
    -e 's#127.0.0.1:5080#127.0.0.1:48701#' -e 's#127.0.0.1:5081#127.0.0.1:48702#' \
    -e 's#^  health: { enabled: false }#  health: { enabled: false }\n  admin: { listen: "127.0.0.1:48780" }#' \
    "$repo/config/bench.yaml" > "$work/bench.yaml"
rm -f "$work/alloc.jfr"
"$repo/router" serve --config "$work/bench.yaml" > "$work/router.log" 2>&1 &
pids+=($!)
for p in 48701 48702; do
  sipp -sf "$sipp_dir/uas.xml" -i 127.0.0.1 -p $p -mp $((48710 + (p - 48701) * 10)) -nostdin -bg >/dev/null 2>&1
done
for p in $(pgrep -f "uas.xml -i 127.0.0.1 -p 4870[12]"); do pids+=("$p"); done
for _ in $(seq 1 360); do grep -q "router listening" "$work/router.log" && break; sleep 0.5; done
grep -q "router listening" "$work/router.log" || { echo "router did not start:"; cat "$work/router.log"; exit 1; }
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
