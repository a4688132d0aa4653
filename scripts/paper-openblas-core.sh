#!/usr/bin/env bash
# Prints the OpenBLAS kernel (core type) the committed paper results were computed with, when this
# processor can run it; prints nothing otherwise. Usage:
#   core=$(scripts/paper-openblas-core.sh); env ${core:+OPENBLAS_CORETYPE=$core} <command>
# (an empty OPENBLAS_CORETYPE is not the same as none: OpenBLAS reports "Core not found" and guesses)
#
# Why: a DYNAMIC_ARCH OpenBLAS picks its kernels from the processor, and kernels sum in different
# orders, so BLAS results (P·π, the π*_τ LU, SPPO's least squares) can differ in the last bits
# between kernels. Every run's fingerprint therefore names the kernel (manifest "openblas",
# NumericLibraries.openblas), and PaperJournalTests finds the committed Results/paper stale on a
# machine whose OpenBLAS picks another kernel. OpenBLAS 0.3.21 does not know every recent
# processor (an Emerald Rapids Xeon, model 207, falls back to the generic Prescott kernel although
# it runs Cooperlake's), so CI and `bench paper` pin the committed kernel with OPENBLAS_CORETYPE
# (read by OpenBLAS when it is loaded) whenever the processor has the instructions it needs.
set -euo pipefail
cd "$(dirname "$0")/.."
cores=$(grep -ho '"openblas": "[^"]*"' Results/paper/*/manifest.json 2>/dev/null \
  | sed -E 's/.* ([A-Za-z0-9]+) MAX_THREADS=.*/\1/' | sort -u || true)
if [[ $(printf '%s' "$cores" | grep -c .) -gt 1 ]]; then
  echo "paper-openblas-core.sh: Results/paper's manifests name several OpenBLAS kernels ($(echo $cores)); not pinning any" >&2
  exit 0
fi
core="$cores"
[[ -n "$core" && -r /proc/cpuinfo ]] || exit 0
flags=" $(grep -m1 '^flags' /proc/cpuinfo | cut -d: -f2 || true) "  # none on non-x86 processors
has() { for f in "$@"; do [[ "$flags" == *" $f "* ]] || return 1; done; }
case "$core" in
  Cooperlake) has avx512f avx512bw avx512vl avx512dq avx512_bf16 || exit 0 ;;
  SkylakeX) has avx512f avx512bw avx512vl avx512dq avx512cd || exit 0 ;;
  Haswell|Zen) has avx2 fma || exit 0 ;;
  Sandybridge) has avx || exit 0 ;;
  Nehalem) has sse4_2 popcnt || exit 0 ;;
  Penryn) has ssse3 sse4_1 || exit 0 ;;
  Core2) has ssse3 || exit 0 ;;
  Prescott) has pni || exit 0 ;;
  *) exit 0 ;;
esac
echo "$core"
