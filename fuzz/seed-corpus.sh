#!/usr/bin/env bash
# Seeds the fuzz corpus from the test fixtures and the samples (first byte = file-name pick,
# see fuzz_targets/ingest.rs). The corpus is not committed.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/ingest
i=0
while IFS= read -r -d '' f; do
  for pick in 0 1 3 6 7; do
    { printf "\\x$(printf %02x $pick)"; head -c 20000 "$f"; } > "corpus/ingest/seed-$i-$pick"
  done
  i=$((i+1))
done < <(find ../tests/fixtures ../samples -type f \( -name '*.csv' -o -name '*.json' -o -name '*.xml' \) -print0 | sort -z)
echo "seeded $(ls corpus/ingest | wc -l) inputs"
