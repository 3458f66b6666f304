#!/usr/bin/env python3
"""Where a process's threads spend their time on the scheduler, over a fixed window.

    bench/profile/sched.py PID SECONDS [--cpu N]

For every thread of PID (and, with --cpu, the kernel's ksoftirqd thread of that CPU), from /proc before and after
the window: CPU time, time spent runnable but waiting for a CPU (schedstat's run delay), and voluntary and
involuntary context switches. With --cpu it also splits that CPU's time (/proc/stat) into user, system, softirq
and idle. A thread whose run delay per involuntary switch is milliseconds is being held off its CPU by something
else that runs there: the lines below name what.
"""
import argparse
import glob
import os
import time

TICK = os.sysconf("SC_CLK_TCK")


def thread_sample(task_dir):
    try:
        with open(f"{task_dir}/comm") as f:
            name = f.read().strip()
        with open(f"{task_dir}/schedstat") as f:
            run_ns, wait_ns, slices = (int(x) for x in f.read().split())
        switches = {}
        with open(f"{task_dir}/status") as f:
            for line in f:
                if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                    key, value = line.split(":")
                    switches[key] = int(value)
        return name, run_ns, wait_ns, slices, switches["voluntary_ctxt_switches"], switches["nonvoluntary_ctxt_switches"]
    except (FileNotFoundError, ProcessLookupError, KeyError, ValueError):
        return None  # the thread ended between listing and reading


def sample(pid, cpu):
    tasks = {os.path.basename(t): t for t in glob.glob(f"/proc/{pid}/task/*")}
    if cpu is not None:
        for t in glob.glob("/proc/[0-9]*"):
            try:
                with open(f"{t}/comm") as f:
                    if f.read().strip() == f"ksoftirqd/{cpu}":
                        tasks[f"k{os.path.basename(t)}"] = t
            except OSError:
                pass
    threads = {tid: s for tid, path in tasks.items() if (s := thread_sample(path))}
    cpu_times = None
    if cpu is not None:
        with open("/proc/stat") as f:
            for line in f:
                if line.startswith(f"cpu{cpu} "):
                    # user nice system idle iowait irq softirq steal ...
                    cpu_times = [int(x) for x in line.split()[1:9]]
    return threads, cpu_times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pid", type=int)
    parser.add_argument("seconds", type=float)
    parser.add_argument("--cpu", type=int, help="also report this CPU's time split and its ksoftirqd thread")
    parser.add_argument("--top", type=int, default=8, help="threads to list, by CPU time")
    args = parser.parse_args()
    before, cpu_before = sample(args.pid, args.cpu)
    start = time.monotonic()
    time.sleep(args.seconds)
    after, cpu_after = sample(args.pid, args.cpu)
    wall = time.monotonic() - start
    rows = []
    for tid, (name, run, wait, _, vol, invol) in after.items():
        b = before.get(tid, (name, 0, 0, 0, 0, 0))
        rows.append((name, tid, (run - b[1]) / 1e6, (wait - b[2]) / 1e6, vol - b[4], invol - b[5]))
    rows.sort(key=lambda r: -r[2])
    print(f"window {wall:.1f} s; per second of wall time:")
    print("| thread | CPU ms/s | run delay ms/s | voluntary switches/s | involuntary switches/s | run delay per involuntary switch ms |")
    print("|---|---:|---:|---:|---:|---:|")
    shown = rows[: args.top] + [r for r in rows[args.top:] if r[1].startswith("k")]
    for name, tid, run, wait, vol, invol in shown:
        per = f"{wait / invol:.2f}" if invol else "-"
        print(f"| {name} | {run / wall:.1f} | {wait / wall:.1f} | {vol / wall:.0f} | {invol / wall:.0f} | {per} |")
    rest = rows[args.top:]
    if rest:
        print(f"| {len(rest)} other threads | {sum(r[2] for r in rest) / wall:.1f} | {sum(r[3] for r in rest) / wall:.1f} "
              f"| {sum(r[4] for r in rest) / wall:.0f} | {sum(r[5] for r in rest) / wall:.0f} | |")
    if cpu_before and cpu_after:
        delta = [a - b for a, b in zip(cpu_after, cpu_before)]
        total = sum(delta) or 1
        names = ["user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"]
        print()
        print(f"cpu{args.cpu}: " + ", ".join(f"{n} {100 * d / total:.1f}%" for n, d in zip(names, delta) if d))


if __name__ == "__main__":
    main()
