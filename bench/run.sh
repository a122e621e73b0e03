#!/usr/bin/env bash
# The benchmark of docs/performance.md: generates teams of 10, 100 and 1,000 athletes × 730 days
# with the project's generator, runs `cramprisk analyze` (release build) without and with charts,
# and times a plain polars read of the same CSV files. Prints a Markdown table.
#
#   bench/run.sh                 # all sizes (about 2 minutes on the 2-core reference machine)
#   SIZES="10 100" bench/run.sh  # a subset
#   CRAMPRISK_BIN=path/to/cramprisk bench/run.sh   # time a release binary built already
#
# Needs: the Rust toolchain, python3 with pip (polars is installed into a virtualenv under the
# cache folder on first use), GNU time (/usr/bin/time) for peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES="${SIZES:-10 100 1000}"
DAYS="${DAYS:-730}"
# Generated days must lie in the past: rows dated after today are rejected as "in the future".
START="${START:-2023-01-01}"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}"
WORK="${BENCH_DIR:-$CACHE/cramprisk-bench}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$CACHE/cramprisk-release}"
mkdir -p "$WORK"

if [ -n "${CRAMPRISK_BIN:-}" ]; then
  BIN="$CRAMPRISK_BIN"   # a binary built already (must be a release build to mean anything)
else
  echo "building the release binary (target dir $CARGO_TARGET_DIR)…" >&2
  cargo build --release --locked --quiet
  BIN="$CARGO_TARGET_DIR/release/cramprisk"
fi

VENV="$CACHE/cramprisk-bench-venv"
if [ ! -x "$VENV/bin/python" ]; then
  echo "installing polars for the read baseline into $VENV…" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet polars
fi
POLARS_VERSION=$("$VENV/bin/python" -c 'import polars; print(polars.__version__)')

# Runs a command; prints "seconds peak_MB cpu_seconds" (cpu = user + system, all cores).
measure() {
  /usr/bin/time -f "%e %M %U %S" -o "$WORK/time.txt" "$@" > /dev/null 2> "$WORK/stderr.txt" || {
    cat "$WORK/stderr.txt" >&2
    return 1
  }
  awk '{ printf "%.2f %.0f %.2f\n", $1, $2 / 1024, $3 + $4 }' "$WORK/time.txt"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "cramprisk $("$BIN" --version | cut -d' ' -f2) ($(git rev-parse --short HEAD 2>/dev/null || echo '?')), python polars $POLARS_VERSION, $DAYS days, load average at start $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| athletes | input rows | input MB | polars read s | analyze (no charts) s | ratio to read | MB/s | CPU s | peak MB | peak / input | analyze + charts s | charts ms/athlete | charts peak MB |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in $SIZES; do
  data="$WORK/team-$n-from-$START"
  if [ ! -f "$data/athletes.toml" ]; then
    "$BIN" generate --athletes "$n" --days "$DAYS" --start "$START" --out "$data" 2> /dev/null
  fi
  mb=$(du -cm --apparent-size "$data"/*.csv | awk 'END { print $1 }')
  read -r read_s rows < <("$VENV/bin/python" bench/polars_read.py "$data" 3)
  # Warm the page cache the same way for both, then take the best of two runs.
  best() {
    local a b
    a=$(measure "$@"); b=$(measure "$@")
    awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " "); if (x[1] <= y[1]) print a; else print b }'
  }
  read -r plain_s plain_mb plain_cpu < <(best "$BIN" analyze "$data" --out "$WORK/out-$n" --charts none --quiet)
  read -r charts_s charts_mb _ < <(measure "$BIN" analyze "$data" --out "$WORK/out-$n-charts" --quiet)
  awk -v n="$n" -v rows="$rows" -v mb="$mb" -v r="$read_s" -v p="$plain_s" -v pm="$plain_mb" -v pc="$plain_cpu" -v c="$charts_s" -v cm="$charts_mb" 'BEGIN {
    printf "| %d | %d | %d | %.2f | %.2f | %.2f | %.0f | %.1f | %d | %.2f | %.2f | %.0f | %d |\n",
      n, rows, mb, r, p, p / r, mb / p, pc, pm, pm / mb, c, (c - p) * 1000 / n, cm }'
  last="$data"
done
# Where the time goes, for the largest size: the stage timings the binary prints on request.
echo
echo "Stages of \`analyze --charts none\` at the largest size ($(basename "$last")):"
echo
CRAMPRISK_STAGE_TIMES=1 "$BIN" analyze "$last" --out "$WORK/out-stages" --charts none --quiet 2>&1 >/dev/null |
  sed -n 's/^stage /    /p'
