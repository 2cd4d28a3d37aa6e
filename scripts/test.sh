#!/usr/bin/env bash
# Runs every test in the solution against real PostgreSQL, Redis and Kafka-protocol infrastructure,
# installing and starting what is missing first. Ends with one line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/prerequisites.sh || { echo "0 passed, 1 failed"; exit 1; }

# The tests' databases are disposable, so their commits need not wait for the disk (asynchronous commit: a crash of the
# server could lose the last commits, never corrupt one; visibility and locking are unchanged). Measured: PipelineBench's
# smoke 80-85 s instead of 82-103 s, TaskApi.Tests 4:09 instead of 4:33 in CI. Only this command's sessions: the server's
# own setting, and the README's benchmark commands, keep durable commits.
export TASKS_TEST_POSTGRES="${TASKS_TEST_POSTGRES:-Host=127.0.0.1;Port=5432;Username=postgres;Password=postgres;Options=-c synchronous_commit=off}"

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

dotnet build Tasks.sln --nologo -v quiet
build_exit=$?
test_exit=$build_exit

# One test project at a time, except beside TaskWorker.Tests: several start whole systems and some assert timings, which
# other projects' load on the same two cores would distort. TaskWorker.Tests waits more than it computes (the CPU was
# 48 % busy during it, measured: gateways that hang, retries' backoff, consumer group rebalances), so the light projects
# (seconds of work each) use its idle half. Alone: TaskApi.Tests (79 % busy), Pipeline.Tests (88 %), AppHost.Tests
# (timed start-ups of whole systems) and EmailTemplates.Tests (a second of work, with wall-clock bounds on linear time).
alone_first=(TaskApi.Tests EmailTemplates.Tests)
waiting=TaskWorker.Tests
alone_last=(Pipeline.Tests AppHost.Tests)
light=()
for project in tests/*.Tests; do
  name=$(basename "$project")
  [[ " ${alone_first[*]} $waiting ${alone_last[*]} " == *" $name "* ]] || light+=("$name")
done
test_arguments=("$@")
test_project() {
  dotnet test "tests/$1" --nologo --no-build --logger "trx" --results-directory "$results/$1" "${test_arguments[@]}" \
    || echo "$1" >>"$results/failed-runs"
}
if ((build_exit == 0)); then
  for project in "${alone_first[@]}"; do test_project "$project"; done
  test_project "$waiting" &
  for project in "${light[@]}"; do test_project "$project"; done
  wait
  for project in "${alone_last[@]}"; do test_project "$project"; done
  [[ -e "$results/failed-runs" ]] && test_exit=1
fi

# Every test that did not pass counts as failed: a skipped or not-executed test (xunit's Skip, a test host that
# aborted before reaching it) proves nothing, so CI must not pass with it.
passed=0
failed=0
for trx in "$results"/*/*.trx; do
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
  # Three lanes of about four minutes each on two loaded cores (measured: PipelineBench 242 s; Mailing 83, Email 72,
  # ConsolePage 87; Schedule 71, Notification 74, Scheduler 24, Hostile 73), the longest smoke alone in its lane.
  lanes=("PipelineBench" "MailingBench EmailBench ConsolePageBench" "ScheduleBench NotificationBench SchedulerBench HostileRequestsBench")
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
