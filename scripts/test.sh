#!/usr/bin/env bash
# Installs what is missing, builds the solution (warnings are errors), runs every test project and ends with
# one summary line: "tests: N passed, N failed, N skipped". Exits non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."

# chromium: the browser consent tests drive Debian's chromium through Playwright.
# node: the TypeScript client's type check and node --test suite (TypeScriptClientTests), and Google's Node client
# against the sandbox (tests/node-googleapis, GoogleApisNodeClientTests; its own node 22 comes from npm).
scripts/prerequisites.sh chromium node || exit 1

results="artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

dotnet build Orbyt.Aspire.sln -nologo -clp:ErrorsOnly || { echo "tests: 0 passed, 1 failed"; exit 1; }

status=0
projects=$(dotnet sln Orbyt.Aspire.sln list | grep -E "^tests[/\\].*\.csproj$" | tr "\\" / | sort)
for project in $projects; do
  name=$(basename "$project" .csproj)
  echo "=== $name"
  if ! dotnet test "$project" --no-build -nologo \
        --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
        --results-directory "$results" --blame-hang-timeout 15m; then
    status=1
  fi
  if [[ ! -f "$results/$name.trx" ]]; then
    echo "$name produced no test results (crashed or did not run)." >&2
    status=1
    missing=1
  fi
done

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [[ -f "$trx" ]] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n1)
  value() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed) + $(value error) + $(value timeout) + $(value aborted)))
  skipped=$((skipped + $(value notExecuted)))
done
[[ ${missing:-0} -eq 1 ]] && failed=$((failed + 1))
((failed > 0)) && status=1

echo "tests: $passed passed, $failed failed, $skipped skipped"
exit $status
