#!/usr/bin/env bash
# Three-node RingKV cluster against a six-process Redis Cluster (3 primaries + 3 replicas), same machine, same run.
#   RingKV: coordinator --replication-factor 3 + 3 nodes, --write-consistency QUORUM --read-consistency QUORUM
#           (W=2, R=2: every write waits for 2 of its 3 copies, every read asks 2).
#   Redis:  6 redis-server --cluster-enabled yes, redis-cli --cluster create ... --cluster-replicas 1
#           (replication to the replica is asynchronous: a write is acknowledged by its primary alone).
#   MODE=memory  (default) RingKV --storage memory          vs Redis without persistence
#   MODE=durable           RingKV RocksDB --fsync everysec  vs Redis --appendonly yes --appendfsync everysec
#   MODE=both              memory, then durable
# Load: redis-benchmark --cluster -t set,get -c 50 -d 100 -r 100000 at -P 1 and -P 16 against one node of each;
# redis-benchmark discovers the primaries with CLUSTER NODES (RingKV answers it from its cluster map) and sends
# every key to the primary of its slot, one thread per primary. Runs alternate Redis and RingKV; each cell is
# the median of the repeats (per column). Writes bench/results/cluster-compare-<mode>.md with per-node request
# counters that show the load was spread (and that RingKV proxied no command).
#
# Usage: [MODE=memory|durable|both] [TESTS="set get"] [PIPELINES="1 16"] [SKIP_BUILD=1] \
#          bench/cluster-compare.sh [requests per test, default 200000] [repeats, default 3]
# Needs: redis-server, redis-cli and redis-benchmark (apt-get install redis-server redis-tools), the .NET SDK, python3.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
requests=${1:-200000}
repeats=${2:-3}
# shellcheck source=lib/common.sh
. "$here/lib/common.sh"
bench_setup "set get"

# --- Redis Cluster: 6 processes, 3 primaries with one replica each ---
redis_ports=()
for i in 1 2 3 4 5 6; do
  p=$(free_port bus)
  while [[ " ${redis_ports[*]:-} " == *" $p "* ]]; do p=$(free_port bus); done
  redis_ports+=("$p")
  mkdir -p "$work/redis-$p"
  redis-server --port "$p" --bind 127.0.0.1 "${redis_persistence[@]}" --daemonize no --dir "$work/redis-$p" \
    --cluster-enabled yes --cluster-config-file "$work/nodes-$p.conf" --cluster-node-timeout 5000 >"$work/redis-$p.log" 2>&1 &
  pids+=($!)
done
for p in "${redis_ports[@]}"; do wait_ready "$work/redis-$p.log" "Ready to accept connections"; done
redis-cli --cluster create $(printf '127.0.0.1:%s ' "${redis_ports[@]}") --cluster-replicas 1 --cluster-yes >"$work/redis-create.log" 2>&1 \
  || { echo "error: redis-cli --cluster create failed:" >&2; tail -20 "$work/redis-create.log" >&2; exit 1; }
for _ in $(seq 1 600); do
  ok=1
  for p in "${redis_ports[@]}"; do
    info=$(redis-cli -p "$p" CLUSTER INFO 2>/dev/null | tr -d '\r')
    echo "$info" | grep -q '^cluster_state:ok$' && echo "$info" | grep -q '^cluster_known_nodes:6$' || ok=0
  done
  # Every primary has its replica attached and in sync before the first run.
  synced=$(for p in "${redis_ports[@]}"; do redis-cli -p "$p" INFO replication 2>/dev/null | tr -d '\r' | grep -c '^slave0:.*state=online' || true; done | awk '{ s += $1 } END { print s + 0 }')
  [ $ok = 1 ] && [ "$synced" = 3 ] && break
  sleep 0.2
done
[ $ok = 1 ] && [ "$synced" = 3 ] || { echo "error: Redis Cluster not ok (state ok on all: $ok, replicas online: $synced)" >&2; exit 1; }
wait_set_ok "${redis_ports[0]}" -c

# --- RingKV: coordinator (RF=3) + 3 nodes, QUORUM reads and writes ---
start_ringkv_cluster "$work"
ringkv_settings=$(redis-cli -p "${node_ports[0]}" INFO replication | tr -d '\r' | grep -E '^(replication_factor|read_consistency|write_consistency):' | tr '\n' ' ')

