"""Times a plain polars read of every CSV in a folder: the floor for any analysis of them.

Usage: python3 polars_read.py FOLDER [REPEATS]  -> prints "seconds rows" (best of REPEATS).
"""
import pathlib
import sys
import time

import polars as pl

folder = pathlib.Path(sys.argv[1])
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
files = sorted(folder.rglob("*.csv"))
best = None
rows = 0
for _ in range(repeats):
    start = time.perf_counter()
    rows = sum(pl.read_csv(f, infer_schema_length=10000).height for f in files)
    elapsed = time.perf_counter() - start
    best = elapsed if best is None else min(best, elapsed)
print(f"{best:.3f} {rows}")
