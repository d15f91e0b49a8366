#!/usr/bin/env python3
"""Who holds what in an HPROF heap dump (issue 18 goal 5: memory per live call).

For each (referring class, field) it prints how many references it holds to objects of which
class and their shallow bytes (a String counted with its byte[]), all and distinct, then the
strings grouped by the set of fields that hold them (which copies are shared, which are not).
Sizes assume the dump's 8-byte ids and a 16-byte array header; they rank holders, the class
histogram (jcmd PID GC.class_histogram) gives the exact totals.

    jcmd PID GC.heap_dump /tmp/heap.hprof      # live objects only (a full collection first)
    loadtest/bench/heap-holders.py /tmp/heap.hprof [TOP]

Pure Python, one pass to index the objects and two to follow references: about a minute and
a few GiB of memory for a 500 MB dump.
"""
import mmap, struct, sys
from collections import defaultdict

path = sys.argv[1]
top = int(sys.argv[2]) if len(sys.argv) > 2 else 60
f = open(path, 'rb')
m = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
hdr_end = m.find(b'\0') + 1
idsize = struct.unpack_from('>I', m, hdr_end)[0]
assert idsize == 8
pos = hdr_end + 4 + 8
SIZES = {2: 8, 4: 1, 5: 2, 6: 4, 7: 8, 8: 1, 9: 2, 10: 4, 11: 8}
PRIM = {4: 'boolean[]', 5: 'char[]', 6: 'float[]', 7: 'double[]', 8: 'byte[]', 9: 'short[]', 10: 'int[]', 11: 'long[]'}
strings = {}
classname = {}
segments = []
while pos < len(m):
    tag = m[pos]; length = struct.unpack_from('>I', m, pos + 5)[0]; body = pos + 9
    if tag == 0x01:
        sid = struct.unpack_from('>Q', m, body)[0]
        strings[sid] = m[body + 8: body + length].decode('utf-8', 'replace')
    elif tag == 0x02:
        cid, nid = struct.unpack_from('>Q', m, body + 4)[0], struct.unpack_from('>Q', m, body + 16)[0]
        classname[cid] = strings.get(nid, '?').replace('/', '.')
    elif tag in (0x0C, 0x1C):
        segments.append((body, body + length))
    pos = body + length

classes = {}  # id -> (super, [(name, type)])
objclass = {}  # id -> class id, or -type for prim arrays, or 'A'+class for object arrays
objsize = {}
string_value = {}
ROOTS = {0xFF: 8, 0x01: 16, 0x02: 16, 0x03: 16, 0x04: 12, 0x05: 8, 0x06: 12, 0x07: 8, 0x08: 16,
         0x89: 8, 0x8A: 8, 0x8B: 8, 0x8D: 8, 0x8E: 16, 0x90: 8, 0xC3: None}


def walk(visit_instance, visit_objarray, first):
    for start, end in segments:
        p = start
        while p < end:
            t = m[p]; p += 1
            if t in ROOTS and ROOTS[t] is not None:
                p += ROOTS[t]
            elif t == 0x20:
                cid, = struct.unpack_from('>Q', m, p)
                sup, = struct.unpack_from('>Q', m, p + 12)
                isize, = struct.unpack_from('>I', m, p + 12 + 8 * 6)
                q = p + 12 + 8 * 6 + 4
                n, = struct.unpack_from('>H', m, q); q += 2
                for _ in range(n):
                    ty = m[q + 2]; q += 3 + SIZES[ty]
                n, = struct.unpack_from('>H', m, q); q += 2
                for _ in range(n):
                    ty = m[q + 8]; q += 9 + SIZES[ty]
                n, = struct.unpack_from('>H', m, q); q += 2
                fields = []
                for _ in range(n):
                    nid, = struct.unpack_from('>Q', m, q); ty = m[q + 8]; q += 9
                    fields.append((strings.get(nid, '?'), ty))
                if first:
                    classes[cid] = (sup, fields, isize)
                p = q
            elif t == 0x21:
                oid, = struct.unpack_from('>Q', m, p)
                cid, = struct.unpack_from('>Q', m, p + 12)
                nb, = struct.unpack_from('>I', m, p + 20)
                visit_instance(oid, cid, p + 24, nb)
                p += 24 + nb
            elif t == 0x22:
                oid, = struct.unpack_from('>Q', m, p)
                cnt, = struct.unpack_from('>I', m, p + 12)
                acid, = struct.unpack_from('>Q', m, p + 16)
                visit_objarray(oid, acid, p + 24, cnt)
                p += 24 + cnt * 8
            elif t == 0x23:
                oid, = struct.unpack_from('>Q', m, p)
                cnt, = struct.unpack_from('>I', m, p + 12)
                ty = m[p + 16]
                if first:
                    objclass[oid] = -ty
                    objsize[oid] = (16 + cnt * SIZES[ty] + 7) // 8 * 8
                p += 17 + cnt * SIZES[ty]
            else:
                raise SystemExit('unknown subrecord %x at %d' % (t, p))


