#!/usr/bin/env bash
# build/update-public-api.sh [PROJECT_DIR...]: brings each src project's PublicAPI.Unshipped.txt in line with its
# public API (docs/packages.md#public-api). The analyzer's code fix exists only in an IDE, so this builds each project
# with warnings as warnings, adds every symbol that RS0016 reports (public, not declared) and removes every one that
# RS0017 reports (declared, no longer public), then sorts the file. Run it after changing the public API on purpose,
# then read `git diff -- '*PublicAPI*'`: it is the API change a reviewer should see. Default: every project of src/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if (($#)); then projects=("$@"); else projects=(src/Switchboard src/Switchboard.Redis src/Switchboard.Testing); fi
LOG="$(mktemp)"
trap 'rm -f "$LOG"' EXIT
build() { # build DIR [ARGS...]: warnings stay warnings, so the analyzer reports every symbol
  dotnet build "$@" -c Release -nologo -p:TreatWarningsAsErrors=false -clp:NoSummary >"$LOG" 2>&1 || true
}
for dir in "${projects[@]}"; do
  dir="${dir%/}"
  csproj="$(ls "$dir"/*.csproj)"
  unshipped="$dir/PublicAPI.Unshipped.txt"
  [[ -f "$unshipped" ]] || printf '#nullable enable\n' >"$unshipped"
  build "$dir"                                        # references first
  build "$dir" --no-dependencies --no-incremental     # this project's compilation, always re-run
  if grep -q ': error ' "$LOG"; then
    grep ': error ' "$LOG" | sort -u | head -n 20 >&2
    echo "update-public-api: $dir does not build; fix the errors above first" >&2
    exit 1
  fi
  name="$(basename "$csproj")"
  added="$(grep -F "$name]" "$LOG" | grep 'warning RS0016' | sed -n "s/.*Symbol '\(.*\)' is not part of the declared public API.*/\1/p" | sort -u || true)"
  removed="$(grep -F "$name]" "$LOG" | grep 'warning RS0017' | sed -n "s/.*Symbol '\(.*\)' is part of the declared API, but is either not public or could not be found.*/\1/p" | sort -u || true)"
  {
    echo '#nullable enable'
    { grep -v '^#nullable enable$' "$unshipped" || true
      [[ -n "$added" ]] && printf '%s\n' "$added"
    } | grep -vxF -f <(printf '%s\n' "${removed:-#none#}") | grep -v '^$' | LC_ALL=C sort -u
  } >"$unshipped.new"
  mv "$unshipped.new" "$unshipped"
  echo "update-public-api: $dir: $(grep -c . <<<"$added" || true) added, $(grep -c . <<<"$removed" || true) removed"
done
