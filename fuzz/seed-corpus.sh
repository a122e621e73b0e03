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
# The containers `load` unpacks or decodes by name (picks 12 activity.fit, 13 data.parquet,
# 14 export.zip, 15 Activities.csv.gz): a zip and a gzip of each sample CSV (Python's standard
# library), and a Parquet copy where Python polars is installed (bench/run.sh's virtualenv).
# No FIT file is shipped: the FIT pick starts from the CSV bytes and the mutations.
PY="${PYTHON:-python3}"
VENV_PY="${XDG_CACHE_HOME:-$HOME/.cache}/cramprisk-bench-venv/bin/python"
while IFS= read -r -d '' f; do
  base="corpus/ingest/container-$(basename "$f" .csv)"
  "$PY" - "$f" "$base" <<'PYEOF'
import gzip, io, sys, zipfile
src, base = sys.argv[1], sys.argv[2]
data = open(src, "rb").read()[:20000]
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("activities.csv", data)
open(base + "-zip", "wb").write(b"\x0e\x00\x00" + buf.getvalue())
open(base + "-gz", "wb").write(b"\x0f\x00\x00" + gzip.compress(data))
open(base + "-fit", "wb").write(b"\x0c\x00\x00" + data)
PYEOF
  if [ -x "$VENV_PY" ]; then
    "$VENV_PY" - "$f" "$base" <<'PYEOF' || true
import io, sys
import polars as pl
src, base = sys.argv[1], sys.argv[2]
buf = io.BytesIO()
pl.read_csv(src, infer_schema=False).head(200).write_parquet(buf)
open(base + "-parquet", "wb").write(b"\x0d\x00\x00" + buf.getvalue())
PYEOF
  fi
done < <(find ../samples -type f -name '*.csv' -print0 | sort -z)
echo "seeded $(ls corpus/ingest | wc -l) inputs"
