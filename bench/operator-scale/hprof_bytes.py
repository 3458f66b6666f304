#!/usr/bin/env python3
"""byte[] size histogram (and the strings' share) from an HPROF heap dump: which sizes hold the bytes."""
import struct, sys, collections

def main(path):
    f = open(path, 'rb')
    header = b''
    while (c := f.read(1)) != b'\0':
        header += c
    idsize = struct.unpack('>I', f.read(4))[0]
    f.read(8)
    rid = '>Q' if idsize == 8 else '>I'
    sizes = collections.Counter()
    total = collections.Counter()
    prim_size = {4: 1, 5: 2, 6: 4, 7: 8, 8: 1, 9: 2, 10: 4, 11: 8}
    while True:
        h = f.read(9)
        if len(h) < 9:
            break
        tag, _, length = struct.unpack('>BII', h)
        if tag not in (0x0C, 0x1C):
            f.seek(length, 1)
            continue
        data = f.read(length)
        i = 0
        n = len(data)
        while i < n:
            st = data[i]; i += 1
            if st == 0xFF: i += idsize
            elif st in (0x01,): i += 2 * idsize
            elif st in (0x02, 0x03): i += idsize + 8
            elif st == 0x04: i += idsize + 4
            elif st in (0x05, 0x07): i += idsize
            elif st == 0x06: i += idsize + 4
            elif st == 0x08: i += idsize + 8
            elif st == 0x20:  # class dump
                i += idsize + 4 + 6 * idsize + 4
                cp = struct.unpack_from('>H', data, i)[0]; i += 2
                for _ in range(cp):
                    i += 2; t = data[i]; i += 1
                    i += idsize if t == 2 else prim_size[t]
                sf = struct.unpack_from('>H', data, i)[0]; i += 2
                for _ in range(sf):
                    i += idsize; t = data[i]; i += 1
                    i += idsize if t == 2 else prim_size[t]
                inf = struct.unpack_from('>H', data, i)[0]; i += 2
                i += inf * (idsize + 1)
            elif st == 0x21:
                i += idsize + 4 + idsize
                ln = struct.unpack_from('>I', data, i)[0]; i += 4 + ln
            elif st == 0x22:
                i += idsize + 4
                cnt = struct.unpack_from('>I', data, i)[0]; i += 4 + idsize + cnt * idsize
            elif st == 0x23:
                i += idsize + 4
                cnt, t = struct.unpack_from('>IB', data, i); i += 5
                nbytes = cnt * prim_size[t]; i += nbytes
                if t == 8:  # byte
                    b = 64 if cnt <= 64 else 256 if cnt <= 256 else 1024 if cnt <= 1024 else 4096 if cnt <= 4096 \
                        else 16384 if cnt <= 16384 else 65536 if cnt <= 65536 else 1 << 30
                    sizes[b] += 1; total[b] += cnt
            elif st == 0xFE: i += 4 + idsize  # heap dump info
            else:
                raise SystemExit(f'unknown sub-record {st:#x} at {i}')
    print('byte[] length up to | arrays | MiB')
    for b in sorted(sizes):
        label = 'larger' if b == 1 << 30 else str(b)
        print(f'{label:>10} | {sizes[b]:>8} | {total[b] / 2**20:8.1f}')

main(sys.argv[1])
