#!/usr/bin/env bash
# Seeds the fuzz corpus from the test fixtures and the samples (byte 0 = file-name pick, byte 1
# = reading options, byte 2 = vendor; see fuzz_targets/ingest.rs). The corpus is not committed.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/ingest
i=0
while IFS= read -r -d '' f; do
  # Name picks: input.csv, Activities.csv, weather-oslo.csv, export.xml, HydrationLogFile_1.json,
  # DietaryWater.csv; options: none, Tokyo + future check, New York (DST) + imperial.
  for pick in 0 1 3 4 6 8; do
    for opts in 0 9 18; do
      { printf "\\x$(printf %02x $pick)\\x$(printf %02x $opts)\\x00"; head -c 20000 "$f"; } \
        > "corpus/ingest/seed-$i-$pick-$opts"
    done
  done
  i=$((i+1))
done < <(find ../tests/fixtures ../samples -type f \( -name '*.csv' -o -name '*.json' -o -name '*.xml' -o -name '*.toml' \) -print0 | sort -z)
echo "seeded $(ls corpus/ingest | wc -l) inputs"
