#!/usr/bin/env bash
# Runs every test in the solution against real PostgreSQL, Redis and Kafka-protocol infrastructure,
# installing and starting what is missing first. Ends with one line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/prerequisites.sh || { echo "0 passed, 1 failed"; exit 1; }

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

# One test project at a time: several start whole systems and some assert timings, which other projects' load on
# the same two cores would distort.
dotnet build Tasks.sln --nologo -v quiet && \
  dotnet test Tasks.sln --nologo --no-build -m:1 --logger "trx" --results-directory "$results" "$@"
test_exit=$?

passed=0
failed=0
for trx in "$results"/*.trx; do
  [[ -e "$trx" ]] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  passed=$((passed + $(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")))
  failed=$((failed + $(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")))
done

# A build failure or a crashed test host leaves no counted failure behind: count it as one.
if ((test_exit != 0 && failed == 0)); then
  failed=1
fi

echo "$passed passed, $failed failed"
((failed == 0 && passed > 0))
