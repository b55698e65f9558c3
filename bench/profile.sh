#!/usr/bin/env bash
# bench/profile.sh: CPU profile (and allocation counts) of a bench server under one load, for docs/benchmarks.md.
#
#   bench/profile.sh [burst|targeted|rate|roundtrip|jobs|redis-jobs|redis-targeted] [--server switchboard|signalr|raw] [--seconds S] [--windows N]
#
# Installs dotnet-trace from NuGet into bench/.tools when missing, starts the server and the load generator, warms up,
# records `dotnet-trace collect-linux --profile cpu-sampling` (perf_events: needs root or perf_event_paranoid <= 1)
# while the load runs, and prints the top methods by exclusive and inclusive CPU samples, plus the server's
# allocations per message (GC.GetTotalAllocatedBytes delta). The trace stays in bench/results/profiles/.
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
scenario="${1:-burst}"; shift || true
server=switchboard seconds=15 windows=1000
while (($#)); do
  case "$1" in
    --server) server="$2"; shift ;;
    --seconds) seconds="$2"; shift ;;
    --windows) windows="$2"; shift ;;
    *) echo "profile.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
TOOLS="$BENCH/.tools"
if [[ ! -x "$TOOLS/dotnet-trace" ]]; then
  dotnet tool install --tool-path "$TOOLS" dotnet-trace >/dev/null
fi
[[ "${BENCH_SKIP_BUILD:-0}" == 1 ]] || dotnet build "$BENCH/Switchboard.Bench.slnx" -c Release -nologo -v quiet -clp:ErrorsOnly
bin() { echo "$BENCH/$1/bin/Release/net10.0/$1.dll"; }
OUT="$BENCH/results/profiles"; mkdir -p "$OUT"
TMP="$(mktemp -d)"; REDIS_PORT=""
cleanup() {
  exec 7>&- 2>/dev/null || true
  [[ -n "${SERVER_PID:-}" ]] && kill "$SERVER_PID" 2>/dev/null || true
  [[ -n "$REDIS_PORT" ]] && redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$TMP"
}
trap cleanup EXIT

args=() kind="$server"
case "$server" in
  switchboard) project=Switchboard.Bench.Server ;;
  signalr) project=SignalRServer ;;
  raw) project=RawServer ;;
  hangfire) project=HangfireServer ;;
  *) echo "profile.sh: unknown server $server" >&2; exit 2 ;;
esac
if [[ "$scenario" == redis-* || "$server" == hangfire ]]; then
  REDIS_PORT=$((20000 + RANDOM % 10000))
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes --dir "$TMP" --logfile "$TMP/redis.log" >/dev/null
  sleep 0.3
  if [[ "$server" == hangfire ]]; then args+=("--Redis=127.0.0.1:$REDIS_PORT"); else
    args+=("--Switchboard:Redis=127.0.0.1:$REDIS_PORT")
    [[ "$scenario" == redis-jobs ]] && args+=("--Switchboard:Workers:Queues:0=bench" "--Switchboard:Workers:Count=8"); fi
fi
dotnet "$(bin "$project")" "${args[@]}" >"$TMP/server.out" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do grep -q BENCH_LISTENING "$TMP/server.out" 2>/dev/null && break; sleep 0.1; done
url="$(sed -n 's/^BENCH_LISTENING \([^ ]*\).*/\1/p' "$TMP/server.out")"
mkfifo "$TMP/in"
dotnet "$(bin LoadGen)" <"$TMP/in" >"$TMP/loadgen.out" 2>&1 &
exec 7>"$TMP/in"
send() { echo "$1" >&7; }
wait_lines() { for _ in $(seq 1 600); do (( $(wc -l <"$TMP/loadgen.out") >= $1 )) && return; sleep 0.1; done; }

