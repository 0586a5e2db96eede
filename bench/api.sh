#!/usr/bin/env bash
# HTTP API bench (issue 5), release build: metadata/check latency at 1000 req/s (own open loop + wrk closed loop),
# Call-ID / from_user searches through the API next to DuckDB 1.5.5 on the same lake, in one run.
# Usage: bench/api.sh [rows] [files]      (needs wrk: apt-get install -y wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk missing: apt-get install -y wrk" >&2; exit 1; }
export HOMER_PYTHON="${HOMER_PYTHON:-$PWD/.venv/bin/python}"
export HOMER_BENCH=api HOMER_BENCH_ROWS="${1:-1000000}" HOMER_BENCH_FILES="${2:-100}"
HOMER_TARGETS=API swift test -c release --manifest-cache none --scratch-path "${SCRATCH:-.build-bench}" \
  --filter apiBench 2>&1 | grep -vE "^\[|Compiling|Emitting|Linking|Build" | grep -E "API-BENCH|Latency|Req/Sec|%|Requests/sec|Transfer|requests in|passed|failed|error" 
