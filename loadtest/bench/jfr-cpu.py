"""Where a thread's CPU goes, from the execution samples of a JFR recording (issue 18: the top
frames of a call's CPU): the share of the thread's samples by the method on top of the stack
(self time), by the first org.callrouter frame under it (the router's line that led there) and,
inclusive, by every org.callrouter method on the stack.

    jfr-cpu.py RECORDING.jfr THREAD_PREFIX [TOP] [US_PER_CALL]

US_PER_CALL, the thread's CPU per call from cpu-by-thread.py, turns shares into µs per call.
JFR samples threads running Java code (jdk.ExecutionSample) about every 10-20 ms; time in the
kernel or native code shows under the Java frame that called it, and a thread that is parked is
not sampled.
"""
import collections
import re
import subprocess
import sys


def samples(recording):
    text = subprocess.run(['jfr', 'print', '--events', 'jdk.ExecutionSample', '--stack-depth', '64', recording],
                          check=True, capture_output=True, text=True).stdout
    for event in text.split('jdk.ExecutionSample {')[1:]:
        thread = re.search(r'sampledThread = "([^"]+)"', event)
        frames = re.findall(r'^\s+([\w.$<>]+)\([^)]*\)\s+line: (\d+)', event, re.M)
        if thread and frames:
            yield thread.group(1), frames


def main():
    recording, prefix = sys.argv[1], sys.argv[2]
    top = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    us = float(sys.argv[4]) if len(sys.argv) > 4 else None
    threads = collections.Counter()
    self_time, ours, inclusive = collections.Counter(), collections.Counter(), collections.Counter()
    total = 0
    for thread, frames in samples(recording):
        threads[re.sub(r'\d+', 'N', thread)] += 1
        if not thread.startswith(prefix):
            continue
        total += 1
        self_time[frames[0][0]] += 1
        router = [f[0] for f in frames if f[0].startswith('org.callrouter')]
        ours[router[0] if router else '(no router frame)'] += 1
        for method in set(router):
            inclusive[method] += 1
    print('samples by thread: ' + ', '.join(f'{t} {n}' for t, n in threads.most_common(12)))
    if not total:
        sys.exit(f'no samples of threads named {prefix}*')
    unit = f'µs/call of {us:.0f}' if us else 'samples'
    for title, counter in (('self (top frame)', self_time), ('first router frame', ours),
                           ('router method on the stack (inclusive)', inclusive)):
        print(f'{prefix} ({total} samples) by {title}: share, {unit}')
        for key, n in counter.most_common(top):
            value = n / total * us if us else n
            print(f'  {n / total * 100:5.1f}% {value:7.1f}  {key}')


if __name__ == '__main__':
    main()
