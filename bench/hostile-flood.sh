#!/usr/bin/env bash
# Peak resident memory of a RingKV node under a flood of maximal length headers (docs/limits.md): a server that sized
# buffers from what a client announces would need 512 MB per `$536870911` and 16 MB per `*1048576`; one that sizes
# them from what arrived holds a few KB per connection.
#   1. STALLED connections stay open after announcing the most the default limits accept: half send
#      `*1\r\n$536870911\r\n` plus 3 bytes, half `*1048576\r\n` plus one argument, then send nothing more.
#   2. BURST more connections, one after another, each announcing `*1073741823\r\n` (over proto-max-multibulk-len:
#      refused at once) or `*1\r\n$536870911\r\n` and then disconnecting.
# VmRSS and VmHWM (the kernel's peak RSS) of the node before, with every stalled connection open, after the burst
# and after everything closed; PING, SET and GET from an ordinary client must keep working throughout.
#
# Usage: [STALLED=5000] [BURST=10000] [SKIP_BUILD=1] bench/hostile-flood.sh
# Needs: python3, redis-cli, awk, the .NET SDK. STALLED must stay below the node's maxclients (10000) and the open-file
# limit (the script raises its soft limit when it can).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
stalled=${STALLED:-5000}
burst=${BURST:-10000}
# shellcheck source=lib/common.sh
. "$here/lib/common.sh"

[[ "$stalled" =~ ^[0-9]+$ && "$burst" =~ ^[0-9]+$ ]] || { echo "STALLED and BURST must be integers" >&2; exit 2; }
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
[ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -gt $(( stalled + 100 )) ] \
  || { echo "error: open-file limit $(ulimit -n) is too low for STALLED=$stalled" >&2; exit 2; }

require_tools redis-cli dotnet python3 awk timeout
work=$(mktemp -d)
pids=()
install_cleanup
build_ringkv

"$ringkv" coordinator --port 0 --replication-factor 1 --http-port off --data-dir "$work/coord" >"$work/coord.log" 2>&1 &
pids+=($!)
wait_ready "$work/coord.log" "RINGKV READY"
coord_port=$(ready_port "$work/coord.log")
"$ringkv" node --id flood-node --port 0 --http-port off --coordinator "127.0.0.1:$coord_port" --storage memory \
  --data-dir "$work/node" >"$work/node.log" 2>&1 &
node_pid=$!
pids+=("$node_pid")
wait_ready "$work/node.log" "RINGKV READY"
node_port=$(ready_port "$work/node.log")
wait_settled "$coord_port" 1 "$node_port"
wait_set_ok "$node_port"

mib() { # /proc/PID/status field -> MiB, one decimal
  awk -v f="$1:" '$1 == f { printf "%.1f", $2 / 1024 }' "/proc/$node_pid/status"
}
served() { # one ordinary client's round trip: SET, GET, PING; prints the milliseconds it took or FAILED
  python3 - "$node_port" <<'EOF'
import socket, sys, time
start = time.monotonic()
try:
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
    s.sendall(b"SET flood:probe ok\r\nGET flood:probe\r\nPING\r\n")
    data = b""
    while not data.endswith(b"+PONG\r\n"):
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
    ok = data == b"+OK\r\n$2\r\nok\r\n+PONG\r\n"
    print(f"{(time.monotonic() - start) * 1000:.1f} ms" if ok else f"FAILED ({data!r})")
except OSError as e:
    print(f"FAILED ({e})")
EOF
}

report() { # phase
  printf '%-44s VmRSS %8s MiB   VmHWM %8s MiB   client round trip %s\n' "$1" "$(mib VmRSS)" "$(mib VmHWM)" "$(served)"
}

echo "node pid $node_pid on port $node_port; STALLED=$stalled BURST=$burst"
report "before the flood"

# The flood client: opens the stalled connections, signals, waits for "burst", runs the burst, waits for "close".
mkfifo "$work/control"
python3 - "$node_port" "$stalled" "$burst" "$work/control" >"$work/flood.out" 2>&1 <<'EOF' &
import socket, sys
port, stalled, burst, control = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
bulk = b"*1\r\n$536870911\r\nabc"
multibulk = b"*1048576\r\n$4\r\nPING\r\n"
over = b"*1073741823\r\n"
held = []
for i in range(stalled):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(bulk if i % 2 == 0 else multibulk)
    held.append(s)
print("stalled", len(held), flush=True)
c = open(control)
c.readline()  # "burst"
refused = 0
for i in range(burst):
    s = socket.create_connection(("127.0.0.1", port))
    if i % 2 == 0:
        s.sendall(over)
        s.settimeout(10)
        refused += s.recv(100).startswith(b"-ERR Protocol error: invalid multibulk length")
    else:
        s.sendall(bulk)
    s.close()
print("burst", burst, "refused", refused, flush=True)
c.readline()  # "close"
for s in held:
    s.close()
print("closed", flush=True)
EOF
flood_pid=$!
pids+=("$flood_pid")
exec 3>"$work/control"

wait_ready "$work/flood.out" "^stalled" 300
report "$stalled connections stalled mid-request"
echo burst >&3
wait_ready "$work/flood.out" "^burst" 600
report "+ $burst announce-and-disconnect connections"
echo close >&3
exec 3>&-
wait "$flood_pid"
# Let the node notice every close before the last reading.
for _ in $(seq 1 100); do
  [ "$(redis-cli -p "$node_port" INFO clients | tr -d '\r' | awk -F: '$1 == "connected_clients" { print $2 }')" -le 2 ] && break
  sleep 0.1
done
report "after every flood connection closed"
grep -E '^(burst|stalled)' "$work/flood.out" | sed 's/^/flood client: /'
echo "peak RSS of the node over the whole run (VmHWM): $(mib VmHWM) MiB"
