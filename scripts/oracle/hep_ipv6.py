#!/usr/bin/env python3
"""Oracle for IPv6 text form: reads 32-hex-digit addresses (one per line) on stdin, prints Python's compressed form
(ipaddress follows RFC 5952 §4 for non-mapped addresses)."""
import ipaddress, sys

for line in sys.stdin:
    line = line.strip()
    if line:
        print(ipaddress.IPv6Address(bytes.fromhex(line)).compressed)
