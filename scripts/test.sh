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
dotnet build Tasks.sln --nologo -v quiet
build_exit=$?
test_exit=$build_exit
if ((build_exit == 0)); then
  dotnet test Tasks.sln --nologo --no-build -m:1 --logger "trx" --results-directory "$results" "$@"
  test_exit=$?
fi

# Every test that did not pass counts as failed: a skipped or not-executed test (xunit's Skip, a test host that
# aborted before reaching it) proves nothing, so CI must not pass with it.
passed=0
failed=0
for trx in "$results"/*.trx; do
  [[ -e "$trx" ]] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  total=$(sed -E 's/.* total="([0-9]+)".*/\1/' <<<"$counters")
  passed_here=$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")
  passed=$((passed + passed_here))
  failed=$((failed + total - passed_here))
  not_executed=$(grep -c 'outcome="NotExecuted"' "$trx")
  ((not_executed > 0)) && echo "$(basename "$trx"): $not_executed test(s) skipped or not executed, counted as failed"
done

# A build failure or a crashed test host leaves no counted failure behind: count it as one.
if ((test_exit != 0 && failed == 0)); then
  failed=1
fi

# Every benchmark the README quotes, in its smoke mode (the smallest workloads: it checks that the benchmark still runs
# against the services as they are now; its figures mean nothing, so several run at once), from the Debug build above. Each
# counts as one test; a failed one prints the end of its output. The timeout only keeps a hung one from holding CI for
# its 90 minutes.
smoke() {
  local bench=$1 started=$SECONDS
  if timeout --kill-after=30 300 dotnet "bench/$bench/bin/Debug/net10.0/$bench.dll" --smoke >"$results/$bench-smoke.log" 2>&1; then
    echo "benchmark smoke $bench: passed in $((SECONDS - started)) s" >"$results/$bench-smoke.outcome"
  else
    { echo "benchmark smoke $bench: FAILED after $((SECONDS - started)) s; the end of its output:"
      tail -n 60 "$results/$bench-smoke.log"; } >"$results/$bench-smoke.outcome"
  fi
}
if ((build_exit == 0)); then
  # Three lanes of about two minutes each on two loaded cores (measured: PipelineBench 125 s; Mailing 50, Email 47,
  # Hostile 12, ConsolePage about 40; Schedule 46, Notification 53, Scheduler 20), the longest smoke alone in its lane.
  lanes=("PipelineBench" "MailingBench EmailBench HostileRequestsBench ConsolePageBench" "ScheduleBench NotificationBench SchedulerBench")
  for lane in "${lanes[@]}"; do
    (for bench in $lane; do smoke "$bench"; done) &
  done
  wait
  read -r -a benches <<<"${lanes[*]}"
  for bench in "${benches[@]}"; do
    cat "$results/$bench-smoke.outcome"
    if grep -q '^benchmark smoke .*: passed' "$results/$bench-smoke.outcome"; then
      passed=$((passed + 1))
    else
      failed=$((failed + 1))
    fi
  done
fi

echo "$passed passed, $failed failed"
((failed == 0 && passed > 0))
