#!/usr/bin/env bash
# Installs the system libraries AlignmentBench needs (idempotent): GSL, GLPK and gnuplot.
set -euo pipefail
if [[ "$(uname)" == "Darwin" ]]; then
  for p in gsl glpk gnuplot pkg-config; do brew list "$p" >/dev/null 2>&1 || brew install "$p"; done
  exit 0
fi
need=()
for p in libgsl-dev libglpk-dev gnuplot-nox pkg-config; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if ((${#need[@]})); then
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
