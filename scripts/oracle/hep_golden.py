#!/usr/bin/env python3
"""Golden HEP vectors for the HEP module tests, written independently of the Swift encoder.

Writes <name>.bin (the packet bytes) and <name>.json (the field values a decoder must report) into the directory
given as argv[1]. Layout from the HEP3 spec REV 37 (see shared/research/homer.md §1.1) and the HEPv1/v2 C structs
(§1.2). Only the standard library is used: struct + zlib + gzip.
"""
import gzip, json, os, struct, sys, zlib

out = sys.argv[1] if len(sys.argv) > 1 else "."
os.makedirs(out, exist_ok=True)


def chunk(ctype, value, vendor=0):
    return struct.pack("!HHH", vendor, ctype, 6 + len(value)) + value


def hep3(chunks):
    body = b"".join(chunks)
    return b"HEP3" + struct.pack("!H", 6 + len(body)) + body


def save(name, data, fields):
    with open(os.path.join(out, name + ".bin"), "wb") as f:
        f.write(data)
    with open(os.path.join(out, name + ".json"), "w") as f:
        json.dump(fields, f, indent=1, sort_keys=True)


# 1. The spec's example packet, hex as printed in the specification (§1.1), header length recomputed.
spec_hex = ("0000 0001 0007 02 0000 0002 0007 11 0000 0003 000a d4ca0001 0000 0004 000a 527400d3 "
            "0000 0007 0008 2eea 0000 0008 0008 13c4 0000 0009 000a 4e4982cb 0000 000a 000a 0001d4c0 "
            "0000 000b 0007 01 0000 000c 000a 000000e4").replace(" ", "")
payload = b"INVITE sip:bob"
body = bytes.fromhex(spec_hex) + struct.pack("!HHH", 0, 0x0f, 6 + len(payload)) + payload
save("spec_example", b"HEP3" + struct.pack("!H", 6 + len(body)) + body, {
    "version": 3, "ipFamily": 2, "ipProtocol": 17, "src": "212.202.0.1", "dst": "82.116.0.211",
    "srcPort": 12010, "dstPort": 5060, "timeSeconds": 0x4e4982cb, "timeMicroseconds": 0x1d4c0,
    "protoType": 1, "captureID": 228, "payload": payload.decode()})

# 2. IPv6, chunks in sngrep's order (addresses after the capture id).
src6 = bytes.fromhex("20010db8000000000000000000000001")
dst6 = bytes.fromhex("fe800000000000000202b3fffe1e8329")
sip = (b"OPTIONS sip:100@[2001:db8::1] SIP/2.0\r\nCall-ID: v6-test@host\r\nCSeq: 1 OPTIONS\r\n"
       b"From: <sip:a@[2001:db8::1]>;tag=x\r\nTo: <sip:100@[2001:db8::1]>\r\n\r\n")
save("ipv6", hep3([chunk(1, b"\x0a"), chunk(2, b"\x06"), chunk(7, struct.pack("!H", 5061)),
                   chunk(8, struct.pack("!H", 5060)), chunk(9, struct.pack("!I", 1700000000)),
                   chunk(10, struct.pack("!I", 999999)), chunk(11, b"\x01"), chunk(12, struct.pack("!I", 2002)),
                   chunk(5, src6), chunk(6, dst6), chunk(15, sip)]), {
    "version": 3, "ipFamily": 10, "ipProtocol": 6, "src": "2001:db8::1", "dst": "fe80::202:b3ff:fe1e:8329",
    "srcPort": 5061, "dstPort": 5060, "timeSeconds": 1700000000, "timeMicroseconds": 999999, "protoType": 1,
    "captureID": 2002, "payload": sip.decode()})

# 3. Every generic chunk type that carries data, plus a vendor chunk and a reserved type (both skipped by length),
#    in a shuffled order (port 8 before 7, as Kamailio hlog sends).
log = b"hello from the log"
all_chunks = [
    chunk(0x08, struct.pack("!H", 9060)), chunk(0x07, struct.pack("!H", 40000)), chunk(0x01, b"\x02"),
    chunk(0x02, b"\x11"), chunk(0x03, bytes([10, 0, 0, 1])), chunk(0x04, bytes([192, 168, 1, 254])),
    chunk(0x09, struct.pack("!I", 1600000000)), chunk(0x0a, struct.pack("!I", 123456)), chunk(0x0b, b"\x64"),
    chunk(0x0c, struct.pack("!I", 0x07d20000)), chunk(0x0d, struct.pack("!H", 30)), chunk(0x0e, b"secret"),
    chunk(0x1234, b"vendor-data", vendor=2), chunk(0x11, b"call-1@example.com"), chunk(0x12, struct.pack("!H", 42)),
    chunk(0x13, b"node1"), chunk(0x14, struct.pack("!Q", 0x0000001122334455)),
    chunk(0x15, struct.pack("!Q", 0x0000665544332211)), chunk(0x16, struct.pack("!H", 0x0800)), chunk(0x17, b"\x18"),
    chunk(0x18, b"\xb8"), chunk(0x19, b"reserved"), chunk(0x20, struct.pack("!H", 438)),
    chunk(0x21, struct.pack("!H", 93)), chunk(0x22, b"52.52,13.40"), chunk(0x23, struct.pack("!I", 17)),
    chunk(0x24, b"call"), chunk(0x25, b"{\"k\":1}"), chunk(0x26, b"a,b"), chunk(0x27, struct.pack("!H", 3)),
    chunk(0x28, struct.pack("!H", 1)), chunk(0x29, b"group-7"), chunk(0x0f, log)]
