#!/usr/bin/env bash
# Validates the load generator through a Kamailio 5.6 stateful proxy doing the router's job
# (../shared/bench/kamailio, started as ../shared/bench/side-by-side.sh starts it) on
# 127.0.0.1:5070, handlers on 127.0.0.1:5080 and :5081, in four pairings, each on a fresh Kamailio:
#
#   sipp      SIPp carrier (uac.xml) -> Kamailio -> SIPp handlers (uas.xml), as side-by-side.sh
#   loadgen   loadgen (both sides)   -> Kamailio -> loadgen
#   lg-sipp   loadgen --carrier-only -> Kamailio -> SIPp handlers (--hold 5ms: uas.xml must see the
#             ACK before the BYE, and Kamailio's two workers can swap an ACK and a BYE sent together)
#   sipp-lg   SIPp carrier           -> Kamailio -> loadgen --handler-only
#
# and two scenarios of loadgen (both sides) through Kamailio, run when named in PAIRINGS:
#
#   steady    --scenario steady-1000 (1,000 calls/s for 60 s): Kamailio's added latency
#   failover  --scenario failover --duration 20s: 50% never answered at 5080; Kamailio's ring
#             timeout (tm fr_inv_timer) is 15 s, then it CANCELs and tries 5081
#
#   through-kamailio.sh [RATES] [SECONDS_PER_STEP] [PAIRINGS]
#
# Prints a line per pairing and rate with side-by-side.sh's clean criterion (no failed call, at
# least 95% of the offered rate achieved). SIPp runs one process per rate, as side-by-side.sh does;
# loadgen runs the whole ramp in one process after a 3 s warm-up, through the ./loadgen launcher
# (which builds the jar and sets the JVM options; LOADGEN_JAVA_OPTS replaces them). Needs sipp
# (sip-tester), kamailio and python3. Ports: 5070, 5080, 5081 and 47000-47999 (loadgen's
# carrier 47001, SIPp's carrier 47090, SIPp media 47100-47399). Loopback only; bounded steps.
set -u
rates=${1:-"500 1000 1500 2000 2500 3000 4000"}
secs=${2:-5}
pairings=${3:-"sipp loadgen lg-sipp sipp-lg"}
here=$(cd "$(dirname "$0")" && pwd)
bench=$(cd "$here/../../../shared/bench" 2>/dev/null && pwd || echo /work/shared/bench)
loadgen="$here/../../loadgen"
work=${WORKDIR:-$(mktemp -d)}
kam_pid=""
bg_pids=()
for tool in sipp kamailio python3; do
  command -v $tool >/dev/null || { echo "$tool not found"; exit 2; }
done
"$loadgen" --version >/dev/null || { echo "$loadgen does not run"; exit 2; }

bound() { ss -uln | grep -Eq "127\.0\.0\.1\]?:$1 "; }

wait_until() { # seconds command...: polls the command every 0.1 s
  local tries=$(( $1 * 10 )); shift
  until "$@"; do
    tries=$((tries - 1))
    [ $tries -le 0 ] && return 1
    sleep 0.1
  done
}

stop_all() {
  for p in "${bg_pids[@]}"; do kill "$p" 2>/dev/null; done
  bg_pids=()
  [ -n "$kam_pid" ] && kill "$kam_pid" 2>/dev/null
  kam_pid=""
  wait_until 10 eval '! bound 5070 && ! bound 5080 && ! bound 5081' || echo "ports 5070/5080/5081 still bound"
}
trap 'stop_all; [ -n "${WORKDIR:-}" ] || rm -rf "$work"' EXIT

start_kamailio() {
  sed -e "s#@DISPATCHER_LIST@#$bench/kamailio/dispatcher.list#" -e "s#@WORKDIR@#$work#" \
      "$bench/kamailio/kamailio.cfg.in" > "$work/kamailio.cfg"
  kamailio -f "$work/kamailio.cfg" -P "$work/kam.pid" -m 1024 -M 32 -DD -E >"$work/kam.log" 2>&1 &
  kam_pid=$!
  wait_until 10 bound 5070 || { echo "kamailio did not start:"; tail -5 "$work/kam.log"; }
}

start_sipp_handlers() {
  for p in 5080 5081; do
    sipp -sf "$bench/sipp/uas.xml" -i 127.0.0.1 -p $p -mp $((47200 + (p - 5080) * 100)) -nostdin \
        >/dev/null 2>&1 &
    bg_pids+=($!)
  done
}

