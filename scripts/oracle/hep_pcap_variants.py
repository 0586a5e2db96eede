#!/usr/bin/env python3
"""Rewrites a little-endian microsecond Ethernet pcap into the other classic-pcap shapes PcapReader must read:
big-endian, nanosecond magic, 802.1Q VLAN tagged, raw IP (101), IPv4 (228), BSD null (0), Linux SLL (113).
Usage: hep_pcap_variants.py IN.pcap OUTDIR   (writes OUTDIR/<variant>.pcap). Standard library only."""
import os, struct, sys

src, outdir = sys.argv[1], sys.argv[2]
os.makedirs(outdir, exist_ok=True)
data = open(src, "rb").read()
magic, vmaj, vmin, zone, sigfigs, snap, link = struct.unpack("<IHHiIII", data[:24])
assert magic == 0xa1b2c3d4 and link == 1, "expects a little-endian microsecond Ethernet pcap"
records, off = [], 24
while off < len(data):
    sec, usec, incl, orig = struct.unpack("<IIII", data[off:off + 16])
    records.append((sec, usec, data[off + 16:off + 16 + incl]))
    off += 16 + incl


def write(name, order, magic, link, frames):
    out = [struct.pack(order + "IHHiIII", magic, 2, 4, 0, 0, 262144, link)]
    for sec, sub, frame in frames:
        out.append(struct.pack(order + "IIII", sec, sub, len(frame), len(frame)) + frame)
    open(os.path.join(outdir, name + ".pcap"), "wb").write(b"".join(out))


write("be", ">", 0xa1b2c3d4, 1, records)
write("ns", "<", 0xa1b23c4d, 1, [(s, u * 1000, f) for s, u, f in records])
write("vlan", "<", 0xa1b2c3d4, 1, [(s, u, f[:12] + b"\x81\x00\x00\x2a" + f[12:]) for s, u, f in records])
write("raw", "<", 0xa1b2c3d4, 101, [(s, u, f[14:]) for s, u, f in records])
write("ipv4", "<", 0xa1b2c3d4, 228, [(s, u, f[14:]) for s, u, f in records])
write("null", "<", 0xa1b2c3d4, 0, [(s, u, struct.pack("<I", 2) + f[14:]) for s, u, f in records])
write("sll", "<", 0xa1b2c3d4, 113,
      [(s, u, struct.pack(">HHH8sH", 0, 772, 6, f[6:12] + b"\0\0", 0x0800) + f[14:]) for s, u, f in records])
