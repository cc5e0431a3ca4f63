#!/usr/bin/env bash
# One hot key: every client writes the same key, as redis-benchmark does without -r (its key is the literal
# "key:__rand_int__"). RingKV 3 nodes (RF=3, QUORUM) against one redis-server, same machine, same run.
# redis-benchmark -t set -c 50 -d 100 (no -r) at -P 1 and -P 16, sent to the key's primary and to a node that
# forwards to it. Prints throughput and latency per row, the RingKV/Redis ratio, and how many SETs RingKV answered
# with an error (its ringkv_commands_total{command="set",result="error"} counter) and how many runs an error stopped
# (redis-benchmark exits at the first error reply). Concurrent writes of one key must all be acknowledged: ADR 0009,
# third amendment.
# Writes bench/results/hot-key-<mode>.md.
#
# Usage: [MODE=memory|durable] [PIPELINES="1 16"] [SKIP_BUILD=1] bench/hot-key.sh [requests per run, default 100000] [repeats, default 3]
# Needs: redis-server, redis-cli and redis-benchmark (apt-get install redis-server redis-tools), the .NET SDK, python3.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
requests=${1:-100000}
repeats=${2:-3}
# shellcheck source=lib/common.sh
. "$here/lib/common.sh"
bench_setup "set"

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 "${redis_persistence[@]}" --daemonize no --dir "$work" >"$work/redis.log" 2>&1 &
pids+=($!)
wait_ready "$work/redis.log" "Ready to accept connections"
start_ringkv_cluster "$work"

# The key's primary (first of its preference list) and a node that is not.
key='key:__rand_int__'
primary_id=$("$ringkv" nodes-for-key -c "127.0.0.1:$coord_port" --json "$key" | python3 -c 'import json, sys; print(json.load(sys.stdin)["nodes"][0]["id"])')
primary=$(( ${primary_id#bench-} - 1 ))
forwarder=$(( (primary + 1) % 3 ))

# SETs this node answered with an error so far (a Prometheus counter; 0 before the first error).
set_errors() { # node index
  python3 - "${node_http_ports[$1]}" <<'EOF'
import re, sys, urllib.request
text = urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/metrics", timeout=10).read().decode()
match = re.search(r'^ringkv_commands_total\{command="set",result="error"\} (\S+)$', text, re.M)
print(int(float(match.group(1))) if match else 0)
EOF
}

run() { # label port pipeline
  bench_once "$1 set P$3" -h 127.0.0.1 -p "$2" -t set -c 50 -d 100 -n "$requests" -P "$3"
}

report="$here/results/hot-key-$mode.md"
mkdir -p "$here/results"
echo "hot-key ($mode): $requests SETs of one key per run, median of $repeats alternating runs, -c 50 -d 100, no -r"
{
  echo "# One hot key: RingKV 3 nodes (RF=3, W=QUORUM, $mode) vs redis-server ($(redis_desc))"
  echo
  echo "- $(date -u +%Y-%m-%d) — $(versions_line)"
  echo "- machine: $(machine_line); every process shares these cores"
  echo "- load: \`redis-benchmark -t set -c 50 -d 100 -n $requests -P <pipeline>\` without \`-r\`: all 50 clients write \`$key\`; median of $repeats alternating runs (Redis then RingKV)"
  echo "- RingKV: \`coordinator --replication-factor 3\` + 3 × \`node ${ringkv_storage[*]} --write-consistency QUORUM\`; the key's primary is $primary_id"
  echo
  echo "| target | pipeline | redis rps | p50 ms | p99 ms | ringkv rps | p50 ms | p99 ms | rps ringkv/redis | ringkv SET errors | ringkv runs stopped by an error |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
} >"$report"
printf '\n%-10s %-2s | %10s %7s %7s | %10s %7s %7s | %6s | %s\n' target P "redis rps" p50 p99 "ringkv rps" p50 p99 "rps x" "ringkv errors"
total_errors=0
for pipeline in $pipelines; do
  for target in primary forwarder; do
    node=${!target}
    : >"$work/r"; : >"$work/k"
    before=$(set_errors "$node")
    for _ in $(seq 1 "$repeats"); do
      run redis "$redis_port" "$pipeline" >>"$work/r"
      run ringkv "${node_ports[$node]}" "$pipeline" >>"$work/k"
    done
    errors=$(( $(set_errors "$node") - before ))
    stopped=$(grep -c '^error$' "$work/k" || true)
    total_errors=$(( total_errors + errors ))
    read -r -a r <<<"$(median_row "$work/r")"; read -r -a k <<<"$(median_row "$work/k")"
    x=$(ratio "${k[0]}" "${r[0]}")
    label="$target (bench-$(( node + 1 )))"
    printf '%-10s %-2s | %10s %7s %7s | %10s %7s %7s | %6s | %s errors, %s of %s runs stopped\n' "$target" "$pipeline" "${r[0]}" "${r[1]}" "${r[2]}" "${k[0]}" "${k[1]}" "${k[2]}" "$x" "$errors" "$stopped" "$repeats"
    echo "| $label | $pipeline | ${r[0]} | ${r[1]} | ${r[2]} | ${k[0]} | ${k[1]} | ${k[2]} | ${x}x | $errors | $stopped of $repeats |" >>"$report"
  done
done
echo "- SET errors in all RingKV runs: $total_errors" >>"$report"
report_errors "$report"
echo
echo "SET errors in all RingKV runs: $total_errors"
echo "written: ${report#"$root"/}"
