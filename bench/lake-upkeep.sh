#!/usr/bin/env bash
# Compaction bench (issue 6): a lake with one date partition of N MiB in small files (realistic SIP rows), then ONE
# `homer lake maintain` pass merging it, run under /usr/bin/time -v so its peak RSS and CPU time are the compaction's
# alone. Release build of homer expected at $HOMER_BIN (default .build-up-rel/release/homer).
#   bench/lake-upkeep.sh [MiB=2048] [rows per file=500000] [dir=/tmp/homer-upkeep-bench]
set -euo pipefail
cd "$(dirname "$0")/.."
HOMER_BIN="${HOMER_BIN:-.build-up-rel/release/homer}"
MIB="${1:-2048}"; ROWS="${2:-500000}"; DIR="${3:-/tmp/homer-upkeep-bench}"
rm -rf "$DIR"
uptime
"$HOMER_BIN" bench upkeep-generate --directory "$DIR" --mib "$MIB" --rows-per-file "$ROWS"
du -sm "$DIR/data"
uptime
# target 4096 MiB: every file (< 2048 MiB) is small, so the whole partition is merged into one file.
/usr/bin/time -v "$HOMER_BIN" lake maintain --config "$DIR/homer.json" --target-file-size-mb 4096 2>&1 \
  | grep -E 'compacted|Elapsed|Maximum resident|User time|System time|Exit status'
uptime
"$HOMER_BIN" lake inspect --config "$DIR/homer.json"
