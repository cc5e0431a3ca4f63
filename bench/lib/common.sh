# Shared helpers for bench/redis-compare.sh and bench/cluster-compare.sh (sourced, not run).
# Expects $root (repo root), $requests and $repeats in the sourcing script; bench_setup sets the rest.

require_tools() { # tool...
  local missing=()
  for t in "$@"; do command -v "$t" >/dev/null 2>&1 || missing+=("$t"); done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "error: missing tool(s): ${missing[*]}" >&2
    echo "  redis-server/redis-cli/redis-benchmark: apt-get install -y redis-server redis-tools" >&2
    echo "  dotnet: the .NET 10 SDK; python3, awk, timeout: the usual system packages" >&2
    exit 2
  fi
}

# Kills every process in pids (and waits for it), then removes $work. Installed as the EXIT trap.
cleanup_all() {
  local p
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
  [ -n "${work:-}" ] && rm -rf "$work"
}
install_cleanup() {
  trap cleanup_all EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# A free TCP port on 127.0.0.1. With "bus", also port+10000 is free (Redis Cluster's bus port).
free_port() {
  python3 - "${1:-}" <<'EOF'
import random, socket, sys
bus = sys.argv[1] == "bus"
def bindable(p):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p)); return True
    except OSError:
        return False
    finally:
        s.close()
if not bus:
    s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
else:
    for _ in range(1000):
        p = random.randint(20000, 30000)
        if bindable(p) and bindable(p + 10000):
            print(p); break
    else:
        sys.exit("no free port pair found")
EOF
}

wait_ready() { # file, pattern, [seconds, default 60]
  local i
  for i in $(seq 1 $(( ${3:-60} * 10 ))); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "error: not ready after ${3:-60}s: $1" >&2; tail -20 "$1" >&2; exit 1
}

ready_port() { # log file of a ringkv process -> its port
  grep -o 'RINGKV READY.*port=[0-9]*' "$1" | head -1 | grep -o 'port=[0-9]*' | cut -d= -f2
}

# Builds the CLI once (retried once: a build racing another build of the same tree can fail spuriously).
build_ringkv() {
  ringkv="$root/src/RingKV.Cli/bin/Release/net10.0/linux-x64/ringkv"
  if [ "${SKIP_BUILD:-0}" = 1 ] && [ -x "$ringkv" ]; then return 0; fi
  echo "building ringkv (Release)…"
  if ! dotnet build "$root/src/RingKV.Cli" -c Release -v quiet -nologo >"$work/build.log" 2>&1; then
    sleep 2
    dotnet build "$root/src/RingKV.Cli" -c Release -v quiet -nologo >"$work/build.log" 2>&1 \
      || { echo "error: dotnet build failed:" >&2; grep -E 'error|Error' "$work/build.log" | sort -u | head -20 >&2; exit 1; }
  fi
  [ -x "$ringkv" ] || { echo "error: $ringkv not found after build" >&2; exit 1; }
}

# Waits until the coordinator reports no rebalance running and the ring has $2 members, and every node
# (ports in $3...) has seen that map: a node prints READY before its join has finished copying slots.
wait_settled() { # coordinator-port member-count node-port...
  local coord=$1 want=$2; shift 2
  local i status epoch ok p
  for i in $(seq 1 600); do
    status=$(redis-cli -p "$coord" REBALANCE STATUS 2>/dev/null || true)
    if echo "$status" | grep -q '"state":"idle"'; then
      epoch=$(echo "$status" | grep -o '"epoch":[0-9]*' | cut -d: -f2)
      members=$(echo "$status" | grep -o '"members":\[[^]]*\]' | grep -o '"[^"]*"' | grep -vc members || true)
      if [ "$members" = "$want" ]; then
        ok=1
        for p in "$@"; do
          info=$(redis-cli -p "$p" INFO cluster 2>/dev/null | tr -d '\r')
          echo "$info" | grep -q "^cluster_nodes_up:$want$" || ok=0
          [ "$(echo "$info" | grep '^cluster_epoch:' | cut -d: -f2)" = "$epoch" ] || ok=0
        done
        [ $ok = 1 ] && return 0
      fi
    fi
    sleep 0.2
  done
  echo "error: ring did not settle within 120s: $status" >&2; exit 1
}

wait_set_ok() { # port [extra redis-cli args]
  local i
  for i in $(seq 1 200); do
    [ "$(redis-cli -p "$1" "${@:2}" SET bench:probe x 2>/dev/null)" = "OK" ] && return 0; sleep 0.1
  done
  echo "error: SET on port $1 never answered OK" >&2; exit 1
}

