#!/usr/bin/env bash
# The one test command (README, .ci/run): installs what a fresh machine lacks, builds, runs every
# test project in parallel, and ends with one line: "tests: N passed, N failed[, N skipped]".
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
results="$root/tests/TestResults"
rm -rf "$results"
mkdir -p "$results"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "tests/run.sh: the .NET 10 SDK is required (dotnet not on PATH)" >&2
  exit 2
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# What the tests start themselves: Azurite (pinned in tests/package.json; needs node and npm),
# redis-server processes as data nodes, and headless Chromium for the status page.
missing=()
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "tests/run.sh: installing Debian packages: ${missing[*]}" >&2
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
  # The package starts a redis-server of its own on 6379; the tests run theirs on free ports.
  if [[ " ${missing[*]} " == *" redis-server "* ]]; then
    (service redis-server stop || /etc/init.d/redis-server stop) >/dev/null 2>&1 || true
  fi
fi
# npm ci again when nothing is installed or the lock file changed since the last install.
if [ ! -x tests/node_modules/.bin/azurite ] || [ tests/package-lock.json -nt tests/node_modules/.package-lock.json ]; then
  npm ci --prefix tests --no-audit --no-fund
fi

dotnet restore KevyOrleans.sln
dotnet build KevyOrleans.sln -c Release --no-restore

# dotnet test runs the test projects of the solution in parallel; each writes a TRX file we count.
status=0
dotnet test KevyOrleans.sln -c Release --no-build \
  --logger "trx" --logger "console;verbosity=minimal" \
  --results-directory "$results" || status=$?

passed=0; failed=0; skipped=0; files=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  p=$(get passed); f=$(get failed); e=$(get error); t=$(get timeout); n=$(get notExecuted)
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0} + ${t:-0}))
  skipped=$((skipped + ${n:-0}))
done

if [ "$files" -eq 0 ]; then
  echo "tests/run.sh: no test results were written" >&2
  status=1
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the runner failed without counting a test failure (crash, build break): never report green
fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
