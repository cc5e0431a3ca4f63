#!/usr/bin/env bash
# Resident memory (RSS) of a single RingKV node (RF=1) against redis-server holding the same data, same machine,
# same run: exactly KEYS distinct keys key:0000000.. with VALUE_SIZE-byte values, loaded with redis-cli --pipe.
# For each server: VmRSS before loading and after loading (both once RSS has stopped changing), the growth, the
# growth per key, and the RingKV/Redis ratio of RSS after load. Writes bench/results/memory.md (with MODE=both one
# file holding both sections; a single MODE overwrites it with that section only).
#   MODE=memory   RingKV --storage memory                  vs redis-server --save "" --appendonly no
#   MODE=durable  RingKV --storage rocksdb --fsync everysec vs redis-server --save "" --appendonly yes --appendfsync everysec
#   MODE=both     (default) memory, then durable
# Only the node's RSS is compared with redis-server's: the node holds the data, the coordinator holds the ring map
# (its RSS is printed as context, not included). For RocksDB the OS page cache of its files is not in RSS.
#
# Usage: [KEYS=1000000] [VALUE_SIZE=100] [MODE=memory|durable|both] [SKIP_BUILD=1] bench/memory.sh
# Needs: redis-server and redis-cli (apt-get install redis-server redis-tools), the .NET SDK, python3, awk, timeout.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
keys=${KEYS:-1000000}
value_size=${VALUE_SIZE:-100}
mode=${MODE:-both}
# shellcheck source=lib/common.sh
. "$here/lib/common.sh"

case "$mode" in
  both) modes="memory durable" ;;
  memory | durable) modes=$mode ;;
  *) echo "MODE must be memory, durable or both" >&2; exit 2 ;;
esac
[[ "$keys" =~ ^[1-9][0-9]*$ ]] || { echo "KEYS must be a positive integer" >&2; exit 2; }
[[ "$value_size" =~ ^[0-9]+$ ]] || { echo "VALUE_SIZE must be a non-negative integer" >&2; exit 2; }

require_tools redis-server redis-cli dotnet python3 awk timeout
work=$(mktemp -d)
pids=()
install_cleanup
build_ringkv

rss_kb() { # pid -> VmRSS in kB
  awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"
}
mib() { # kB -> MiB, one decimal
  awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'
}

# RSS in kB once it has stopped changing: polls every 0.5 s until two consecutive readings are within 1 MiB, at most
# 30 s (a GC, a memtable flush or jemalloc's background purge can still be moving it right after the load).
# Prints "kB seconds-waited settled|unsettled". Sends nothing to the server while polling.
settled_rss() { # pid
  local prev cur i
  prev=$(rss_kb "$1")
  for i in $(seq 1 60); do
    sleep 0.5
    cur=$(rss_kb "$1")
    if [ $(( cur > prev ? cur - prev : prev - cur )) -le 1024 ]; then
      echo "$cur $(awk -v i="$i" 'BEGIN { printf "%.1f", i / 2 }') settled"; return 0
    fi
    prev=$cur
  done
  echo "$cur 30.0 unsettled"
}

info_field() { # port section field
  redis-cli -p "$1" INFO "$2" | tr -d '\r' | awk -F: -v f="$3" '$1 == f { print $2 }'
}

dbsize_is() { # label port expected
  local n
  n=$(redis-cli -p "$2" DBSIZE | tr -d '\r')
  [ "$n" = "$3" ] || { echo "error: $1: DBSIZE is $n, expected $3" >&2; exit 1; }
}

# The load, generated once for every server and mode: KEYS SET commands as RESP arrays of bulk strings (the key
# width grows past 7 digits only when KEYS > 10^7; all keys are distinct either way).
resp="$work/load.resp"
awk -v n="$keys" -v size="$value_size" 'BEGIN {
  v = ""; for (i = 0; i < size; i++) v = v "x"
  for (i = 0; i < n; i++) {
    k = sprintf("key:%07d", i)
    printf "*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n", length(k), k, size, v
  }
}' >"$resp"
last_key=$(printf 'key:%07d' $((keys - 1)))

