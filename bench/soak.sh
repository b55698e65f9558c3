#!/usr/bin/env bash
# bench/soak.sh: an hour of Switchboard on Redis (not in CI; docs/operations.md has the last run).
#
#   bench/soak.sh                      60 minutes, 3,000 windows (results/soak-TIME.md and .svg)
#   bench/soak.sh --minutes 5 --windows 500 --out DIR
#
# One private redis-server, two web nodes and a worker process (the bench server), and the load generator: every 5 s
# 60 windows are aborted and reopened, 2 broadcasts must reach every window, 20 windows make 5 calls each that the worker
# answers, and 40 server jobs (10 delayed by 2 s) are enqueued; every minute each process's RSS and managed heap (after a
# full GC), open files and threads, Redis memory, queue depths and errors are recorded. Exit code 0 when memory grew by
# at most 5 % after warm-up (the first quarter) in every process, with no error and no lost job.
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  dotnet build "$BENCH/Switchboard.Bench.slnx" -c Release -nologo -v quiet -clp:ErrorsOnly
fi
exec dotnet "$BENCH/Harness/bin/Release/net10.0/Harness.dll" --soak "$@"
