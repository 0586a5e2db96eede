#!/usr/bin/env bash
# HEP decode bench: release build of just the HEP module + a tiny main, runs HEPBench and prints ns/packet.
#   bench/hep-decode.sh [PACKETS] [ITERATIONS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
out=.build-bench-hep
mkdir -p "$out"
cat > "$out/main.swift" <<'SWIFT'
let args = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let result = HEPBench.run(packets: args.count > 0 ? args[0] : 10_000, iterations: args.count > 1 ? args[1] : 20,
                          runs: args.count > 2 ? args[2] : 7)
print(result)
SWIFT
swiftc -O -wmo -module-name HEP -I Sources/CZlib -lz Sources/HEP/*.swift "$out/main.swift" -o "$out/hep-decode"
"$out/hep-decode" "$@"
