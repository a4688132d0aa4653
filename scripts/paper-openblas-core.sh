#!/usr/bin/env bash
# Prints the OpenBLAS kernel (core type) the committed paper results were computed with, when this
# processor can run it; prints nothing otherwise. Usage: export OPENBLAS_CORETYPE=$(scripts/paper-openblas-core.sh)
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
core=$(grep -ho '"openblas": "[^"]*"' Results/paper/*/manifest.json 2>/dev/null | sort -u \
  | sed -E 's/.* ([A-Za-z0-9]+) MAX_THREADS=.*/\1/' | head -1 || true)
[[ -n "$core" && -r /proc/cpuinfo ]] || exit 0
flags=" $(grep -m1 '^flags' /proc/cpuinfo | cut -d: -f2) "
has() { for f in "$@"; do [[ "$flags" == *" $f "* ]] || return 1; done; }
case "$core" in
  Cooperlake) has avx512f avx512bw avx512vl avx512dq avx512_bf16 || exit 0 ;;
  SkylakeX) has avx512f avx512bw avx512vl avx512dq avx512cd || exit 0 ;;
  Haswell|Zen) has avx2 fma || exit 0 ;;
  Sandybridge) has avx || exit 0 ;;
  Nehalem) has sse4_2 || exit 0 ;;
  Prescott|Core2|Penryn) has pni || exit 0 ;;
  *) exit 0 ;;
esac
echo "$core"
