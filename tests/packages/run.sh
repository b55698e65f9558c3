#!/usr/bin/env bash
# tests/packages/run.sh [--no-build]: the packages as users get them (docs/packages.md#how-the-packages-are-tested).
#   1. `dotnet pack` of every src/ project into a temporary folder (--no-build: reuse `dotnet build -c Release`, as
#      test.sh does), and checks each .nupkg (metadata, readme, licence, XML docs) and its .snupkg;
#   2. `npm pack` of clients/js into the same folder;
#   3. `dotnet new web` in a fresh folder outside the repository, a nuget.config with the folder as a source (our ids
#      only from there; everything else from the machine's usual sources), `dotnet add package Switchboard` and
#      `Switchboard.Redis` at the packed version, this folder's Program.cs, one restore and one build;
#   4. starts the app on 127.0.0.1 port 0 (on Redis when SWITCHBOARD_TEST_REDIS is set), installs the npm tarball
#      beside it, and check.mjs fetches /switchboard/df.js (it must equal the npm package's dist/df.js), opens a window
#      over the WebSocket with the page's token and round-trips a signal; then stops the app.
# Prints `ok NAME` / `not ok NAME` per check and, last, `packages: N passed, N failed` (test.sh counts that line).
# A check that cannot run because an earlier one failed counts as failed. Logs: $PACKAGES_LOG_DIR (default: a temp dir,
# removed at exit).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/tests/packages"
no_build=()
for arg in "$@"; do
  case "$arg" in
    --no-build) no_build=(--no-build) ;;
    *) echo "run.sh: unknown option '$arg'" >&2; exit 2 ;;
  esac
done
TMPD="$(mktemp -d "${TMPDIR:-/tmp}/switchboard-packages.XXXXXX")"
LOGS="${PACKAGES_LOG_DIR:-$TMPD/logs}"
mkdir -p "$LOGS"
APP_PID=""
# shellcheck disable=SC2317  # runs from the EXIT trap
cleanup() {
  if [[ -n "$APP_PID" ]]; then kill "$APP_PID" 2>/dev/null; wait "$APP_PID" 2>/dev/null; fi
  rm -rf "$TMPD"
}
trap cleanup EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# A private global packages folder: a Switchboard 0.1.0 cached by an earlier run is never used instead of this one.
export NUGET_PACKAGES="$TMPD/nuget-packages"

PROJECTS=(Switchboard Switchboard.Redis Switchboard.Testing)
TOTAL=6
pass=0 fail=0 broken=""
ok() { echo "ok $1"; pass=$((pass + 1)); }
not_ok() { echo "not ok $1: $2"; fail=$((fail + 1)); broken=1; }
finish() {
  local left=$((TOTAL - pass - fail))
  if ((left > 0)); then echo "not ok $left check(s) not run (an earlier step failed)"; fail=$((fail + left)); fi
  echo "packages: $pass passed, $fail failed"
  ((fail == 0))
  exit
}
log_tail() { tail -n 25 "$1" | sed 's/^/    /'; }

VERSION="$(sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' "$ROOT/src/Directory.Build.props" | head -n 1)"
[[ -n "$VERSION" ]] || { not_ok "version" "no <VersionPrefix> in src/Directory.Build.props"; finish; }
PKG="$TMPD/packages"

