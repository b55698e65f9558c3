#!/usr/bin/env bash
# bench/run.sh: Switchboard vs ASP.NET Core SignalR vs a raw Kestrel WebSocket loop (and Hangfire for jobs).
#
#   bench/run.sh            quick run: every scenario, small sizes, 3 repetitions (under 5 minutes on 2 cores; results/quick.md)
#   bench/run.sh --full     the published run (docs/benchmarks.md, results/latest.md): bigger sizes, 5 repetitions (~12 minutes)
#   bench/run.sh --smoke    every scenario once, tiny (CI: fails only when a scenario cannot run, never on timing)
#   bench/run.sh --only 2,6 some scenarios (1 memory and reconnect storm, 2-5 messaging, 6 jobs, 7 two nodes, 8 scale curve,
#                           9 round trip on Redis, 10 Redis Cluster: two nodes on 3 shards vs one Redis vs in memory)
#   bench/run.sh --scale-sizes 1000,18000  scenario 8's window counts (default 1k/3k quick, 1k/5k/18k full; at most 18,000:
#                           the servers take 19,000 connections and a process may open 20,000 files)
#   bench/run.sh --out DIR  where results go (default bench/results: <mode>-<time>.json and a Markdown table)
#   bench/run.sh --wait-quiet S  before each scenario, wait up to S seconds for other processes to leave the CPU,
#                           and up to 60 s before each measured phase; a phase during which they took more than 20%
#                           of the machine is measured again (twice at most). Default 180 in --full, 0 (off) otherwise;
#                           every phase records their share ("other processes' CPU") anyway
#
# Needs the .NET 10 SDK and, for scenarios 6, 7, 9 and 10 (Redis ≥ 7: a private 3-master cluster), redis-server and redis-cli (Debian: apt-get install redis-server);
# a private redis-server is started on a free loopback port and stopped after. Servers and the load generator are
# separate processes on 127.0.0.1; the machine is otherwise assumed idle.
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  dotnet build "$BENCH/Switchboard.Bench.slnx" -c Release -nologo -v quiet -clp:ErrorsOnly
fi
# The commit measured (results record it); a copy without .git can pass BENCH_COMMIT itself.
export BENCH_COMMIT="${BENCH_COMMIT:-$(git -C "$BENCH" rev-parse --short HEAD 2>/dev/null || echo unknown)}"
exec dotnet "$BENCH/Harness/bin/Release/net10.0/Harness.dll" "$@"
