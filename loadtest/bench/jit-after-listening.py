#!/usr/bin/env python3
"""What the JIT did after the router's socket opened, from a HotSpot compilation log.

    ROUTER_JAVA_OPTS="-XX:+UnlockDiagnosticVMOptions -XX:+LogCompilation -XX:LogFile=/tmp/jit.log" \
        WORKDIR=/tmp/st-jit loadtest/bench/startup.sh 1 2
    jit-after-listening.py /tmp/jit.log /tmp/st-jit/run1/startup-router.log

Counts, from the "router listening ... N ms after the process started" line of the router's log
(the log's time stamps are seconds since the JVM started, about the same) to the end: uncommon
traps (compiled code thrown away on a branch or type it had not seen), compilations per tier and
C2's compilations of the router's own methods, and lists the router methods C2 compiled then
with the invocation count they had reached (a high count: C2's queue held them back).
"""
import collections
import re
import sys

STAMP = re.compile(r"stamp='([\d.]+)'")


def main():
    log, router_log = sys.argv[1], sys.argv[2]
    m = re.search(r'router listening.*?; (\d+) ms after the process started', open(router_log).read())
    if not m:
        sys.exit(f"no 'router listening' line in {router_log}")
    listening = int(m.group(1)) / 1000.0
    traps = 0
    levels = collections.Counter()
    router_c2 = []
    with open(log, errors='replace') as f:
        for line in f:
            if not (line.startswith('<uncommon_trap thread') or line.startswith('<task ')):
                continue
            stamp = STAMP.search(line)
            if not stamp or float(stamp.group(1)) < listening:
                continue
            if line.startswith('<uncommon_trap'):
                traps += 1
                continue
            level = re.search(r" level='(\d)'", line)
            level = level.group(1) if level else '4'
            levels[level] += 1
            method = re.search(r"method='([^']+)'", line).group(1)
            if level == '4' and method.startswith('org.callrouter'):
                count = re.search(r" count='(\d+)'", line)
                router_c2.append((int(count.group(1)) if count else 0, method))
    print(f"after listening ({listening:.1f} s): {traps} uncommon traps; compilations by tier "
          f"{dict(sorted(levels.items()))}; C2 of router methods {len(router_c2)}")
    for count, method in sorted(router_c2, reverse=True)[:20]:
        print(f"  {count:8d}  {method}")


if __name__ == '__main__':
    main()
