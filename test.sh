#!/usr/bin/env bash
# test.sh: run every Switchboard test (.NET, JS client and browser) with one command.
#
#   ./test.sh                  everything
#   ./test.sh --no-browser     skip the browser tests (tests/browser, node + playwright-core)
#   ./test.sh --filter EXPR    pass `--filter EXPR` to `dotnet test` (e.g. --filter 'FullyQualifiedName~Redis');
#                              the JS and browser tests still run
#   ./test.sh --bench-smoke    also run the benchmark smoke test (bench/run.sh --smoke); CI runs it anyway
#   ./test.sh --no-bench       never run it (also SWITCHBOARD_BENCH_SMOKE=0)
#   ./test.sh --no-packages    skip the package test (tests/packages/run.sh)
#   ./test.sh --no-template    skip the `dotnet new` template test (tests/template/run.sh)
#   ./test.sh --help
#
# What it does, on Debian 12 with the .NET 10 SDK, node 20 and npm:
#   1. installs the Debian packages `chromium` and `redis-server` when missing (apt-get; sudo when not root);
#   2. starts a private redis-server on a free 127.0.0.1 port (>= 20000) and exports
#      SWITCHBOARD_TEST_REDIS=127.0.0.1:PORT and SWITCHBOARD_CHROMIUM=/usr/bin/chromium; beside it a private
#      3-master Redis Cluster (redis-server >= 7; three more free ports) and exports
#      SWITCHBOARD_TEST_REDIS_CLUSTER=127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3 (without it the cluster tests are
#      reported skipped; the failover test, MultiProcess/ClusterFailoverTests, starts a cluster of its own with
#      replicas, 3 masters + 3 replicas, and needs only redis-server >= 7 and redis-cli); and a Sentinel deployment
#      (a master, one replica, one Sentinel run as `redis-server sentinel.conf --sentinel`), exported as
#      SWITCHBOARD_TEST_REDIS_SENTINEL=127.0.0.1:SENTINELPORT,serviceName=switchboard; every server is shut down on exit;
#   3. `npm ci` (or `npm install` without a lock file) in clients/js and tests/browser when node_modules is missing
#      or older than package-lock.json;
#   4. `dotnet build Switchboard.slnx -c Release`, then `dotnet test` on the whole solution (TRX results);
#   5. `node --test clients/js/test/`, then `node --test tests/browser/` if that folder exists;
#   5b. the packages as users get them (tests/packages/run.sh --no-build, about a minute): `dotnet pack` and `npm pack`
#      into a temporary folder, a fresh `dotnet new web` app restoring Switchboard from there, built, started and driven
#      with the npm package; its checks count as stage `packages` (docs/packages.md);
#   5c. the `dotnet new switchboard` template (tests/template/run.sh --no-build, 1-2 minutes): packed, installed in a
#      private hive, each variant (default, --redis, --razor) built, tested, started and driven in Chromium (--redis
#      also on the private Redis with a worker process); its checks count as stage `template` (docs/template.md);
#   6. in CI (CI set), with --bench-smoke or SWITCHBOARD_BENCH_SMOKE=1: `bench/run.sh --smoke`, every benchmark
#      scenario once at a tiny size (about a minute with its build); it fails only when a scenario cannot run, never
#      on timing, and counts as one line `bench: N passed, N failed` (N = scenarios).
#   7. when a Docker daemon answers (`docker info`): builds samples/Switchboard.Demo/Dockerfile, runs the image and
#      fetches its home page (one test, stage `docker`); otherwise it prints `docker: not run`.
# Every stage runs even when an earlier one failed. Results land in TestResults/ (dotnet/*.trx, js.tap,
# browser.tap). It prints one line per stage, then as the last line `N passed, N failed` (`, N skipped`
# when any were skipped), and exits non-zero when a stage or a test failed, or when no .NET test ran.
# Exit 2: required packages are missing and cannot be installed.
set -euo pipefail

usage() { sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "$0"; }

