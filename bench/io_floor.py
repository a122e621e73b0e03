"""The I/O floor of bench/run.sh: Python polars reads every input CSV of a folder and writes the
output tables cramprisk wrote for it (same rows, columns and types), with nothing computed in
between. Python polars runs the same Rust engine the polars crate in cramprisk links.

Usage: python3 io_floor.py INPUT_FOLDER OUTPUT_FOLDER_OF_A_RUN SCRATCH [REPEATS]
  -> prints "read_s read_write_s input_rows" (each the best of REPEATS, default 3)

The output tables (daily_risk.csv, team_summary.csv, rejected_rows.csv of a finished
`cramprisk analyze` run) are loaded into memory before timing starts; the timed part is the
read of the inputs plus the write of those frames as CSV into SCRATCH. Floats are printed as
polars prints them (shortest round trip of the values read back, which have the output's
decimals), so the floor writes about the same bytes as cramprisk, not necessarily identical ones.
"""
import pathlib
import sys
import time

import polars as pl

inputs = pathlib.Path(sys.argv[1])
outputs = pathlib.Path(sys.argv[2])
scratch = pathlib.Path(sys.argv[3])
repeats = int(sys.argv[4]) if len(sys.argv) > 4 else 3
scratch.mkdir(parents=True, exist_ok=True)

files = sorted(inputs.rglob("*.csv"))
tables = {
    name: pl.read_csv(outputs / name, infer_schema_length=None, try_parse_dates=True)
    for name in ["daily_risk.csv", "team_summary.csv", "rejected_rows.csv"]
    if (outputs / name).exists()
}


def read_all():
    return sum(pl.read_csv(f, infer_schema_length=10000).height for f in files)


best_read = best_both = None
rows = 0
for _ in range(repeats):
    start = time.perf_counter()
    rows = read_all()
    mid = time.perf_counter()
    for name, df in tables.items():
        df.write_csv(scratch / name)
    end = time.perf_counter()
    read_s = mid - start
    best_read = read_s if best_read is None else min(best_read, read_s)
    best_both = end - start if best_both is None else min(best_both, end - start)
print(f"{best_read:.3f} {best_both:.3f} {rows}")
