"""Top methods of a JDK Flight Recorder recording's execution samples (Java threads running Java code):

  jfr print --events jdk.ExecutionSample FILE.jfr | python jfr_top.py [--match serendip,djl]

Prints the share of samples whose top frame is each method (self) and, for methods whose name contains one of
--match, the share of samples that have it anywhere on the stack (inclusive).
"""
import argparse
import collections
import re
import sys


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--match", default="serendip,djl", help="comma-separated substrings for the inclusive list")
    parser.add_argument("--top", type=int, default=10)
    args = parser.parse_args()
    events = re.split(r"\n(?=jdk\.ExecutionSample)", sys.stdin.read())
    self_counts, inclusive = collections.Counter(), collections.Counter()
    samples = 0
    for event in events:
        frames = re.findall(r"^\s+([\w$.<>]+)\(", event, re.M)
        if not event.startswith("jdk.ExecutionSample") or not frames:
            continue
        samples += 1
        self_counts[frames[0]] += 1
        inclusive.update(set(frames))
    print(f"{samples} execution samples")
    for method, count in self_counts.most_common(args.top):
        print(f"  self {100 * count / samples:5.1f}%  {method}")
    patterns = args.match.split(",")
    shown = 0
    for method, count in inclusive.most_common():
        if shown < args.top and any(p in method for p in patterns):
            print(f"  incl {100 * count / samples:5.1f}%  {method}")
            shown += 1


if __name__ == "__main__":
    main()