sipp_step() { # name rate
  local name=$1 r=$2 n=$(( $2 * secs )) start end
  rm -f "$work/stat.csv"
  start=$(date +%s.%N)
  (cd "$work" && timeout $((secs * 4 + 20)) sipp 127.0.0.1:5070 -sf "$bench/sipp/uac.xml" -s 18005550100 \
      -i 127.0.0.1 -p 47090 -mp 47100 -r "$r" -m "$n" -l $((r * 2)) -t u1 -trace_stat -stf stat.csv -fd 1 \
      -nostdin -timeout $((secs * 4 + 10))s -max_recv_loops 10000 -max_sched_loops 10000 >/dev/null 2>&1)
  end=$(date +%s.%N)
  python3 "$here/sipp-verdict.py" "$name" "$r" "$start" "$end" "$work/stat.csv"
}

loadgen_rows() { # name summary.json
  python3 - "$1" "$2" <<'PY'
import sys, json
name, path = sys.argv[1], sys.argv[2]
s = json.load(open(path))
for st in s['steps']:
    if st['warmup']:
        continue
    bad = st['failed'] + st['shed']
    setup = st['setupMs'] or {}
    added = st['routerAddedMs'] or {}
    print(f"{name:8s} offered={st['offeredCps']:.0f}cps ok={st['completed']} failed={bad} "
          f"achieved={st['achievedCps']:.0f}cps {'clean' if st['clean'] else 'NOT-CLEAN'} "
          f"setup_p99={setup.get('p99')}ms added_p99={added.get('p99')}ms")
PY
}

comma_rates=$(echo $rates | tr ' ' ',')
for pairing in $pairings; do
  start_kamailio
  case $pairing in
    sipp)
      start_sipp_handlers; wait_until 10 eval 'bound 5080 && bound 5081'
      for r in $rates; do sipp_step sipp "$r"; done ;;
    loadgen)
      "$loadgen" run --target 127.0.0.1:5070 --bind 127.0.0.1:47001 --ramp "$comma_rates" \
          --step "${secs}s" --warmup 3s -q --summary "$work/loadgen.json" >"$work/loadgen.txt" 2>&1
      loadgen_rows loadgen "$work/loadgen.json" ;;
    lg-sipp)
      start_sipp_handlers; wait_until 10 eval 'bound 5080 && bound 5081'
      "$loadgen" run --carrier-only --target 127.0.0.1:5070 --bind 127.0.0.1:47001 \
          --ramp "$comma_rates" --step "${secs}s" --warmup 3s --hold 5ms -q --summary "$work/lg-sipp.json" \
          >"$work/lg-sipp.txt" 2>&1
      loadgen_rows lg-sipp "$work/lg-sipp.json" ;;
    sipp-lg)
      "$loadgen" run --handler-only -q --summary "$work/sipp-lg.json" >"$work/sipp-lg.txt" 2>&1 &
      lg_pid=$!
      wait_until 20 eval 'bound 5080 && bound 5081'
      for r in $rates; do sipp_step sipp-lg "$r"; done
      kill -TERM $lg_pid; wait $lg_pid
      python3 - "$work/sipp-lg.json" <<'PY'
import sys, json
s = json.load(open(sys.argv[1]))
for h in s['handlers']:
    print(f"sipp-lg  loadgen handler {h['port']}: INVITEs={h['invites']} answered={h['answered']} "
          f"ACKs={h['acks']} BYEs={h['byes']} open={h['openCalls']} unexpected={h['unexpected']}")
PY
      ;;
    steady|failover)
      extra=()
      [ "$pairing" = failover ] && extra=(--duration 20s)
      "$loadgen" run --scenario "$([ "$pairing" = steady ] && echo steady-1000 || echo failover)" \
          "${extra[@]}" --target 127.0.0.1:5070 --bind 127.0.0.1:47001 -q --summary "$work/$pairing.json" \
          >"$work/$pairing.txt" 2>&1
      python3 - "$pairing" "$work/$pairing.json" <<'PY'
import sys, json
name, s = sys.argv[1], json.load(open(sys.argv[2]))
t = s['total']
print(f"{name:8s} offered={t['offeredCps']:.0f}cps attempted={t['attempted']} completed={t['completed']} "
      f"failed={t['failed']} shed={t['shed']} failovers={t['failovers']} clean={t['clean']}")
for key in ('setupMs', 'routerAddedMs', 'firstResponseMs'):
    l = t[key]
    if l:
        print(f"{name:8s}   {key:16s} p50={l['p50']} p90={l['p90']} p99={l['p99']} p99.9={l['p999']} max={l['max']}")
for h in s['handlers']:
    print(f"{name:8s}   handler {h['port']}: INVITEs={h['invites']} answered={h['answered']} "
          f"noAnswer={h['noAnswer']} canceled={h['canceled']} open={h['openCalls']}")
g = s['generator']
print(f"{name:8s}   generator: {g['cpuSeconds']} s CPU, event loop {g['loopCpuSeconds']} s, "
      f"{g['gcCount']} GCs {g['gcMillis']} ms")
PY
      ;;
    *) echo "unknown pairing $pairing (use sipp, loadgen, lg-sipp, sipp-lg, steady, failover)" ;;
  esac
  stop_all
done
