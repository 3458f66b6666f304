#!/usr/bin/env python3
"""Client side of the operator scale benchmark (driven by run.sh).

  apply     create ExplorationExperiments from a JSON template, keep at most --in-flight of them not yet
            Ready, and record for each the time from the create request to Ready=True seen by a watch
  requests  snapshot the API server's apiserver_request_total (all clients) by verb
  audit     count the audit log's requests of one user inside a time window, by verb and resource
  report    print the Markdown tables from the files the other commands wrote

Only the standard library: the API server is reached over HTTPS with the kubeconfig's CA and token.
"""
import argparse
import base64
import collections
import csv
import datetime
import http.client
import json
import math
import re
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

GROUP_PATH = "/apis/serendip.io/v1alpha1"
WRITE_VERBS = ("create", "update", "patch", "delete", "deletecollection")
# apiserver_request_total names verbs after HTTP methods where the audit log uses the API verb.
METRIC_VERBS = {"post": "create", "put": "update", "apply": "patch"}


class Api:
    """HTTPS to the API server of a kubeconfig (token authentication, as the local control plane writes it)."""

    def __init__(self, kubeconfig):
        cfg = json.loads(subprocess.check_output(
            ["kubectl", "--kubeconfig", kubeconfig, "config", "view", "--raw", "--minify", "-o", "json"]))
        cluster = cfg["clusters"][0]["cluster"]
        self.token = cfg["users"][0]["user"]["token"]
        url = urllib.parse.urlparse(cluster["server"])
        self.host, self.port = url.hostname, url.port
        with tempfile.NamedTemporaryFile("wb", suffix=".crt") as ca:
            ca.write(base64.b64decode(cluster["certificate-authority-data"]))
            ca.flush()
            self.tls = ssl.create_default_context(cafile=ca.name)

    def connect(self, timeout=30):
        return http.client.HTTPSConnection(self.host, self.port, context=self.tls, timeout=timeout)

    def request(self, conn, method, path, body=None):
        headers = {"Authorization": "Bearer " + self.token, "Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        if resp.status >= 300:
            raise RuntimeError(f"{method} {path}: HTTP {resp.status}: {data[:500]!r}")
        return data


def parse_instant(text):
    """RFC 3339 with any number of fractional digits (Java's Instant.toString writes up to nine)."""
    m = re.fullmatch(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z", text)
    if not m:
        raise ValueError("not an RFC 3339 UTC instant: " + text)
    base = datetime.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)
    return base.timestamp() + (float("0." + m.group(2)) if m.group(2) else 0.0)


def ready_condition(obj):
    for c in (obj.get("status") or {}).get("conditions") or []:
        if c.get("type") == "Ready" and c.get("status") == "True":
            return c
    return None


class ReadyWatch(threading.Thread):
    """Watches the namespace's experiments and records when each is first seen Ready=True."""

    def __init__(self, api, namespace, resource_version):
        super().__init__(daemon=True)
        self.api, self.namespace, self.rv = api, namespace, resource_version
        self.lock = threading.Condition()
        self.ready = {}  # name -> (seen epoch, operator's lastTransitionTime epoch)
        self.error = None

    def run(self):
        path = f"{GROUP_PATH}/namespaces/{self.namespace}/explorationexperiments"
        while True:
            try:
                conn = self.api.connect(timeout=None)
                query = urllib.parse.urlencode({"watch": "1", "resourceVersion": self.rv, "timeoutSeconds": "1800"})
                conn.request("GET", f"{path}?{query}", headers={"Authorization": "Bearer " + self.api.token})
                resp = conn.getresponse()
                if resp.status != 200:
                    raise RuntimeError(f"watch: HTTP {resp.status}: {resp.read()[:300]!r}")
                for line in iter(resp.readline, b""):
                    now = time.time()
                    event = json.loads(line)
                    if event["type"] == "ERROR":
                        raise RuntimeError("watch error: " + json.dumps(event["object"]))
                    obj = event["object"]
                    self.rv = obj["metadata"]["resourceVersion"]
                    cond = ready_condition(obj)
                    name = obj["metadata"]["name"]
                    if cond and name not in self.ready:
                        with self.lock:
                            self.ready[name] = (now, parse_instant(cond["lastTransitionTime"]))
                            self.lock.notify_all()
                conn.close()  # the server ended the watch (timeoutSeconds): resume from the last version
            except Exception as e:  # noqa: BLE001 - reported to the waiting thread
                with self.lock:
                    self.error = e
                    self.lock.notify_all()
                return


def apply(args):
    api = Api(args.kubeconfig)
    with open(args.template) as f:
        template = json.load(f)
    conn = api.connect()
    listing = json.loads(api.request(conn, "GET", f"{GROUP_PATH}/namespaces/{args.namespace}/explorationexperiments"))
    watch = ReadyWatch(api, args.namespace, listing["metadata"]["resourceVersion"])
    watch.start()
    sent = {}
    names = [f"{args.prefix}-{i:04d}" for i in range(args.start, args.start + args.count)]
    started = time.time()

    def outstanding():
        return [n for n in sent if n not in watch.ready]

    def wait_until(predicate, what):
        deadline = time.time() + args.timeout
        with watch.lock:
            while not predicate():
                if watch.error:
                    raise SystemExit(f"watch failed: {watch.error}")
                if time.time() > deadline:
                    raise SystemExit(f"{what} after {args.timeout} s; not Ready: {', '.join(outstanding()[:10])}")
                watch.lock.wait(1)

    for name in names:
        wait_until(lambda: len(outstanding()) < args.in_flight, "no experiment became Ready")
        body = json.loads(json.dumps(template))
        body["metadata"] = {"name": name, "namespace": args.namespace}
        t0 = time.time()
        api.request(conn, "POST", f"{GROUP_PATH}/namespaces/{args.namespace}/explorationexperiments", body)
        with watch.lock:
            sent[name] = t0
    wait_until(lambda: not outstanding(), "not all Ready")
    elapsed = time.time() - started
    with open(args.out, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["name", "created_epoch", "ready_seen_epoch", "ready_transition_epoch", "latency_s"])
        for name in names:
            seen, transition = watch.ready[name]
            out.writerow([name, f"{sent[name]:.3f}", f"{seen:.3f}", f"{transition:.3f}", f"{seen - sent[name]:.3f}"])
    lat = sorted(watch.ready[n][0] - sent[n] for n in names)
    print(f"{len(names)} experiments Ready in {elapsed:.1f} s; latency p50 {percentile(lat, 50):.2f} s, "
          f"p99 {percentile(lat, 99):.2f} s, max {lat[-1]:.2f} s", file=sys.stderr)


def requests_snapshot(args):
    """apiserver_request_total of all clients summed by verb (and by verb and resource)."""
    api = Api(args.kubeconfig)
    text = api.request(api.connect(), "GET", "/metrics").decode()
    by_verb = collections.Counter()
    by_resource = collections.Counter()
    for line in text.splitlines():
        if not line.startswith("apiserver_request_total{"):
            continue
        labels = dict(re.findall(r'(\w+)="([^"]*)"', line[:line.rindex("}")]))
        value = float(line.rsplit(" ", 1)[1])
        verb = labels.get("verb", "").lower()
        by_verb[verb] += value
        res = labels.get("resource", "") + ("/" + labels["subresource"] if labels.get("subresource") else "")
        by_resource[f"{verb} {res}"] += value
    json.dump({"time": time.time(), "by_verb": by_verb, "by_resource": by_resource}, open(args.out, "w"), indent=1)


def audit(args):
    """Requests of one user received in [from, to), from an audit log at level Metadata, by verb and resource."""
    by_verb = collections.Counter()
    by_resource = collections.Counter()
    with open(args.log) as f:
        for line in f:
            e = json.loads(line)
            if e.get("stage") != "ResponseComplete" or e["user"].get("username") != args.user:
                continue
            t = parse_instant(e["requestReceivedTimestamp"])
            if not args.start <= t < args.end:
                continue
            ref = e.get("objectRef") or {}
            res = ref.get("resource", e.get("requestURI", "")) + ("/" + ref["subresource"] if ref.get("subresource") else "")
            by_verb[e["verb"]] += 1
            by_resource[f"{e['verb']} {res}"] += 1
    json.dump({"start": args.start, "end": args.end, "by_verb": by_verb, "by_resource": by_resource},
              open(args.out, "w"), indent=1)


def percentile(sorted_values, p):
    """Nearest-rank percentile of an ascending list."""
    return sorted_values[max(0, math.ceil(p / 100 * len(sorted_values)) - 1)]


def latency_row(label, path):
    with open(path) as f:
        rows = list(csv.DictReader(f))
    lat = sorted(float(r["latency_s"]) for r in rows)
    op = sorted(float(r["ready_transition_epoch"]) - float(r["created_epoch"]) for r in rows)
    span = max(float(r["ready_seen_epoch"]) for r in rows) - min(float(r["created_epoch"]) for r in rows)
    cells = " | ".join(f"{percentile(lat, p):.2f}" for p in (50, 90, 99)) + f" | {lat[-1]:.2f}"
    return f"| {label} | {len(lat)} | {cells} | {percentile(op, 50):.2f} | {span:.0f} s |"


def per_minute(counter, verbs, minutes):
    return sum(v for k, v in counter.items() if k in verbs) / minutes


def memory_breakdown(path):
    """RSS split (anonymous / file-backed) and the Java heap and metaspace from jcmd GC.heap_info."""
    text = open(path).read()
    kb = dict(re.findall(r"^(Rss\w+):\s+(\d+) kB", text, re.M))
    heap = re.findall(r"generation\s+total (\d+)K, used (\d+)K", text)
    meta = re.search(r"Metaspace\s+used (\d+)K, committed (\d+)K", text)
    parts = [f"anonymous {int(kb.get('RssAnon', 0)) / 1024:.0f} MiB, file {int(kb.get('RssFile', 0)) / 1024:.0f} MiB"]
    if heap:
        parts.append(f"heap committed {sum(int(t) for t, _ in heap) / 1024:.0f} MiB, "
                     f"used {sum(int(u) for _, u in heap) / 1024:.0f} MiB")
    if meta:
        parts.append(f"metaspace committed {int(meta.group(2)) / 1024:.0f} MiB")
    return "; ".join(parts)


def report(args):
    d = args.dir
    env = json.load(open(f"{d}/env.json"))
    print(f"Machine: {env['machine']}. Load average (1/5/15 min): {env['load_before']} before the run, "
          f"{env['load_idle']} at the end of the idle window.")
    print(f"Versions: {env['versions']}. Operator JVM: `{env['java_opts']}`; "
          f"name resolution: {env['names']}.\n")
    print("Apply -> Ready (seconds from the create request to Ready=True seen by a watch; nearest-rank "
          "percentiles; `operator p50`: to the Ready condition's lastTransitionTime, i.e. without the watch "
          "delivery):\n")
    print("| experiments applied | n | p50 | p90 | p99 | max | operator p50 | wall time |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    print(latency_row(env["phase_a"], f"{d}/latency-a.csv"))
    if env.get("phase_b"):
        print(latency_row(env["phase_b"], f"{d}/latency-b.csv"))
    minutes = env["idle_seconds"] / 60
    op = json.load(open(f"{d}/audit-idle.json"))
    before, after = json.load(open(f"{d}/requests-before.json")), json.load(open(f"{d}/requests-after.json"))
    all_clients = collections.Counter()
    for verb in after["by_verb"]:
        all_clients[METRIC_VERBS.get(verb, verb)] += after["by_verb"][verb] - before["by_verb"].get(verb, 0)
    rss = [int(line.split()[1]) for line in open(f"{d}/rss.tsv")]
    reads = ("get", "list", "watch")
    lease = sum(v for k, v in op["by_resource"].items() if k.split(" ")[1] == "leases" and k.split(" ")[0] in WRITE_VERBS)
    print(f"\nIdle: {env['total']} experiments Ready, nothing changing, {env['idle_seconds']:.0f} s window "
          f"after {env['settle_seconds']} s of settling:\n")
    print("| measure | value |")
    print("| --- | ---: |")
    print(f"| operator RSS (VmRSS), median / max of {len(rss)} samples | "
          f"{statistics.median(rss) / 1024:.0f} MiB / {max(rss) / 1024:.0f} MiB |")
    print(f"| operator CPU | {env['cpu_seconds'] / env['idle_seconds'] * 100:.1f} % of one core |")
    print(f"| operator reconciliations / min | {env['reconciliations'] / minutes:.0f} |")
    print(f"| operator /metrics scrape | {env['metrics_series']} series, {env['metrics_bytes'] / 1024:.0f} KiB |")
    print(f"| operator writes / min (create, update, patch, delete; audit log) | "
          f"{per_minute(op['by_verb'], WRITE_VERBS, minutes):.1f} |")
    print(f"| of which its leader-election Lease | {lease / minutes:.1f} |")
    print(f"| operator reads / min (get, list, watch) | {per_minute(op['by_verb'], reads, minutes):.1f} |")
    print(f"| all clients, writes / min (apiserver_request_total) | {per_minute(all_clients, WRITE_VERBS, minutes):.1f} |")
    print(f"| all clients, reads / min | {per_minute(all_clients, reads, minutes):.1f} |")
    print(f"| operator memory at the end | {memory_breakdown(f'{d}/memory.txt')} |")
    print("\nOperator requests in the idle window by verb and resource: " + (", ".join(
        f"{k} {v}" for k, v in sorted(op["by_resource"].items())) or "none"))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("apply")
    a.add_argument("--kubeconfig", required=True)
    a.add_argument("--namespace", required=True)
    a.add_argument("--template", required=True, help="ExplorationExperiment as JSON; metadata is replaced")
    a.add_argument("--prefix", default="xp")
    a.add_argument("--start", type=int, default=0)
    a.add_argument("--count", type=int, required=True)
    a.add_argument("--in-flight", type=int, default=1, help="experiments created but not yet Ready, at most")
    a.add_argument("--timeout", type=float, default=600, help="seconds without the awaited progress")
    a.add_argument("--out", required=True)
    r = sub.add_parser("requests")
    r.add_argument("--kubeconfig", required=True)
    r.add_argument("--out", required=True)
    u = sub.add_parser("audit")
    u.add_argument("--log", required=True)
    u.add_argument("--user", required=True)
    u.add_argument("--start", type=float, required=True)
    u.add_argument("--end", type=float, required=True)
    u.add_argument("--out", required=True)
    o = sub.add_parser("report")
    o.add_argument("--dir", required=True)
    args = p.parse_args()
    {"apply": apply, "requests": requests_snapshot, "audit": audit, "report": report}[args.cmd](args)


if __name__ == "__main__":
    main()
