#!/usr/bin/env python3
"""Writes Parquet files with pyarrow and DuckDB in many encoding/codec/page-version combinations, and dumps what
pyarrow / DuckDB themselves read back from each, as JSON, so the Swift reader can be compared row by row.

usage: parquet_read_fixtures.py OUT_DIR            -> writes OUT_DIR/*.parquet and prints the manifest JSON on stdout

Manifest: {"files": [{"name", "writer", "rows", "columns": {col: {"kind", "values": [...]}}}]}
Value encoding (exact, independent of JSON number precision):
  bool -> true/false; int32/int64/timestamp/date -> decimal string of the stored integer (timestamp in its own unit,
  date as days); float/double -> hex of the IEEE-754 double bit pattern (floats widened); string/binary -> hex of the
  bytes; NULL -> null.
"""
import json
import math
import os
import random
import struct
import sys

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

ROWS = 2500


def make_table(rows=ROWS, seed=7):
    rnd = random.Random(seed)
    i32_ext = [-(2**31), 2**31 - 1, 0, -1, 1]
    i64_ext = [-(2**63), 2**63 - 1, 0, -1, 1]
    strs_special = ["", "é", "日本語テキスト", "emoji 😀 ok", "x" * 9000, "a\u0000b", "SIP/2.0 200 OK"]
    b, i32, i64, f64, f32, s, bn, ts_us, ts_ms, ts_ns, d, req = ([] for _ in range(12))
    for r in range(rows):
        null = (r % 7 == 3)
        b.append(None if r % 11 == 5 else (rnd.random() < 0.5))
        i32.append(None if null else (i32_ext[r] if r < len(i32_ext) else rnd.randint(-1000, 1000)))
        i64.append(None if r % 13 == 1 else (i64_ext[r] if r < len(i64_ext) else rnd.randint(-2**40, 2**40)))
        if r < 4:
            f64.append([-0.0, float("inf"), float("-inf"), 1e308][r])
        else:
            f64.append(None if r % 9 == 2 else rnd.uniform(-1e6, 1e6))
        f32.append(None if r % 10 == 4 else float(struct.unpack("<f", struct.pack("<f", rnd.uniform(-100, 100)))[0]))
        if r < len(strs_special):
            s.append(strs_special[r])
        else:
            s.append(None if r % 5 == 0 else rnd.choice(["INVITE", "ACK", "BYE", "REGISTER", "OPTIONS", "call-%d" % rnd.randint(0, 300)]))
        bn.append(bytes(rnd.getrandbits(8) for _ in range(rnd.randint(0, 40))))
        base = -2208988800_000000 if r < 3 else 1_700_000_000_000000  # 1900 for the first rows, else 2023
        t = base + r * 1_000_123 + rnd.randint(0, 999)
        ts_us.append(None if r % 17 == 6 else t)
        ts_ms.append(t // 1000)
        ts_ns.append(t * 1000 + rnd.randint(0, 999))
        d.append(None if r % 19 == 7 else rnd.randint(-30000, 30000))
        req.append(r * 3 - 1000)
    return pa.table({
        "b": pa.array(b, pa.bool_()),
        "i32": pa.array(i32, pa.int32()),
        "i64": pa.array(i64, pa.int64()),
        "f64": pa.array(f64, pa.float64()),
        "f32": pa.array(f32, pa.float32()),
        "s": pa.array(s, pa.string()),
        "bn": pa.array(bn, pa.binary()),
        "ts_us": pa.array(ts_us, pa.timestamp("us")),
        "ts_ms": pa.array(ts_ms, pa.timestamp("ms")),
        "ts_ns": pa.array(ts_ns, pa.timestamp("ns")),
        "d": pa.array(d, pa.date32()),
        "req": pa.array(req, pa.int64()),
    }, schema=pa.schema([
        pa.field("b", pa.bool_()), pa.field("i32", pa.int32()), pa.field("i64", pa.int64()),
        pa.field("f64", pa.float64()), pa.field("f32", pa.float32()), pa.field("s", pa.string()),
        pa.field("bn", pa.binary(), nullable=False), pa.field("ts_us", pa.timestamp("us")),
        pa.field("ts_ms", pa.timestamp("ms")), pa.field("ts_ns", pa.timestamp("ns")), pa.field("d", pa.date32()),
        pa.field("req", pa.int64(), nullable=False),
    ]))


def encode_column(arr):
    """Normalises an Arrow column to the manifest's exact value encoding."""
    t = arr.type
    if pa.types.is_boolean(t):
        return "bool", arr.to_pylist()
    if pa.types.is_timestamp(t) or pa.types.is_date(t) or pa.types.is_integer(t):
        if pa.types.is_timestamp(t):
            arr = arr.cast(pa.int64())
        elif pa.types.is_date32(t):
            arr = arr.cast(pa.int32())
        return "int", [None if v is None else str(v) for v in arr.to_pylist()]
    if pa.types.is_floating(t):
        return "double", [None if v is None else struct.pack("<d", v).hex() for v in arr.to_pylist()]
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return "bytes", [None if v is None else v.encode("utf-8").hex() for v in arr.to_pylist()]
    if pa.types.is_binary(t) or pa.types.is_large_binary(t):
        return "bytes", [None if v is None else bytes(v).hex() for v in arr.to_pylist()]
    raise SystemExit("unsupported type %s" % t)


def dump(table):
    table = table.combine_chunks()
    out = {}
    for name in table.column_names:
        column = table.column(name)
        kind, values = encode_column(column)
        out[name] = {"kind": kind, "values": values}
        if pa.types.is_timestamp(column.type):
            out[name]["unit"] = column.type.unit  # DuckDB reads TIMESTAMP(MILLIS) back as microseconds
    return out


def write_pyarrow(out_dir, table, manifest):
    ints = ["i32", "i64", "ts_us", "ts_ms", "ts_ns", "d", "req"]
    variants = {
        "pa_default": dict(),
        "pa_plain_none": dict(use_dictionary=False, compression="none"),
        "pa_dict_zstd_v2": dict(compression="zstd", data_page_version="2.0"),
        "pa_gzip": dict(compression="gzip", use_dictionary=False),
        "pa_lz4raw": dict(compression="lz4"),
        "pa_delta_v1": dict(use_dictionary=False, compression="snappy", column_encoding=dict(
            {c: "DELTA_BINARY_PACKED" for c in ints}, s="DELTA_LENGTH_BYTE_ARRAY", bn="DELTA_BYTE_ARRAY",
            f64="BYTE_STREAM_SPLIT", f32="BYTE_STREAM_SPLIT")),
        "pa_delta_v2_zstd": dict(use_dictionary=False, compression="zstd", data_page_version="2.0", column_encoding=dict(
            {c: "DELTA_BINARY_PACKED" for c in ints}, s="DELTA_BYTE_ARRAY", bn="DELTA_LENGTH_BYTE_ARRAY",
            f64="BYTE_STREAM_SPLIT", f32="BYTE_STREAM_SPLIT")),
        "pa_bss_ints": dict(use_dictionary=False, compression="none", column_encoding={
            "i32": "BYTE_STREAM_SPLIT", "i64": "BYTE_STREAM_SPLIT", "f64": "BYTE_STREAM_SPLIT"}),
        "pa_pages_index": dict(compression="snappy", write_page_index=True, max_rows_per_page=100,
                               row_group_size=1000),
        "pa_small_dict_fallback": dict(compression="none", dictionary_pagesize_limit=256, max_rows_per_page=300),
    }
    for name, opts in variants.items():
        path = os.path.join(out_dir, name + ".parquet")
        pq.write_table(table, path, **opts)
        manifest.append({"name": name + ".parquet", "writer": "pyarrow", "rows": table.num_rows,
                         "columns": dump(pq.read_table(path))})


def write_duckdb(out_dir, table, manifest):
    con = duckdb.connect()
    con.register("src_arrow", table)
    # DuckDB cannot write FLOAT from an Arrow float column without a cast and keeps ts_ms/ts_ns types; all is fine.
    con.execute("CREATE TABLE src AS SELECT * FROM src_arrow")
    variants = [
        ("dk_snappy_v1", "COMPRESSION snappy"),
        ("dk_zstd_v2", "COMPRESSION zstd, PARQUET_VERSION v2"),
        ("dk_gzip", "COMPRESSION gzip, ROW_GROUP_SIZE 1000"),
        ("dk_lz4", "COMPRESSION lz4_raw, PARQUET_VERSION v2"),
        ("dk_none", "COMPRESSION uncompressed"),
    ]
    for name, opts in variants:
        path = os.path.join(out_dir, name + ".parquet")
        con.execute("COPY src TO '%s' (FORMAT parquet, %s)" % (path, opts))
        back = con.execute("SELECT * FROM read_parquet('%s')" % path).to_arrow_table()
        manifest.append({"name": name + ".parquet", "writer": "duckdb", "rows": back.num_rows, "columns": dump(back)})


def main():
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    table = make_table()
    manifest = []
    write_pyarrow(out_dir, table, manifest)
    write_duckdb(out_dir, table, manifest)
    json.dump({"files": manifest}, sys.stdout)


if __name__ == "__main__":
    main()