# ---- 1. dotnet pack
nuspec_check() { # nuspec_check ID: the package's metadata and files; prints what is wrong
  local nupkg="$PKG/$1.$VERSION.nupkg" spec files
  [[ -f "$nupkg" ]] || { echo "$1.$VERSION.nupkg missing"; return; }
  [[ -f "$PKG/$1.$VERSION.snupkg" ]] || echo "$1.$VERSION.snupkg (symbols) missing"
  spec="$(unzip -p "$nupkg" "$1.nuspec" 2>/dev/null)"
  files="$(unzip -Z1 "$nupkg" 2>/dev/null)"
  grep -q "<id>$1</id>" <<<"$spec" || echo "$1: nuspec id"
  grep -q '<license type="expression">MIT</license>' <<<"$spec" || echo "$1: licence expression"
  grep -q '<readme>README.md</readme>' <<<"$spec" || echo "$1: readme"
  grep -q '<authors>Switchboard contributors</authors>' <<<"$spec" || echo "$1: authors"
  grep -q '<description>..*</description>' <<<"$spec" || echo "$1: description"
  grep -q '<tags>..*</tags>' <<<"$spec" || echo "$1: tags"
  grep -q '<repository type="git" url="https://[^"]*"' <<<"$spec" || echo "$1: repository"
  if git -C "$ROOT" rev-parse HEAD >/dev/null 2>&1; then
    grep -q "commit=\"$(git -C "$ROOT" rev-parse HEAD)\"" <<<"$spec" || echo "$1: repository commit (Source Link)"
  fi
  for f in README.md LICENSE "lib/net10.0/$1.dll" "lib/net10.0/$1.xml"; do
    grep -qxF "$f" <<<"$files" || echo "$1: $f not in the package"
  done
}
pack_ok=1
if ((${#no_build[@]})); then
  dotnet pack "$ROOT/Switchboard.slnx" -c Release -nologo --no-build -o "$PKG" >"$LOGS/dotnet-pack.log" 2>&1 || pack_ok=0
else
  for p in "${PROJECTS[@]}"; do
    dotnet pack "$ROOT/src/$p/$p.csproj" -c Release -nologo -o "$PKG" >>"$LOGS/dotnet-pack.log" 2>&1 || pack_ok=0
  done
fi
problems=""
((pack_ok)) || problems="dotnet pack failed"
for p in "${PROJECTS[@]}"; do problems+="$(nuspec_check "$p")"$'\n'; done
problems="$(grep . <<<"$problems" || true)"
if [[ -z "$problems" ]]; then
  ok "dotnet pack: ${PROJECTS[*]} $VERSION (.nupkg with readme, licence, docs, repository; .snupkg)"
else
  not_ok "dotnet pack" "$(tr '\n' ';' <<<"$problems")"; log_tail "$LOGS/dotnet-pack.log"
fi

# ---- 2. npm pack
NPM_TGZ=""
if out="$(cd "$ROOT/clients/js" && npm pack --json --loglevel=error --pack-destination "$PKG" 2>"$LOGS/npm-pack.log")" &&
   NPM_TGZ="$PKG/$(node -e 'const r = JSON.parse(process.argv[1].slice(process.argv[1].indexOf("["))); process.stdout.write(r[0].filename)' "$out")" &&
   [[ -f "$NPM_TGZ" ]]; then
  ok "npm pack: $(basename "$NPM_TGZ")"
else
  NPM_TGZ=""
  not_ok "npm pack" "see below"; log_tail "$LOGS/npm-pack.log"
fi
[[ -z "$broken" ]] || finish

# ---- 3. a fresh app from the local source
APP="$TMPD/app"
sources_mapping() { # the machine's enabled sources, each allowed every package but ours
  dotnet nuget list source --format detailed 2>/dev/null | sed -n 's/^ *[0-9][0-9]*\. *\(.*\) \[Enabled\]$/\1/p' |
    while read -r key; do printf '    <packageSource key="%s"><package pattern="*" /></packageSource>\n' "$key"; done
}
build_app() {
  dotnet new web -o "$APP" -n SmokeApp --no-restore || return 1
  cat >"$APP/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="switchboard-local" value="$PKG" />
  </packageSources>
  <!-- Our ids come only from the local folder, whatever a remote source may hold under the same name. -->
  <packageSourceMapping>
    <packageSource key="switchboard-local"><package pattern="Switchboard" /><package pattern="Switchboard.*" /></packageSource>
$(sources_mapping)
  </packageSourceMapping>
</configuration>
XML
  (cd "$APP" && dotnet add package Switchboard --version "$VERSION" --no-restore &&
                dotnet add package Switchboard.Redis --version "$VERSION" --no-restore) || return 1
  cp "$HERE/Program.cs" "$APP/Program.cs"
  dotnet build "$APP/SmokeApp.csproj" -c Release -nologo || return 1
  # The restore took our packages from the local folder: the assembly is the one packed now.
  cmp -s "$NUGET_PACKAGES/switchboard/$VERSION/lib/net10.0/Switchboard.dll" "$APP/bin/Release/net10.0/Switchboard.dll"
}
if build_app >"$LOGS/app-build.log" 2>&1; then
  ok "a fresh 'dotnet new web' app restores Switchboard and Switchboard.Redis $VERSION from the local folder and builds"
else
  not_ok "fresh app build" "see below"; log_tail "$LOGS/app-build.log"; finish
fi

# ---- 4. run it, drive it with the npm package
(cd "$APP" && exec dotnet bin/Release/net10.0/SmokeApp.dll --urls http://127.0.0.1:0) >"$LOGS/app.log" 2>&1 &
APP_PID=$!
URL=""
for _ in $(seq 1 600); do
  URL="$(sed -n 's/.*Now listening on: \(http:\/\/127\.0\.0\.1:[0-9][0-9]*\).*/\1/p' "$LOGS/app.log" | head -n 1)"
  [[ -n "$URL" ]] && break
  kill -0 "$APP_PID" 2>/dev/null || break
  sleep 0.1
done
if [[ -n "$URL" ]]; then
  ok "the app starts and listens on $URL"
else
  not_ok "app start" "no 'Now listening on' within 60 s"; log_tail "$LOGS/app.log"; finish
fi
ws_flag=()
[[ "$(node -p 'typeof WebSocket')" == function ]] || ws_flag=(--experimental-websocket)
if ! (cd "$APP" && npm install --offline --no-audit --no-fund --no-save --loglevel=error "$NPM_TGZ") >"$LOGS/npm-install.log" 2>&1; then
  not_ok "npm install of the tarball" "see below"; log_tail "$LOGS/npm-install.log"; finish
fi
cp "$HERE/check.mjs" "$APP/check.mjs"
while IFS= read -r line; do
  case "$line" in
    "ok "*) ok "${line#ok }" ;;
    "not ok "*) r="${line#not ok }"; not_ok "${r%%: *}" "${r#*: }" ;;
    *) echo "    $line" ;;
  esac
done < <(cd "$APP" && node "${ws_flag[@]}" --no-warnings check.mjs "$URL" 2>&1)
kill "$APP_PID" 2>/dev/null; wait "$APP_PID" 2>/dev/null; APP_PID=""
[[ -z "$broken" ]] || log_tail "$LOGS/app.log"
finish