# --- runs ---
# Per-node counters (INFO stats) before and after all runs, to show how the load was spread.
counters() { # port... -> "port connections commands forwarded" lines
  local p
  for p in "$@"; do
    redis-cli -p "$p" INFO stats 2>/dev/null | tr -d '\r' | awk -v p="$p" -F: '
      /^total_connections_received:/ { c = $2 } /^total_commands_processed:/ { n = $2 } /^ringkv_forwarded_commands:/ { f = $2 }
      END { print p, c + 0, n + 0, (f == "" ? "-" : f) }'
  done
}
counters "${redis_ports[@]}" >"$work/redis-before"
counters "${node_ports[@]}" >"$work/ringkv-before"

: >"$work/masters-redis"; : >"$work/masters-ringkv"; : >"$work/reconfig"
run() { # label port test pipeline
  local row
  row=$(bench_once "$1 $3 P$4" --cluster -h 127.0.0.1 -p "$2" -t "$3" -c 50 -d 100 -n "$requests" -P "$4" -r 100000)
  echo "$row"
  tr '\r' '\n' <"$work/bench.out" | grep -o 'cluster mode: yes ([0-9]* masters)' | head -1 >>"$work/masters-$1" || true
  local moved
  moved=$(tr '\r' '\n' <"$work/bench.out" | grep -c 'configuration changed' || true)
  [ "$moved" = 0 ] || echo "$1 $3 P$4: redis-benchmark refetched the slot map $moved time(s) (MOVED/ASK)" >>"$work/reconfig"
}

report="$here/results/cluster-compare-$mode.md"
mkdir -p "$here/results"
echo "cluster-compare ($mode): $requests requests per test, median of $repeats alternating runs, redis-benchmark --cluster -c 50 -d 100 -r 100000"
{
  echo "# RingKV 3 nodes (RF=3, W=QUORUM, R=QUORUM, $mode) vs Redis Cluster (3 primaries + 3 replicas, $mode)"
  echo
  echo "- $(date -u +%Y-%m-%d) — $(versions_line)"
  echo "- machine: $(machine_line); every process (6 redis-server, coordinator + 3 RingKV nodes, redis-benchmark) shares these cores"
  echo "- load: \`redis-benchmark --cluster -h 127.0.0.1 -p <one node> -t <test> -c 50 -d 100 -n $requests -r 100000 -P <pipeline>\`; tests: $tests; pipelines: $pipelines; median of $repeats alternating runs (Redis then RingKV)"
  echo "- method: redis-benchmark's own cluster mode against both systems (it reads CLUSTER NODES, spreads the 50 clients over the primaries and uses one thread per primary)"
  echo "- RingKV: \`coordinator --replication-factor 3\` + 3 × \`node ${ringkv_storage[*]} --write-consistency QUORUM --read-consistency QUORUM\` (node INFO: ${ringkv_settings% })"
  echo "- Redis Cluster: 6 × \`redis-server --cluster-enabled yes --cluster-node-timeout 5000 $(redis_desc)\`, \`redis-cli --cluster create … --cluster-replicas 1\` (asynchronous replication)"
  echo "- latencies in ms as redis-benchmark reports them (p50/p99 from its summary, p99.9 = first HDR percentile step >= 99.9%)"
  echo
} >"$report"
compare_all "$report" "${redis_ports[0]}" "${node_ports[0]}"

counters "${redis_ports[@]}" >"$work/redis-after"
counters "${node_ports[@]}" >"$work/ringkv-after"
spread() { # system title
  echo
  echo "$2 (deltas over all runs; primaries discovered by redis-benchmark: $(grep -o '[0-9]*' "$work/masters-$1" | sort -u | tr '\n' ' ' | sed 's/ $//'))"
  echo
  echo "| node port | connections received | commands processed | commands proxied to another node |"
  echo "|---|---|---|---|"
  paste -d' ' "$work/$1-before" "$work/$1-after" | awk '{ f = ($8 == "-" ? "-" : $8 - $4); print "| " $1 " | " $6 - $2 " | " $7 - $3 " | " f " |" }'
}
{
  echo
  echo "## Load spread"
  spread redis "Redis Cluster per node (primaries and replicas; a replica counts the writes it applies)"
  spread ringkv "RingKV per node (commands processed include the replica and quorum-read traffic between nodes; proxied = ringkv_forwarded_commands, 0 when every client sent each key to its slot's primary)"
  if [ -s "$work/reconfig" ]; then echo; echo "Slot-map refetches:"; echo; sed 's/^/- /' "$work/reconfig"; fi
} >>"$report"
sed -n '/^## Load spread/,$p' "$report"
report_errors "$report"
echo
echo "written: ${report#"$root"/}"
