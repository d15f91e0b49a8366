#!/usr/bin/env python3
"""The router's own share of call setup, from kernel timestamps at its SIP port.

    router-side.py CAPTURE.pcap [ROUTER_PORT] [HANDLER_PORTS] [STEP_S]

CAPTURE is a tcpdump of the loopback (`tcpdump -i lo -s 700 -w CAPTURE 'udp port 5060'`) taken
while loadgen ran through the router. The generator measures setup in its own JVM, so its
figures include the generator's own delays (a cold JIT, its GC, its event loop waiting for a
core); the capture does not. Per call, joined by the caller's number (the From user, one per
call in loadgen's plans):

  trying   carrier's INVITE in -> the router's 100 Trying out
  added    (carrier's INVITE in -> 200 out to the carrier)
           - (INVITE out to the handler -> the handler's 200 in)

printed per STEP_S seconds (default 10) from the first INVITE, as count, p50, p99 and max in ms.
Defaults: router port 5060, handler ports 5080,5081.
"""
import collections
import struct
import sys


def packets(path):
    """(time, source port, destination port, payload) of each UDP datagram in a pcap file."""
    with open(path, 'rb') as f:
        header = f.read(24)
        magic = struct.unpack('<I', header[:4])[0]
        nano = magic == 0xa1b23c4d
        link = struct.unpack('<I', header[20:24])[0]
        offset = {1: 14, 113: 16}.get(link)  # Ethernet (lo), Linux cooked (any)
        if offset is None:
            sys.exit(f"link type {link} not supported (capture on lo)")
        while True:
            record = f.read(16)
            if len(record) < 16:
                return
            seconds, fraction, length, _ = struct.unpack('<IIII', record)
            data = f.read(length)
            ihl = (data[offset] & 0x0f) * 4
            udp = offset + ihl
            source, destination = struct.unpack('>HH', data[udp:udp + 4])
            yield seconds + fraction / (1e9 if nano else 1e6), source, destination, data[udp + 8:]


def headers(payload):
    """The start line, the CSeq method and the From user of a SIP message (None when cut short)."""
    lines = payload.decode('latin-1').split('\r\n')
    cseq = caller = None
    for line in lines[1:]:
        if not line:
            break
        name, _, value = line.partition(':')
        name = name.strip().lower()
        if name == 'cseq':
            cseq = value.split()[-1] if value.split() else None
        elif name in ('from', 'f'):
            start = value.find('sip:')
            caller = value[start + 4:value.find('@', start)] if start >= 0 else None
    return lines[0], cseq, caller


def main():
    path = sys.argv[1]
    router = int(sys.argv[2]) if len(sys.argv) > 2 else 5060
    handlers = {int(p) for p in (sys.argv[3] if len(sys.argv) > 3 else '5080,5081').split(',')}
    step = float(sys.argv[4]) if len(sys.argv) > 4 else 10.0
    calls = collections.defaultdict(dict)
    for t, source, destination, payload in packets(path):
        start, cseq, caller = headers(payload)
        if caller is None or cseq != 'INVITE':
            continue
        call = calls[caller]
        from_carrier = destination == router and source not in handlers
        to_carrier = source == router and destination not in handlers
        if from_carrier and start.startswith('INVITE '):
            call.setdefault('in', t)
        elif to_carrier and start.startswith('SIP/2.0 100'):
            call.setdefault('trying', t)
        elif to_carrier and start.startswith('SIP/2.0 2'):
            call.setdefault('answered', t)
        elif source == router and destination in handlers and start.startswith('INVITE '):
            call.setdefault('out', t)
        elif destination == router and source in handlers and start.startswith('SIP/2.0 2'):
            call.setdefault('handler', t)
    timed = [c for c in calls.values() if 'in' in c]
    if not timed:
        sys.exit("no carrier INVITE in the capture")
    first = min(c['in'] for c in timed)
    rows = collections.defaultdict(lambda: ([], []))
    for c in timed:
        trying, added = rows[int((c['in'] - first) // step)]
        if 'trying' in c:
            trying.append((c['trying'] - c['in']) * 1000)
        if all(k in c for k in ('answered', 'out', 'handler')):
            added.append(((c['answered'] - c['in']) - (c['handler'] - c['out'])) * 1000)

    def summary(values):
        if not values:
            return f"{0:6d} {'-':>7} {'-':>7} {'-':>7}"
        values.sort()
        return (f"{len(values):6d} {values[len(values) // 2]:7.2f} {values[min(len(values) - 1, int(len(values) * 0.99))]:7.2f}"
                f" {values[-1]:7.2f}")

    print(f"at the router's port {router}, kernel timestamps, per {step:g} s from the first INVITE (ms)")
    print(f"{'from s':>6}  {'trying: n':>9} {'p50':>7} {'p99':>7} {'max':>7}   {'added: n':>8} {'p50':>7} {'p99':>7} {'max':>7}")
    for index in sorted(rows):
        trying, added = rows[index]
        print(f"{index * step:6g}  {summary(trying):>33}   {summary(added)}")


if __name__ == '__main__':
    main()