# Parses one redis-benchmark run (plain output, no -q/--csv) into "rps p50 p99 p99.9" (ms).
# rps, p50 and p99 come from the Summary block (exact HDR percentiles); p99.9 from the "Latency by percentile
# distribution" block: the first listed percentile >= 99.9% (99.902% in practice), falling back to the max.
parse_bench() { # output file
  tr '\r' '\n' <"$1" | awk '
    /^Latency by percentile distribution/ { dist = 1; next }
    dist && /^[0-9.]+% <= / { pct = $1; sub(/%/, "", pct); if (p999 == "" && pct + 0 >= 99.9) p999 = $3; last = $3; next }
    dist { if (p999 == "") p999 = last; dist = 0 }
    /throughput summary:/ { rps = $3 }
    /avg +min +p50 +p95 +p99 +max/ { getline; p50 = $3; p99 = $5 }
    END { if (rps != "" && p50 != "" && p99 != "" && p999 != "") print rps, p50, p99, p999 }'
}

# One redis-benchmark run. Prints "rps p50 p99 p99.9"; on failure prints "error" and appends the reason to
# $work/errors. Arguments after the label go to redis-benchmark.
bench_once() { # label redis-benchmark-args...
  local label=$1; shift
  local out="$work/bench.out" line rc=0
  timeout "${BENCH_TIMEOUT:-900}" redis-benchmark "$@" >"$out" 2>&1 || rc=$?
  line=$(parse_bench "$out")
  local err
  err=$(tr '\r' '\n' <"$out" | grep -E -m3 'Error|ERR|WRONGTYPE|MOVED|ASK |CROSSSLOT|Could not|failed' || true)
  if [ $rc -ne 0 ] || [ -z "$line" ] || [ -n "$err" ]; then
    { echo "[$label] redis-benchmark $* (exit $rc):"; echo "${err:-$(tr '\r' '\n' <"$out" | grep -v 'rps=' | tail -5)}"; } >>"$work/errors"
    echo error
  else
    echo "$line"
  fi
}

median() { # column values on stdin; "error" if any run failed
  awk '{ if ($1 == "error") bad = 1; else a[++n] = $1 } END {
         if (bad || n == 0) { print "error"; exit }
         for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
         print a[int((n + 1) / 2)] }'
}

# Median per column of a file of "rps p50 p99 p99.9" lines -> "rps p50 p99 p99.9".
median_row() { # file
  local c out=()
  for c in 1 2 3 4; do out+=("$(awk -v c=$c '{ print ($1 == "error" ? "error" : $c) }' "$1" | median)"); done
  echo "${out[*]}"
}

ratio() { # a b -> a/b with 2 decimals, or "-"
  awk -v a="$1" -v b="$2" 'BEGIN { if (a == "error" || b == "error" || b + 0 == 0) print "-"; else printf "%.2f", a / b }'
}

machine_line() {
  local cpu
  cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || true)
  echo "$(nproc) cores (${cpu:-unknown CPU}), $(awk '/^MemTotal:/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo) GiB RAM, load average at start $(cut -d' ' -f1-3 /proc/loadavg), $(uname -sr)"
}

versions_line() {
  echo "ringkv $("$ringkv" --version 2>/dev/null | cut -d+ -f1) ($("$ringkv" --version 2>/dev/null | cut -d+ -f2 | cut -c1-12)), .NET SDK $(dotnet --version 2>/dev/null), redis-server $(redis-server --version | grep -o 'v=[0-9.]*' | cut -d= -f2), redis-benchmark $(redis-benchmark --version 2>/dev/null | awk '{ print $2 }')"
}

table_header() { # markdown report file
  {
    echo "| test | pipeline | redis rps | p50 ms | p99 ms | p99.9 ms | ringkv rps | p50 ms | p99 ms | p99.9 ms | rps ringkv/redis | p99.9 ringkv/redis |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
  } >>"$1"
  printf '\n%-5s %-2s | %10s %7s %7s %8s | %10s %7s %7s %8s | %6s %6s\n' test P "redis rps" p50 p99 p99.9 "ringkv rps" p50 p99 p99.9 "rps x" "p999 x"
}

