#!/usr/bin/env bash
# Runs the sweep and CLI tests under ThreadSanitizer (issue 6), in its own scratch path so it never
# disturbs the normal build:
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
  swift test --skip-build --sanitize=thread --scratch-path "$scratch" --filter 'SweepTests|BenchCLITests' "$@" || status=$?
echo "tsan.sh: build $((built - start)) s, tests $(( $(date +%s) - built )) s, status $status"
exit "$status"