save("all_chunks", hep3(all_chunks), {
    "version": 3, "ipFamily": 2, "ipProtocol": 17, "src": "10.0.0.1", "dst": "192.168.1.254", "srcPort": 40000,
    "dstPort": 9060, "timeSeconds": 1600000000, "timeMicroseconds": 123456, "protoType": 100,
    "captureID": 0x07d20000, "keepAliveTimer": 30, "authKey": "secret", "correlationID": "call-1@example.com",
    "vlan": 42, "nodeName": "node1", "srcMAC": 0x1122334455, "dstMAC": 0x665544332211, "ethernetType": 0x0800,
    "tcpFlags": 0x18, "ipTOS": 0xb8, "mos": 438, "rFactor": 93, "geoLocation": "52.52,13.40", "jitter": 17,
    "transactionType": "call", "payloadJSONKeys": "{\"k\":1}", "tagValues": "a,b", "tagType": 3, "eventType": 1,
    "groupID": "group-7", "payload": log.decode(),
    "otherChunks": [{"vendor": 2, "type": 0x1234, "value": "vendor-data"},
                    {"vendor": 0, "type": 0x19, "value": "reserved"}]})

# 4. Compressed payload (0x0010) in the three containers zlib, gzip and raw deflate.
big = (b"INVITE sip:bob@example.com SIP/2.0\r\nCall-ID: compressed@example.com\r\n" + b"X-Pad: " + b"a" * 900
       + b"\r\n\r\n")
base = [chunk(1, b"\x02"), chunk(2, b"\x11"), chunk(3, bytes([1, 2, 3, 4])), chunk(4, bytes([5, 6, 7, 8])),
        chunk(7, struct.pack("!H", 5060)), chunk(8, struct.pack("!H", 5060)), chunk(9, struct.pack("!I", 1)),
        chunk(10, struct.pack("!I", 2)), chunk(11, b"\x01"), chunk(12, struct.pack("!I", 7))]
expected = {"version": 3, "ipFamily": 2, "ipProtocol": 17, "src": "1.2.3.4", "dst": "5.6.7.8", "srcPort": 5060,
            "dstPort": 5060, "timeSeconds": 1, "timeMicroseconds": 2, "protoType": 1, "captureID": 7,
            "payload": big.decode(), "payloadWasCompressed": True}
save("compressed_zlib", hep3(base + [chunk(0x10, zlib.compress(big))]), expected)
save("compressed_gzip", hep3(base + [chunk(0x10, gzip.compress(big))]), expected)
raw = zlib.compressobj(6, zlib.DEFLATED, -15)
save("compressed_deflate", hep3(base + [chunk(0x10, raw.compress(big) + raw.flush())]), expected)

# 5. HEPv1: struct hep_hdr (version, header length, family, protocol, sport, dport) + IPv4 addresses + payload.
v1sip = b"BYE sip:bob@10.1.1.2 SIP/2.0\r\nCall-ID: v1@x\r\nCSeq: 2 BYE\r\n\r\n"
save("v1", struct.pack("!BBBBHH", 1, 16, 2, 17, 5060, 5080) + bytes([10, 1, 1, 1, 10, 1, 1, 2]) + v1sip, {
    "version": 1, "ipFamily": 2, "ipProtocol": 17, "src": "10.1.1.1", "dst": "10.1.1.2", "srcPort": 5060,
    "dstPort": 5080, "timeSeconds": 0, "timeMicroseconds": 0, "protoType": 1, "captureID": 0,
    "payload": v1sip.decode()})

# 6. HEPv2: as v1 plus struct hep_timehdr in little-endian host order (x86 senders): sec, usec, captid, 2 pad bytes.
v2sip = b"SIP/2.0 200 OK\r\nCall-ID: v2@x\r\nCSeq: 2 BYE\r\n\r\n"
save("v2", struct.pack("!BBBBHH", 2, 16, 2, 17, 5080, 5060) + bytes([10, 1, 1, 2, 10, 1, 1, 1])
     + struct.pack("<IIHxx", 1234567890, 654321, 2001) + v2sip, {
    "version": 2, "ipFamily": 2, "ipProtocol": 17, "src": "10.1.1.2", "dst": "10.1.1.1", "srcPort": 5080,
    "dstPort": 5060, "timeSeconds": 1234567890, "timeMicroseconds": 654321, "protoType": 1, "captureID": 2001,
    "payload": v2sip.decode()})

# 7. HEPv2 over IPv6 (2 x 16-byte addresses).
save("v2_ipv6", struct.pack("!BBBBHH", 2, 40, 10, 17, 5060, 5060) + src6 + dst6
     + struct.pack("<IIHxx", 1700000001, 5, 9) + v2sip, {
    "version": 2, "ipFamily": 10, "ipProtocol": 17, "src": "2001:db8::1", "dst": "fe80::202:b3ff:fe1e:8329",
    "srcPort": 5060, "dstPort": 5060, "timeSeconds": 1700000001, "timeMicroseconds": 5, "protoType": 1,
    "captureID": 9, "payload": v2sip.decode()})
