#!/usr/bin/env bash
# Fuzzes the spec parser and validator with libFuzzer (issue 6), separately from the normal build:
# its own scratch path (.build-fuzz), coverage + AddressSanitizer instrumentation.
#
#   scripts/fuzz.sh [seconds] [extra libFuzzer flags…]     (default: 600 seconds)
#
# Seeds: every spec under Experiments/ plus a few small ones; dictionary: the spec's keys and
# JSON tokens. Findings (crash-*, timeout-*, oom-*) land in .build-fuzz/findings/; replay one with
#   swift build --product SpecFuzz && .build/debug/SpecFuzz .build-fuzz/findings/crash-…
# The test suite runs a bounded generator-based fuzzer on every `swift test` (SpecFuzzTests).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
seconds="${1:-600}"
shift || true
scratch=.build-fuzz
swift build -c debug --scratch-path "$scratch" --product SpecFuzz \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DLIBFUZZER -Xswiftc -use-ld=lld
corpus="$scratch/corpus"; findings="$scratch/findings"; dict="$scratch/spec.dict"
mkdir -p "$corpus" "$findings"
find Experiments -name '*.json' ! -name schema.json -exec cp {} "$corpus/" \;
cat > "$corpus/tiny.json" <<'JSON'
{"name": "tiny", "environments": [{"id": "rps", "kind": "cyclic"}], "budget": {"iterations": 10}, "algorithms": [{"id": "nash-md", "grid": {"eta": [0.1, 0.5]}}]}
JSON
cat > "$corpus/figures.json" <<'JSON'
{"name": "f", "seeds": 2, "seed": 7, "tau": 0.1, "feedback": "sampled", "record_every": 2, "reference": {"kind": "softmax-normal", "scale": 2},
 "environments": [{"id": "bt", "kind": "bradley-terry", "actions": 4, "seed": "per-run", "contexts": 2, "label_noise": 0.1}],
 "budget": {"iterations": 10, "queries": 1000},
 "algorithms": [{"id": "dpo", "label": "ipo", "params": {"loss": "ipo"}, "grid": {"beta": [0.1, 1]}}, {"id": "rlhf-ppo"}],
 "figures": [{"id": "c", "kind": "curves", "metric": "exploitability", "x": "queries", "by": ["algorithm"], "log_y": true}]}
JSON
{
  for k in name description environments reference feedback budget seeds seed record_every tau algorithms figures \
           id kind contexts label_noise actions strength preset payoffs rewards scale path format probabilities \
           iterations queries label params grid metric x by log_x log_y title eta beta loss learning_rate; do
    echo "\"\\\"$k\\\"\""
  done
  for t in '{' '}' '[' ']' ':' ',' 'true' 'false' 'null' '1e999' '1e-400' '-0' '18446744073709551616' '\"per-run\"' \
           '\"cyclic\"' '\"matrix\"' '\"nash-md\"' '\"dpo\"' '\"sampled\"' '\"given\"' '\"bars\"' '\"curves\"'; do
    echo "\"$t\""
  done
} > "$dict"
start=$(date +%s)
status=0
"$scratch/debug/SpecFuzz" "$corpus" -dict="$dict" -max_total_time="$seconds" -max_len=8192 -timeout=20 \
  -rss_limit_mb=4096 -artifact_prefix="$findings/" -print_final_stats=1 "$@" 2>&1 | tee "$scratch/last-run.log" \
  || status=$?
echo "fuzz.sh: $(( $(date +%s) - start )) s; log: $scratch/last-run.log; findings: $findings/"
exit "$status"
