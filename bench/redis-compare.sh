#!/usr/bin/env bash
# Single-node RingKV (RF=1) against redis-server, same machine, same run.
# redis-benchmark -t set,get,mset,incr -c 50 -d 100 -r 100000 at -P 1 and -P 16; prints throughput, p50, p99 and
# p99.9 per row for both and the RingKV/Redis ratios, and writes bench/results/redis-compare-<mode>.md.
#   MODE=memory  (default) RingKV --storage memory  vs redis-server without persistence
#   MODE=durable           RingKV RocksDB --fsync everysec vs redis-server --appendonly yes --appendfsync everysec
#   MODE=both              memory, then durable
# Runs alternate Redis and RingKV; each cell is the median of the repeats (per column).
# MSET is redis-benchmark's mset test (10 keys per command); INCR uses keys counter:<rand>.
#
# Usage: [MODE=memory|durable|both] [TESTS="set get mset incr"] [PIPELINES="1 16"] [SKIP_BUILD=1] \
#          bench/redis-compare.sh [requests per test, default 200000] [repeats, default 3]
# Needs: redis-server, redis-cli and redis-benchmark (apt-get install redis-server redis-tools), the .NET SDK, python3.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
requests=${1:-200000}
repeats=${2:-3}
# shellcheck source=lib/common.sh
. "$here/lib/common.sh"
bench_setup "set get mset incr"

start_single_pair "$work"

# One run of one test against one server: "rps p50 p99 p99.9" or "error".
run() { # label port test pipeline
  bench_once "$1 $3 P$4" -h 127.0.0.1 -p "$2" -t "$3" -c 50 -d 100 -n "$requests" -P "$4" -r 100000
}

report="$here/results/redis-compare-$mode.md"
mkdir -p "$here/results"
echo "redis-compare ($mode): $requests requests per test, median of $repeats alternating runs, -c 50 -d 100 -r 100000"
{
  echo "# RingKV single node (RF=1, $mode: ${ringkv_storage[*]}) vs redis-server ($(redis_desc))"
  echo
  echo "- $(date -u +%Y-%m-%d) — $(versions_line)"
  echo "- machine: $(machine_line)"
  echo "- load: redis-benchmark -c 50 -d 100 -n $requests -r 100000, tests: $tests; pipelines: $pipelines; median of $repeats alternating runs (Redis then RingKV)"
  echo "- RingKV: coordinator --replication-factor 1 + one node (${ringkv_storage[*]}); redis-server $(redis_desc)"
  echo "- mset = redis-benchmark's MSET test (10 keys per command, so its rps counts commands, not keys)"
  echo "- latencies in ms as redis-benchmark reports them (p50/p99 from its summary, p99.9 = first HDR percentile step >= 99.9%)"
  echo
} >"$report"
compare_all "$report" "$redis_port" "$node_port"
report_errors "$report"
echo
echo "written: ${report#"$root"/}"
