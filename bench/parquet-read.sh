#!/usr/bin/env bash
# Parquet read benchmark (issue 3): full scan and Call-ID point lookup on a 1M-row HEP-shaped file written by our
# writer (ZSTD-3, bloom filter on call_id), our reader vs DuckDB 1.5.5 on the same file.
# Usage: bench/parquet-read.sh [rows=1000000] [runs=5]
# Env: HOMER_PYTHON (default .venv/bin/python), SCRATCH (default .build-bench-read).
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-1000000}
RUNS=${2:-5}
PY=${HOMER_PYTHON:-$PWD/.venv/bin/python}
SCRATCH=${SCRATCH:-.build-bench-read}
OUT=$(mktemp -d /tmp/homer-parquet-read.XXXXXX)
trap 'rm -rf "$OUT"' EXIT

HOMER_PARQUET_READ_BENCH_DIR=$OUT HOMER_PARQUET_READ_BENCH_ROWS=$ROWS HOMER_PARQUET_READ_BENCH_RUNS=$RUNS \
HOMER_PYTHON=$PY HOMER_TARGETS=Parquet \
  swift test -c release --manifest-cache none --scratch-path "$SCRATCH" --filter 'ReaderBenchTests/readBench' \
  2>&1 | sed -n 's/^BENCH //p' > "$OUT/ours.jsonl"
FILE=$("$PY" -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["file"])' "$OUT/ours.jsonl")
CALL=$("$PY" -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["call_id"])' "$OUT/ours.jsonl")
"$PY" scripts/oracle/parquet_read_bench.py "$FILE" "$CALL" "$RUNS" > "$OUT/theirs.jsonl"
echo "file: $(stat -c %s "$FILE") bytes, $ROWS rows, median of $RUNS runs"
"$PY" - "$OUT/ours.jsonl" "$OUT/theirs.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for f in sys.argv[1:] for l in open(f) if l.strip()]
print(f"{'query':42} {'seconds':>9} {'rows':>9} {'rows/s':>12} {'bytes read':>12} {'row groups':>11}")
for r in rows:
    rg = f"{r['row_groups_read']}/{r['row_groups_total']}" if "row_groups_read" in r else ""
    br = f"{r['bytes_read']:,}" if "bytes_read" in r else ""
    print(f"{r['label']:42} {r['seconds']:9.4f} {r['rows']:9,} {r['rows']/r['seconds']:12,.0f} {br:>12} {rg:>11}")
PY
