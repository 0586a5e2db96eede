#!/usr/bin/env bash
# Builds the libFuzzer target for the HEP decoder (+ SIP extraction) and runs it.
#   fuzz/run.sh [RUNS] [extra libFuzzer flags...]     (default RUNS = 10000000)
# The binary is release-optimised (-O) with AddressSanitizer. Seeds come from the HEP test fixtures; the working
# corpus lives in fuzz/corpus-hep/ (git-ignored), crashes in fuzz/out/.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-10000000}"; shift || true
mkdir -p fuzz/out fuzz/corpus-hep
for f in Tests/HEPTests/Fixtures/*.bin Tests/HEPTests/Fixtures/sip/*.txt; do
  [ -f "$f" ] && cp -n "$f" fuzz/corpus-hep/ 2>/dev/null || true
done
swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name HEP \
  -I Sources/CZlib -lz \
  Sources/HEP/*.swift fuzz/hep_decode.swift -o fuzz/out/hep_decode
echo "built fuzz/out/hep_decode; running $RUNS executions"
start=$(date +%s)
fuzz/out/hep_decode -runs="$RUNS" -max_len=4096 -artifact_prefix=fuzz/out/ -print_final_stats=1 "$@" fuzz/corpus-hep
echo "elapsed: $(( $(date +%s) - start )) s"
