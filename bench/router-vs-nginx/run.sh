#!/usr/bin/env bash
# Router vs nginx: Serendip's A/B router against nginx `split_clients` + `proxy_pass`, both in front of
# the same two backends, load from wrk on loopback at fixed concurrencies, in one run.
#
#   bench/router-vs-nginx/run.sh [duration-seconds] [concurrency...]
#   e.g. bench/router-vs-nginx/run.sh 10 16 64
#
# Every (concurrency, proxy) cell is measured REPEAT times (default 3), the proxies interleaved within
# each repetition, and the tables report medians: on a shared VM single runs swing by a third.
# BASELINE_JAR=path measures a second build of the router (another commit's runtime jar) in the same
# run, interleaved with the others, so a change can be judged side by side; BASELINE_JAVA_OPTS gives that JVM
# options of its own (default: ROUTER_JAVA_OPTS), e.g. the same jar with another setting.
# Router JVMs run with ParallelGC and a 256 MiB heap unless their options name a collector (-XX:+Use...GC).
# SCHED=1 also samples each proxy's threads on the scheduler while it is loaded (bench/profile/sched.py: CPU, time
# runnable but not running, context switches; and the proxy core's softirq share) and prints those tables last.
# TRACE=1 captures 1 s of loopback traffic (tcpdump, pinned with wrk) in the middle of each proxy's last repetition
# and splits every request's time into the proxy's inbound share, the backend's and the proxy's outbound share
# (bench/profile/proxy_trace.py), so a slow tail can be placed on one side or the other.
#
# Fairness: each proxy gets one CPU core (taskset core 1; nginx worker_processes 1); wrk and the
# backends share core 0. Both proxies assign users by a hash of the user key with a 50/50 split and
# keep pooled keep-alive connections to the backends. nginx reads the key from a header (it cannot
# parse JSON); Serendip's router reads it from the JSON body, as its API defines — so the router does
# strictly more work per request. Prints a Markdown table of rps, p50 and p99 and the ratios.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
duration="${1:-10}"; shift || true
concurrencies=("${@:-16 64}"); read -r -a concurrencies <<< "${concurrencies[*]}"

for tool in nginx wrk taskset java python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install nginx-light wrk util-linux)" >&2; exit 1; }
done
jar="${SERENDIP_JAR:-$root/runtime/target/serendip-runtime.jar}"  # SERENDIP_JAR: measure another build
[ -f "$jar" ] || (cd "$root" && ./mvnw -B -q -pl runtime -am package -Dmaven.test.skip=true)

work="$(mktemp -d -t serendip-bench-router-XXXX)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT; [ -n "${KEEP:-}" ] && trap - EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
b1=$(port); b2=$(port); nginx_port=$(port)
repeat="${REPEAT:-3}"

# A fixed slate of 10 items: what a recommender answers, so proxies move realistic bodies (and, as the recommender
# does, its counts in the X-Serendip-Slate header, from which the router counts impressions).
slate='{"user":"u","arm":"control","items":[{"item":"1","score":0.9},{"item":"2","score":0.8},{"item":"3","score":0.7},{"item":"4","score":0.6},{"item":"5","score":0.5},{"item":"6","score":0.4},{"item":"7","score":0.3},{"item":"8","score":0.2},{"item":"9","score":0.1},{"item":"10","score":0.05}]}'
mkdir -p "$work/backend" "$work/proxy"
cat > "$work/backend/nginx.conf" <<CONF
worker_processes 1; pid $work/backend/nginx.pid; error_log $work/backend/error.log warn; daemon off;
events { worker_connections 4096; }
http {
  access_log off; client_body_temp_path $work/backend; proxy_temp_path $work/backend;
  fastcgi_temp_path $work/backend; uwsgi_temp_path $work/backend; scgi_temp_path $work/backend;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$b1; location / { default_type application/json; add_header X-Serendip-Slate 'items=10;explored=0;novel=0'; return 200 '$slate'; } }
  server { listen 127.0.0.1:$b2; location / { default_type application/json; add_header X-Serendip-Slate 'items=10;explored=0;novel=0'; return 200 '$slate'; } }
}
CONF
cat > "$work/proxy/nginx.conf" <<CONF
worker_processes 1; pid $work/proxy/nginx.pid; error_log $work/proxy/error.log warn; daemon off;
events { worker_connections 4096; }
http {
  access_log off; client_body_temp_path $work/proxy; proxy_temp_path $work/proxy;
  fastcgi_temp_path $work/proxy; uwsgi_temp_path $work/proxy; scgi_temp_path $work/proxy;
  keepalive_requests 1000000;
  upstream control { server 127.0.0.1:$b1; keepalive 128; }
  upstream explore { server 127.0.0.1:$b2; keepalive 128; }
  split_clients "exp-salt\$http_x_user" \$arm { 50% control; * explore; }
  server {
    listen 127.0.0.1:$nginx_port;
    location / {
      proxy_pass http://\$arm; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_connect_timeout 500ms; proxy_read_timeout 2s;
    }
  }
}
CONF
# A router config (same arms and salt as nginx's split) for a port; one JVM per build, pinned like nginx.
start_router() { # name jar port java-options
  cat > "$work/$1.yaml" <<CONF
apiVersion: serendip.io/v1alpha1
kind: RouterConfig
server: {port: $3}
router:
  experiment: bench
  salt: exp-salt
  arms:
  - {name: control, control: true, weightBasisPoints: 5000, explorationShare: 0.0, backend: "http://127.0.0.1:$b1", ready: true}
  - {name: explore, weightBasisPoints: 5000, explorationShare: 0.2, backend: "http://127.0.0.1:$b2", ready: true}
  timeouts: {connectMillis: 500, requestMillis: 2000}
CONF
  # The same collector and heap for every router JVM, unless its options choose a collector of their own.
  local heap="-XX:+UseParallelGC -Xms256m -Xmx256m"; [[ "$4" == *-XX:+Use*GC* ]] && heap=""
  # shellcheck disable=SC2086
  taskset -c ${ROUTER_CPUS:-1} java $4 $heap \
    -Xlog:gc:file="$work/$1-gc.log":uptime -jar "$2" router \
    --config "$work/$1.yaml" --reload-interval-ms 0 > "$work/$1.log" 2>&1 & pids+=($!)
}
cat > "$work/load.lua" <<'LUA'
-- Each request: a random one of 100,000 users, key both in the header (nginx) and the body (router).
math.randomseed(42)
request = function()
  local user = "user-" .. math.random(1, 100000)
  local body = '{"user":"' .. user .. '","history":["50","172","133"],"k":10}'
  return wrk.format("POST", "/v1/recommend", {["Content-Type"] = "application/json", ["X-User"] = user}, body)
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT rps=%.1f p50=%.3f p99=%.3f errors=%d non2xx=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
LUA

