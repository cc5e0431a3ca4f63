#!/usr/bin/env bash
# A long fuzz campaign (docs/fuzzing.md): the RESP parsers, a RingKV node's command layer, and RingKV against
# redis-server on the same byte streams. Builds tests/RingKV.Fuzz (Release), starts redis-server and a one-node
# RingKV cluster on free loopback ports, splits the time between the targets, and prints iterations, crashes, hangs,
# mismatches and the seeds that replay them. New findings are shrunk and saved to tests/fuzz-corpus/found/.
#
# Usage: bench/fuzz.sh [minutes] [seed] [targets]
#   bench/fuzz.sh                         10 minutes, a random seed, every target
#   bench/fuzz.sh 60 12345                an hour from seed 12345
#   bench/fuzz.sh 5 777 differential      one target (parser, command, differential; comma-separated)
#   bench/fuzz.sh 1 <iteration seed> differential   replays one finding first (its seed is iteration 0)
# The log is also written to bench/results/fuzz/<date>.log (git-ignored). Exit code 1 when anything was found.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
minutes=${1:-10}
seed=${2:-$(( (RANDOM << 15 | RANDOM) ))}
targets=${3:-parser,command,differential}

if [[ "$targets" == *differential* ]] && ! command -v redis-server >/dev/null; then
  echo "error: the differential target needs redis-server: apt-get install -y redis-server" >&2
  exit 2
fi

echo "building tests/RingKV.Fuzz (Release)…"
dotnet build "$root/tests/RingKV.Fuzz" -c Release -v q -nologo >/dev/null
mkdir -p "$here/results/fuzz"
log="$here/results/fuzz/$(date -u +%Y%m%d-%H%M%S).log"
set +e
dotnet "$root/tests/RingKV.Fuzz/bin/Release/net10.0/linux-x64/ringkv-fuzz.dll" \
  --minutes "$minutes" --seed "$seed" --targets "$targets" --corpus "$root/tests/fuzz-corpus" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
echo "log: $log"
exit "$status"
