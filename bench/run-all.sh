#!/usr/bin/env bash
# The whole RingKV-vs-Redis suite in one command, then every table:
#   bench/redis-compare.sh   MODE=memory and MODE=durable  (single node, SET/GET/MSET/INCR, -P 1 and -P 16)
#   bench/cluster-compare.sh MODE=memory and MODE=durable  (3 RingKV nodes RF=3 QUORUM vs Redis Cluster 3+3, SET/GET)
#   bench/memory.sh          MODE=both                     (RSS of a single node vs redis-server, 1M keys of 100 bytes)
# Results: bench/results/redis-compare-{memory,durable}.md, bench/results/cluster-compare-{memory,durable}.md and
# bench/results/memory.md.
#
# Usage: [SINGLE_MODES="memory durable"] [CLUSTER_MODES="memory durable"] [MEMORY_MODE=both|memory|durable] \
#          bench/run-all.sh [requests per test, default 200000] [repeats, default 3]
# TESTS and PIPELINES are passed through when set (they then apply to both compare scripts); KEYS and VALUE_SIZE
# likewise to memory.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
requests=${1:-200000}
repeats=${2:-3}
single_modes=${SINGLE_MODES:-memory durable}
cluster_modes=${CLUSTER_MODES:-memory durable}
reports=()
build=${SKIP_BUILD:-0}
for m in $single_modes; do
  MODE=$m SKIP_BUILD=$build bash "$here/redis-compare.sh" "$requests" "$repeats"
  build=1
  reports+=("$here/results/redis-compare-$m.md")
done
for m in $cluster_modes; do
  MODE=$m SKIP_BUILD=$build bash "$here/cluster-compare.sh" "$requests" "$repeats"
  build=1
  reports+=("$here/results/cluster-compare-$m.md")
done
MODE=${MEMORY_MODE:-both} SKIP_BUILD=$build bash "$here/memory.sh"
reports+=("$here/results/memory.md")
echo
echo "================================================================"
for r in "${reports[@]}"; do
  echo
  cat "$r"
done
