#!/usr/bin/env bash
# The benchmark of docs/performance.md: generates teams of 10, 100 and 1,000 athletes × 730 days
# with the project's generator and measures, in the same run and on the same files:
#   - cramprisk analyze --charts none (release build);
#   - the I/O floor: Python polars reading the inputs + writing the tables that run wrote
#     (bench/io_floor.py);
#   - the pandas peer: the daily measures of docs/model.md in pandas (bench/pandas_peer.py);
# each the best of ROUNDS (default 3) rounds that run the three in turn, so that a slower
# spell of a shared machine falls on all three alike; and prints a Markdown table with the
# ratios (analyze ÷ floor, peer ÷ analyze, peak ÷ input).
#
#   bench/run.sh                 # all sizes (about 4 minutes on the 2-core reference machine)
#   SIZES="10 100" bench/run.sh  # a subset
#   ROUNDS=1 bench/run.sh        # one round: quicker, noisier
#   CRAMPRISK_BIN=path/to/cramprisk bench/run.sh   # time a release binary built already
#   CHARTS=1 bench/run.sh        # also time analyze with the default charts and report
#
# Needs: the Rust toolchain, python3 with venv and pip (polars and pandas are installed into a
# virtualenv under the cache folder on first use), GNU time (/usr/bin/time) for peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES="${SIZES:-10 100 1000}"
ROUNDS="${ROUNDS:-3}"
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
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import polars, pandas' 2> /dev/null; then
  echo "installing polars and pandas for the baselines into $VENV…" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet polars pandas
fi
VERSIONS=$("$VENV/bin/python" -c 'import polars, pandas; print(f"python polars {polars.__version__}, pandas {pandas.__version__}")')

# Runs a command; prints "seconds peak_MB cpu_seconds" (cpu = user + system, all cores).
measure() {
  /usr/bin/time -f "%e %M %U %S" -o "$WORK/time.txt" "$@" > /dev/null 2> "$WORK/stderr.txt" || {
    cat "$WORK/stderr.txt" >&2
    return 1
  }
  awk '{ printf "%.2f %.0f %.2f\n", $1, $2 / 1024, $3 + $4 }' "$WORK/time.txt"
}
# The better (by wall time) of two "seconds …" lines (the first when there is no second).
better() {
  awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, " "); split(b, y, " "); if (b == "" || x[1] <= y[1]) print a; else print b }'
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
# The checkout's commit: the binary's own only when this script built it (not with CRAMPRISK_BIN).
echo "cramprisk $("$BIN" --version | cut -d' ' -f2) ($BIN; checkout at $(git rev-parse --short HEAD 2>/dev/null || echo '?')), $VERSIONS, $DAYS days, load average at start $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| athletes | input rows | input MB | polars read s | I/O floor s | analyze s | analyze ÷ floor | CPU s | peak MB | peak ÷ input | pandas peer s | peer peak MB | peer ÷ analyze |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in $SIZES; do
  data="$WORK/team-$n-from-$START-$DAYS"
  if [ ! -f "$data/athletes.toml" ]; then
    # Its summary goes to stderr: stdout is the table.
    "$BIN" generate --athletes "$n" --days "$DAYS" --start "$START" --out "$data" >&2 2> /dev/null
  fi
  mb=$(du -cm --apparent-size "$data"/*.csv | awk 'END { print $1 }')
  plain="" floor="" peer="" peak_mb=0
  for _ in $(seq "$ROUNDS"); do
    # Each of the three writes into a folder emptied beforehand, outside the timing: removing
    # a previous round's 500 MB file costs whoever overwrites it a wait for the disk (on a
    # file system mounted with `discard`, 0.2–0.3 s of synchronous TRIM on the reference
    # machine), and a file still only in the page cache costs nothing to remove, so it fell
    # unevenly on analyze (its file goes straight to disk) and on the floor and the peer.
    rm -rf "$WORK/out-$n" "$WORK/floor-$n" "$WORK/peer-$n.csv"
    run=$(measure "$BIN" analyze "$data" --out "$WORK/out-$n" --charts none --quiet)
    plain=$(better "$run" "$plain")
    # Memory is not a best-of: the highest peak of the rounds is the one shown.
    peak_mb=$(echo "$run $peak_mb" | awk '{ print ($2 > $4 ? $2 : $4) }')
    # The floor writes the tables the analyze run just wrote; it prints "read_s floor_s rows".
    floor=$(better "$("$VENV/bin/python" bench/io_floor.py "$data" "$WORK/out-$n" "$WORK/floor-$n" 1 | awk '{ print $2, $1, $3 }')" "$floor")
    rm -rf "$WORK/floor-$n"
    peer=$(better "$(measure "$VENV/bin/python" bench/pandas_peer.py "$data" "$WORK/peer-$n.csv")" "$peer")
  done
  read -r plain_s _ plain_cpu <<< "$plain"
  plain_mb=$peak_mb
  read -r floor_s read_s rows <<< "$floor"
  read -r peer_s peer_mb _ <<< "$peer"
  awk -v n="$n" -v rows="$rows" -v mb="$mb" -v r="$read_s" -v f="$floor_s" -v p="$plain_s" -v pm="$plain_mb" -v pc="$plain_cpu" -v q="$peer_s" -v qm="$peer_mb" 'BEGIN {
    printf "| %d | %d | %d | %.2f | %.2f | %.2f | %.2f | %.1f | %d | %.2f | %.2f | %d | %.2f |\n",
      n, rows, mb, r, f, p, p / f, pc, pm, pm / mb, q, qm, q / p }'
  if [ -n "${CHARTS:-}" ]; then
    read -r charts_s charts_mb _ < <(measure "$BIN" analyze "$data" --out "$WORK/out-$n-charts" --quiet)
    echo "  with charts and report: ${charts_s} s, peak ${charts_mb} MB" >&2
  fi
  last="$data"
done
# Where the time goes, for the largest size: the stage timings the binary prints on request.
echo
echo "Stages of \`analyze --charts none\` at the largest size ($(basename "$last")):"
echo
CRAMPRISK_STAGE_TIMES=1 "$BIN" analyze "$last" --out "$WORK/out-stages" --charts none --quiet 2>&1 >/dev/null |
  sed -n 's/^stage /    /p'
