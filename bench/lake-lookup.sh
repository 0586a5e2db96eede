#!/usr/bin/env bash
# Call-ID lookup latency with the lake's files local vs on S3 (moto_server on loopback), same rows and layout.
# Release build of homer expected at $HOMER_BIN (default .build-up-rel/release/homer).
#   bench/lake-lookup.sh [rows=1000000] [rows per file=100000] [lookups=50]
set -euo pipefail
cd "$(dirname "$0")/.."
HOMER_BIN="${HOMER_BIN:-.build-up-rel/release/homer}"
PY="${HOMER_PYTHON:-$PWD/.venv/bin/python}"
PORT="${MOTO_PORT:-5637}"
"$(dirname "$PY")/moto_server" -H 127.0.0.1 -p "$PORT" >/tmp/homer-lookup-moto.log 2>&1 &
MOTO=$!
trap 'kill $MOTO' EXIT
sleep 3
uptime
AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test /usr/bin/time -v "$HOMER_BIN" bench lake-lookup \
  --rows "${1:-1000000}" --rows-per-file "${2:-100000}" --lookups "${3:-50}" --endpoint "127.0.0.1:$PORT" 2>&1 \
  | grep -E 'lookups|Elapsed|Maximum resident|User time|System time'
uptime
