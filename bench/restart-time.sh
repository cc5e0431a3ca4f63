#!/usr/bin/env bash
# Restart time of a durable node: load N keys (100-byte values) into a one-node RingKV cluster (RF=1, RocksDB),
# kill -9 the node, start it again on the same data directory, and time until it answers GET with the data.
# redis-server with appendonly everysec gets the same treatment in the same run, for comparison.
#
# Usage: bench/restart-time.sh [keys, default 1000000]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
keys=${1:-1000000}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_for() { # command..., polls every 10 ms for up to 10 minutes
  for _ in $(seq 1 60000); do "$@" >/dev/null 2>&1 && return 0; sleep 0.01; done; return 1
}
answers() { [ "$(redis-cli -p "$1" GET "key:$((keys - 1))" 2>/dev/null | head -c 5)" = "value" ]; }
now_ms() { date +%s%3N; }
load() { # port: exactly $keys SETs through redis-cli --pipe
  awk -v n="$keys" 'BEGIN { v = sprintf("%095d", 0); for (i = 0; i < n; i++) { k = "key:" i; printf "*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$100\r\nvalue%s\r\n", length(k), k, v } }' \
    | redis-cli -p "$1" --pipe >/dev/null
}

dotnet build "$root/src/RingKV.Cli" -c Release -v quiet -nologo >/dev/null
ringkv="$root/src/RingKV.Cli/bin/Release/net10.0/linux-x64/ringkv"

coord_port=$(free_port); node_port=$(free_port)
"$ringkv" coordinator --port "$coord_port" --replication-factor 1 --data-dir "$work/coord" >"$work/coord.log" 2>&1 & pids+=($!)
start_node() {
  "$ringkv" node --id bench --port "$node_port" --coordinator "127.0.0.1:$coord_port" --data-dir "$work/node" --storage rocksdb --fsync everysec >>"$work/node.log" 2>&1 &
  node_pid=$!; pids+=($node_pid)
}
accepts_writes() { [ "$(redis-cli -p "$1" SET probe x 2>/dev/null)" = "OK" ]; }
start_node
wait_for accepts_writes "$node_port"
echo "loading $keys keys into RingKV…"; t0=$(now_ms); load "$node_port"; echo "  loaded in $(( $(now_ms) - t0 )) ms"
sleep 2 # let the everysec WAL sync cover the last writes before the crash
kill -9 "$node_pid"; wait "$node_pid" 2>/dev/null || true
t0=$(now_ms); start_node; wait_for answers "$node_port"; ringkv_ms=$(( $(now_ms) - t0 ))
ringkv_keys=$(redis-cli -p "$node_port" DBSIZE)

redis_port=$(free_port)
start_redis() { redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly yes --appendfsync everysec --dir "$work" >>"$work/redis.log" 2>&1 & redis_pid=$!; pids+=($redis_pid); }
start_redis; wait_for redis-cli -p "$redis_port" PING
echo "loading $keys keys into redis-server…"; load "$redis_port"
sleep 2
kill -9 "$redis_pid"; wait "$redis_pid" 2>/dev/null || true
t0=$(now_ms); start_redis; wait_for answers "$redis_port"; redis_ms=$(( $(now_ms) - t0 ))
redis_keys=$(redis-cli -p "$redis_port" DBSIZE)

printf '\n%-28s %12s %12s\n' "restart after kill -9" "time (ms)" "keys"
printf '%-28s %12s %12s\n' "ringkv (rocksdb, everysec)" "$ringkv_ms" "$ringkv_keys"
printf '%-28s %12s %12s\n' "redis-server (aof everysec)" "$redis_ms" "$redis_keys"
{
  echo "# Restart time after kill -9, $keys keys of 100 bytes"
  echo
  echo "$(date -u +%Y-%m-%d), $(nproc) cores. Time from process start to the first correct GET of the last key loaded."
  echo
  echo "| server | restart ms | keys after restart |"
  echo "|---|---|---|"
  echo "| ringkv node (RocksDB, fsync everysec) | $ringkv_ms | $ringkv_keys |"
  echo "| redis-server (appendonly, everysec) | $redis_ms | $redis_keys |"
} >"$here/results/restart-time.md"
echo "written: bench/results/restart-time.md"