run_browser=1
run_packages=1
run_template=1
run_bench=0
if [[ "${SWITCHBOARD_BENCH_SMOKE:-}" == 1 ]] || [[ -n "${CI:-}" && "${CI:-}" != false && "${CI:-}" != 0 ]]; then run_bench=1; fi
if [[ "${SWITCHBOARD_BENCH_SMOKE:-}" == 0 ]]; then run_bench=0; fi
dotnet_filter=""
while (($#)); do
  case "$1" in
    --no-browser) run_browser=0 ;;
    --bench-smoke) run_bench=1 ;;
    --no-bench) run_bench=0 ;;
    --no-packages) run_packages=0 ;;
    --no-template) run_template=0 ;;
    --filter)
      if (($# < 2)); then echo "test.sh: --filter needs an expression" >&2; exit 2; fi
      dotnet_filter="$2"; shift ;;
    --filter=*) dotnet_filter="${1#--filter=}" ;;
    -h|--help) usage; exit 0 ;;
    *) echo "test.sh: unknown option '$1' (see ./test.sh --help)" >&2; exit 2 ;;
  esac
  shift
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1   # never download a browser: tests use /usr/bin/chromium
export SWITCHBOARD_CHROMIUM=/usr/bin/chromium

TMPD="$(mktemp -d "${TMPDIR:-/tmp}/switchboard-test.XXXXXX")"
REDIS_PORT=""
REDIS_PIDFILE="$TMPD/redis.pid"
CLUSTER_PORTS=()

