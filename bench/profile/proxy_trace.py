#!/usr/bin/env python3
"""Where a proxied request's time goes, from a packet capture on the loopback interface.

    bench/profile/proxy_trace.py CAPTURE.pcap --proxy-port P --backend-port B [--backend-port B2 ...]

The capture must hold the TCP segments that carry data (tcpdump's `tcp[tcpflags] & tcp-push != 0` is enough) with
their first few hundred bytes, of both the client-to-proxy and the proxy-to-backend connections. Every request is
followed through four segments, as the kernel saw them:

    t0  client -> proxy   request          (matched to t1 by the request body's "user" value, the next one in time)
    t1  proxy -> backend  request
    t2  backend -> proxy  answer           (the next segment from the backend on t1's connection)
    t3  proxy -> client   answer           (the next segment from the proxy on t0's connection)

and the shares are printed as percentiles: t1 - t0 (the proxy, from the request's arrival to its forwarding),
t2 - t1 (the backend, including any wait for a CPU on the backend's side), t3 - t2 (the proxy, from the answer's
arrival to its relay) and t3 - t0 (the whole request inside the proxy). The capture's timestamps are the kernel's,
taken when a segment is handed to the loopback device, so a wait in a receive queue counts to the receiver's side.
"""
import argparse
import bisect
import re
import struct
import sys
from collections import defaultdict

USER = re.compile(rb'"user":"([^"]+)"')


def segments(path):
    """(time_ns, src_port, dst_port, payload) of every TCP segment with data in a pcap file (Ethernet or raw IPv4)."""
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack_from("<I", data, 0)[0]
    if magic == 0xA1B23C4D:
        scale = 1
    elif magic == 0xA1B2C3D4:
        scale = 1000
    else:
        raise SystemExit(f"{path}: not a little-endian pcap file")
    linktype = struct.unpack_from("<I", data, 20)[0]
    link_header = {1: 14, 101: 0, 113: 16}.get(linktype)
    if link_header is None:
        raise SystemExit(f"{path}: link type {linktype} is not handled")
    offset = 24
    while offset + 16 <= len(data):
        seconds, fraction, captured, _ = struct.unpack_from("<IIII", data, offset)
        packet = data[offset + 16: offset + 16 + captured]
        offset += 16 + captured
        ip = packet[link_header:]
        if len(ip) < 20 or ip[0] >> 4 != 4 or ip[9] != 6:
            continue
        ip_length = (ip[0] & 0x0F) * 4
        total = struct.unpack_from(">H", ip, 2)[0]
        tcp = ip[ip_length:]
        if len(tcp) < 20:
            continue
        src, dst = struct.unpack_from(">HH", tcp, 0)
        tcp_length = (tcp[12] >> 4) * 4
        if total - ip_length - tcp_length <= 0:
            continue
        yield seconds * 1_000_000_000 + fraction * scale, src, dst, tcp[tcp_length:]


def percentiles(values, points=(50, 90, 99, 99.9)):
    ordered = sorted(values)
    return [ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] for p in points]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("capture")
    parser.add_argument("--proxy-port", type=int, required=True)
    parser.add_argument("--backend-port", type=int, action="append", required=True)
    parser.add_argument("--name", default="proxy")
    args = parser.parse_args()
    backends = set(args.backend_port)

    client_requests = []                 # (t, client port, user)
    backend_requests = defaultdict(list)  # user -> [(t, proxy's port to the backend)]
    from_backend = defaultdict(list)     # proxy's port to the backend -> [t]
    to_client = defaultdict(list)        # client port -> [t]
    for t, src, dst, payload in segments(args.capture):
        if dst == args.proxy_port:
            match = USER.search(payload)
            if match:
                client_requests.append((t, src, match.group(1)))
        elif src == args.proxy_port:
            to_client[dst].append(t)
        elif dst in backends:
            match = USER.search(payload)
            if match:
                backend_requests[match.group(1)].append((t, src))
        elif src in backends:
            from_backend[dst].append(t)

    shares = {"proxy in (t1 - t0)": [], "backend (t2 - t1)": [], "proxy out (t3 - t2)": [], "whole (t3 - t0)": []}
    unmatched = 0
    for t0, client, user in client_requests:
        forwarded = backend_requests.get(user, [])
        i = bisect.bisect_left(forwarded, (t0, -1))
        if i == len(forwarded):
            unmatched += 1
            continue
        t1, link = forwarded[i]
        answers = from_backend[link]
        j = bisect.bisect_left(answers, t1)
        relayed = to_client[client]
        if j == len(answers):
            unmatched += 1
            continue
        t2 = answers[j]
        k = bisect.bisect_left(relayed, t2)
        if k == len(relayed):
            unmatched += 1
            continue
        t3 = relayed[k]
        shares["proxy in (t1 - t0)"].append(t1 - t0)
        shares["backend (t2 - t1)"].append(t2 - t1)
        shares["proxy out (t3 - t2)"].append(t3 - t2)
        shares["whole (t3 - t0)"].append(t3 - t0)

    matched = len(shares["whole (t3 - t0)"])
    if not matched:
        sys.exit(f"{args.capture}: no request could be followed through the proxy")
    print(f"{args.name}: {matched:,} requests followed ({unmatched:,} not: the capture's edges or dropped segments)")
    print("| share | p50 ms | p90 ms | p99 ms | p99.9 ms | mean ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, values in shares.items():
        p = percentiles(values)
        print(f"| {name} | " + " | ".join(f"{v / 1e6:.3f}" for v in p) + f" | {sum(values) / len(values) / 1e6:.3f} |")
    # The slow 1% of whole requests: where did their time go?
    whole = shares["whole (t3 - t0)"]
    cut = percentiles(whole, (99,))[0]
    slow = [i for i, v in enumerate(whole) if v >= cut]
    print(f"the slowest 1% ({len(slow):,} requests, whole >= {cut / 1e6:.3f} ms), mean of each share: " + ", ".join(
        f"{name.split(' (')[0]} {sum(shares[name][i] for i in slow) / len(slow) / 1e6:.3f} ms" for name in shares))


if __name__ == "__main__":
    main()
