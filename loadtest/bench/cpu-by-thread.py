"""CPU time a process spends per call, thread by thread (issue 18 goal 1: where the router's
microseconds of CPU per call go), read from /proc/PID/task/*/stat over SECONDS.

    cpu-by-thread.py PID SECONDS CALLS

CALLS is the number of calls completed while it sampled (RATE x SECONDS under a steady load).
Threads are grouped by name with their numbers taken out ("ZWorkerYoung#0" and "#1" are one
line); a thread that started or ended during the window counts from when it was first or until
it was last seen. User and system time are shown apart: system time is the kernel's work for the
thread (socket reads and writes, futexes, page faults). The bytes are what the thread handed to
write system calls (/proc/PID/task/TID/io wchar: files; datagrams sent with sendmsg do not count).
"""
import collections
import os
import re
import sys
import time

HZ = os.sysconf('SC_CLK_TCK')


def written(pid, tid):
    """Bytes the thread passed to write system calls (wchar)."""
    try:
        with open(f'/proc/{pid}/task/{tid}/io') as f:
            return int(next(line for line in f if line.startswith('wchar:')).split()[1])
    except (OSError, StopIteration):
        return 0


def sample(pid):
    threads = {}
    for tid in os.listdir(f'/proc/{pid}/task'):
        try:
            with open(f'/proc/{pid}/task/{tid}/stat') as f:
                stat = f.read()
        except OSError:
            continue  # ended between the listing and the read
        name = stat[stat.index('(') + 1:stat.rindex(')')]
        fields = stat[stat.rindex(')') + 2:].split()
        threads[tid] = (name, int(fields[11]), int(fields[12]), written(pid, tid))  # utime, stime (fields 14, 15)
    return threads


def main():
    pid, seconds, calls = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    before = sample(pid)
    time.sleep(seconds)
    after = sample(pid)
    user, system, wrote = collections.Counter(), collections.Counter(), collections.Counter()
    for tid, (name, u, s, w) in after.items():
        _, u0, s0, w0 = before.get(tid, (name, 0, 0, 0))
        group = re.sub(r'\d+', 'N', name)
        user[group] += u - u0
        system[group] += s - s0
        wrote[group] += w - w0
    per_call = 1e6 / HZ / calls
    total_u, total_s = sum(user.values()), sum(system.values())
    print(f'µs of CPU per call over {seconds:.0f} s and {calls} calls (user + system = total), bytes written per call')
    for group in sorted(user, key=lambda g: -(user[g] + system[g])):
        if user[group] + system[group]:
            print(f'  {group:20s} {user[group] * per_call:7.1f} + {system[group] * per_call:6.1f}'
                  f' = {(user[group] + system[group]) * per_call:7.1f} {wrote[group] / calls:9,.0f} B')
    print(f'  {"all threads":20s} {total_u * per_call:7.1f} + {total_s * per_call:6.1f}'
          f' = {(total_u + total_s) * per_call:7.1f} {sum(wrote.values()) / calls:9,.0f} B')


if __name__ == '__main__':
    main()
