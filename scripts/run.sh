#!/usr/bin/env bash
# Builds homer (release) and runs the server on the embedded defaults: HEP on UDP/TCP 0.0.0.0:9060, HTTP on
# 127.0.0.1:9080, SQLite catalog ./data/homer_catalog.sqlite, Parquet under ./data/homer_parquet/.
# Extra arguments go to `homer serve` (e.g. --config homer.json).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --runtime
swift build -c release --product homer
exec .build/release/homer serve "$@"
