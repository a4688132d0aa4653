#!/usr/bin/env bash
# Builds the DocC documentation of the plugin API — AlignmentCore (writing an algorithm, an
# environment kind, a metric) and Figures (adding a figure kind) — into .build-docs/<Target>.
# Fails when DocC fails or when an article links to a symbol or article that does not exist, so
# the articles cannot drift from the code. (Missing parameter docs are reported, not fatal.)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
mkdir -p .build-docs   # the plugin needs the parent of --output-path to exist
for target in AlignmentCore Figures; do
  log=".build-docs/$target.log"
  rm -rf ".build-docs/$target"
  status=0
  swift package --disable-sandbox generate-documentation --target "$target" \
    --output-path "$PWD/.build-docs/$target" >"$log" 2>&1 || status=$?
  if ((status != 0)) || [[ ! -d ".build-docs/$target/data" ]]; then
    tail -20 "$log" >&2
    echo "docs.sh: DocC failed for $target (exit $status; full log $log)" >&2
    exit 1
  fi
  if grep -E "^warning: .*(doesn't exist|can't be resolved|isn't found|No symbol matched)" "$log" >&2; then
    echo "docs.sh: $target's documentation catalog links to something that does not exist (above; log $log)" >&2
    exit 1
  fi
done
echo "docs.sh: documentation in .build-docs/AlignmentCore and .build-docs/Figures"