taskset -c 0 nginx -c "$work/backend/nginx.conf" & pids+=($!)
taskset -c 1 nginx -c "$work/proxy/nginx.conf" & pids+=($!)
declare -A url=([nginx]="http://127.0.0.1:$nginx_port")
proxies=(nginx router)
router_port=$(port); start_router router "$jar" "$router_port" "${ROUTER_JAVA_OPTS:-}"; url[router]="http://127.0.0.1:$router_port"
if [ -n "${BASELINE_JAR:-}" ]; then
  baseline_port=$(port); start_router baseline "$BASELINE_JAR" "$baseline_port" "${BASELINE_JAVA_OPTS:-${ROUTER_JAVA_OPTS:-}}"
  url[baseline]="http://127.0.0.1:$baseline_port"; proxies+=(baseline)
fi
for p in "${proxies[@]}"; do
  probe="${url[$p]}/"; [ "$p" != nginx ] && probe="${url[$p]}/readyz"
  for _ in $(seq 1 150); do curl -fsS -o /dev/null "$probe" 2>/dev/null && break; sleep 0.2; done
  curl -fsS -o /dev/null "$probe" || { echo "$p not ready" >&2; cat "$work"/*.log >&2; exit 1; }
done

declare -A proc=([nginx]="$(pgrep -P "${pids[1]}" | head -1)") # the proxy's worker process
proc[router]="${pids[2]}"; [ -n "${BASELINE_JAR:-}" ] && proc[baseline]="${pids[3]}"
measure() { # url concurrency duration [proxy sched-file] -> "rps=.. p50=.. p99=.. errors=.. non2xx=.."
  local sampler=""
  if [ -n "${SCHED:-}" ] && [ -n "${5:-}" ] && [ "$3" -gt 4 ]; then
    (sleep 1; python3 "$root/bench/profile/sched.py" "${proc[$4]}" $(( $3 - 2 )) --cpu "${ROUTER_CPUS:-1}" > "$5") &
    sampler=$!
  fi
  if [ -n "${TRACE:-}" ] && [ -n "${6:-}" ] && [ "$3" -gt 4 ]; then
    local proxy_port="${1##*:}"
    (sleep $(( $3 / 2 )); taskset -c 0 timeout -s INT 1 tcpdump -Z root -i lo -s 600 -B 262144 --time-stamp-precision=nano \
      -w "$6" "tcp and (port $b1 or port $b2 or port $proxy_port) and tcp[tcpflags] & tcp-push != 0" \
      2> "$6.log") &
    sampler="$sampler $!"
  fi
  taskset -c 0 wrk -t1 -c "$2" -d "${3}s" --latency -s "$work/load.lua" "$1" | sed -n 's/^RESULT //p'
  # shellcheck disable=SC2086
  [ -z "$sampler" ] || wait $sampler || true # timeout ends tcpdump with 124
}
echo "warming up (10 s each): ${proxies[*]}" >&2
for p in "${proxies[@]}"; do measure "${url[$p]}" 32 10 >/dev/null; done

results="$work/results.txt" # concurrency proxy repetition rps p50 p99 errors non2xx
for c in "${concurrencies[@]}"; do
  for r in $(seq 1 "$repeat"); do
    for p in "${proxies[@]}"; do
      trace=""; [ "$r" = "$repeat" ] && trace="$work/trace-$c-$p.pcap"
      line="$(measure "${url[$p]}" "$c" "$duration" "$p" "$work/sched-$c-$p-$r.md" "$trace")"
      eval "$(echo "$line" | tr ' ' '\n' | sed 's/^/local_/')"
      echo "$c $p $r $local_rps $local_p50 $local_p99 $local_errors $local_non2xx" | tee -a "$results" >&2
    done
  done
done
python3 - "$results" "${proxies[@]}" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
proxies = sys.argv[2:]
cell = {}
for c, p, r, rps, p50, p99, err, non2xx in rows:
    cell.setdefault((int(c), p), []).append((float(rps), float(p50), float(p99), int(err), int(non2xx)))
med = lambda xs: statistics.median(xs)
print("| concurrency | proxy | rps (median) | p50 ms | p99 ms (median) | rps of each run | socket errors | non-2xx |")
print("|---:|---|---:|---:|---:|---|---:|---:|")
for (c, p), runs in sorted(cell.items(), key=lambda kv: (kv[0][0], proxies.index(kv[0][1]))):
    print(f"| {c} | {p} | {med([x[0] for x in runs]):,.0f} | {med([x[1] for x in runs]):.2f} | {med([x[2] for x in runs]):.2f} "
          f"| {' / '.join(f'{x[0]:,.0f}' for x in runs)} | {sum(x[3] for x in runs)} | {sum(x[4] for x in runs)} |")
print()
print("| concurrency | proxy | rps ratio to nginx | p99 ratio to nginx |")
print("|---:|---|---:|---:|")
for c in sorted({k[0] for k in cell}):
    n = cell[(c, "nginx")]
    for p in proxies[1:]:
        s = cell[(c, p)]
        print(f"| {c} | {p} | {med([x[0] for x in s]) / med([x[0] for x in n]):.2f} | {med([x[2] for x in s]) / med([x[2] for x in n]):.2f} |")
PY
if [ -n "${TRACE:-}" ]; then
  for c in "${concurrencies[@]}"; do
    for p in "${proxies[@]}"; do
      echo; echo "### $p, $c connections, last repetition: each request's time, from 1 s of loopback capture"
      grep -h 'captured\|dropped' "$work/trace-$c-$p.pcap.log" | tr '\n' ';'; echo
      python3 "$root/bench/profile/proxy_trace.py" "$work/trace-$c-$p.pcap" --proxy-port "${url[$p]##*:}" \
        --backend-port "$b1" --backend-port "$b2" --name "$p"
    done
  done
fi
if [ -n "${SCHED:-}" ]; then
  for c in "${concurrencies[@]}"; do
    for p in "${proxies[@]}"; do
      echo; echo "### $p, $c connections, last repetition: scheduler"; cat "$work/sched-$c-$p-$repeat.md"
    done
  done
fi
echo
echo "| proxy | requests (warm-up included) | heap allocated per request | young pauses | pause ms p50 / max | time in pauses |"
echo "|---|---:|---:|---:|---:|---:|"
for p in "${proxies[@]:1}"; do
  curl -fsS "${url[$p]}/v1/stats" > "$work/$p-stats.json"
  # Allocation between collections (heap before a pause minus heap after the one before), over the requests served.
  python3 - "$p" "$work/$p-stats.json" "$work/$p-gc.log" <<'PY'
import json, re, statistics, sys
name, stats, log = sys.argv[1:]
arms = json.load(open(stats))["arms"]
requests = sum(v["requests"] for v in arms.values())
errors = sum(v["errors"] for v in arms.values())
pause = re.compile(r"^\[([\d.]+)s\].*Pause Young.* (\d+)M->(\d+)M\(\d+M\) ([\d.]+)ms")
rows = [pause.match(l) for l in open(log)]
rows = [(float(m[1]), int(m[2]), int(m[3]), float(m[4])) for m in rows if m]
allocated = sum(before - (rows[i - 1][2] if i else 0) for i, (_, before, _, _) in enumerate(rows)) * 2**20
pauses = [r[3] for r in rows]
wall = rows[-1][0] - rows[0][0] if len(rows) > 1 else float("nan")
print(f"| {name} | {requests:,} ({errors} errors) | {allocated / max(requests, 1) / 1024:.1f} KiB | {len(pauses)} "
      f"| {statistics.median(pauses) if pauses else 0:.2f} / {max(pauses, default=0):.2f} "
      f"| {100 * sum(pauses) / 1000 / wall:.2f}% |")
PY
done
