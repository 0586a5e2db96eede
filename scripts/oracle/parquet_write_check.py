#!/usr/bin/env python3
"""Judges Parquet files written by homer's Swift writer with pyarrow and DuckDB.

Modes (all print JSON on stdout):
  read <file>                      values, schema, statistics as seen by pyarrow and by DuckDB
  probe <file> <json>              DuckDB parquet_bloom_probe for [[column, sql_literal], ...]
  snappy <in> <size> <out>         decompress a raw Snappy block with pyarrow's codec into <out>
  compress <codec> <in> <out>      compress <in> with pyarrow's codec (snappy/gzip/zstd) into <out>

Every value is canonicalised to a string so both sides compare exactly: integers in decimal, doubles as
"d:" + little-endian bit pattern hex, strings as "s:" + text, binaries as "x:" + hex, booleans "true"/"false",
timestamps as microseconds since the epoch, dates as days since the epoch; NULL stays null.
"""
import datetime
import json
import struct
import sys

EPOCH = datetime.datetime(1970, 1, 1)
EPOCH_DATE = datetime.date(1970, 1, 1)


def enc(v):
    if v is None:
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return "d:" + struct.pack("<d", v).hex()
    if isinstance(v, str):
        return "s:" + v
    if isinstance(v, (bytes, bytearray, memoryview)):
        return "x:" + bytes(v).hex()
    if isinstance(v, datetime.datetime):
        if v.tzinfo is not None:
            v = v.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        d = v - EPOCH
        return str((d.days * 86400 + d.seconds) * 1_000_000 + d.microseconds)
    if isinstance(v, datetime.date):
        return str((v - EPOCH_DATE).days)
    raise TypeError(f"cannot encode {type(v)}")


def read(path):
    import duckdb
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = {}
    pf = pq.ParquetFile(path)
    table = pf.read()
    fields = []
    columns = {}
    for f in table.schema:
        md = f.metadata or {}
        fid = md.get(b"PARQUET:field_id")
        fields.append({"name": f.name, "type": str(f.type), "nullable": f.nullable,
                       "field_id": int(fid) if fid is not None else None})
        col = table.column(f.name)
        if pa.types.is_timestamp(f.type):
            col = col.cast(pa.int64())
        elif pa.types.is_date32(f.type):
            col = col.cast(pa.int32())
        columns[f.name] = [enc(v) for v in col.to_pylist()]
    md = pf.metadata
    groups = []
    for g in range(md.num_row_groups):
        rg = md.row_group(g)
        cols = []
        for c in range(rg.num_columns):
            cc = rg.column(c)
            st = cc.statistics
            entry = {"path": cc.path_in_schema, "compression": cc.compression, "encodings": list(cc.encodings),
                     "num_values": cc.num_values, "has_dictionary_page": cc.has_dictionary_page,
                     "has_index": cc.has_column_index, "has_offset_index": cc.has_offset_index,
                     "total_compressed_size": cc.total_compressed_size,
                     "total_uncompressed_size": cc.total_uncompressed_size}
            if st is not None:
                entry["has_min_max"] = st.has_min_max
                entry["null_count"] = st.null_count if st.has_null_count else None
                if st.has_min_max:
                    entry["min"] = enc(st.min)
                    entry["max"] = enc(st.max)
                entry["is_min_exact"] = getattr(st, "is_min_exact", None)
                entry["is_max_exact"] = getattr(st, "is_max_exact", None)
            cols.append(entry)
        groups.append({"num_rows": rg.num_rows, "columns": cols})
    out["pyarrow"] = {"schema": fields, "columns": columns, "row_groups": groups, "num_rows": md.num_rows,
                      "created_by": md.created_by, "format_version": md.format_version,
                      "metadata": {k.decode(): v.decode() for k, v in (md.metadata or {}).items()
                                   if not k.startswith(b"ARROW")}}

    con = duckdb.connect()
    desc = con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [path]).fetchall()
    types = {r[0]: r[1] for r in desc}
    sel = []
    for name, t in types.items():
        q = '"' + name.replace('"', '""') + '"'
        if t == "TIMESTAMP":
            sel.append(f"epoch_us({q})")
        elif t == "DATE":
            sel.append(f"({q} - DATE '1970-01-01')")
        else:
            sel.append(q)
    rows = con.execute(f"SELECT {', '.join(sel)} FROM read_parquet(?)", [path]).fetchall()
    dcols = {name: [enc(r[i]) for r in rows] for i, name in enumerate(types)}
    meta = con.execute("SELECT row_group_id, path_in_schema, stats_min, stats_max, stats_null_count, "
                       "stats_min_value, stats_max_value, compression, encodings, bloom_filter_offset, "
                       "bloom_filter_length, num_values, row_group_num_rows FROM parquet_metadata(?) "
                       "ORDER BY row_group_id, column_id", [path]).fetchall()
    keys = ["row_group_id", "path_in_schema", "stats_min", "stats_max", "stats_null_count", "stats_min_value",
            "stats_max_value", "compression", "encodings", "bloom_filter_offset", "bloom_filter_length",
            "num_values", "row_group_num_rows"]
    schema = con.execute("SELECT name, type, converted_type, logical_type, field_id FROM parquet_schema(?)",
                         [path]).fetchall()
    out["duckdb"] = {"types": types, "columns": dcols,
                     "metadata": [{k: (v if not isinstance(v, (bytes, bytearray)) else v.hex())
                                   for k, v in zip(keys, m)} for m in meta],
                     "schema": [{"name": s[0], "type": s[1], "converted_type": s[2],
                                 "logical_type": s[3], "field_id": s[4]} for s in schema]}
    return out


def probe(path, spec):
    import duckdb
    con = duckdb.connect()
    results = []
    for column, literal in json.loads(spec):
        rows = con.execute(f"SELECT row_group_id, bloom_filter_excludes FROM parquet_bloom_probe(?, ?, {literal}) "
                           "ORDER BY row_group_id", [path, column]).fetchall()
        results.append({"column": column, "value": literal, "excludes": [bool(r[1]) for r in rows]})
    return results


def main():
    mode = sys.argv[1]
    if mode == "read":
        print(json.dumps(read(sys.argv[2])))
    elif mode == "probe":
        print(json.dumps(probe(sys.argv[2], sys.argv[3])))
    elif mode == "snappy":
        import pyarrow as pa
        data = open(sys.argv[2], "rb").read()
        out = pa.decompress(data, codec="snappy", decompressed_size=int(sys.argv[3]), asbytes=True)
        open(sys.argv[4], "wb").write(out)
        print(json.dumps({"size": len(out)}))
    elif mode == "compress":
        import pyarrow as pa
        data = open(sys.argv[3], "rb").read()
        out = pa.compress(data, codec=sys.argv[2], asbytes=True)
        open(sys.argv[4], "wb").write(out)
        print(json.dumps({"size": len(out)}))
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