layouts = {}


def layout(cid):
    if cid in layouts:
        return layouts[cid]
    out = []
    c = cid
    while c and c in classes:
        sup, fields, _ = classes[c]
        out.extend(fields)
        c = sup
    layouts[cid] = out
    return out


string_cid = None


def first_instance(oid, cid, q, nb):
    objclass[oid] = cid
    objsize[oid] = (12 + nb + 7) // 8 * 8


def first_array(oid, acid, q, cnt):
    objclass[oid] = ('A', acid)
    objsize[oid] = (16 + cnt * 4 + 7) // 8 * 8  # compressed oops


walk(first_instance, first_array, True)
for cid, name in classname.items():
    if name == 'java.lang.String':
        string_cid = cid


def name_of(c):
    if isinstance(c, tuple):
        return classname.get(c[1], '?')
    if isinstance(c, int) and c < 0:
        return PRIM[-c]
    return classname.get(c, '?')


counts = defaultdict(lambda: [0, 0, set()])
sizes_of = {}
owners = {}
str_pairs = []


def second_instance(oid, cid, q, nb):
    for fname, ty in layout(cid):
        if ty == 2:
            ref, = struct.unpack_from('>Q', m, q)
            if ref and ref in objclass:
                rc = objclass[ref]
                size = objsize[ref]
                if rc == string_cid:
                    size += string_value.get(ref, 0)
                key = (name_of(cid), fname, name_of(rc))
                e = counts[key]; e[0] += 1; e[1] += size; e[2].add(ref); sizes_of[ref] = size
                if rc == string_cid:
                    owners.setdefault(ref, set()).add(key[0].rsplit('.', 1)[-1] + '.' + fname)
        q += SIZES[ty]


def strings_pass(oid, cid, q, nb):
    if cid == string_cid:
        for fname, ty in layout(cid):
            if ty == 2 and fname == 'value':
                ref, = struct.unpack_from('>Q', m, q)
                string_value[oid] = objsize.get(ref, 0)
            q += SIZES[ty]


def second_array(oid, acid, q, cnt):
    an = name_of(('A', acid))
    for i in range(cnt):
        ref, = struct.unpack_from('>Q', m, q + 8 * i)
        if ref and ref in objclass:
            rc = objclass[ref]
            size = objsize[ref]
            if rc == string_cid:
                size += string_value.get(ref, 0)
            e = counts[(an, '[]', name_of(rc))]; e[0] += 1; e[1] += size; e[2].add(ref); sizes_of[ref] = size
            if rc == string_cid:
                owners.setdefault(ref, set()).add(an.rsplit('.', 1)[-1] + '[]')


walk(strings_pass, lambda *a: None, False)
walk(second_instance, second_array, False)
rows = sorted(counts.items(), key=lambda kv: -kv[1][1])
print('%12s %10s %10s %12s  %s' % ('bytes', 'count', 'distinct', 'dist. bytes', 'holder.field -> class'))
for (holder, fname, target), (n, b, ids) in rows[:top]:
    print('%12d %10d %10d %12d  %s.%s -> %s' % (b, n, len(ids), sum(sizes_of[i] for i in ids), holder, fname, target))

groups = defaultdict(lambda: [0, 0])
for ref, o in owners.items():
    g = groups[tuple(sorted(o))]; g[0] += 1; g[1] += sizes_of[ref]
print()
print('strings by the set of fields holding them')
for o, (n, b) in sorted(groups.items(), key=lambda kv: -kv[1][1])[:40]:
    print('%12d %10d  %s' % (b, n, ' + '.join(o)))
