#!/usr/bin/env python3
"""Who holds the int[] of an HPROF heap dump: bytes by owning class and field (instances, static fields, object arrays)."""
import struct, sys, collections
f = open(sys.argv[1], 'rb'); data = f.read()
p = data.index(b'\0') + 1
ids = struct.unpack('>I', data[p:p+4])[0]; p += 12
R = '>Q' if ids == 8 else '>I'
def rid(o): return struct.unpack(R, data[o:o+ids])[0]
psize = {2: ids, 4: 1, 5: 2, 6: 4, 7: 8, 8: 1, 9: 2, 10: 4, 11: 8}
names = {}; classname = {}; classes = {}  # class id -> (super, [field types])
statics = []; intarr = {}; instances = []; objarrs = []
while p < len(data):
    tag, _, length = struct.unpack('>BII', data[p:p+9]); p += 9; end = p + length
    if tag == 0x01:
        names[rid(p)] = data[p+ids:end].decode('utf-8', 'replace')
    elif tag == 0x02:
        classname[rid(p+4)] = rid(p+8+ids)
    elif tag in (0x0C, 0x1C):
        i = p
        while i < end:
            st = data[i]; i += 1
            if st == 0xFF: i += ids
            elif st == 0x01: i += 2*ids
            elif st in (0x02, 0x03): i += ids + 8
            elif st == 0x04: i += ids + 4
            elif st == 0x05: i += ids
            elif st == 0x06: i += ids + 4
            elif st == 0x07: i += ids
            elif st == 0x08: i += ids + 8
            elif st == 0x20:
                cid = rid(i); sup = rid(i+ids); i += 7*ids + 8
                n = struct.unpack('>H', data[i:i+2])[0]; i += 2
                for _ in range(n):
                    t = data[i+2]; i += 3 + psize[t]
                n = struct.unpack('>H', data[i:i+2])[0]; i += 2
                for _ in range(n):
                    t = data[i+ids]
                    if t == 2: statics.append((cid, rid(i), rid(i+ids+1)))
                    i += ids + 1 + psize[t]
                n = struct.unpack('>H', data[i:i+2])[0]; i += 2
                fields = []
                for _ in range(n):
                    fields.append((rid(i), data[i+ids])); i += ids + 1
                classes[cid] = (sup, fields)
            elif st == 0x21:
                oid = rid(i); cid = rid(i+ids+4); n = struct.unpack('>I', data[i+2*ids+4:i+2*ids+8])[0]
                instances.append((oid, cid, i+2*ids+8, n)); i += 2*ids + 8 + n
            elif st == 0x22:
                oid = rid(i); n = struct.unpack('>I', data[i+ids+4:i+ids+8])[0]; acid = rid(i+ids+8)
                objarrs.append((oid, acid, i+2*ids+8, n)); i += 2*ids + 8 + n*ids
            elif st == 0x23:
                oid = rid(i); n = struct.unpack('>I', data[i+ids+4:i+ids+8])[0]; t = data[i+ids+8]
                if t == 10: intarr[oid] = n*4
                i += ids + 9 + n*psize[t]
            else: raise SystemExit('bad subtag %x' % st)
    p = end
cn = lambda c: names.get(classname.get(c), '?')
owner = collections.Counter(); count = collections.Counter()
for oid, cid, off, n in instances:
    c = cid; i = off
    while c and c in classes:
        sup, fields = classes[c]
        for fname, t in fields:
            if t == 2:
                ref = rid(i)
                if ref in intarr:
                    k = cn(c) + '.' + names.get(fname, '?'); owner[k] += intarr[ref]; count[k] += 1
            i += psize[t]
        c = sup
for oid, acid, off, n in objarrs:
    for j in range(n):
        ref = rid(off + j*ids)
        if ref in intarr:
            k = cn(acid) + '[]'; owner[k] += intarr[ref]; count[k] += 1
for cid, fname, ref in statics:
    if ref in intarr:
        k = 'static ' + cn(cid) + '.' + names.get(fname, '?'); owner[k] += intarr[ref]; count[k] += 1
print('int[] total %.1f MiB in %d' % (sum(intarr.values())/2**20, len(intarr)))
for k, v in owner.most_common(15): print('%8.2f MiB %7d  %s' % (v/2**20, count[k], k))