case "$scenario" in
  burst)     load() { echo "{\"cmd\":\"run\",\"trigger\":\"$url/bench/broadcast?count=100&size=100\",\"expected\":$((100 * windows)),\"repeat\":$1}"; } ;;
  targeted)  load() { echo "{\"cmd\":\"run\",\"trigger\":\"$url/bench/targeted?rounds=10&size=100\",\"expected\":$((10 * windows)),\"repeat\":$1}"; } ;;
  redis-targeted) load() { echo "{\"cmd\":\"run\",\"trigger\":\"$url/bench/targeted?rounds=2&size=100&callers=8\",\"expected\":$((2 * windows)),\"repeat\":$1}"; } ;;
  rate)      load() { echo "{\"cmd\":\"run\",\"trigger\":\"$url/bench/broadcast?count=$((20 * $1 / 5))&size=100&rate=20\",\"expected\":$((20 * $1 / 5 * windows)),\"timeoutMs\":600000}"; } ;;
  roundtrip) load() { echo "{\"cmd\":\"roundtrip\",\"windows\":20,\"calls\":$((200 * $1 / 5))}"; } ;;
  jobs|redis-jobs) load() { echo "{\"cmd\":\"status\"}"; } ;;
  *) echo "profile.sh: unknown scenario $scenario" >&2; exit 2 ;;
esac
lines=0
if [[ "$scenario" != jobs && "$scenario" != redis-jobs ]]; then
  send "{\"cmd\":\"connect\",\"kind\":\"$kind\",\"urls\":[\"$url\"],\"n\":$windows,\"sources\":2}"; lines=1; wait_lines $lines
  send "$(load 5)"; lines=2; wait_lines $lines   # warm-up
fi
stats() { curl -s "$url/bench/stats"; }
before="$(stats)"
curl -s "$url/bench/alloc/start" >/dev/null
trace="$OUT/$server-$scenario-$(date -u +%Y%m%d-%H%M%S).nettrace"
"$TOOLS/dotnet-trace" collect-linux -p "$SERVER_PID" --profile cpu-sampling --duration "00:00:00:$seconds" -o "$trace" >"$TMP/trace.out" 2>&1 &
TRACE_PID=$!
sleep 1
if [[ "$scenario" == jobs || "$scenario" == redis-jobs ]]; then
  if [[ "$scenario" == redis-jobs ]]; then n=$((800 * seconds)); else n=$((20000 * seconds)); fi
  curl -s "$url/bench/jobs?count=$n&concurrency=8" >"$TMP/jobs.out"; result="$(cat "$TMP/jobs.out")"
else
  send "$(load $((seconds * 5)))"; lines=$((lines + 1)); wait_lines $lines; result="$(tail -n 1 "$TMP/loadgen.out")"
fi
after="$(stats)"
allocs="$(curl -s "$url/bench/alloc/stop?top=25")"
wait "$TRACE_PID" || true
echo "load: ${result:0:400}"
python3 - "$before" "$after" "$result" <<'PY'
import json, sys
b, a, r = (json.loads(x) for x in sys.argv[1:4])
n = r.get("delivered") or r.get("calls") or r.get("done") or 0
if n:
    print(f"server: {(a['allocatedBytes'] - b['allocatedBytes']) / n:.0f} bytes allocated and "
          f"{(a['cpuSeconds'] - b['cpuSeconds']) * 1e6 / n:.2f} µs CPU per message/call/job ({n} in the profiled window, warm-up excluded)")
PY
echo "trace: $trace"
echo "== allocations by type (GCAllocationTick samples, ~100 KB each) =="
python3 - "$allocs" <<'PY'
import json, sys
d = json.loads(sys.argv[1]); t = sum(x["sampledBytes"] for x in d) or 1
for x in d:
    print(f'{x["sampledBytes"] * 100 / t:5.1f}%  {x["type"]}')
PY
echo "== top methods by inclusive CPU samples (all threads of the server) =="
"$TOOLS/dotnet-trace" report "$trace" topN -n "${TOP:-70}" --inclusive 2>&1
