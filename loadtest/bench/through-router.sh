#!/usr/bin/env bash
# Runs one loadgen scenario through our router: starts `./router serve` on a configuration
# (default config/bench.yaml: udp:127.0.0.1:5060, handlers 5080 then 5081) with a fresh data
# directory and a GC log, waits until it listens, runs loadgen (both sides) against it, then
# reports the router's GC pauses, its CPU time and its heap, and stops it with SIGTERM (a drain).
#
#   through-router.sh NAME [CONFIG] -- LOADGEN_OPTIONS...
#   e.g. through-router.sh steady -- --scenario steady-1000
#
# Output in $WORKDIR (default /tmp/through-router): NAME.json (loadgen's summary), NAME.txt
# (its table), NAME-gc.log, NAME-router.log. ROUTER_JAVA_OPTS passes JVM options to the router
# (the launcher's defaults apply otherwise). HEAP_AT=SECONDS also prints the router's heap after
# a full collection that many seconds into the run (for concurrent-100k), and writes the live
# objects' class histogram to NAME-histogram.txt.
# Loopback only; ports 5060, 5080, 5081, 8080.
set -u
name=$1; shift
config=config/bench.yaml
if [ "${1:-}" != "--" ] && [ $# -gt 0 ]; then config=$1; shift; fi
[ "${1:-}" = "--" ] && shift
home=$(cd "$(dirname "$0")/../.." && pwd)
work=${WORKDIR:-/tmp/through-router}
mkdir -p "$work"
cd "$home" || exit 2

data=$(sed -n 's/^ *data_dir: *//p' "$config" | head -n 1)
rm -rf "${data:-./data}"
ROUTER_JAVA_OPTS="${ROUTER_JAVA_OPTS:-} -Xlog:gc,gc+phases:file=$work/$name-gc.log" \
  ./router serve --config "$config" >"$work/$name-router.log" 2>&1 &
launcher=$!
for _ in $(seq 1 1800); do
  grep -q "router listening" "$work/$name-router.log" && break
  kill -0 $launcher 2>/dev/null || { cat "$work/$name-router.log"; exit 1; }
  sleep 0.1
done
pid=$(pgrep -f "router.jar serve --config $config" | head -n 1)

if [ -n "${HEAP_AT:-}" ]; then
  ( sleep "$HEAP_AT"
    jcmd "$pid" GC.run >/dev/null
    echo "router heap $HEAP_AT s into the run, after a full collection:"
    jcmd "$pid" GC.heap_info | sed -n 2,3p
    jcmd "$pid" GC.class_histogram >"$work/$name-histogram.txt" ) >"$work/$name-heap.txt" 2>&1 &
fi

./loadgen run --target 127.0.0.1:5060 --handlers 5080,5081 --summary "$work/$name.json" "$@" \
  | tee "$work/$name.txt"

ticks=$(getconf CLK_TCK)
read -r utime stime < <(awk '{print $14, $15}' "/proc/$pid/stat")
echo "router: CPU $(( (utime + stime) / ticks )) s (user $(( utime / ticks )), system $(( stime / ticks )))"
grep -h "" "$work/$name-heap.txt" 2>/dev/null
awk '/Pause/ && $NF ~ /ms$/ { ms = $NF + 0; n++; t += ms; if (ms > max) max = ms }
     END { printf "router GC: %d pauses, %.0f ms in all, longest %.1f ms\n", n, t, max }' "$work/$name-gc.log"
kill -TERM "$pid"
wait $launcher
echo "router exit status $?"
