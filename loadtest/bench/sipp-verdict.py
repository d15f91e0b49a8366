"""One SIPp rate step's verdict, with side-by-side.sh's clean criterion (no failed call, at
least 95% of the offered rate achieved), from SIPp's -trace_stat file.

    sipp-verdict.py NAME RATE START END STAT.csv [CPU_MS]

START and END are the step's wall-clock bounds in seconds; CPU_MS, when given, is the CPU time the
system under test used in the step, printed per call placed. SIPp may leave no statistics when it
breaks down: the step then counts as RATE failed calls.
"""
import csv
import sys

name, rate, start, end, stat = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
try:
    rows = list(csv.reader(open(stat), delimiter=';'))
    last = dict(zip(rows[0], rows[-1]))
    ok, bad = int(last['SuccessfulCall(C)']), int(last['FailedCall(C)'])
except (OSError, IndexError, KeyError, ValueError):
    ok, bad = 0, rate
achieved = ok / (end - start)
clean = bad == 0 and achieved >= 0.95 * rate
cpu = ''
if len(sys.argv) > 6 and ok + bad:
    cpu = f" cpu={float(sys.argv[6]) * 1000 / (ok + bad):.0f}us/call"
print(f"{name:8s} offered={rate}cps ok={ok} failed={bad} achieved={achieved:.0f}cps{cpu} "
      f"{'clean' if clean else 'NOT-CLEAN'}")
