# Shared by the *-on-off.sh scripts (sourced): one SIPp rate step against a router, the steps of
# a rate list in alternating order, and the highest clean rate of each router.
# The caller sets: work (scratch dir), repo, sipp_dir, secs (seconds per step), rpid (name -> router
# pid), uac_port and uac_media_port (the UAC's SIP and media ports).

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

step() { # name port rate: one line of sipp-verdict.py
  local name=$1 tport=$2 r=$3 n=$(( $3 * secs )) start end cpu0 cpu1
  rm -f "$work/stat.csv"
  cpu0=$(cpu_ticks "${rpid[$name]}")
  start=$(date +%s.%N)
  (cd "$work" && timeout $((secs*4+20)) sipp 127.0.0.1:$tport -sf "$sipp_dir/uac.xml" -s 18005550100 -i 127.0.0.1 \
      -p "$uac_port" -mp "$uac_media_port" -r "$r" -m "$n" -l $((r*2)) -t u1 -trace_stat -stf stat.csv -fd 1 -nostdin \
      -timeout $((secs*4+10))s -max_recv_loops 10000 -max_sched_loops 10000 >/dev/null 2>&1)
  end=$(date +%s.%N)
  cpu1=$(cpu_ticks "${rpid[$name]}")
  python3 "$repo/loadtest/bench/sipp-verdict.py" "$name" "$r" "$start" "$end" "$work/stat.csv" \
      $(( (cpu1 - cpu0) * 1000 / $(getconf CLK_TCK) ))
}

# The order alternates from rate to rate, so neither router always runs right after the other.
alternate() { # rates off-port on-port [command run after each rate]
  local rates=$1 off=$2 on=$3 after=${4:-true} i=0 r
  for r in $rates; do
    if [ $((i % 2)) -eq 0 ]; then
      step off "$off" "$r"; step on "$on" "$r"
    else
      step on "$on" "$r"; step off "$off" "$r"
    fi
    $after
    i=$((i + 1))
  done
}

best_rates() { # results file: "max clean rate: off=... on=... ratio=..."
  python3 - "$1" <<'PY'
import sys
best = {}
for line in open(sys.argv[1]):
    f = line.split()
    if f and f[-1] == 'clean':
        best[f[0]] = max(best.get(f[0], 0), int(f[1].split('=')[1][:-3]))
off, on = best.get('off', 0), best.get('on', 0)
print(f"max clean rate: off={off}cps on={on}cps ratio={on / off if off else 0:.3f}")
PY
}
