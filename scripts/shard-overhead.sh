#!/usr/bin/env bash
# Measures what sharding costs against a local sweep (issue 12): for a spec (default: the flagship
# Experiments/intransitive.json), the wall time of an unsharded `bench sweep --jobs 1`, and for each
# N of the shard counts given (default 1 2 8) the N shards run one after another with --jobs 1 plus
# `bench merge`, so the ratio is the extra work sharding does (journals per shard, merge reading
# every journal), not parallel speed-up. Checks that each merge wrote the local sweep's bytes.
#
#   scripts/shard-overhead.sh [spec] [N…]        (uses .build/release/bench; builds it if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
spec="${1:-Experiments/intransitive.json}"; shift || true
counts=("$@"); ((${#counts[@]})) || counts=(1 2 8)
bench=.build/release/bench
[[ -x $bench ]] || swift build -c release --product bench
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
now() { date +%s.%N; }
sub() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a - b }'; }
t0=$(now)
"$bench" sweep "$spec" --jobs 1 --out "$work/local" --plots "$work/plots-local" --progress off >/dev/null
local_s=$(sub "$(now)" "$t0")
printf '%-22s %8.2f s\n' "local --jobs 1" "$local_s"
for n in "${counts[@]}"; do
  out="$work/n$n"
  t0=$(now)
  for k in $(seq 1 "$n"); do
    "$bench" sweep "$spec" --shard "$k/$n" --jobs 1 --out "$out" --progress off >/dev/null
  done
  t1=$(now)
  "$bench" merge "$out" --spec "$spec" --plots "$work/plots-$n" --progress off >/dev/null
  t2=$(now)
  shards_s=$(sub "$t1" "$t0"); merge_s=$(sub "$t2" "$t1")
  for f in runs.csv curves.csv policies.csv parameters.csv summary.csv pairwise.csv tests.csv; do
    cmp -s "$work/local/$f" "$out/$f" || { echo "shard-overhead: N=$n: $f differs from the local sweep" >&2; exit 1; }
  done
  awk -v n="$n" -v s="$shards_s" -v m="$merge_s" -v l="$local_s" \
    'BEGIN { printf "%-22s %8.2f s  (shards %.2f s + merge %.2f s)  ratio %.3f\n", "N=" n " sharded", s + m, s, m, (s + m) / l }'
done
echo "files: byte-identical to the local sweep for every N"