# Loads $resp into one server and checks redis-cli's summary: exactly KEYS replies, none an error; then DBSIZE and
# the length of the last value.
load() { # label port
  local out rc=0 summary
  out=$(timeout "${LOAD_TIMEOUT:-1200}" redis-cli -p "$2" --pipe <"$resp" 2>&1) || rc=$?
  summary=$(echo "$out" | tr -d '\r' | grep -o 'errors: *[0-9]*, *replies: *[0-9]*' | tail -1 || true)
  if [ $rc -ne 0 ] || [ "$summary" != "errors: 0, replies: $keys" ]; then
    echo "error: $1: redis-cli --pipe (exit $rc) did not report 'errors: 0, replies: $keys':" >&2
    echo "$out" | tail -20 >&2
    exit 1
  fi
  dbsize_is "$1" "$2" "$keys"
  [ "$(redis-cli -p "$2" STRLEN "$last_key" | tr -d '\r')" = "$value_size" ] \
    || { echo "error: $1: STRLEN $last_key is not $value_size" >&2; exit 1; }
}

# One server: RSS before (settled), load, RSS after (settled). Sets m_before, m_after (kB), m_wait (seconds waited
# after the load), m_settled and m_used (used_memory_human from INFO memory, read after the RSS so it cannot move it).
measure() { # label port pid
  local r
  read -r m_before _ _ <<<"$(settled_rss "$3")"
  echo "  $1: RSS before $(mib "$m_before") MiB, loading $keys keys…"
  load "$1" "$2"
  read -r m_after m_wait m_settled <<<"$(settled_rss "$3")"
  m_used=$(info_field "$2" memory used_memory_human)
  r="RSS after $(mib "$m_after") MiB (waited ${m_wait}s"
  [ "$m_settled" = settled ] || r="$r, still changing by more than 1 MiB per 0.5 s after 30 s"
  echo "  $1: $r)"
}

row() { # before-kB after-kB -> "before after growth bytes-per-key" (MiB, MiB, MiB, bytes)
  awk -v b="$1" -v a="$2" -v n="$keys" 'BEGIN { printf "%.1f %.1f %.1f %.1f", b / 1024, a / 1024, (a - b) / 1024, (a - b) * 1024 / n }'
}

stop_all() { # the servers of one mode; cleanup_all would also remove $work
  local p
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
}

# The report is assembled in $work and moved into place at the end, so a failed run leaves no partial result.
sections="$work/sections.md"
: >"$sections"
screen="$work/screen.txt"
: >"$screen"

