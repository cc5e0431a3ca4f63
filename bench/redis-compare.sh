#!/usr/bin/env bash
# Single-node RingKV (RF=1) against redis-server, same machine, same run.
# redis-benchmark -t set,get -c 50 -d 100 at -P 1 and -P 16; prints throughput and latency per row and the
# RingKV/Redis ratio, and writes bench/results/redis-compare-<mode>.md.
#   MODE=memory  (default) RingKV --storage memory  vs redis-server without persistence
#   MODE=durable           RingKV RocksDB --fsync everysec vs redis-server --appendonly yes --appendfsync everysec
#
# Usage: [MODE=memory|durable] bench/redis-compare.sh [requests per test, default 200000] [repeats, default 3]
# Needs: redis-server and redis-benchmark (apt-get install redis-server redis-tools), the .NET SDK.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
requests=${1:-200000}
repeats=${2:-3}
mode=${MODE:-memory}
case "$mode" in
  memory)  redis_persistence=(--save "" --appendonly no); ringkv_storage=(--storage memory) ;;
  durable) redis_persistence=(--save "" --appendonly yes --appendfsync everysec); ringkv_storage=(--storage rocksdb --fsync everysec) ;;
  *) echo "MODE must be memory or durable"; exit 2 ;;
esac
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_ready() { # file, pattern
  for _ in $(seq 1 300); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "not ready: $1"; cat "$1"; exit 1
}

echo "building ringkv (Release)…"
dotnet build "$root/src/RingKV.Cli" -c Release -v quiet -nologo >/dev/null
ringkv="$root/src/RingKV.Cli/bin/Release/net10.0/linux-x64/ringkv"

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 "${redis_persistence[@]}" --daemonize no --dir "$work" >"$work/redis.log" 2>&1 &
pids+=($!)
wait_ready "$work/redis.log" "Ready to accept connections"

"$ringkv" coordinator --port 0 --replication-factor 1 --data-dir "$work/coord" >"$work/coord.log" 2>&1 &
pids+=($!)
wait_ready "$work/coord.log" "RINGKV READY"
coord_port=$(grep -o 'RINGKV READY.*port=[0-9]*' "$work/coord.log" | grep -o 'port=[0-9]*' | cut -d= -f2)
env ${RINGKV_BENCH_ENV:-} "$ringkv" node --id bench-node --port 0 --coordinator "127.0.0.1:$coord_port" --data-dir "$work/node" "${ringkv_storage[@]}" >"$work/node.log" 2>&1 &
pids+=($!)
wait_ready "$work/node.log" "RINGKV READY"
node_port=$(grep -o 'RINGKV READY.*port=[0-9]*' "$work/node.log" | grep -o 'port=[0-9]*' | cut -d= -f2)
for _ in $(seq 1 100); do [ "$(redis-cli -p "$node_port" SET probe x 2>/dev/null)" = "OK" ] && break; sleep 0.1; done

# One redis-benchmark run: prints "rps p50 p99" for one test.
run() { # port test pipeline
  redis-benchmark -h 127.0.0.1 -p "$1" -t "$2" -c 50 -d 100 -n "$requests" -P "$3" -r 100000 --csv -q 2>/dev/null \
    | awk -F, 'NR==2 { gsub(/"/,""); print $2, $5, $7 }'
}
median() { sort -g | awk '{ a[NR]=$1 } END { print a[int((NR+1)/2)] }'; }

echo "requests per test: $requests, best-of: median of $repeats alternating runs, -c 50 -d 100"
printf '\n%-6s %-3s | %12s %8s %8s | %12s %8s %8s | %6s\n' test P "redis rps" "p50 ms" "p99 ms" "ringkv rps" "p50 ms" "p99 ms" ratio
report="$here/results/redis-compare-$mode.md"
{
  echo "# RingKV single node (RF=1, $mode: ${ringkv_storage[*]}) vs redis-server (${redis_persistence[*]})"
  echo
  echo "redis-server $(redis-server --version | grep -o 'v=[0-9.]*' | cut -d= -f2)"
  echo
  echo "$(date -u +%Y-%m-%d), $(nproc) cores, redis-benchmark -c 50 -d 100 -n $requests -r 100000, median of $repeats alternating runs."
  echo
  echo "| test | pipeline | redis rps | p50 ms | p99 ms | ringkv rps | p50 ms | p99 ms | ringkv/redis |"
  echo "|---|---|---|---|---|---|---|---|---|"
} >"$report"
for pipeline in 1 16; do
  for test in set get; do
    : >"$work/r"; : >"$work/k"
    for _ in $(seq 1 "$repeats"); do
      run "$redis_port" "$test" "$pipeline" >>"$work/r"
      run "$node_port" "$test" "$pipeline" >>"$work/k"
    done
    r_rps=$(cut -d' ' -f1 "$work/r" | median); r_p50=$(cut -d' ' -f2 "$work/r" | median); r_p99=$(cut -d' ' -f3 "$work/r" | median)
    k_rps=$(cut -d' ' -f1 "$work/k" | median); k_p50=$(cut -d' ' -f2 "$work/k" | median); k_p99=$(cut -d' ' -f3 "$work/k" | median)
    ratio=$(awk -v a="$k_rps" -v b="$r_rps" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
    printf '%-6s %-3s | %12s %8s %8s | %12s %8s %8s | %5sx\n' "$test" "$pipeline" "$r_rps" "$r_p50" "$r_p99" "$k_rps" "$k_p50" "$k_p99" "$ratio"
    echo "| $test | $pipeline | $r_rps | $r_p50 | $r_p99 | $k_rps | $k_p50 | $k_p99 | ${ratio}x |" >>"$report"
  done
done
echo
echo "written: ${report#$root/}"
