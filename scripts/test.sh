#!/usr/bin/env bash
# Installs what is missing, builds the solution (warnings are errors), runs every test project and ends with
# one summary line: "tests: N passed, N failed, N skipped". Exits non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."

# chromium: the browser consent tests drive Debian's chromium through Playwright.
# node: the TypeScript client's type check and node --test suite (TypeScriptClientTests), and Google's Node client
# against the sandbox (tests/node-googleapis, GoogleApisNodeClientTests; its own node 22 comes from npm), and Deno 2.9
# for the Supabase kit's Edge Functions (SupabaseKitTests) and the TypeScript suite under Deno: the npm package `deno`,
# a devDependency of clients/supabase and clients/typescript that the tests' `npm ci` installs.
scripts/prerequisites.sh chromium node || exit 1

results="artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

dotnet build Orbyt.Aspire.sln -nologo -clp:ErrorsOnly || { echo "tests: 0 passed, 1 failed"; exit 1; }

status=0
# run_tests NAME PROJECT [dotnet test arguments…]: one test run, its results in $results/NAME.trx.
run_tests() {
  local name=$1 project=$2
  shift 2
  echo "=== $name"
  if ! dotnet test "$project" --no-build -nologo "$@" \
        --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
        --results-directory "$results" --blame-hang-timeout 15m; then
    status=1
  fi
  if [[ ! -f "$results/$name.trx" ]]; then
    echo "$name produced no test results (crashed or did not run)." >&2
    status=1
    missing=1
  fi
}

projects=$(dotnet sln Orbyt.Aspire.sln list | grep -E "^tests[/\\].*\.csproj$" | tr "\\" / | sort)
for project in $projects; do
  run_tests "$(basename "$project" .csproj)" "$project"
done

# The queue, rate-limit and key-revocation tests once more, with the services on a local three-node Redis Cluster
# (the fixture starts it when ORBYT_TEST_REDIS=cluster): every multi-key script must stay within one hash slot.
ORBYT_TEST_REDIS=cluster run_tests Orbyt.IntegrationTests.RedisCluster tests/Orbyt.IntegrationTests/Orbyt.IntegrationTests.csproj --filter "Redis=Cluster"

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

# Name every failed test, with the start of its message, just above the summary line: a CI log is often seen
# only by its last lines.
if ((failed > 0)); then
  echo "failed tests:"
  for trx in "$results"/*.trx; do
    [[ -f "$trx" ]] || continue
    # One result per line: testName="…" … outcome="Failed" …; then up to three lines of its <Message>.
    awk -v run="$(basename "$trx" .trx)" '
      /<UnitTestResult / && /outcome="Failed"/ { if (match($0, /testName="[^"]*"/)) { name = substr($0, RSTART + 10, RLENGTH - 11); want = 1 } }
      want && /<Message>/ { inmsg = 1; lines = 0; msg = ""; sub(/.*<Message>/, "") }
      inmsg {
        done = sub(/<\/Message>.*/, "")
        if (lines < 3 && $0 != "") { msg = msg (lines ? " | " : "") $0; lines++ }
        if (done || lines >= 3) { printf "  %s: %s\n    %s\n", run, name, substr(msg, 1, 400); inmsg = 0; want = 0 }
      }
    ' "$trx"
  done
fi
((failed > 0)) && status=1

echo "tests: $passed passed, $failed failed, $skipped skipped"
exit $status
