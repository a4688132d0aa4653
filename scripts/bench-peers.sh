#!/usr/bin/env bash
# Runs the performance benchmarks of issue 11 and prints the issue's targets 1–4 as ratios measured
# in this one invocation, each with its target next to it (README, "Performance"):
#   1. bench-perf (release) — every section; its tables are printed as it goes;
#   2. the NumPy peer scripts/peers/nashmd_numpy.py (numpy is installed with pip when missing; it
#      is not a runtime dependency of bench);
#   3. the ratios.
# Usage: scripts/bench-peers.sh [bench-perf options…]   (e.g. --quick for a fast check)
# The raw figures are kept in .build/bench-perf.json and .build/bench-peers-numpy.json.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
command -v python3 >/dev/null || { echo "bench-peers.sh: python3 is needed (scripts/setup.sh)" >&2; exit 1; }
if ! python3 -c "import numpy" 2>/dev/null; then
  python3 -m pip install --user numpy 2>/dev/null || python3 -m pip install --user --break-system-packages numpy
fi
swift build -c release --product bench-perf
mkdir -p .build
ours=.build/bench-perf.json
peer=.build/bench-peers-numpy.json
quick=""
for a in "$@"; do [[ "$a" == "--quick" ]] && quick=1; done
"$(swift build -c release --show-bin-path)/bench-perf" --json "$ours" "$@"
echo
echo "== NumPy peer (scripts/peers/nashmd_numpy.py)"
if [[ -n "$quick" ]]; then
  python3 scripts/peers/nashmd_numpy.py --iterations 200 --sizes 1024 --repeats 1 >"$peer"
else
  python3 scripts/peers/nashmd_numpy.py --sizes 1024,4096 >"$peer"
fi
cat "$peer"
python3 - "$ours" "$peer" <<'EOF'
import json, sys
ours = json.load(open(sys.argv[1]))["figures"]
peer = json.load(open(sys.argv[2]))["figures"]

def get(d, k):
    return d.get(k)

def show(label, value, unit, target, ok):
    if value is None:
        print(f"   {label:<64} {'(not measured)':>14}   target {target}")
    else:
        verdict = "met" if ok(value) else "NOT met"
        print(f"   {label:<64} {value:>12.4g} {unit:<3} target {target}: {verdict}")

print("\n== Targets of issue 11 (measured in this run)")
print("1. recording every metric every iteration at n = 10")
show("amortised harness cost per checkpoint (sweep, end to end)", get(ours, "a.amortised_us_per_checkpoint"), "µs", "≤ 3 µs", lambda v: v <= 3)
it = get(ours, "a.every_iterations_per_second")
best = max(v for v in [get(peer, "small.loop_iterations_per_second"), get(peer, "small.batched_iterations_per_second")] if v is not None)
show("bench it/s ÷ NumPy it/s (faster of loop and batched peer)", it / best if it else None, "×", "≥ 10×", lambda v: v >= 10)
lp = get(peer, "small.loop_iterations_per_second")
show("bench it/s ÷ NumPy it/s (the one-game-at-a-time loop)", it / lp if it and lp else None, "×", "≥ 10×", lambda v: v >= 10)
print("2. memory")
show("peak RSS growth per checkpoint (half the iterations → all, every 2)", get(ours, "f.growth_bytes_per_checkpoint"), "B", "≈ 0 (streamed)", lambda v: v < 8)
show("peak RSS growth per run (N → 4N runs, per-run environments)", get(ours, "f.growth_bytes_per_run"), "B", "≈ 0 (shared cache only)", lambda v: v < 1024)
show("peak RSS of the 100,000-iteration run", get(ours, "f.long_peak_rss_mb"), "MB", "< 200 MB (the study)", lambda v: v < 200)
print("3. large games")
for n in (4096, 1024):
    r = get(ours, f"d.n{n}.step_over_dgemv1")
    if r is not None:
        show(f"Nash-MD step ÷ dgemv at n = {n} (OpenBLAS, 1 thread)", r, "×", "≤ 1.25×", lambda v: v <= 1.25)
        s, p = get(ours, f"d.n{n}.nashmd_step_ms"), get(peer, f"large.n{n}.step_ms")
        if s and p:
            show(f"bench Nash-MD step ÷ NumPy Nash-MD step at n = {n}", s / p, "×", "(information)", lambda v: True)
e = [(int(k.split(".")[1][1:]), v) for k, v in ours.items() if k.startswith("e.n") and k.endswith(".regularized_s")]
if e:
    n, t = max(e)
    k = get(ours, "e.regularized.exponent_last") or get(ours, "e.regularized.exponent")
    show(f"π*_τ at n = {n} (dense Newton)", t, "s", "—", lambda v: True)
    if k:
        show(f"π*_τ at n = 4096 extrapolated as t·(4096/{n})^{k:.2f}", t * (4096 / n) ** k, "s", "< 60 s", lambda v: v < 60)
print("4. sweep scaling")
show("throughput --jobs 2 ÷ --jobs 1 (flagship experiment)", get(ours, "c.speedup"), "×", "≥ 1.85×", lambda v: v >= 1.85)
EOF