for m in $modes; do
  case "$m" in
    memory)  redis_persistence=(--save "" --appendonly no); ringkv_storage=(--storage memory) ;;
    durable) redis_persistence=(--save "" --appendonly yes --appendfsync everysec); ringkv_storage=(--storage rocksdb --fsync everysec) ;;
  esac
  dir="$work/$m"
  mkdir -p "$dir"
  echo "memory ($m): $keys keys of $value_size bytes"

  start_single_pair "$dir"
  # The probe key would make DBSIZE KEYS+1.
  redis-cli -p "$node_port" DEL bench:probe >/dev/null
  dbsize_is redis "$redis_port" 0
  dbsize_is ringkv "$node_port" 0

  # The PIDs as the servers report them (INFO server process_id), so RSS is read from the process holding the data.
  redis_pid=$(info_field "$redis_port" server process_id)
  node_pid=$(info_field "$node_port" server process_id)
  coord_pid=$(info_field "$coord_port" server process_id)
  [ -r "/proc/$redis_pid/status" ] && [ -r "/proc/$node_pid/status" ] \
    || { echo "error: cannot read /proc/PID/status of redis ($redis_pid) or the node ($node_pid)" >&2; exit 1; }

  # Redis first, then RingKV; the other server sits idle meanwhile.
  measure redis "$redis_port" "$redis_pid"
  r_before=$m_before r_after=$m_after r_wait=$m_wait r_settled=$m_settled r_used=$m_used
  measure ringkv "$node_port" "$node_pid"
  k_before=$m_before k_after=$m_after k_wait=$m_wait k_settled=$m_settled k_used=$m_used
  coord_rss=""
  [ -n "$coord_pid" ] && [ -r "/proc/$coord_pid/status" ] && coord_rss=$(mib "$(rss_kb "$coord_pid")")
  redis_rss_human=$(info_field "$redis_port" memory used_memory_rss_human)
  stop_all

  read -r -a r <<<"$(row "$r_before" "$r_after")"
  read -r -a k <<<"$(row "$k_before" "$k_after")"
  x=$(ratio "$k_after" "$r_after")
  redis_name="redis-server ($(redis_desc))"
  ringkv_name="ringkv node (${ringkv_storage[*]})"
  unsettled=""
  [ "$r_settled" = settled ] || unsettled="$unsettled redis-server"
  [ "$k_settled" = settled ] || unsettled="$unsettled ringkv"

  {
    printf '\n%s: %s keys of %s bytes\n' "$m" "$keys" "$value_size"
    printf '%-66s %12s %12s %12s %10s %8s\n' server "before MiB" "after MiB" "growth MiB" "B/key" "ratio"
    printf '%-66s %12s %12s %12s %10s %8s\n' "$redis_name" "${r[@]}" ""
    printf '%-66s %12s %12s %12s %10s %8s\n' "$ringkv_name" "${k[@]}" "${x}x"
    printf 'redis used_memory_human %s (rss %s); ringkv node used_memory_human (GC heap) %s; coordinator RSS %s MiB\n' \
      "$r_used" "$redis_rss_human" "$k_used" "${coord_rss:-?}"
    printf 'RSS settled after the load in %ss (redis) and %ss (ringkv)%s\n' "$r_wait" "$k_wait" \
      "${unsettled:+; NOT settled within 30 s:$unsettled}"
  } >>"$screen"
  {
    echo
    echo "## $m: ringkv ${ringkv_storage[*]} vs redis-server $(redis_desc)"
    echo
    echo "| server | RSS before (MiB) | RSS after $keys keys (MiB) | growth (MiB) | bytes per key (growth/$keys) | ratio RingKV/Redis (RSS after load) |"
    echo "|---|---|---|---|---|---|"
    echo "| $redis_name | ${r[0]} | ${r[1]} | ${r[2]} | ${r[3]} | |"
    echo "| $ringkv_name | ${k[0]} | ${k[1]} | ${k[2]} | ${k[3]} | ${x}x |"
    echo
    echo "- redis-server INFO memory after the load: used_memory_human $r_used, used_memory_rss_human $redis_rss_human"
    echo "- ringkv node INFO memory after the load: used_memory_human $k_used (managed GC heap, no forced collection)"
    echo "- ringkv coordinator RSS (not included above): ${coord_rss:-?} MiB"
    echo "- RSS settled after the load in ${r_wait} s (redis-server) and ${k_wait} s (ringkv node)${unsettled:+; NOT settled within 30 s:$unsettled (last reading used)}"
  } >>"$sections"
done

report="$here/results/memory.md"
mkdir -p "$here/results"
{
  echo "# Resident memory: RingKV single node (RF=1) vs redis-server, $keys keys of $value_size bytes"
  echo
  echo "- $(date -u +%Y-%m-%d) — ringkv $("$ringkv" --version 2>/dev/null | cut -d+ -f1) ($("$ringkv" --version 2>/dev/null | cut -d+ -f2 | cut -c1-12)), .NET SDK $(dotnet --version 2>/dev/null), redis-server $(redis-server --version | grep -o 'v=[0-9.]*' | cut -d= -f2)"
  echo "- machine: $(machine_line)"
  echo "- method: VmRSS of the process (/proc/PID/status) before and after loading $keys distinct keys (key:0000000..) with $value_size-byte values through redis-cli --pipe (one RESP stream of SETs, errors: 0 and replies: $keys checked, then DBSIZE = $keys); each reading once two consecutive 0.5 s polls are within 1 MiB (at most 30 s); Redis loaded first, then RingKV, both servers running"
  echo "- RingKV: coordinator --replication-factor 1 + one node; only the node's RSS is compared (it holds the data); bytes per key = growth / $keys"
  cat "$sections"
} >"$work/report.md"
mv "$work/report.md" "$report"
cat "$screen"
echo
echo "written: ${report#"$root"/}"
