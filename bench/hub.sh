#!/usr/bin/env bash
# Hub bench (issue 7): search through the Hub vs directly against the slowest node it queries, and routing ("check")
# vs querying every node ("all").
#   bench/hub.sh inproc [ROWS=200000] [ITERATIONS=100] [LIMIT=100]   # three APIServer+DuckLake nodes in one process
#   bench/hub.sh procs  [ROWS=200000] [ITERATIONS=100] [LIMIT=100]   # real `homer serve` x3 + `homer hub` processes
# Release builds (scratch .build-bench-hub). Env: HOMER_PYTHON (default .venv/bin/python).
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${1:-inproc}
ROWS=${2:-200000}
ITER=${3:-100}
LIMIT=${4:-100}
SCRATCH=${SCRATCH:-.build-bench-hub}
if [ "$MODE" = inproc ]; then
  HOMER_HUB_BENCH=1 HOMER_HUB_BENCH_ROWS=$ROWS HOMER_HUB_BENCH_ITERATIONS=$ITER HOMER_HUB_BENCH_LIMIT=$LIMIT \
  HOMER_TARGETS=Hub swift test -c release --manifest-cache none --scratch-path "$SCRATCH" --filter 'HubBenchTests' \
    2>&1 | sed -n 's/^BENCH //p'
else
  swift build -c release --manifest-cache none --scratch-path "$SCRATCH-full" --product homer
  "${HOMER_PYTHON:-$PWD/.venv/bin/python}" bench/hub_bench.py --homer "$SCRATCH-full/release/homer" \
    --rows "$ROWS" --iterations "$ITER" --limit "$LIMIT"
fi
