#!/usr/bin/env bash
# Builds and runs the libFuzzer target for the Parquet footer / Thrift reader and page decoders.
# usage: fuzz/run-parquet.sh [RUNS] [extra libFuzzer flags...]     (default 10,000,000 executions, one process)
# Output: .build-fuzz/parquet_footer (binary), .build-fuzz/parquet-corpus/ (corpus), .build-fuzz/parquet-fuzz.log.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-10000000}"
shift || true
OUT=.build-fuzz
mkdir -p "$OUT/parquet-corpus"
mapfile -t SOURCES < <(find Sources/Parquet -name '*.swift' | sort)
swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name Parquet \
    "${SOURCES[@]}" fuzz/parquet_footer.swift \
    -I Sources/CZlib -I Sources/CZstd -lz -lzstd -o "$OUT/parquet_footer"
# Seed the corpus with real footers and pages when the oracle venv is around (optional: the fuzzer also works
# from an empty corpus).
PY="${HOMER_PYTHON:-.venv/bin/python}"
if [ -x "$PY" ] && [ -z "$(ls -A "$OUT/parquet-corpus")" ]; then
    "$PY" scripts/oracle/parquet_read_seeds.py "$OUT/parquet-corpus" || true
fi
"$OUT/parquet_footer" -runs="$RUNS" -max_len=4096 -rss_limit_mb=2048 -print_final_stats=1 "$@" \
    "$OUT/parquet-corpus" 2>&1 | tee "$OUT/parquet-fuzz.log"
