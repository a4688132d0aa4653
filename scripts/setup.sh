#!/usr/bin/env bash
# Installs what AlignmentBench needs (idempotent): GSL, GLPK, OpenBLAS (BLAS and LAPACK: every P·π
# and the π*_τ Newton LU) and gnuplot; COIN-OR CLP, which the benchmark executable bench-perf
# compares GLPK with (Benchmarks/, README "Performance"; no harness target links it); python3 with
# the jsonschema package, which the schema tests (Tests/SweepTests/SpecSchemaTests.swift) validate
# specs with; fish, whose own completion query (`complete -C`) tests bench's fish completion script
# (HelpAndCompletionTests); chromium, the headless browser the report tests
# (Tests/BenchCLITests/ReportBrowserTests.swift) load `bench report`'s page in (on macOS those tests
# skip without it).
set -euo pipefail
if [[ "$(uname)" == "Darwin" ]]; then
  for p in gsl glpk gnuplot pkg-config openblas clp python3 fish; do brew list "$p" >/dev/null 2>&1 || brew install "$p"; done
  python3 -c "import jsonschema" 2>/dev/null || python3 -m pip install --user "jsonschema>=4.18"
  exit 0
fi
need=()
for p in libgsl-dev libglpk-dev gnuplot-nox pkg-config libopenblas-dev coinor-libclp-dev fish chromium; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
command -v python3 >/dev/null 2>&1 || need+=(python3 python3-pip)
if ((${#need[@]})); then
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
# The JSON Schema validator of the schema tests (Draft 2020-12 needs jsonschema ≥ 4.0).
if ! python3 -c "import jsonschema" 2>/dev/null; then
  python3 -m pip install --user "jsonschema>=4.18" 2>/dev/null \
    || python3 -m pip install --user --break-system-packages "jsonschema>=4.18"
fi
