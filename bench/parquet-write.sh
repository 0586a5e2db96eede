#!/usr/bin/env bash
# Parquet write benchmark (issue 3): our writer (SNAPPY, ZSTD) vs pyarrow and DuckDB writing the same rows.
# Usage: bench/parquet-write.sh [rows=1000000] [runs=3]
# Env: HOMER_PYTHON (default .venv/bin/python), SCRATCH (default .build-bench), ZSTD_LEVELS (default "1"),
#      THREADS (our writer's encodingThreads values, default "1,2"; pyarrow's write_table has no thread setting).
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-1000000}
RUNS=${2:-3}
PY=${HOMER_PYTHON:-$PWD/.venv/bin/python}
SCRATCH=${SCRATCH:-.build-bench}
OUT=$(mktemp -d /tmp/homer-parquet-bench.XXXXXX)
trap 'rm -rf "$OUT"' EXIT

HOMER_PARQUET_BENCH_DIR=$OUT HOMER_PARQUET_BENCH_ROWS=$ROWS HOMER_PARQUET_BENCH_RUNS=$RUNS \
HOMER_PARQUET_BENCH_ZSTD_LEVELS=${ZSTD_LEVELS:-1} HOMER_PARQUET_BENCH_THREADS=${THREADS:-1,2} HOMER_PYTHON=$PY HOMER_TARGETS=Parquet \
  swift test -c release -Xswiftc -enable-testing --manifest-cache none --scratch-path "$SCRATCH" --filter 'WriterBenchTests/writeBench' \
  2>&1 | sed -n 's/^BENCH //p' > "$OUT/ours.jsonl"
"$PY" scripts/oracle/parquet_write_bench.py "$OUT/input.parquet" "$OUT" "$RUNS" > "$OUT/theirs.jsonl"

"$PY" - "$OUT/ours.jsonl" "$OUT/theirs.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for f in sys.argv[1:] for l in open(f) if l.strip()]
base = next(r for r in rows if r["label"].startswith("duckdb snappy"))
print(f"{'writer':26} {'rows/s wall':>12} {'rows/s CPU':>11} {'MB on disk':>11} {'B/row':>7} {'x DuckDB snappy':>16}")
for r in rows:
    print(f"{r['label']:26} {r['rows']/r['seconds']:12,.0f} {r['rows']/r['cpu']:11,.0f} {r['bytes']/1e6:11.1f} "
          f"{r['bytes']/r['rows']:7.1f} {r['bytes']/base['bytes']:16.2f}")
PY
