#!/usr/bin/env bash
# Issue 11's convergence study (README, "Performance"): the three specs of
# Benchmarks/ConvergenceStudy/ — 5 Nash methods × 10 random 10-action games (per-run) at
# τ = 0.001, 0.01, 0.1 with 100,000 / 5,000 / 1,000 iterations, every iteration recorded — swept
# one after the other, each under GNU time: wall-clock seconds, peak RSS and the sizes of the
# result files, then the totals; then long-run.json (one Nash-MD run of 100,000 iterations, every
# iteration recorded; SKIP_LONG_RUN=1 skips it), outside the totals.
# Usage: scripts/convergence-study.sh [BENCH] [OUT]
#   BENCH  the bench executable (default: the release build, built when missing)
#   OUT    the directory for the results (default: a temporary directory, removed at the end)
# Environment: JOBS (default 2); RECORD_EVERY_LONG (record_every of the τ = 0.001 spec, default 1;
# 2 reproduces the study as far as a bench that refuses 100,001 checkpoints per run allows).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
bench="${1:-}"
if [[ -z "$bench" ]]; then
  swift build -c release --product bench >&2
  bench="$(swift build -c release --show-bin-path)/bench"
fi
bench="$(cd "$(dirname "$bench")" && pwd)/$(basename "$bench")"
out="${2:-}"
keep=1
if [[ -z "$out" ]]; then out="$(mktemp -d)"; keep=""; fi
mkdir -p "$out/Experiments"
jobs="${JOBS:-2}"
every="${RECORD_EVERY_LONG:-1}"
for f in Benchmarks/ConvergenceStudy/*.json; do cp "$f" "$out/Experiments/"; done
for f in convergence-tau-0.001 long-run; do
  sed -i "s/\"record_every\": 1,/\"record_every\": $every,/" "$out/Experiments/$f.json"
done
total_s=0; peak_max=0; bytes_total=0
printf '%-24s %9s %10s %12s %12s %12s %12s %12s\n' spec seconds peak_MB journal_MB curves_MB curve_sum_MB other_MB total_MB
run() {
  local name="$1"
  # The previous part's result files (up to ~900 MB) are still dirty in the page cache: without a
  # sync the journal's first fsync of this part can wait for their writeback (a 20 s stall seen
  # once on 2026-12-01), which is not this part's cost.
  sync
  ( cd "$out" && /usr/bin/time -f "%e %M" -o "$out/$name.time" "$bench" sweep "$name" --jobs "$jobs" --force --no-report >/dev/null 2>"$out/$name.err" ) \
    || { echo "convergence-study.sh: bench sweep $name failed:" >&2; cat "$out/$name.err" >&2; exit 1; }
  read -r secs kb <"$out/$name.time"
  dir="$out/Results/$name"
  size() { stat -c %s "$dir/$1"; }
  all=$(du -sb "$dir" | cut -f1)
  j=$(size journal.jsonl); c=$(size curves.csv); s=$(size curve_summary.csv)
  awk -v n="$name" -v t="$secs" -v k="$kb" -v j="$j" -v c="$c" -v s="$s" -v a="$all" 'BEGIN {
    printf "%-24s %9.2f %10.1f %12.1f %12.1f %12.1f %12.1f %12.1f\n", n, t, k/1000, j/1e6, c/1e6, s/1e6, (a-j-c-s)/1e6, a/1e6 }'
  total_s=$(awk -v a="$total_s" -v b="$secs" 'BEGIN { print a + b }')
  peak_max=$(( kb > peak_max ? kb : peak_max ))
  bytes_total=$(( bytes_total + all ))
}
for tau in 0.001 0.01 0.1; do run "convergence-tau-$tau"; done
awk -v t="$total_s" -v k="$peak_max" -v b="$bytes_total" 'BEGIN {
  printf "%-24s %9.2f %10.1f %64.1f\n", "study (sum; max peak)", t, k/1000, b/1e6 }'
[[ -n "${SKIP_LONG_RUN:-}" ]] || run long-run
if [[ -z "$keep" ]]; then rm -rf "$out"; fi
