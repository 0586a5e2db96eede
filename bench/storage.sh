#!/usr/bin/env bash
# Object-storage bench: putFile (multipart) and ranged-read throughput against moto_server (S3 API on loopback) and a
# local directory, 64 MiB objects, 1000 random 64 KiB ranged reads. Release build; figures go in BENCHMARKS.md.
#   bench/storage.sh            (HOMER_STORAGE_BENCH_MIB=16 for a quicker run)
set -euo pipefail
cd "$(dirname "$0")/.."
export HOMER_PYTHON="${HOMER_PYTHON:-$PWD/.venv/bin/python}"
HOMER_STORAGE_BENCH=1 HOMER_TARGETS=Storage swift test -c release -Xswiftc -enable-testing --manifest-cache none \
  --scratch-path "${HOMER_BENCH_SCRATCH:-.build-bench}" --filter StorageBenchEntry 2>&1 | grep -E 'STORAGE-BENCH|error|passed|failed'
