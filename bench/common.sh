# Helpers shared by the bench scripts; source it after setting `root` (the repository root).

# The runtime fat jar, built first when missing.
runtime_jar() {
  local jar="$root/runtime/target/serendip-runtime.jar"
  [ -f "$jar" ] || (cd "$root" && ./mvnw -B -q -pl runtime -am package -Dmaven.test.skip=true) >&2
  echo "$jar"
}

# A work directory: the one given (created, kept and reused by the next run) or a fresh temporary one
# named after the benchmark (the caller removes it on exit, see is_temp_work).
work_dir() { # given-dir-or-empty benchmark-name
  if [ -n "$1" ]; then mkdir -p "$1"; (cd "$1" && pwd); else mktemp -d -t "serendip-bench-$2-XXXX"; fi
}
is_temp_work() { case "$1" in "${TMPDIR:-/tmp}"/serendip-bench-*) return 0 ;; *) return 1 ;; esac; }

# Runs a pipeline step unless its output exists already; its log goes to $work/<name>.log.
step() { # name output command...
  local name="$1" output="$2"; shift 2
  if [ -e "$output" ]; then echo "reusing $output" >&2; return; fi
  echo "== $name" >&2
  "$@" > "$work/$name.log" 2>&1 || { cat "$work/$name.log" >&2; exit 1; }
  tail -n 1 "$work/$name.log" >&2
}

# MovieLens-100K imported into $work/dataset and its co-occurrence cluster set (levels e.g. 8,40) in
# $work/clusters, each step skipped when its output exists.
movielens_cluster_set() { # jar movielens-dir levels
  step import-movielens "$work/dataset" java -jar "$1" job import-movielens --source "$2" --output "$work/dataset"
  step build-cluster-set "$work/clusters" java -jar "$1" job build-cluster-set --catalog-format dataset \
    --catalog "$work/dataset" --levels "$3" --output "$work/clusters"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Waits up to 5 minutes for GET url/readyz to answer 2xx; on timeout prints the log and fails.
await_ready() { # url log
  for _ in $(seq 1 600); do curl -fsS -o /dev/null "$1/readyz" 2>/dev/null && return 0; sleep 0.5; done
  echo "$1 not ready" >&2; cat "$2" >&2; return 1
}

# The benchmark virtualenv (bench/.venv unless given), created and filled from requirement files when missing.
python_venv() { # venv-dir requirements-file...
  local venv="$1"; shift
  if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    local r args=(); for r in "$@"; do args+=(-r "$r"); done
    "$venv/bin/pip" install -q "${args[@]}" >&2
  fi
  echo "$venv/bin/python"
}
