"""Bytes allocated per call by each busy thread of a router, and the allocation sites of one thread,
from a JFR recording (jdk.ThreadAllocationStatistics and jdk.ObjectAllocationSample).

    jfr-alloc.py RECORDING.jfr CALLS [THREAD_PREFIX] [TOP]

CALLS is the number of calls placed while the recording ran. Per thread: the growth of its
allocation counter from the first to the last statistics event, divided by CALLS. Sites: the
sampled weights of THREAD_PREFIX's allocations (default sip-loop), grouped by the first frame in
org.callrouter (the line that allocates) and by the first server frame (what it was doing). A
thread's first sample is left out: its weight counts everything the thread allocated since before
the recording began.
"""
import collections
import re
import subprocess
import sys

UNITS = {'bytes': 1, 'byte': 1, 'kB': 1e3, 'MB': 1e6, 'GB': 1e9}


def events(recording, name, depth=1):
    text = subprocess.run(['jfr', 'print', '--events', name, '--stack-depth', str(depth), recording],
                          check=True, capture_output=True, text=True).stdout
    return text.split(name + ' {')[1:]


def size(text, field):
    m = re.search(field + r' = ([\d.,]+) (\w+)', text)
    return float(m.group(1).replace(',', '')) * UNITS[m.group(2)]


def main():
    recording, calls = sys.argv[1], int(sys.argv[2])
    prefix = sys.argv[3] if len(sys.argv) > 3 else 'sip-loop'
    top = int(sys.argv[4]) if len(sys.argv) > 4 else 15
    first, last = {}, {}
    for e in events(recording, 'jdk.ThreadAllocationStatistics'):
        thread = re.search(r'thread = "([^"]+)"', e).group(1)
        first.setdefault(thread, size(e, 'allocated'))
        last[thread] = size(e, 'allocated')
    print(f'bytes allocated per call ({calls} calls), threads above 100 B/call:')
    for thread in sorted(last, key=lambda t: first[t] - last[t]):
        per_call = (last[thread] - first[thread]) / calls
        if per_call >= 100:
            print(f'  {thread:32s} {per_call:9,.0f}')
    sites, work, seen, total = collections.Counter(), collections.Counter(), set(), 0.0
    for e in events(recording, 'jdk.ObjectAllocationSample', 12):
        thread = re.search(r'eventThread = "([^"]+)"', e).group(1)
        if not thread.startswith(prefix):
            continue
        if thread not in seen:
            seen.add(thread)
            continue
        weight = size(e, 'weight')
        frames = re.findall(r'^\s+([\w.$<>]+)\([^)]*\)\s+line: (\d+)', e, re.M)
        ours = [f for f in frames if f[0].startswith('org.callrouter')]
        server = [f for f in frames if f[0].startswith('org.callrouter.server')]
        sites[f'{ours[0][0]}:{ours[0][1]}' if ours else (frames[0][0] if frames else '?')] += weight
        work[server[0][0] if server else (ours[-1][0] if ours else '?')] += weight
        total += weight
    if total:
        for title, counter in (('allocating line', sites), ('server frame', work)):
            print(f'{prefix}: by {title} (share of sampled weight, B/call)')
            for key, weight in counter.most_common(top):
                print(f'  {weight / total * 100:5.1f}% {weight / calls:7,.0f}  {key}')


if __name__ == '__main__':
    main()
