# shellcheck shell=bash
# Process supervision shared by hack/control-plane.sh and hack/node.sh. Each component runs in its own
# session with its pid in $dir/NAME.pid, its exact command line in $dir/NAME.cmd (for restart) and its
# output in $dir/logs/NAME.log. Callers set $dir and define log() and healthz COMPONENT (0 when healthy).

# A process counts as running unless it is gone or a zombie (PID 1 may reap orphans late).
running() { [ -r "/proc/$1/stat" ] && ! grep -qE '^[0-9]+ \(.*\) Z' "/proc/$1/stat" 2>/dev/null; }
alive() { [ -f "$dir/$1.pid" ] && running "$(cat "$dir/$1.pid")"; }

wait_gone() { # tenths-of-a-second pid... -> 0 once none of the pids is running
  local tries="$1"; shift
  for _ in $(seq 1 "$tries"); do
    local any=0
    for p in "$@"; do running "$p" && any=1; done
    [ $any -eq 0 ] && return 0
    sleep 0.1
  done
  return 1
}

spawn() { # name args... ; runs in its own session, logs to $dir/logs/name.log
  local name="$1"; shift
  mkdir -p "$dir/logs"
  printf '%s\0' "$@" > "$dir/$name.cmd" # the exact command line, for restart
  setsid "$@" >>"$dir/logs/$name.log" 2>&1 < /dev/null &
  echo $! > "$dir/$name.pid"
}

stop_components() { # name... : SIGTERM each one's process group, SIGKILL what is left after 10 s
  local pids=() c p
  for c in "$@"; do
    [ -f "$dir/$c.pid" ] || continue
    p="$(cat "$dir/$c.pid")"
    kill -TERM -- "-$p" 2>/dev/null || kill -TERM "$p" 2>/dev/null || true
    pids+=("$p")
  done
  [ ${#pids[@]} -gt 0 ] || return 0
  wait_gone 100 "${pids[@]}" || {
    for p in "${pids[@]}"; do kill -KILL -- "-$p" 2>/dev/null || kill -KILL "$p" 2>/dev/null || true; done
    wait_gone 50 "${pids[@]}" || log "processes still running after SIGKILL: ${pids[*]}"
  }
}

wait_healthy() { # component timeout-seconds: until healthz answers; the log's tail when it exits or times out
  local deadline=$(( $(date +%s) + $2 ))
  until healthz "$1"; do
    if ! alive "$1"; then log "$1 exited; last log lines:"; tail -20 "$dir/logs/$1.log" >&2; return 1; fi
    if [ "$(date +%s)" -ge "$deadline" ]; then log "$1 not healthy after $2 s"; tail -20 "$dir/logs/$1.log" >&2; return 1; fi
    sleep 0.2
  done
}

restart_component() { # name: SIGTERM (SIGKILL after 30 s), the same command line again, until healthy
  local c="$1" pid deadline args=()
  pid="$(cat "$dir/$c.pid")"
  kill "$pid" 2>/dev/null || true
  deadline=$(( $(date +%s) + 30 ))
  while running "$pid" && [ "$(date +%s)" -lt "$deadline" ]; do sleep 0.1; done
  running "$pid" && kill -9 "$pid" 2>/dev/null
  while IFS= read -r -d '' a; do args+=("$a"); done < "$dir/$c.cmd"
  spawn "$c" "${args[@]}"
  wait_healthy "$c" 90
}

# A watchdog that runs "SCRIPT down --dir DIR" once the owner process exits (also on SIGKILL of the owner).
start_watchdog() { # owner-pid script
  [ -n "$1" ] || return 0
  setsid bash -c 'while kill -0 "$1" 2>/dev/null; do sleep 1; done; exec "$2" down --dir "$3"' \
    watchdog "$1" "$2" "$dir" >/dev/null 2>&1 < /dev/null &
  echo $! > "$dir/watchdog.pid"
}

stop_watchdog() { # never signal ourselves: the watchdog execs `down` itself when its owner dies
  if [ -f "$dir/watchdog.pid" ] && [ "$(cat "$dir/watchdog.pid")" != "$$" ]; then
    kill "$(cat "$dir/watchdog.pid")" 2>/dev/null || true
  fi
}
