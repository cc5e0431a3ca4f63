#!/usr/bin/env bash
# Add a 4th node to a loaded 3-node cluster (default 1M keys) and measure the move and foreground latency; extra args go to the program (--keys N, --rate-mb 0, ...).
exec dotnet run -c Release --project "$(dirname "$0")/RingKV.Bench.Rebalance" -- "$@"
