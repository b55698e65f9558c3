#!/usr/bin/env bash
# tests/template/run.sh [--no-build]: the `dotnet new switchboard` template as users get it (docs/template.md#how-it-is-tested).
#   1. `dotnet pack` of the src/ projects (Switchboard, Switchboard.Redis, Switchboard.Testing, Switchboard.Templates)
#      into a temporary folder (--no-build: reuse `dotnet build -c Release`, as test.sh does); the template package
#      must carry template.json with the packed version;
#   2. `dotnet new install` of the template package into a private hive (--debug:custom-hive: the user's templates are
#      untouched);
#   3. for each variant (default, --redis, --razor): `dotnet new switchboard` in a fresh folder outside the repository,
#      a nuget.config with the folder as a source (our ids only from there) and a private packages folder, one build of
#      its solution, `dotnet test` of its test project, then the app started on 127.0.0.1 port 0 and its page driven in
#      headless Chromium (drive.mjs): the button calls the signal and the browser handler shows the answer.
#      --redis runs on Redis when SWITCHBOARD_TEST_REDIS is set (a web node and a `worker` process on a private
#      prefix: the job goes through the Redis queue to the worker); without it the app runs in memory and the Redis
#      check is reported skipped.
# Prints `ok NAME`, `not ok NAME: why` or `skip NAME: why` per check and, last,
# `template: N passed, N failed, N skipped` (test.sh counts that line). A check that cannot run because an earlier one
# failed counts as failed. Logs: $TEMPLATE_LOG_DIR (default: a temp dir, removed at exit).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/tests/template"
no_build=0
for arg in "$@"; do
  case "$arg" in
    --no-build) no_build=1 ;;
    *) echo "run.sh: unknown option '$arg'" >&2; exit 2 ;;
  esac
done
TMPD="$(mktemp -d "${TMPDIR:-/tmp}/switchboard-template.XXXXXX")"
LOGS="${TEMPLATE_LOG_DIR:-$TMPD/logs}"
mkdir -p "$LOGS"
PIDS=()
stop_all() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  PIDS=()
}
# shellcheck disable=SC2317  # runs from the EXIT trap
cleanup() { stop_all; rm -rf "$TMPD"; }
trap cleanup EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# A private global packages folder: a Switchboard 0.1.0 cached by an earlier run is never used instead of this one.
export NUGET_PACKAGES="$TMPD/nuget-packages"
# The generated apps must not pick up a Redis meant for something else.
unset Switchboard__Redis