# shellcheck disable=SC2317  # runs from the EXIT trap
stop_redis() {
  local pid=""
  [[ -f "$REDIS_PIDFILE" ]] && pid="$(cat "$REDIS_PIDFILE" 2>/dev/null || true)"
  if [[ -n "$REDIS_PORT" ]]; then
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  fi
  if [[ "$pid" =~ ^[0-9]+$ ]]; then
    local _
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill "$pid" 2>/dev/null || true
  fi
  rm -f "$REDIS_PIDFILE"
  REDIS_PORT=""
}
# shellcheck disable=SC2317  # runs from the EXIT trap
cleanup() {
  stop_redis
  stop_cluster
  stop_sentinel_set
  rm -rf "$TMPD"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- 1. packages
INSTALL_HINT="apt-get update && apt-get install -y --no-install-recommends chromium redis-server"
missing=()
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
  missing+=(redis-server)
fi
if ((${#missing[@]})); then
  sudo_cmd=()
  if [[ "$(id -u)" -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then
      sudo_cmd=(sudo)
    else
      echo "test.sh: missing Debian packages: ${missing[*]}; not root and no sudo." >&2
      echo "test.sh: install them as root, then run ./test.sh again:" >&2
      echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
      exit 2
    fi
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: missing packages: ${missing[*]} (Debian names), and there is no apt-get; install them, then run ./test.sh again." >&2
    exit 2
  fi
  echo "test.sh: installing ${missing[*]} (apt-get, log: $TMPD/apt.log)..."
  if ! { "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
         "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; \
       } >"$TMPD/apt.log" 2>&1; then
    tail -n 30 "$TMPD/apt.log" >&2 || true
    echo "test.sh: could not install ${missing[*]}; install them, then run ./test.sh again:" >&2
    echo "  $INSTALL_HINT" >&2
    exit 2
  fi
  hash -r
  if [[ ! -x /usr/bin/chromium ]] || ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
    echo "test.sh: packages installed but /usr/bin/chromium, redis-server or redis-cli is still missing" >&2
    exit 2
  fi
fi

# ---------------------------------------------------------------- stage bookkeeping
failures=()                       # human-readable stage failures
declare -A S_PASS S_FAIL S_SKIP   # per-stage counts
stage_order=()
record() { # record NAME PASSED FAILED SKIPPED
  stage_order+=("$1"); S_PASS[$1]=$2; S_FAIL[$1]=$3; S_SKIP[$1]=$4
}
fail_stage() { failures+=("$*"); echo "test.sh: FAILED: $*" >&2; }
# count_summary NAME LOG RC WHAT [skips] [NOTE]: records the stage from the last `NAME: P passed, F failed` line of LOG
# (`, S skipped` too when the 5th argument is `skips`); no such line is one failure; a non-zero RC of WHAT (the
# script) fails the stage as well. Shared by the script stages below (packages, template, bench).
count_summary() {
  local name="$1" log="$2" rc="$3" what="$4" skips="${5:-}" note="${6:-}" tail='' counts='\1 \2' line p f s
  if [[ "$skips" == skips ]]; then tail=', ([0-9]+) skipped'; counts='\1 \2 \3'; fi
  line="$(grep -E "^$name: ([0-9]+) passed, ([0-9]+) failed$tail\$" "$log" | tail -n 1 || true)"
  if [[ -z "$line" ]]; then
    fail_stage "$name: no summary from $what (exit $rc)"
    record "$name" 0 1 0
    return
  fi
  read -r p f s < <(sed -E "s/^$name: ([0-9]+) passed, ([0-9]+) failed$tail\$/$counts/" <<<"$line")
  record "$name" "$p" "$f" "${s:-0}"
  ((rc == 0)) || fail_stage "$name: '$what' exited with $rc${note:+ $note}"
}
section() { printf '\n==== %s ====\n' "$*"; }

# ---------------------------------------------------------------- 2. redis
# A port with nothing listening on 127.0.0.1, in 20000-31999 (below Linux's ephemeral range).
# Probing is racy, so start_redis checks that the server that answers is ours and retries otherwise.
port_is_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local p _
  for _ in $(seq 1 100); do
    p=$((20000 + RANDOM % 12000))
    if port_is_free "$p"; then echo "$p"; return 0; fi
  done
  return 1
}
start_redis() {
  local port pid served _
  for _ in 1 2 3 4 5; do
    port="$(free_port)" || break
    rm -f "$REDIS_PIDFILE"
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
      --pidfile "$REDIS_PIDFILE" --dir "$TMPD" --logfile "$TMPD/redis.log" >/dev/null 2>&1 || continue
    REDIS_PORT="$port"
    for _ in $(seq 1 50); do
      if [[ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" == PONG ]] && [[ -s "$REDIS_PIDFILE" ]]; then
        pid="$(cat "$REDIS_PIDFILE")"
        served="$(redis-cli -h 127.0.0.1 -p "$port" info server 2>/dev/null | tr -d '\r' | sed -n 's/^process_id://p')"
        if [[ "$served" == "$pid" ]]; then return 0; fi
        break
      fi
      sleep 0.1
    done
    # Not ours, or it never answered: stop whatever we started and try another port.
    if [[ -s "$REDIS_PIDFILE" ]]; then kill "$(cat "$REDIS_PIDFILE")" 2>/dev/null || true; fi
    REDIS_PORT=""
  done
  tail -n 20 "$TMPD/redis.log" >&2 2>/dev/null || true
  return 1
}
# A 3-master Redis Cluster, no replicas: each node in a directory of its own (nodes.conf), then `redis-cli --cluster
# create` assigns the 16384 slots; ready when every node reports cluster_state:ok. The failover test starts its own
# cluster the same way (RedisClusterSet.cs in tests/Switchboard.Redis.Tests/Infrastructure), with a replica per master
# and cluster-node-timeout 1000, and kills one of its masters.
# shellcheck disable=SC2317  # also runs from the EXIT trap
stop_cluster() {
  local p pid
  for p in "${CLUSTER_PORTS[@]}"; do
    pid="$(cat "$TMPD/cluster-$p/redis.pid" 2>/dev/null || true)"
    redis-cli -h 127.0.0.1 -p "$p" shutdown nosave >/dev/null 2>&1 || true
    if [[ "$pid" =~ ^[0-9]+$ ]]; then
      local _
      for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill "$pid" 2>/dev/null || true
    fi
  done
  CLUSTER_PORTS=()
}
start_cluster() {
  local major p i _ ok seeds=()
  major="$(redis-server --version | sed -n 's/.*v=\([0-9]*\)\..*/\1/p')"
  if [[ -z "$major" ]] || ((major < 7)); then
    echo "test.sh: redis-server ${major:-?} < 7 (no sharded pub/sub): Redis Cluster tests skipped" >&2
    return 2
  fi
  for i in 1 2 3; do
    p="$(free_port)" || return 1
    mkdir -p "$TMPD/cluster-$p"
    redis-server --port "$p" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
      --cluster-enabled yes --cluster-config-file "$TMPD/cluster-$p/nodes.conf" --cluster-node-timeout 5000 \
      --pidfile "$TMPD/cluster-$p/redis.pid" --dir "$TMPD/cluster-$p" --logfile "$TMPD/cluster-$p/redis.log" \
      >/dev/null 2>&1 || return 1
    CLUSTER_PORTS+=("$p")
    seeds+=("127.0.0.1:$p")
  done
  for p in "${CLUSTER_PORTS[@]}"; do
    ok=0
    for _ in $(seq 1 50); do
      if [[ "$(redis-cli -h 127.0.0.1 -p "$p" ping 2>/dev/null)" == PONG ]]; then ok=1; break; fi
      sleep 0.1
    done
    ((ok)) || return 1
  done
  redis-cli --cluster create "${seeds[@]}" --cluster-replicas 0 --cluster-yes >"$TMPD/cluster-create.log" 2>&1 || {
    tail -n 20 "$TMPD/cluster-create.log" >&2; return 1; }
  for p in "${CLUSTER_PORTS[@]}"; do
    ok=0
    for _ in $(seq 1 100); do
      if redis-cli -h 127.0.0.1 -p "$p" cluster info 2>/dev/null | tr -d '\r' | grep -qx 'cluster_state:ok'; then ok=1; break; fi
      sleep 0.1
    done
    ((ok)) || return 1
  done
  CLUSTER_SEEDS="$(IFS=,; echo "${seeds[*]}")"
}
section "redis"
if start_redis; then
  export SWITCHBOARD_TEST_REDIS="127.0.0.1:$REDIS_PORT"
  echo "redis-server $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p') on $SWITCHBOARD_TEST_REDIS"
else
  fail_stage "redis: could not start a private redis-server"
fi
CLUSTER_SEEDS=""
rc=0
start_cluster || rc=$?
if ((rc == 0)); then
  export SWITCHBOARD_TEST_REDIS_CLUSTER="$CLUSTER_SEEDS"
  echo "redis cluster (3 masters) on $SWITCHBOARD_TEST_REDIS_CLUSTER"
else
  stop_cluster
  ((rc == 2)) || fail_stage "redis: could not start a private Redis Cluster (its tests are reported skipped)"
fi

# A master, its replica and one Sentinel watching them as service "switchboard", for the tests that connect through
# Sentinel (tests/Switchboard.Redis.Tests/Conformance/Sentinel). Failover tests start sets of their own.
SENTINEL_DIR="$TMPD/sentinel"
SENTINEL_PORTS=()
# shellcheck disable=SC2317  # runs from the EXIT trap
stop_sentinel_set() {
  local f pid _
  [[ -d "$SENTINEL_DIR" ]] || return 0
  # Sentinel first, so it does not fail the master over while the servers stop.
  for f in "$SENTINEL_DIR/sentinel.pid" "$SENTINEL_DIR/replica.pid" "$SENTINEL_DIR/master.pid"; do
    [[ -f "$f" ]] || continue
    pid="$(cat "$f" 2>/dev/null || true)"
    [[ "$pid" =~ ^[0-9]+$ ]] || continue
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$f"
  done
  SENTINEL_PORTS=()
}
wait_for() { # wait_for SECONDS COMMAND...: until COMMAND succeeds
  local _ n=$(($1 * 10)); shift
  for _ in $(seq 1 "$n"); do "$@" && return 0; sleep 0.1; done
  return 1
}
replica_synced() { redis-cli -h 127.0.0.1 -p "$1" info replication 2>/dev/null | tr -d '\r' | grep -q '^master_link_status:up$'; }
sentinel_ready() { redis-cli -h 127.0.0.1 -p "$1" info sentinel 2>/dev/null | tr -d '\r' | grep -q 'name=switchboard,status=ok,.*,slaves=1,'; }
start_sentinel_set() {
  local master replica sentinel
  mkdir -p "$SENTINEL_DIR"
  master="$(free_port)" && replica="$(free_port)" && sentinel="$(free_port)" || return 1
  if [[ "$master" == "$replica" || "$master" == "$sentinel" || "$replica" == "$sentinel" ]]; then return 1; fi
  SENTINEL_PORTS=("$master" "$replica" "$sentinel")
  redis-server --port "$master" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --repl-diskless-sync-delay 0 \
    --pidfile "$SENTINEL_DIR/master.pid" --dir "$SENTINEL_DIR" --logfile "$SENTINEL_DIR/master.log" >/dev/null 2>&1 || return 1
  redis-server --port "$replica" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes --replicaof 127.0.0.1 "$master" \
    --pidfile "$SENTINEL_DIR/replica.pid" --dir "$SENTINEL_DIR" --logfile "$SENTINEL_DIR/replica.log" >/dev/null 2>&1 || return 1
  wait_for 10 replica_synced "$replica" || return 1
  # Sentinel rewrites its configuration file: it must be writable, one per process.
  cat >"$SENTINEL_DIR/sentinel.conf" <<CONF
port $sentinel
bind 127.0.0.1
daemonize yes
pidfile $SENTINEL_DIR/sentinel.pid
logfile $SENTINEL_DIR/sentinel.log
dir $SENTINEL_DIR
sentinel monitor switchboard 127.0.0.1 $master 1
sentinel down-after-milliseconds switchboard 1000
sentinel failover-timeout switchboard 5000
CONF
  redis-server "$SENTINEL_DIR/sentinel.conf" --sentinel >/dev/null 2>&1 || return 1
  wait_for 30 sentinel_ready "$sentinel" || return 1
}
if [[ -n "${SWITCHBOARD_TEST_REDIS:-}" ]]; then
  if start_sentinel_set; then
    export SWITCHBOARD_TEST_REDIS_SENTINEL="127.0.0.1:${SENTINEL_PORTS[2]},serviceName=switchboard"
    echo "redis sentinel: master 127.0.0.1:${SENTINEL_PORTS[0]}, replica :${SENTINEL_PORTS[1]}; $SWITCHBOARD_TEST_REDIS_SENTINEL"
  else
    tail -n 20 "$SENTINEL_DIR"/*.log >&2 2>/dev/null || true
    stop_sentinel_set
    fail_stage "redis: could not start the Sentinel deployment (master, replica, sentinel)"
  fi
fi

# ---------------------------------------------------------------- 3. npm
npm_setup() { # npm_setup DIR
  local dir="$1"
  [[ -f "$dir/package.json" ]] || return 0
  # Installed already, and not older than the lock file (a devDependency added since, e.g. typescript, needs npm ci).
  if [[ -d "$dir/node_modules" ]] && ! [[ -f "$dir/package-lock.json" && "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]]; then
    return 0
  fi
  section "npm ($dir)"
  local cmd=(npm install)
  [[ -f "$dir/package-lock.json" || -f "$dir/npm-shrinkwrap.json" ]] && cmd=(npm ci)
  if ! (cd "$dir" && "${cmd[@]}" --no-audit --no-fund --loglevel=error); then
    fail_stage "npm: '${cmd[*]}' in $dir"
    return 1
  fi
}
npm_setup clients/js || true
if ((run_browser)); then npm_setup tests/browser || true; fi

RESULTS="$ROOT/TestResults"
mkdir -p "$RESULTS"
rm -rf "$RESULTS/dotnet" "$RESULTS/js.tap" "$RESULTS/browser.tap" "$RESULTS/packages" "$RESULTS/packages.log" "$RESULTS/template" "$RESULTS/template.log"

# ---------------------------------------------------------------- 4. .NET
# Sum the <Counters .../> of every TRX file (one per test project): passed; failed = failed + error +
# timeout + aborted; skipped = total - executed.
trx_attr() { sed -n "s/.*[[:space:]]$1=\"\([0-9]*\)\".*/\1/p" <<<"$2" | head -n 1; }
count_trx() {
  local dir="$1" f c n t e p=0 fl=0 sk=0 files=0 a
  shopt -s nullglob globstar
  for f in "$dir"/**/*.trx; do
    c="$(tr '\r\n' '  ' <"$f" | grep -o '<Counters[[:space:]][^>]*>' | head -n 1 || true)"
    [[ -n "$c" ]] || continue
    files=$((files + 1))
    n="$(trx_attr passed "$c")"; p=$((p + ${n:-0}))
    for a in failed error timeout aborted; do n="$(trx_attr "$a" "$c")"; fl=$((fl + ${n:-0})); done
    # xunit's skipped tests are counted in total but not in executed (notExecuted stays 0).
    t="$(trx_attr total "$c")"; e="$(trx_attr executed "$c")"
    if ((${t:-0} > ${e:-0})); then sk=$((sk + t - e)); fi
  done
  shopt -u nullglob globstar
  echo "$p $fl $sk $files"
}
# List the failed tests of every TRX file as "  NAME: first line of its message" (at most 20), so that the
# tail of a CI log names what failed.
failed_trx_tests() {
  local f
  shopt -s nullglob globstar
  for f in "$1"/**/*.trx; do
    # One record per test result; a failed one carries its message in <Message>.
    awk 'BEGIN { RS = "</UnitTestResult>|/>[[:space:]]*<UnitTestResult " }
         { sub(/.*<UnitTestResult /, "") } # the first record starts with the file header
         /^[^>]*outcome="(Failed|Error|Timeout|Aborted)"/ {
           name = $0; sub(/.*testName="/, "", name); sub(/".*/, "", name)
           msg = ""
           if (match($0, /<Message>[^<]*/)) { msg = substr($0, RSTART + 9, RLENGTH - 9); gsub(/[[:space:]]+/, " ", msg) }
           line = "  " name ": " substr(msg, 1, 200)
           gsub(/&quot;/, "\"", line); gsub(/&lt;/, "<", line); gsub(/&gt;/, ">", line); gsub(/&amp;/, "\\&", line)
           print line
         }' "$f"
  done | head -n 20
  shopt -u nullglob globstar
}

section "dotnet build"
dn_pass=0 dn_fail=0 dn_skip=0
dotnet_built=0
if [[ ! -f Switchboard.slnx ]]; then
  fail_stage "dotnet: Switchboard.slnx not found"
elif ! dotnet build Switchboard.slnx -c Release -nologo; then
  fail_stage "dotnet: build failed (tests not run)"
else
  dotnet_built=1
  section "dotnet test"
  test_args=(test Switchboard.slnx -c Release --no-build --logger trx --results-directory "$RESULTS/dotnet"
             --blame-hang-timeout 5m --blame-hang-dump-type none)
  [[ -n "$dotnet_filter" ]] && test_args+=(--filter "$dotnet_filter")
  rc=0
  dotnet "${test_args[@]}" || rc=$?
  read -r dn_pass dn_fail dn_skip trx_files < <(count_trx "$RESULTS/dotnet")
  ((rc == 0)) || fail_stage "dotnet: 'dotnet test' exited with $rc"
  ((trx_files > 0)) || fail_stage "dotnet: no TRX results in $RESULTS/dotnet"
  ((dn_pass + dn_fail > 0)) || fail_stage "dotnet: no .NET test ran"
fi
record dotnet "$dn_pass" "$dn_fail" "$dn_skip"

# ---------------------------------------------------------------- 5. node (JS client, browser)
tap_count() { # tap_count FILE KEY -> last "# KEY N" of the file's summary
  sed -n "s/^# $2 \([0-9][0-9]*\)\$/\1/p" "$1" 2>/dev/null | tail -n 1
}
node_stage() { # node_stage NAME DIR
  local name="$1" dir="$2" tap="$RESULTS/$1.tap" rc=0 p f c s t
  section "$name: node --test $dir/"
  node --test --test-reporter=spec --test-reporter-destination=stdout \
       --test-reporter=tap --test-reporter-destination="$tap" "$dir/" || rc=$?
  p="$(tap_count "$tap" pass)"; f="$(tap_count "$tap" fail)"; c="$(tap_count "$tap" cancelled)"
  s="$(tap_count "$tap" skipped)"; t="$(tap_count "$tap" todo)"
  if [[ -z "$p" || -z "$f" ]]; then
    fail_stage "$name: no test summary from node (exit $rc)"
    record "$name" 0 0 0
    return
  fi
  f=$((f + ${c:-0}))
  record "$name" "$p" "$f" $((${s:-0} + ${t:-0}))
  ((rc == 0)) || fail_stage "$name: 'node --test $dir/' exited with $rc"
  ((p + f > 0)) || echo "test.sh: warning: $name: no test found in $dir/" >&2
}
if [[ -d clients/js/test ]]; then
  node_stage js clients/js/test
else
  echo "test.sh: clients/js/test/ not found; JS tests skipped" >&2
fi
if ((run_browser)) && [[ -d tests/browser ]]; then
  node_stage browser tests/browser
fi

# ---------------------------------------------------------------- 5b. packages (docs/packages.md)
# Packs src/ (reusing the Release build above) and clients/js, installs them into a fresh app and runs it. Its last line
# is `packages: N passed, N failed`, counted like the bench smoke test.
if ((run_packages)) && ((dotnet_built)); then
  section "packages: tests/packages/run.sh"
  rc=0
  PACKAGES_LOG_DIR="$RESULTS/packages" tests/packages/run.sh --no-build 2>&1 | tee "$RESULTS/packages.log" || rc=$?
  count_summary packages "$RESULTS/packages.log" "$rc" tests/packages/run.sh '' "(logs: TestResults/packages/)"
fi

# ---------------------------------------------------------------- 5c. template (docs/template.md)
# Packs src/ (reusing the Release build above) with the template, makes each variant of `dotnet new switchboard`, tests
# and runs it. Its last line is `template: N passed, N failed, N skipped`.
if ((run_template)) && ((dotnet_built)); then
  section "template: tests/template/run.sh"
  rc=0
  TEMPLATE_LOG_DIR="$RESULTS/template" tests/template/run.sh --no-build 2>&1 | tee "$RESULTS/template.log" || rc=$?
  count_summary template "$RESULTS/template.log" "$rc" tests/template/run.sh skips "(logs: TestResults/template/)"
fi

# ---------------------------------------------------------------- 6. benchmark smoke (bench/, docs/benchmarks.md)
# Tiny versions of every benchmark scenario: proves they still run (servers, load generator, Redis, Hangfire).
# Timings are printed, never judged. bench/run.sh builds bench/Switchboard.Bench.slnx itself.
if ((run_bench)) && [[ -x bench/run.sh ]]; then
  section "bench: bench/run.sh --smoke"
  rm -rf "$RESULTS/bench"
  rc=0
  bench/run.sh --smoke --out "$RESULTS/bench" 2>&1 | tee "$RESULTS/bench.log" || rc=$?
  count_summary bench "$RESULTS/bench.log" "$rc" "bench/run.sh --smoke"
fi

# ---------------------------------------------------------------- 7. demo container (docs/deployment.md#docker)
# Only where a Docker daemon answers (`docker info`); elsewhere reported as not run. Builds the demo image, runs it on a
# free 127.0.0.1 port and fetches its home page; counts as one test.
docker_ran=0
docker_stage() {
  local tag="switchboard-demo:test-$$" name="switchboard-demo-test-$$" port _ ok=0
  section "docker: demo image"
  docker_ran=1
  if ! docker build -f samples/Switchboard.Demo/Dockerfile -t "$tag" . >"$RESULTS/docker-build.log" 2>&1; then
    tail -n 30 "$RESULTS/docker-build.log" >&2 || true
    fail_stage "docker: 'docker build -f samples/Switchboard.Demo/Dockerfile' failed (log: TestResults/docker-build.log)"
    record docker 0 1 0
    return
  fi
  port="$(free_port)" || { fail_stage "docker: no free port"; record docker 0 1 0; docker rmi "$tag" >/dev/null 2>&1 || true; return; }
  if docker run -d --rm --name "$name" -p "127.0.0.1:$port:8080" "$tag" >/dev/null 2>"$RESULTS/docker-run.log"; then
    for _ in $(seq 1 300); do
      if curl -fsS "http://127.0.0.1:$port/" 2>/dev/null | grep -q 'switchboard'; then ok=1; break; fi
      sleep 0.2
    done
    ((ok)) || docker logs "$name" >>"$RESULTS/docker-run.log" 2>&1 || true
    docker stop "$name" >/dev/null 2>&1 || true
  fi
  docker rmi "$tag" >/dev/null 2>&1 || true
  if ((ok)); then
    echo "docker: the demo image served its home page"
    record docker 1 0 0
  else
    tail -n 30 "$RESULTS/docker-run.log" >&2 || true
    fail_stage "docker: the demo container did not serve its home page within 60 s (log: TestResults/docker-run.log)"
    record docker 0 1 0
  fi
}
if command -v docker >/dev/null 2>&1 && command -v curl >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
  docker_stage
fi

# ---------------------------------------------------------------- summary
section "summary"
for f in "${failures[@]}"; do echo "FAILED: $f"; done
if ((dn_fail > 0)); then echo "failed .NET tests:"; failed_trx_tests "$RESULTS/dotnet"; fi
tot_pass=0 tot_fail=0 tot_skip=0
counts() { # counts PASSED FAILED SKIPPED -> "N passed, N failed[, N skipped]"
  local out="$1 passed, $2 failed"
  (($3 > 0)) && out+=", $3 skipped"
  echo "$out"
}
for s in "${stage_order[@]}"; do
  echo "$s: $(counts "${S_PASS[$s]}" "${S_FAIL[$s]}" "${S_SKIP[$s]}")"
  tot_pass=$((tot_pass + S_PASS[$s])); tot_fail=$((tot_fail + S_FAIL[$s])); tot_skip=$((tot_skip + S_SKIP[$s]))
done
if ((!run_browser)); then echo "browser: not run (--no-browser)"
elif [[ ! -d tests/browser ]]; then echo "browser: not run (no tests/browser/)"; fi
((run_packages)) || echo "packages: not run (--no-packages)"
((run_packages && !dotnet_built)) && echo "packages: not run (the .NET build failed)"
((run_template)) || echo "template: not run (--no-template)"
((run_template && !dotnet_built)) && echo "template: not run (the .NET build failed)"
((run_bench)) || echo "bench: not run (CI runs it; locally --bench-smoke or SWITCHBOARD_BENCH_SMOKE=1)"
((docker_ran)) || echo "docker: not run (no Docker daemon; the demo image is untested, docs/deployment.md#docker)"
counts "$tot_pass" "$tot_fail" "$tot_skip"
if ((${#failures[@]} > 0 || tot_fail > 0)); then exit 1; fi
exit 0
