#!/usr/bin/env bash
# BenchmarkDotNet micro-benchmarks of the hot paths (bench/RingKV.Bench.Micro): RESP codec, slot and ring lookup,
# HLC, command dispatch on an in-memory session, storage engines. Builds Release, runs the selected benchmarks and
# copies BenchmarkDotNet's GitHub-markdown report of each class to bench/results/micro/<Class>.md.
#
# Usage: bench/micro.sh [BenchmarkDotNet arguments]
#   bench/micro.sh                                  every benchmark, ShortRun job (about 5 min on our 2-core machines)
#   bench/micro.sh --filter '*Codec*'               one class
#   bench/micro.sh --filter '*Dispatch*' --job dry  a smoke run (one invocation each; numbers meaningless)
# Defaults added when not given: --filter '*', --job short (1 launch, 3 warmups, 3 iterations), --buildTimeout 900.
# ShortRun keeps the suite short on a shared 2-core machine: the Allocated column is exact whatever the load; means
# are indicative (the Error column says how much), so compare timings only between runs on a quiet machine.
# BenchmarkDotNet's working files go to bench/results/micro/artifacts (git-ignored).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
project="$here/RingKV.Bench.Micro"
out="$here/results/micro"
artifacts="$out/artifacts"

args=("$@")
has() { local a; for a in "${args[@]}"; do for name in "$@"; do [[ "$a" == "$name" || "$a" == "$name="* ]] && return 0; done; done; return 1; }
has --filter -f || args+=(--filter '*')
has --job -j || args+=(--job short)
args+=(--artifacts "$artifacts") # fixed: the reports are copied from here
# BenchmarkDotNet rebuilds the benchmark and every src project into a generated project (no compiler server, full
# analyzers): 1-2 min, longer on a busy machine, where its default 2 min build timeout fails the run.
has --buildTimeout || args+=(--buildTimeout 900)

echo "building RingKV.Bench.Micro (Release)…"
dotnet build "$project" -c Release -v quiet -nologo >/dev/null

if has --list; then # lists the benchmarks, runs nothing
  exec dotnet run --project "$project" -c Release --no-build -- "$@"
fi
# Only this run's reports are copied: clear the previous run's results first.
rm -rf "$artifacts/results"
dotnet run --project "$project" -c Release --no-build -- "${args[@]}"

reports=$(find "$artifacts/results" -name '*-report-github.md' 2>/dev/null || true)
if [[ -z "$reports" ]]; then
  echo "no reports were written (did the filter match anything?)" >&2
  exit 1
fi
mkdir -p "$out"
while IFS= read -r report; do
  class=$(basename "$report" -report-github.md)
  class=${class##*.} # RingKV.Bench.Micro.CodecBenchmarks -> CodecBenchmarks
  cp "$report" "$out/$class.md"
  echo "wrote ${out#"$root"/}/$class.md"
done <<<"$reports"