table_row() { # report test pipeline "redis row" "ringkv row"
  local r k rr lr
  read -r -a r <<<"$4"; read -r -a k <<<"$5"
  [ ${#r[@]} -eq 4 ] || r=(error error error error)
  [ ${#k[@]} -eq 4 ] || k=(error error error error)
  rr=$(ratio "${k[0]}" "${r[0]}"); lr=$(ratio "${k[3]}" "${r[3]}")
  printf '%-5s %-2s | %10s %7s %7s %8s | %10s %7s %7s %8s | %6s %6s\n' "$2" "$3" "${r[@]}" "${k[@]}" "$rr" "$lr"
  echo "| $2 | $3 | ${r[0]} | ${r[1]} | ${r[2]} | ${r[3]} | ${k[0]} | ${k[1]} | ${k[2]} | ${k[3]} | ${rr}x | ${lr}x |" >>"$1"
}

# Appends the error log (if any) to the report.
report_errors() { # report
  if [ -s "$work/errors" ]; then
    { echo; echo "## Errors"; echo; echo '```'; cat "$work/errors"; echo '```'; } >>"$1"
    echo; echo "ERRORS (also in the report):"; cat "$work/errors"
  fi
}

redis_desc() { # the redis_persistence array, printable (--save "" shows as such)
  local a out=()
  for a in "${redis_persistence[@]}"; do out+=("${a:-\"\"}"); done
  echo "${out[*]}"
}

# Alternating Redis/RingKV runs of every test at every pipeline depth ($tests, $pipelines, $repeats), one median row
# each in the report and on screen. Each script defines run(): system port test pipeline -> one result line.
compare_all() { # report redis-port ringkv-port
  local report=$1 redis_port=$2 ringkv_port=$3 pipeline test
  table_header "$report"
  for pipeline in $pipelines; do
    for test in $tests; do
      : >"$work/r"; : >"$work/k"
      for _ in $(seq 1 "$repeats"); do
        run redis "$redis_port" "$test" "$pipeline" >>"$work/r"
        run ringkv "$ringkv_port" "$test" "$pipeline" >>"$work/k"
      done
      table_row "$report" "$test" "$pipeline" "$(median_row "$work/r")" "$(median_row "$work/k")"
    done
  done
}

# The common prologue: MODE=both runs the script twice; sets $mode, $tests (default: $1), $pipelines, the persistence
# flags of both sides, $work and pids=(), installs the cleanup trap, checks tools and builds RingKV.
bench_setup() { # default-tests
  mode=${MODE:-memory}
  if [ "$mode" = both ]; then
    MODE=memory bash "$0" "$requests" "$repeats"
    MODE=durable SKIP_BUILD=1 bash "$0" "$requests" "$repeats"
    exit 0
  fi
  tests=${TESTS:-$1}
  pipelines=${PIPELINES:-1 16}
  case "$mode" in
    memory)  redis_persistence=(--save "" --appendonly no); ringkv_storage=(--storage memory) ;;
    durable) redis_persistence=(--save "" --appendonly yes --appendfsync everysec); ringkv_storage=(--storage rocksdb --fsync everysec) ;;
    *) echo "MODE must be memory, durable or both" >&2; exit 2 ;;
  esac
  require_tools redis-server redis-cli redis-benchmark dotnet python3 awk timeout
  work=$(mktemp -d)
  pids=()
  install_cleanup
  build_ringkv
}

# Starts redis-server and a single-node RingKV (coordinator with RF=1 and one node) with their logs and data in $1,
# persistence from the arrays redis_persistence and ringkv_storage; sets redis_port, coord_port and node_port, and
# returns once the node's ring has settled and it answers a SET (key bench:probe).
start_single_pair() { # dir
  local dir=$1
  redis_port=$(free_port)
  redis-server --port "$redis_port" --bind 127.0.0.1 "${redis_persistence[@]}" --daemonize no --dir "$dir" >"$dir/redis.log" 2>&1 &
  pids+=($!)
  wait_ready "$dir/redis.log" "Ready to accept connections"

  "$ringkv" coordinator --port 0 --replication-factor 1 --data-dir "$dir/coord" >"$dir/coord.log" 2>&1 &
  pids+=($!)
  wait_ready "$dir/coord.log" "RINGKV READY"
  coord_port=$(ready_port "$dir/coord.log")
  env ${RINGKV_BENCH_ENV:-} "$ringkv" node --id bench-node --port 0 --coordinator "127.0.0.1:$coord_port" --data-dir "$dir/node" "${ringkv_storage[@]}" >"$dir/node.log" 2>&1 &
  pids+=($!)
  wait_ready "$dir/node.log" "RINGKV READY"
  node_port=$(ready_port "$dir/node.log")
  wait_settled "$coord_port" 1 "$node_port"
  wait_set_ok "$node_port"
}

# Starts a RingKV coordinator (RF=3) and 3 nodes with QUORUM reads and writes, storage from the array ringkv_storage,
# logs and data in $1; sets coord_port, node_ports and node_http_ports, and returns once the ring has settled and
# every node answers a SET.
start_ringkv_cluster() { # dir
  local dir=$1 i p
  "$ringkv" coordinator --port 0 --replication-factor 3 --data-dir "$dir/coord" >"$dir/coord.log" 2>&1 &
  pids+=($!)
  wait_ready "$dir/coord.log" "RINGKV READY"
  coord_port=$(ready_port "$dir/coord.log")
  for i in 1 2 3; do
    env ${RINGKV_BENCH_ENV:-} "$ringkv" node --id "bench-$i" --port 0 --http-port 0 --coordinator "127.0.0.1:$coord_port" --data-dir "$dir/node-$i" \
      "${ringkv_storage[@]}" --write-consistency QUORUM --read-consistency QUORUM >"$dir/node-$i.log" 2>&1 &
    pids+=($!)
  done
  node_ports=(); node_http_ports=()
  for i in 1 2 3; do
    wait_ready "$dir/node-$i.log" "RINGKV READY"
    node_ports+=("$(ready_port "$dir/node-$i.log")")
    node_http_ports+=("$(grep -o 'RINGKV READY.* http=[0-9]*' "$dir/node-$i.log" | head -1 | grep -o 'http=[0-9]*' | cut -d= -f2)")
  done
  wait_settled "$coord_port" 3 "${node_ports[@]}"
  for p in "${node_ports[@]}"; do wait_set_ok "$p"; done
}
