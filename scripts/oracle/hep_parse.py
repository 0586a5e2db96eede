#!/usr/bin/env python3
"""Independent HEP3 parser (struct only). Reads hex packets, one per line, on stdin; prints per packet:
src_port dst_port capture_id src_ip dst_ip payload_len   ('-' for an absent address)."""
import ipaddress, struct, sys

for line in sys.stdin:
    line = line.strip()
    if not line:
        continue
    data = bytes.fromhex(line)
    assert data[:4] == b"HEP3", "bad magic"
    total = struct.unpack("!H", data[4:6])[0]
    assert total == len(data), "length mismatch"
    off, f = 6, {"src": "-", "dst": "-", "payload": b""}
    while off < total:
        vendor, ctype, clen = struct.unpack("!HHH", data[off:off + 6])
        value = data[off + 6:off + clen]
        off += clen
        if vendor != 0:
            continue
        if ctype == 7: f["sport"] = struct.unpack("!H", value)[0]
        elif ctype == 8: f["dport"] = struct.unpack("!H", value)[0]
        elif ctype == 12: f["cid"] = struct.unpack("!I", value)[0]
        elif ctype in (3, 5): f["src"] = str(ipaddress.ip_address(value))
        elif ctype in (4, 6): f["dst"] = str(ipaddress.ip_address(value))
        elif ctype == 15: f["payload"] = value
    print(f["sport"], f["dport"], f["cid"], f["src"], f["dst"], len(f["payload"]))
