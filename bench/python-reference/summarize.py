"""Markdown tables from bench.sh's wrk results: per server and connection count the median rps, p50 and p99 over
the repeats; per server the highest median rps whose median p99 meets the latency bound; and the ratio.

  python summarize.py RESULTS.tsv --slo-ms 10 --reference java

RESULTS.tsv lines: server, connections, repeat, then wrk's RESULT fields (rps=.. p50=.. p99=.. errors=.. non2xx=..)
and cpu_ms=.. (server CPU time per request), load=.. (the 1-minute load average after the run).
"""
import argparse
import statistics
from collections import defaultdict


def read(path):
    runs = defaultdict(list)
    order = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            server, connections, _, *fields = line.split()
            values = dict(field.split("=") for field in fields)
            key = (server, int(connections))
            if key not in runs:
                order.append(key)
            runs[key].append({name: float(value) for name, value in values.items()})
    return runs, order


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results")
    parser.add_argument("--slo-ms", type=float, default=10.0)
    parser.add_argument("--reference", default="java", help="server whose rps is the numerator of the ratio")
    args = parser.parse_args()
    runs, order = read(args.results)

    medians = {}
    servers = list(dict.fromkeys(server for server, _ in order))
    print("| server | connections | rps (median) | p50 ms (median) | p99 ms (median) | p99 ms of each run |"
          " server CPU ms per request (median) | socket errors | non-2xx |")
    print("|---|---:|---:|---:|---:|---|---:|---:|---:|")
    for server, connections in sorted(order, key=lambda key: (servers.index(key[0]), key[1])):
        rs = runs[(server, connections)]
        each = " / ".join(f"{r['p99']:.1f}" for r in rs)
        m = {name: statistics.median(r[name] for r in rs) for name in ("rps", "p50", "p99", "cpu_ms")}
        medians[(server, connections)] = m
        print(f"| {server} | {connections} | {m['rps']:,.0f} | {m['p50']:.2f} | {m['p99']:.2f} |"
              f" {each} | {m['cpu_ms']:.2f} | {sum(r['errors'] for r in rs):.0f} |"
              f" {sum(r['non2xx'] for r in rs):.0f} |")

    loads = [r["load"] for rs in runs.values() for r in rs if "load" in r]
    if loads:
        print(f"\n1-minute load average after each run: {min(loads):.2f} to {max(loads):.2f}"
              f" (median {statistics.median(loads):.2f})")
    best = {}
    for (server, connections), m in medians.items():
        if m["p99"] <= args.slo_ms and (server not in best or m["rps"] > best[server][1]["rps"]):
            best[server] = (connections, m)
    print()
    print(f"| server | best level with median p99 <= {args.slo_ms:g} ms | rps | p99 ms |")
    print("|---|---:|---:|---:|")
    for server in servers:
        if server in best:
            connections, m = best[server]
            print(f"| {server} | {connections} connections | {m['rps']:,.0f} | {m['p99']:.2f} |")
        else:
            print(f"| {server} | none | 0 | |")
    print()
    others = [s for s in servers if s.startswith("python") and s in best]
    if args.reference not in best or not others:
        print(f"RATIO: not computable: {', '.join(s for s in servers if s not in best)} met p99 <= {args.slo_ms:g} ms"
              " at no level")
        return
    rival = max(others, key=lambda s: best[s][1]["rps"])
    ratio = best[args.reference][1]["rps"] / best[rival][1]["rps"]
    print(f"RATIO: {args.reference} / best Python ({rival}) = {best[args.reference][1]['rps']:,.0f} /"
          f" {best[rival][1]['rps']:,.0f} = {ratio:.2f}x rps at p99 <= {args.slo_ms:g} ms")
    for server in [s for s in servers if s != args.reference and s in best]:
        print(f"  {args.reference} / {server} = {best[args.reference][1]['rps'] / best[server][1]['rps']:.2f}x")


if __name__ == "__main__":
    main()
