#!/usr/bin/env bash
# Heap allocations per iteration of every plugin (issue 11, target 5: hot paths free of
# per-iteration allocation), counted by valgrind's memcheck, so the figure does not depend on the
# machine's load. Each plugin runs twice through `bench-perf --plugin-run ID N K` (its default
# hyperparameters, exact feedback, a random N-response game, recorded at iterations 0 and K only):
# the difference of the two runs' "total heap usage: A allocs" divided by K2 − K1 is the
# allocations of one iteration, set-up and recording cancelling out. A few allocations that do
# not grow with K (6 to 8 between K = 100 and 1100 for omwu, sppo, mpo and comal on 2026-12-01;
# not traced) show as a few thousandths.
#
#   scripts/allocations-per-iteration.sh [ID …]      (default: every plugin in the catalogue)
#   N=10 K1=100 K2=1100 scripts/allocations-per-iteration.sh nash-md extragradient
#
# Needs valgrind (apt install valgrind). Prints one line per plugin: id, allocations per iteration.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
n="${N:-10}"; k1="${K1:-100}"; k2="${K2:-1100}"
for v in "N=$n" "K1=$k1" "K2=$k2"; do
  [[ "${v#*=}" =~ ^[1-9][0-9]{0,8}$ ]] || { echo "allocations-per-iteration.sh: ${v%%=*}=${v#*=} is not a positive integer" >&2; exit 2; }
done
((k1 < k2)) || { echo "allocations-per-iteration.sh: K1=$k1 must be smaller than K2=$k2" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "allocations-per-iteration.sh: valgrind is not installed (apt install valgrind)" >&2; exit 2; }
swift build -c release --product bench-perf >&2
# Valgrind 3.19 (Debian 12) cannot read the DWARF of Swift 6's release binaries ("Possibly
# corrupted debuginfo file"): it counts allocations on a copy without debug information.
bin="$(mktemp "${TMPDIR:-/tmp}/bench-perf.XXXXXX")"
trap 'rm -f "$bin"' EXIT
objcopy --strip-debug .build/release/bench-perf "$bin"
if (($#)); then ids=("$@"); else mapfile -t ids < <("$bin" --list-plugins); fi
# Each id and N checked by bench-perf itself before valgrind is started (its one-line error).
for id in "${ids[@]}"; do "$bin" --plugin-run "$id" "$n" 1 >/dev/null; done
log="$(mktemp "${TMPDIR:-/tmp}/allocations.XXXXXX")"
trap 'rm -f "$bin" "$log"' EXIT
allocs() {  # allocs ID K → the run's total heap allocations
  if ! valgrind --tool=memcheck --leak-check=no "$bin" --plugin-run "$1" "$n" "$2" >/dev/null 2>"$log"; then
    echo "allocations-per-iteration.sh: valgrind bench-perf --plugin-run $1 $n $2 failed:" >&2; tail -5 "$log" >&2; return 1
  fi
  sed -nE 's/.*total heap usage: ([0-9,]+) allocs.*/\1/p' "$log" | tr -d ,
}
printf '%-24s %s\n' "plugin (n = $n)" "allocations per iteration (K = $k1 → $k2)"
for id in "${ids[@]}"; do
  a=$(allocs "$id" "$k1") || exit 1
  b=$(allocs "$id" "$k2") || exit 1
  if [[ -z "$a" || -z "$b" ]]; then echo "allocations-per-iteration.sh: valgrind printed no heap summary for $id" >&2; exit 1; fi
  printf '%-24s %s\n' "$id" "$(awk -v a="$a" -v b="$b" -v d="$((k2 - k1))" 'BEGIN { printf "%.3f", (b - a) / d }')"
done
