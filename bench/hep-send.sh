#!/usr/bin/env bash
# HEP sender bench: release build of HEPSender (+ the HEP module it encodes with, no NIO) and a discard sink, to
# measure how fast `homer send --generate` can push HEPv3 over loopback TCP and UDP.
#   bench/hep-send.sh [PACKETS]
set -euo pipefail
cd "$(dirname "$0")/.."
out=.build-bench-send
mkdir -p "$out"
packets=${1:-2000000}
cat > "$out/main.swift" <<'SWIFT'
import Foundation
let args = CommandLine.arguments
let transport = args[1], port = Int(args[2])!, count = Int(args[3])!
let target: HEPSenderOptions.Target = transport == "udp" ? .udp(ListenAddress(host: "127.0.0.1", port: port))
                                                         : .tcp(ListenAddress(host: "127.0.0.1", port: port))
// Generated live (SIPTrafficGenerator + HEPEncoder per packet), as `homer send --generate` does.
var source = GeneratorSource(stamp: HEPStamp())
let report = try HEPSender(options: HEPSenderOptions(target: target, count: count)).run { source.next(into: &$0, now: $1) }
print("\(transport) generate: \(report.packets) packets, \(report.bytes / max(report.packets, 1)) B avg, "
      + String(format: "%.3f s, %.0f packets/s", report.seconds, report.packetsPerSecond))
SWIFT
# One module: the sender's files join the HEP sources, so their `import HEP` lines go.
for f in HEPSender HEPSender+Sources SenderSocket ListenAddress IngestError WallClock; do
  sed '/^import HEP$/d' "Sources/Ingest/$f.swift" > "$out/$f.swift"
done
swiftc -O -wmo -module-name HEPSend -I Sources/CZlib -lz Sources/HEP/*.swift "$out"/HEPSender*.swift \
  "$out/SenderSocket.swift" "$out/ListenAddress.swift" "$out/IngestError.swift" "$out/WallClock.swift" \
  "$out/main.swift" -o "$out/hep-send"
# Discard sinks: TCP reads 1 MiB at a time; UDP counts datagrams.
python3 - "$out" <<'PY' &
import socket, sys, threading
t = socket.socket(); t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); t.bind(("127.0.0.1", 39291)); t.listen(1)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 25); u.bind(("127.0.0.1", 39292))
def tcp():
    while True:
        c, _ = t.accept()
        while c.recv(1 << 20): pass
def udp():
    while True: u.recv(65536)
threading.Thread(target=tcp, daemon=True).start(); threading.Thread(target=udp, daemon=True).start()
threading.Event().wait(120)
PY
sink=$!
sleep 1
"$out/hep-send" tcp 39291 "$packets"
"$out/hep-send" udp 39292 "$packets"
kill $sink