PROJECTS=(Switchboard Switchboard.Redis Switchboard.Testing Switchboard.Templates)
VARIANTS=(default redis razor)
TOTAL=$((2 + 4 * ${#VARIANTS[@]} + 1))   # pack, install; per variant: build, test, start, browser; --redis on Redis
pass=0 fail=0 skip=0
ok() { echo "ok $1"; pass=$((pass + 1)); }
not_ok() { echo "not ok $1: $2"; fail=$((fail + 1)); }
skipped() { echo "skip $1: $2"; skip=$((skip + 1)); }
finish() {
  local left=$((TOTAL - pass - fail - skip))
  if ((left > 0)); then echo "not ok $left check(s) not run (an earlier step failed)"; fail=$((fail + left)); fi
  echo "template: $pass passed, $fail failed, $skip skipped"
  ((fail == 0))
  exit
}
log_tail() { tail -n 25 "$1" | sed 's/^/    /'; }

VERSION="$(sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' "$ROOT/src/Directory.Build.props" | head -n 1)"
[[ -n "$VERSION" ]] || { not_ok "version" "no <VersionPrefix> in src/Directory.Build.props"; finish; }
PKG="$TMPD/packages"

# ---- 1. dotnet pack
pack_ok=1
for p in "${PROJECTS[@]}"; do
  args=(-c Release -nologo -o "$PKG")
  ((no_build)) && args+=(--no-build)
  dotnet pack "$ROOT/src/$p/$p.csproj" "${args[@]}" >>"$LOGS/dotnet-pack.log" 2>&1 || pack_ok=0
done
TPL="$PKG/Switchboard.Templates.$VERSION.nupkg"
problems=""
((pack_ok)) || problems="dotnet pack failed; "
for p in "${PROJECTS[@]}"; do [[ -f "$PKG/$p.$VERSION.nupkg" ]] || problems+="$p.$VERSION.nupkg missing; "; done
if [[ -f "$TPL" ]]; then
  unzip -p "$TPL" Switchboard.Templates.nuspec 2>/dev/null | grep -q '<packageType name="Template" />' || problems+="no Template package type; "
  json="$(unzip -p "$TPL" content/switchboard/.template.config/template.json 2>/dev/null)"
  grep -q "\"value\": \"$VERSION\"" <<<"$json" || problems+="template.json does not carry the version $VERSION; "
  grep -q '@SWITCHBOARD_VERSION@' <<<"$json" && problems+="template.json still has the placeholder; "
fi
# The generated projects' other packages are at the versions this repository tests with (Directory.Packages.props).
while read -r id ver; do
  grep -q "<PackageVersion Include=\"$id\" Version=\"$ver\" />" "$ROOT/Directory.Packages.props" ||
    problems+="the template references $id $ver, Directory.Packages.props another version; "
done < <(cat "$ROOT"/src/Switchboard.Templates/content/switchboard/*/*.csproj |
         sed -n 's:.*<PackageReference Include="\([^"]*\)" Version="\([0-9][^"]*\)" />.*:\1 \2:p')
if [[ -z "$problems" ]]; then
  ok "dotnet pack: ${PROJECTS[*]} $VERSION (template.json at $VERSION; other package versions as in Directory.Packages.props)"
else
  not_ok "dotnet pack" "$problems"; log_tail "$LOGS/dotnet-pack.log"; finish
fi

# ---- 2. install into a private hive
HIVE="$TMPD/hive"
if dotnet new install "$TPL" --debug:custom-hive "$HIVE" >"$LOGS/install.log" 2>&1 &&
   dotnet new list switchboard --debug:custom-hive "$HIVE" >>"$LOGS/install.log" 2>&1; then
  ok "dotnet new install Switchboard.Templates.$VERSION.nupkg (private hive)"
else
  not_ok "dotnet new install" "see below"; log_tail "$LOGS/install.log"; finish
fi

# Playwright (tests/browser's lock) drives the pages.
if [[ ! -d "$ROOT/tests/browser/node_modules/playwright-core" ]]; then
  (cd "$ROOT/tests/browser" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error) >"$LOGS/npm-ci.log" 2>&1 || true
fi

# ---- 3. each variant
sources_mapping() { # the machine's enabled sources, each allowed every package but ours
  dotnet nuget list source --format detailed 2>/dev/null | sed -n 's/^ *[0-9][0-9]*\. *\(.*\) \[Enabled\]$/\1/p' |
    while read -r key; do printf '    <packageSource key="%s"><package pattern="*" /></packageSource>\n' "$key"; done
}
MAPPING="$(sources_mapping)"
# start LOG ARGS...: runs the app's dll from its folder (its content root) in the background.
start() {
  local log="$1"; shift
  (cd "$APP/MyApp" && exec dotnet bin/Release/net10.0/MyApp.dll "$@") >"$log" 2>&1 &
  PIDS+=($!)
}
wait_listening() { # wait_listening LOG PID: prints the URL, or nothing after 60 s or when the process ended
  local url=""
  for _ in $(seq 1 600); do
    url="$(sed -n 's/.*Now listening on: \(http:\/\/127\.0\.0\.1:[0-9][0-9]*\).*/\1/p' "$1" | head -n 1)"
    [[ -n "$url" ]] && break
    kill -0 "$2" 2>/dev/null || break
    sleep 0.1
  done
  echo "$url"
}
wait_log() { # wait_log LOG PID TEXT: the worker says it started (60 s at most)
  for _ in $(seq 1 600); do
    grep -qF "$3" "$1" && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}
variant() {
  local v="$1" opts=() name="template[$v]" url out
  [[ "$v" == default ]] || opts=("--$v")
  APP="$TMPD/app-$v"
  if ! { dotnet new switchboard -o "$APP" -n MyApp "${opts[@]}" --debug:custom-hive "$HIVE" &&
         cat >"$APP/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="switchboard-local" value="$PKG" />
  </packageSources>
  <!-- Our ids come only from the local folder, whatever a remote source may hold under the same name. -->
  <packageSourceMapping>
    <packageSource key="switchboard-local"><package pattern="Switchboard" /><package pattern="Switchboard.*" /></packageSource>
$MAPPING
  </packageSourceMapping>
</configuration>
XML
         dotnet build "$APP/MyApp.slnx" -c Release -nologo &&
         cmp -s "$NUGET_PACKAGES/switchboard/$VERSION/lib/net10.0/Switchboard.dll" "$APP/MyApp/bin/Release/net10.0/Switchboard.dll"
       } >"$LOGS/$v-build.log" 2>&1; then
    not_ok "$name build" "see below"; log_tail "$LOGS/$v-build.log"; return
  fi
  ok "$name: 'dotnet new switchboard${opts[*]:+ ${opts[*]}}' builds against the packed $VERSION packages"

  if dotnet test "$APP/MyApp.slnx" -c Release --no-build -nologo >"$LOGS/$v-test.log" 2>&1; then
    ok "$name: dotnet test ($(grep -Eo '(Passed|total):? *[0-9]+.*' "$LOGS/$v-test.log" | tail -n 1))"
  else
    not_ok "$name dotnet test" "see below"; log_tail "$LOGS/$v-test.log"; return
  fi

  local expected="Hello, Chromium!" fill=Chromium
  [[ "$v" == razor ]] && expected="Hello, world!" fill=""
  start "$LOGS/$v-app.log" --urls http://127.0.0.1:0
  url="$(wait_listening "$LOGS/$v-app.log" "${PIDS[-1]}")"
  if [[ -n "$url" ]]; then
    ok "$name: the app starts and listens on $url"
  else
    not_ok "$name start" "no 'Now listening on' within 60 s"; log_tail "$LOGS/$v-app.log"; stop_all; return
  fi
  if out="$(node "$HERE/drive.mjs" "$url" "$expected" "$fill" 2>&1)"; then
    ok "$name: Chromium clicks the page's button and the browser handler shows '$expected'"
  else
    not_ok "$name browser" "$(tail -n 1 <<<"$out")"; sed 's/^/    /' <<<"$out"; log_tail "$LOGS/$v-app.log"
  fi
  stop_all
  [[ "$v" == redis ]] && on_redis
}

# The --redis variant as deployed: a web node and a `worker` process on Redis (a private key prefix). The web node runs
# no jobs on Redis, so the answer reaches the page only through the Redis queue, the worker and Redis pub/sub.
on_redis() {
  local name="template[redis] on Redis, web node + worker process" redis_args url
  if [[ -z "${SWITCHBOARD_TEST_REDIS:-}" ]]; then
    skipped "$name" "SWITCHBOARD_TEST_REDIS is not set (./test.sh starts a private redis-server and sets it)"
    return
  fi
  redis_args=("--Switchboard:Redis=$SWITCHBOARD_TEST_REDIS" "--Switchboard:RedisOptions:Prefix=template-$$-$RANDOM:")
  start "$LOGS/redis-web.log" --urls http://127.0.0.1:0 "${redis_args[@]}"
  url="$(wait_listening "$LOGS/redis-web.log" "${PIDS[-1]}")"
  start "$LOGS/redis-worker.log" worker "${redis_args[@]}"
  if [[ -z "$url" ]]; then
    not_ok "$name" "the web node did not listen within 60 s"; log_tail "$LOGS/redis-web.log"
  elif ! wait_log "$LOGS/redis-worker.log" "${PIDS[-1]}" "Application started"; then
    not_ok "$name" "the worker did not start"; log_tail "$LOGS/redis-worker.log"
  elif ! grep -q 'Serving queue default' "$LOGS/redis-worker.log" || grep -q 'Serving queue default' "$LOGS/redis-web.log"; then
    not_ok "$name" "expected the worker, and only the worker, to serve the queue 'default'"
    log_tail "$LOGS/redis-web.log"; log_tail "$LOGS/redis-worker.log"
  elif out="$(node "$HERE/drive.mjs" "$url" "Hello, Chromium!" Chromium 2>&1)"; then
    ok "$name: Chromium's click is answered by the worker process (the web node serves no queue)"
  else
    not_ok "$name" "$(tail -n 1 <<<"$out")"; sed 's/^/    /' <<<"$out"
    log_tail "$LOGS/redis-web.log"; log_tail "$LOGS/redis-worker.log"
  fi
  stop_all
}
for v in "${VARIANTS[@]}"; do variant "$v"; done
finish
