#!/usr/bin/env bash
# Lake ingest bench (issue 4): pre-encoded HEP -> decode -> SIP fields -> Parquet -> committed snapshots, release
# build, one process; then DuckDB 1.5.5 inserts the same rows into ducklakes with its defaults (same run).
# Usage: bench/ingest.sh [messages] [batch_size]
set -euo pipefail
cd "$(dirname "$0")/.."
export HOMER_PYTHON="${HOMER_PYTHON:-$PWD/.venv/bin/python}"
export HOMER_BENCH=1 HOMER_BENCH_MESSAGES="${1:-300000}" HOMER_BENCH_BATCH="${2:-10000}"
HOMER_TARGETS=DuckLake swift test -c release --disable-testable-imports --manifest-cache none --scratch-path "${SCRATCH:-.build-bench}" \
  --filter lakeIngestBench 2>&1 | grep -E "LAKE-BENCH|passed|failed|error"
