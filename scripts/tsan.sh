#!/usr/bin/env bash
# Runs the test suites under ThreadSanitizer (issue 6), all together in one process as `swift test`
# runs them (suites interfere through process-wide state: descriptors copied into child processes,
# GSL/GLPK globals), in its own scratch path so it never disturbs the normal build. Skipped:
# CodeChangeTests (it rebuilds a copy of the package) and the tests of the committed paper results
# (PaperJournalTests, PaperClaims*: about committed numbers, not threads) and SlurmClusterTests (its
# jobs run the plain build's `bench` through Slurm, and it waits minutes on the scheduler), and two
# heavy single-threaded suites that kept the CI near its time limit — JournalStreamingTests (the
# journal parser at read buffers down to 1 byte) and ForeignPlotsCLITests (21 refusals checked before
# any work starts); the plain `swift test` runs them:
#
#   scripts/tsan.sh [extra swift test arguments…]
#
# The `bench` executable the CLI tests start is built with TSan too, so races in the runner's
# worker/writer threads of a real sweep are caught as well (a report makes the process exit 66,
# which fails the test that started it). Prints the build and test durations.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
scratch=.build-tsan
start=$(date +%s)
swift build --build-tests --sanitize=thread --scratch-path "$scratch"
built=$(date +%s)
status=0
TSAN_OPTIONS="${TSAN_OPTIONS:-second_deadlock_stack=1}" \
  swift test --skip-build --sanitize=thread --scratch-path "$scratch" --skip 'CodeChangeTests|PaperJournalTests|PaperClaims|SlurmClusterTests|JournalStreamingTests|ForeignPlotsCLITests' "$@" || status=$?
echo "tsan.sh: build $((built - start)) s, tests $(( $(date +%s) - built )) s, status $status"
exit "$status"
