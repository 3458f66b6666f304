#!/usr/bin/env python3
"""Splits an async-profiler collapsed-stack file (one "frame;frame;... count" line per stack) into named shares.

    split.py FILE.collapsed CATEGORY=REGEX [CATEGORY=REGEX ...] [--top N]

A sample goes to the category of its innermost frame that matches one (from the leaf outwards; where one frame
matches several, the first given wins), else to "other": so a handler called from inside a decoder counts as the
handler, and the decoder's own work as the decoder. Prints a Markdown table of the shares, and with --top N the N hottest leaf frames
of each category. Used by bench/profile/run.sh.
"""
import collections
import re
import sys


def main(argv):
    top = 0
    if "--top" in argv:
        i = argv.index("--top")
        top = int(argv[i + 1])
        del argv[i:i + 2]
    path, specs = argv[0], argv[1:]
    categories = [(name, re.compile(rx)) for name, rx in (s.split("=", 1) for s in specs)]
    totals = collections.Counter()
    leaves = collections.defaultdict(collections.Counter)
    total = 0
    for line in open(path):
        stack, _, count = line.rstrip("\n").rpartition(" ")
        if not stack:
            continue
        n = int(count)
        frames = stack.split(";")
        name = next((c for f in reversed(frames) for c, rx in categories if rx.search(f)), "other")
        totals[name] += n
        leaves[name][frames[-1]] += n
        total += n
    print(f"| share of {total:,} CPU samples | % |")
    print("|---|---:|")
    for name, _ in categories + [("other", None)]:
        print(f"| {name} | {100 * totals[name] / max(total, 1):.1f} |")
    if top:
        for name, _ in categories + [("other", None)]:
            print(f"\n{name}:")
            for frame, n in leaves[name].most_common(top):
                print(f"  {100 * n / max(total, 1):5.1f}%  {frame}")


if __name__ == "__main__":
    main(sys.argv[1:])
